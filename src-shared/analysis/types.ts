/**
 * The analysis panel: answers to the seed's five questions for a transfer test, whose
 * figures come from the current run (mode entered, invariant verdicts, metrics) and from
 * the model's probabilities over seeds — not a static essay.
 *
 * A scenario file declares it (optional `analysis:` section, see docs/adding-a-scenario.md):
 *
 *   analysis:
 *     seeds: 40          # seeds 1..N each strategy is replayed for {figure.*} (model.analysis())
 *     horizon: 420s      # simulated time each replay runs
 *     answers:
 *       - question: 1    # 1-based index into `questions`
 *         title: Byzantine agreement
 *         text: "… the meeting is in {mode.meeting} …"
 *         figures:       # optional: a table of named figures under the answer
 *           - { label: Disagreement, value: "{metric.counter_disagreement_pct}%" }
 *
 * Placeholders (see ./template.ts): {metric.PATH} {figure.PATH} {mode.SCOPE}
 * {modes.SCOPE} {invariant.ID} {requirement.ID} {observed.SCOPE} {claimed.SCOPE}
 * {strategy} {strategy_label} {seed} {t}.
 */

export interface AnalysisAnswerSpec {
  /** 1-based index into the scenario's `questions`. */
  question: number;
  title: string;
  text: string;
  figures: { label: string; value: string }[];
}

export interface AnalysisSpec {
  /** Seeds 1..seeds the model's analysis() sweeps (probabilities over seeds). */
  seeds: number;
  /** Simulated ms each replay runs. */
  horizon_ms: number;
  answers: AnalysisAnswerSpec[];
}

export type SegmentTone = 'good' | 'warn' | 'bad';

/** A piece of an answer: plain text, or a value bound to the run (`ref` is the placeholder). */
export interface AnalysisSegment {
  text: string;
  ref?: string;
  tone?: SegmentTone;
  /** The placeholder had no value (yet): shown as “—”. */
  missing?: boolean;
}

export interface AnalysisAnswerView {
  question: number;
  question_text: string;
  title: string;
  segments: AnalysisSegment[];
  figures: { label: AnalysisSegment[]; value: AnalysisSegment[] }[];
}

export interface AnalysisView {
  scenario: string;
  test: string;
  strategy: string;
  strategy_label: string;
  seed: number;
  t_ms: number;
  /** Seeds swept for the {figure.*} values (0 when the model has no analysis()). */
  seeds: number;
  answers: AnalysisAnswerView[];
  /** The model's figures (probabilities over seeds), as computed. */
  figures: Record<string, unknown>;
  /** Wall ms spent computing the figures (0 when cached). */
  compute_ms: number;
  /** The figures over seeds are still being computed (the panel polls again). */
  pending: boolean;
}
