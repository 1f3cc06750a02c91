/**
 * FT-1 figures for the analysis panel: the safety invariant ("every patient has exactly
 * one responsible nurse") and the alert deadline measured over seeds, per strategy. Each
 * strategy is replayed by the real engine with the current run's action log (so "a nurse
 * does not show up" or "the coordinator is unreachable" changes the figures) for seeds
 * 1..N; every seed draws its own acuities, arrival times and alerts.
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import type { AnalysisContext } from '../../model-api';

export interface StrategyFigures {
  seeds: number;
  /** Runs in which some patient had no responsible nurse at some point. */
  gap_rate: number;
  mean_unassigned_minutes: number;
  max_unassigned_minutes: number;
  double_rate: number;
  late_alert_rate: number;
  mean_alert_delivery_min: number | null;
  mean_overtime_minutes: number;
  floor_rate: number;
}

const num = (v: MetricValue | undefined): number => (typeof v === 'number' ? v : 0);
const r2 = (x: number) => Math.round(x * 100) / 100;

export async function sweepStrategy(a: AnalysisContext, strategy: string, seeds: number): Promise<StrategyFigures> {
  let gaps = 0;
  let minutes = 0;
  let maxMinutes = 0;
  let doubles = 0;
  let late = 0;
  let overtime = 0;
  let floor = 0;
  let delaySum = 0;
  let delayN = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    await a.pause();
    const r = a.replay({ strategy, seed, until_ms: a.horizon_ms });
    const m = r.metrics;
    const um = num(m.unassigned_patient_minutes);
    if (um > 0) gaps += 1;
    minutes += um;
    maxMinutes = Math.max(maxMinutes, um);
    if (num(m.double_coverage) > 0) doubles += 1;
    if (num(m.alerts_late) > 0) late += 1;
    overtime += num(m.overtime_minutes);
    if (Object.values(r.modes).some((xs) => xs.includes('Floor'))) floor += 1;
    const d = m.alert_delivery_ms as Record<string, MetricValue> | null | undefined;
    if (d && typeof d.p50 === 'number') {
      delaySum += d.p50;
      delayN += 1;
    }
  }
  return {
    seeds,
    gap_rate: r2(gaps / seeds),
    mean_unassigned_minutes: r2(minutes / seeds),
    max_unassigned_minutes: r2(maxMinutes),
    double_rate: r2(doubles / seeds),
    late_alert_rate: r2(late / seeds),
    mean_alert_delivery_min: delayN ? r2(delaySum / delayN / 60000) : null,
    mean_overtime_minutes: r2(overtime / seeds),
    floor_rate: r2(floor / seeds),
  };
}

export async function hospitalAnalysis(a: AnalysisContext): Promise<Record<string, MetricValue>> {
  const per: Record<string, StrategyFigures> = {};
  for (const s of a.spec.strategies) per[s.id] = await sweepStrategy(a, s.id, a.seeds);
  const asPct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const pick = (k: keyof StrategyFigures, pct = false) =>
    Object.fromEntries(Object.entries(per).map(([id, f]) => [id, pct ? asPct(f[k] as number) : (f[k] as MetricValue)])) as Record<string, MetricValue>;
  const ranked = Object.entries(per).sort((x, y) => x[1].mean_unassigned_minutes - y[1].mean_unassigned_minutes || x[1].double_rate - y[1].double_rate || x[1].mean_overtime_minutes - y[1].mean_overtime_minutes);
  return {
    seeds: a.seeds,
    per_strategy: per as unknown as Record<string, MetricValue>,
    gap_pct: pick('gap_rate', true),
    unassigned_minutes: pick('mean_unassigned_minutes'),
    max_unassigned_minutes: pick('max_unassigned_minutes'),
    double_pct: pick('double_rate', true),
    late_alert_pct: pick('late_alert_rate', true),
    alert_delivery_min: pick('mean_alert_delivery_min'),
    overtime_minutes: pick('mean_overtime_minutes'),
    floor_pct: pick('floor_rate', true),
    safest: ranked[0]?.[0] ?? null,
    safest_label: a.spec.strategies.find((s) => s.id === ranked[0]?.[0])?.label ?? null,
    current_gap_pct: per[a.strategy] ? asPct(per[a.strategy]!.gap_rate) : null,
  };
}
