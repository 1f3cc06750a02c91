/**
 * The report of a run (DESIGN §6). JSON is the canonical form; Markdown and HTML render
 * the same content. Field names are a contract with outside tools: extend, don't rename.
 */
import type { MetricValue } from '../ipc/frames';
import type { TimelineRecord } from '../timeline/records';
import type { LoggedAction } from '../session/schema';
import type { RubricScores } from '../session/rubric';
import type { AnalysisView } from '../analysis/types';

export interface ReportModeTransition {
  t_ms: number;
  scope: string;
  from: string;
  to: string;
  /** The evidence records (full) that caused the change. */
  evidence: TimelineRecord[];
  reason: string;
}

export interface Report {
  scenario: string;
  title: string;
  strategy: string;
  seed: number;
  until_ms: number;
  digest: string;
  timeline: TimelineRecord[];
  invariants: { name: string; id: string; kind: 'safety' | 'liveness'; violations: number }[];
  modes: ReportModeTransition[];
  metrics: Record<string, MetricValue>;
  requirements: { id: string; text: string; value: number | null; met: boolean | null }[];
  final: { scope: string; mode: string; observed: string; claimed: string; weaker: string[] }[];
  error: string | null;
  generated_by: string;
  // ---- additive (issue 6): context for the HTML/Markdown/PDF renderings -------------
  /** The transfer test, e.g. "NT-1". */
  test?: string;
  /** Scope ids with their labels, in the scenario's order. */
  scopes?: { id: string; label: string }[];
  /** The scenario's modes (severity 0 = Target … 3 = Floor) for colouring charts. */
  mode_catalog?: { id: string; label: string; severity: number; claim: string }[];
  /** The scenario's initial mode (every scope starts in it). */
  initial_mode?: string;
  /** The action log the run was made from (replaying it gives `digest`). */
  actions?: LoggedAction[];
  /** The session the report was made from (notes, exercise), when made in the app. */
  session?: ReportSession;
  // ---- additive (issue 8): the recorded client history and the checker's verdicts ----
  /** Present when the run recorded client operations (the history view of the app). */
  history?: ReportHistory;
  // ---- additive (FT analysis panel): the seed's questions answered with the run's figures ----
  /** Present when the scenario declares an `analysis` section (src-shared/analysis). */
  analysis?: AnalysisView;
}

export interface ReportHistory {
  operations: number;
  /** Checked windows by verdict. */
  windows: { linearizable: number; not_linearizable: number; unknown: number };
  /** One figure per key (failing keys first), as standalone SVG: the app's history view. */
  figures: { key: string; window: number; verdict: string; caption: string; svg: string }[];
}

export interface ReportSession {
  id?: string;
  name: string;
  notes: string;
  /** The digest stored with the session and whether the replay reproduced it. */
  stored_digest?: string;
  stored_t_ms?: number;
  replay?: 'match' | 'mismatch' | 'unchecked';
  created_at?: number;
  updated_at?: number;
  exercise: {
    test: string;
    questions: string[];
    answers: string[];
    scores: RubricScores;
    /** Self-assessed points out of `max` (unscored levels count 0). */
    points: number;
    max: number;
    complete: boolean;
  };
}
