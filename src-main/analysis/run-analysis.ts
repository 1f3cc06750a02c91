/**
 * The analysis panel's data for a run (src-shared/analysis): the scenario's answer
 * templates bound to the run's figures — current modes and the modes each scope entered,
 * invariant verdicts, metrics, requirements, G-vectors — and to the model's analysis()
 * figures (probabilities over seeds, computed by replaying the run's scenario and action
 * log headlessly). The figures over seeds are cached per (scenario, action log, seeds,
 * horizon) and computed with pauses between replays, so the host keeps serving frames.
 */
import type { AnalysisBindings } from '../../src-shared/analysis/template';
import { renderTemplate } from '../../src-shared/analysis/template';
import type { AnalysisView } from '../../src-shared/analysis/types';
import type { MetricValue } from '../../src-shared/ipc/frames';
import type { ModeRecord } from '../../src-shared/timeline/records';
import type { AnalysisContext, ModelDefinition, ReplayResult } from '../engine/model-api';
import { getModel } from '../engine/models';
import { Simulation } from '../engine/simulation';

const REPLAY_STEP_MS = 10_000;
const CACHE_MAX = 16;
const cache = new Map<string, Promise<{ figures: Record<string, MetricValue>; compute_ms: number }>>();
/** Keys whose computation has finished (their promise resolves at once). */
const settled = new Set<string>();

/** Modes entered per scope, in order, from the timeline (the initial mode first). */
export function modesEntered(sim: Pick<Simulation, 'timeline' | 'spec'>): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries(sim.spec.groups.map((g) => [g.id, [sim.spec.initial_mode]]));
  for (const r of sim.timeline) if (r.kind === 'mode') (out[(r as ModeRecord).scope] ??= [sim.spec.initial_mode]).push((r as ModeRecord).to);
  return out;
}

export function analysisBindings(sim: Simulation, figures: Record<string, MetricValue>): AnalysisBindings {
  const scopes = sim.scopeViews();
  return {
    metrics: sim.metrics(),
    figures,
    modes: Object.fromEntries(scopes.map((s) => [s.id, s.mode])),
    modes_entered: modesEntered(sim),
    severity: Object.fromEntries(sim.spec.modes.map((m) => [m.id, m.severity])),
    invariants: sim.violations(),
    requirements: Object.fromEntries(sim.requirementViews().map((r) => [r.id, { value: r.value, met: r.met }])),
    observed: Object.fromEntries(scopes.map((s) => [s.id, s.observed])),
    claimed: Object.fromEntries(scopes.map((s) => [s.id, s.claimed])),
    strategy: sim.strategy.id,
    strategy_label: sim.strategy.label,
    seed: sim.seed,
    t_ms: sim.now_ms,
  };
}

/** Replays `sim`'s scenario and action log headlessly (coarse ticks, no checkpoints). */
export function replayOf(sim: Simulation, model: ModelDefinition<unknown>, o: Parameters<AnalysisContext['replay']>[0]): ReplayResult {
  const r = new Simulation(sim.spec, model, {
    strategy: o.strategy,
    seed: o.seed,
    actions: sim.actions.map((a) => ({ at_ms: a.at_ms, action: a.action, source: a.source })),
    tick_ms: REPLAY_STEP_MS,
    checkpoint_every_ms: 1e12,
  });
  const until = o.until_ms ?? Math.max(sim.now_ms, REPLAY_STEP_MS);
  for (let t = REPLAY_STEP_MS; ; t += REPLAY_STEP_MS) {
    r.runUntil(Math.min(t, until));
    if (r.error || t >= until || (o.done && o.done(r.metrics()))) break;
  }
  return { metrics: r.metrics(), violations: r.violations(), modes: modesEntered(r) };
}

const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The model's figures over seeds for this run's action log (cached; null-safe for models without analysis()). */
export async function analysisFigures(
  sim: Simulation,
  opts: { seeds?: number; wait?: boolean } = {},
): Promise<{ figures: Record<string, MetricValue>; compute_ms: number; cached: boolean; pending: boolean }> {
  const spec = sim.spec;
  const model = getModel(spec.model);
  if (!spec.analysis || !model.analysis) return { figures: {}, compute_ms: 0, cached: false, pending: false };
  const seeds = opts.seeds ?? spec.analysis.seeds;
  const horizon_ms = spec.analysis.horizon_ms;
  const key = JSON.stringify([spec.id, sim.strategy.id, seeds, horizon_ms, sim.actions.map((a) => [a.at_ms, a.action])]);
  const hit = cache.get(key);
  if (hit && (settled.has(key) || opts.wait !== false)) return { ...(await hit), cached: true, pending: false };
  if (hit) return { figures: {}, compute_ms: 0, cached: false, pending: true };
  const ctx: AnalysisContext = {
    spec,
    strategy: sim.strategy.id,
    seed: sim.seed,
    t_ms: sim.now_ms,
    metrics: sim.metrics(),
    violations: sim.violations(),
    seeds,
    horizon_ms,
    replay: (o) => replayOf(sim, model, o),
    pause,
  };
  const job = (async () => {
    const t0 = performance.now();
    const figures = await model.analysis!(ctx);
    settled.add(key);
    return { figures, compute_ms: Math.round(performance.now() - t0) };
  })();
  cache.set(key, job);
  job.catch(() => cache.delete(key));
  if (cache.size > CACHE_MAX) {
    const oldest = cache.keys().next().value!;
    cache.delete(oldest);
    settled.delete(oldest);
  }
  // The panel does not wait: it shows the run's figures now and the sweep when it is done.
  if (opts.wait === false) return { figures: {}, compute_ms: 0, cached: false, pending: true };
  return { ...(await job), cached: false, pending: false };
}

/** The analysis panel for a run, or null when the scenario declares no analysis. */
export async function analyseRun(sim: Simulation, opts: { seeds?: number; wait?: boolean } = {}): Promise<AnalysisView | null> {
  const spec = sim.spec.analysis;
  if (!spec) return null;
  const { figures, compute_ms, cached, pending } = await analysisFigures(sim, opts);
  return renderAnalysis(sim, figures, cached ? 0 : compute_ms, Object.keys(figures).length || pending ? (opts.seeds ?? spec.seeds) : 0, pending);
}

export function renderAnalysis(sim: Simulation, figures: Record<string, MetricValue>, compute_ms: number, seeds: number, pending = false): AnalysisView {
  const spec = sim.spec;
  const b = analysisBindings(sim, figures);
  // While the sweep runs, its placeholders say so instead of "—".
  const render = (t: string) => renderTemplate(t, b).map((s) => (pending && s.missing && s.ref?.startsWith('figure.') ? { ...s, text: 'computing…' } : s));
  return {
    pending,
    scenario: spec.id,
    test: spec.test,
    strategy: sim.strategy.id,
    strategy_label: sim.strategy.label,
    seed: sim.seed,
    t_ms: sim.now_ms,
    seeds,
    answers: (spec.analysis?.answers ?? []).map((a) => ({
      question: a.question,
      question_text: spec.questions[a.question - 1] ?? '',
      title: render(a.title)
        .map((s) => s.text)
        .join(''),
      segments: render(a.text),
      figures: a.figures.map((f) => ({ label: render(f.label), value: render(f.value) })),
    })),
    figures,
    compute_ms,
  };
}
