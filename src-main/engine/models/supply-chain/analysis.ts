/**
 * FT-3 figures for the analysis panel: each strategy replayed by the real engine with the
 * current run's action log (so "the supplier goes silent" or "a partner lies" changes the
 * figures) for seeds 1..N — every seed draws its own unannounced delays and losses. The
 * safety invariant "never commit to the customer without confirmed supply" becomes a rate,
 * next to the commitment rate, the penalty rate, the mean net cost and the acks exchanged
 * (certainty is reached in none of them).
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import type { AnalysisContext } from '../../model-api';

export interface StrategyFigures {
  seeds: number;
  commit_rate: number;
  unconfirmed_commit_rate: number;
  penalty_rate: number;
  mean_net_cost_usd: number;
  mean_acks: number;
  certainty_reached: number;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (v: MetricValue | undefined) => (typeof v === 'number' ? v : 0);

export async function sweep(a: AnalysisContext, strategy: string, seeds: number): Promise<StrategyFigures> {
  let commits = 0;
  let unconfirmed = 0;
  let penalties = 0;
  let cost = 0;
  let acks = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    await a.pause();
    const r = a.replay({ strategy, seed, until_ms: a.horizon_ms });
    commits += num(r.metrics.customer_commitment_made);
    unconfirmed += num(r.metrics.commit_without_supply);
    if (num(r.metrics.penalty_usd) > 0) penalties += 1;
    cost += num(r.metrics.net_cost_usd);
    acks += num(r.metrics.acks_exchanged);
  }
  return {
    seeds,
    commit_rate: r4(commits / seeds),
    unconfirmed_commit_rate: r4(unconfirmed / seeds),
    penalty_rate: r4(penalties / seeds),
    mean_net_cost_usd: Math.round(cost / seeds),
    mean_acks: Math.round((acks / seeds) * 10) / 10,
    certainty_reached: 0,
  };
}

export async function supplyAnalysis(a: AnalysisContext): Promise<Record<string, MetricValue>> {
  const per: Record<string, StrategyFigures> = {};
  for (const s of a.spec.strategies) per[s.id] = await sweep(a, s.id, a.seeds);
  const map = (f: (x: StrategyFigures) => MetricValue) => Object.fromEntries(Object.entries(per).map(([id, x]) => [id, f(x)])) as Record<string, MetricValue>;
  const ranked = Object.entries(per).sort((x, y) => x[1].mean_net_cost_usd - y[1].mean_net_cost_usd);
  const cheapest = ranked[0]?.[0] ?? null;
  return {
    seeds: a.seeds,
    per_strategy: per as unknown as Record<string, MetricValue>,
    commit_pct: map((x) => pct(x.commit_rate)),
    unconfirmed_commit_pct: map((x) => pct(x.unconfirmed_commit_rate)),
    penalty_pct: map((x) => pct(x.penalty_rate)),
    mean_net_cost_musd: map((x) => `$${(x.mean_net_cost_usd / 1e6).toFixed(2)}M`),
    mean_acks: map((x) => x.mean_acks),
    certainty_reached: 0,
    cheapest,
    cheapest_label: a.spec.strategies.find((s) => s.id === cheapest)?.label ?? null,
    current_unconfirmed_pct: per[a.strategy] ? pct(per[a.strategy]!.unconfirmed_commit_rate) : null,
  };
}
