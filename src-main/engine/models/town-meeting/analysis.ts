/**
 * FT-2 figures for the analysis panel: the Safety invariant ("never declare the outcome
 * the true majority did not choose") measured as a probability over seeds. Each strategy
 * is replayed by the real engine with the current run's action log (so "add a malicious
 * counter" changes the figures) for seeds 1..N; every run draws its own residents, hands
 * and noise. Also the rate of entering Floor, of validity violations, of missing the
 * deadline, and the mean time to a decision.
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import type { AnalysisContext } from '../../model-api';
import { round4, wilsonInterval } from './stats';

export interface StrategyFigures {
  seeds: number;
  wrong: number;
  wrong_outcome_rate: number;
  /** 95% interval of the wrong-outcome rate (Wilson, infinite population). */
  ci_low: number;
  ci_high: number;
  floor_rate: number;
  validity_violation_rate: number;
  deadline_miss_rate: number;
  undecided: number;
  mean_decision_s: number | null;
}

export async function sweepStrategy(a: AnalysisContext, strategy: string, seeds: number): Promise<StrategyFigures> {
  let wrong = 0;
  let floor = 0;
  let validity = 0;
  let deadline = 0;
  let undecided = 0;
  let decisionSum = 0;
  let decided = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    await a.pause();
    const r = a.replay({ strategy, seed, until_ms: a.horizon_ms, done: (m) => m.declared !== null && m.declared !== undefined });
    if (r.metrics.wrong_outcome === 1) wrong += 1;
    if (r.metrics.wrong_outcome === null || r.metrics.wrong_outcome === undefined) undecided += 1;
    if ((r.modes.meeting ?? []).includes('Floor')) floor += 1;
    if ((r.violations.validity ?? 0) > 0) validity += 1;
    if ((r.violations['decision-deadline'] ?? 0) > 0) deadline += 1;
    const ms = r.metrics.decision_ms;
    if (typeof ms === 'number') {
      decisionSum += ms;
      decided += 1;
    }
  }
  const ci = wilsonInterval(wrong, seeds - wrong, 0, Infinity);
  return {
    seeds,
    wrong,
    wrong_outcome_rate: round4(wrong / seeds),
    ci_low: ci.low,
    ci_high: ci.high,
    floor_rate: round4(floor / seeds),
    validity_violation_rate: round4(validity / seeds),
    deadline_miss_rate: round4(deadline / seeds),
    undecided,
    mean_decision_s: decided ? Math.round(decisionSum / decided / 100) / 10 : null,
  };
}

export async function meetingAnalysis(a: AnalysisContext): Promise<Record<string, MetricValue>> {
  const per: Record<string, StrategyFigures> = {};
  for (const s of a.spec.strategies) per[s.id] = await sweepStrategy(a, s.id, a.seeds);
  const pick = (k: keyof StrategyFigures) => Object.fromEntries(Object.entries(per).map(([id, f]) => [id, f[k]])) as Record<string, MetricValue>;
  const ranked = Object.entries(per).sort((x, y) => x[1].wrong_outcome_rate - y[1].wrong_outcome_rate || (x[1].mean_decision_s ?? 1e9) - (y[1].mean_decision_s ?? 1e9));
  const asPct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return {
    seeds: a.seeds,
    per_strategy: per as unknown as Record<string, MetricValue>,
    wrong_outcome_rate: pick('wrong_outcome_rate'),
    wrong_outcome_pct: Object.fromEntries(Object.entries(per).map(([id, f]) => [id, asPct(f.wrong_outcome_rate)])),
    wrong_outcome_ci: Object.fromEntries(Object.entries(per).map(([id, f]) => [id, `${asPct(f.ci_low)}–${asPct(f.ci_high)}`])),
    floor_pct: Object.fromEntries(Object.entries(per).map(([id, f]) => [id, asPct(f.floor_rate)])),
    mean_decision_s: pick('mean_decision_s'),
    safest: ranked[0]?.[0] ?? null,
    safest_label: a.spec.strategies.find((s) => s.id === ranked[0]?.[0])?.label ?? null,
    current: per[a.strategy] as unknown as Record<string, MetricValue>,
    current_wrong_pct: per[a.strategy] ? asPct(per[a.strategy]!.wrong_outcome_rate) : null,
  };
}
