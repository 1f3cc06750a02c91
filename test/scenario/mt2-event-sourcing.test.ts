import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioDir, parseFaultScript } from '../../src-main/scenarios/scenario-store';
import { Simulation } from '../../src-main/engine/simulation';
import { getModel } from '../../src-main/engine/models';
import type { EvidenceRecord, ModeRecord } from '../../src-shared/timeline/records';

const spec = loadScenarioDir('scenarios').get('mt2-checkout-transactions');

function run(script: string | null, until_ms: number, strategy = 'event-sourcing'): Simulation {
  const sim = new Simulation(spec, getModel(spec.model), { strategy, seed: 1, actions: script ? parseFaultScript(script, spec) : [] });
  sim.runUntil(until_ms);
  expect(sim.error).toBeNull();
  return sim;
}
const metric = (sim: Simulation, k: string) => sim.metrics()[k] as number;

describe('MT-2 event sourcing under a partition of the log', () => {
  const sim = run(readFileSync('scenarios/scripts/mt2-log-partition.yaml', 'utf8'), 120_000);

  it('consumers lag behind during the partition (Degraded at the log, citing the lag probe)', () => {
    const deg = sim.timeline.find((r): r is ModeRecord => r.kind === 'mode' && r.scope === 'log' && r.to === 'Degraded')!;
    expect(deg.t_ms).toBeGreaterThan(20_000);
    expect(deg.t_ms).toBeLessThan(50_000);
    const cited = sim.timeline[deg.evidence[0]!] as EvidenceRecord;
    expect(cited.detail).toMatchObject({ gauge: 'consumer_lag' });
    expect(Number(cited.detail!.value)).toBeGreaterThanOrEqual(20);
    // inventory hears nothing from the log: heartbeats missed, its Scope falls to Local
    const missed = sim.timeline.filter((r) => r.kind === 'evidence' && r.type === 'heartbeat-missed' && r.scope === 'inventory' && r.t_ms > 20_000 && r.t_ms < 51_000);
    expect(missed.length).toBeGreaterThan(20);
    const local = sim.timeline.find((r) => r.kind === 'gvector' && r.scope === 'inventory' && r.observed.startsWith('⟨Local'));
    expect(local).toBeDefined();
  });

  it('after the heal each consumer catches up from its committed offset, and nothing is lost', () => {
    const catchUp = sim.timeline.filter((r): r is EvidenceRecord => r.kind === 'evidence' && r.type === 'catch-up');
    expect(catchUp.length).toBeGreaterThanOrEqual(1);
    expect(catchUp.every((e) => e.t_ms > 50_000)).toBe(true);
    expect(catchUp.every((e) => Number(e.detail!.to_offset) > Number(e.detail!.from_offset))).toBe(true);
    const back = sim.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.scope === 'log').map((m) => m.to);
    expect(back[back.length - 1]).toBe('Target');
    expect(metric(sim, 'orders_pending')).toBeLessThanOrEqual(3);
    expect(metric(sim, 'orders_completed') + metric(sim, 'orders_failed') + metric(sim, 'orders_pending')).toBe(metric(sim, 'orders_started'));
    expect(metric(sim, 'double_charges')).toBe(0);
    expect(metric(sim, 'orphaned_payments')).toBe(0);
    expect(sim.violations()).toMatchObject({ 'no-double-charge': 0, 'no-charge-without-order': 0, 'no-lost-inventory': 0, 'orders-resolve': 0 });
    const stock = sim.metrics().stock as Record<string, number>;
    expect(stock.available! + stock.reserved! + stock.sold!).toBe(spec.parameters.initial_stock);
  });

  it('the payment consumer crashed after a charge re-reads the event from its offset: the provider replays by key', () => {
    const crash = run('actions:\n  - { at: 20s, do: byzantine, node: payment-1, behavior: crash-after-charge }\n', 90_000);
    expect(metric(crash, 'double_charges')).toBe(0);
    expect(metric(crash, 'provider_dedups')).toBeGreaterThanOrEqual(1);
    const noIdemSpec = { ...spec, strategies: spec.strategies.map((s) => (s.id === 'event-sourcing' ? { ...s, params: { ...s.params, idempotency_keys: false } } : s)) };
    const bad = new Simulation(noIdemSpec, getModel(spec.model), { strategy: 'event-sourcing', seed: 1, actions: parseFaultScript('actions:\n  - { at: 20s, do: byzantine, node: payment-1, behavior: crash-after-charge }\n', spec) });
    bad.runUntil(90_000);
    expect(metric(bad, 'double_charges')).toBe(1);
  });
});
