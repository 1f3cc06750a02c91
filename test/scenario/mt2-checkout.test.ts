import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioDir, parseFaultScript } from '../../src-main/scenarios/scenario-store';
import { Simulation } from '../../src-main/engine/simulation';
import { getModel } from '../../src-main/engine/models';
import { parseGVector } from '../../src-shared/gvector';
import type { EvidenceRecord, GVectorRecord, InvariantRecord, ModeRecord, TimelineRecord } from '../../src-shared/timeline/records';

const spec = loadScenarioDir('scenarios').get('mt2-checkout-transactions');
const SCRIPT = (name: string) => readFileSync(`scenarios/scripts/mt2-${name}.yaml`, 'utf8');

function run(opts: { strategy: string; script?: string; until_ms: number; seed?: number }): Simulation {
  const sim = new Simulation(spec, getModel(spec.model), { strategy: opts.strategy, seed: opts.seed ?? 1, actions: opts.script ? parseFaultScript(opts.script, spec) : [] });
  sim.runUntil(opts.until_ms);
  expect(sim.error).toBeNull();
  return sim;
}

const evidence = (sim: Simulation, type: string, pred: (e: EvidenceRecord) => boolean = () => true) =>
  sim.timeline.filter((r): r is EvidenceRecord => r.kind === 'evidence' && r.type === type && pred(r));
const modes = (sim: Simulation, scope: string) => sim.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.scope === scope);
const violations = (sim: Simulation, id: string) => sim.timeline.filter((r): r is InvariantRecord => r.kind === 'invariant' && r.invariant === id);
const num = (sim: Simulation, path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], sim.metrics()) as number;

describe('MT-2 scenario file', () => {
  it('declares the services, the strategies, the seed invariants and the crash points', () => {
    expect(spec.title).toBe('Checkout across microservices');
    expect(spec.test).toBe('MT-2');
    expect(spec.distance).toBe('medium');
    expect(spec.impossibility).toEqual(['FLP', 'CAP', 'Two Generals']);
    expect(spec.groups.map((g) => g.id)).toEqual(['storefront', 'coordinator', 'log', 'order', 'inventory', 'payment', 'provider']);
    expect(spec.strategies.map((s) => s.id)).toEqual(['saga', 'saga-no-idem', '2pc', 'event-sourcing']);
    expect(spec.invariants.map((i) => i.id)).toEqual(['no-double-charge', 'no-charge-without-order', 'repair-within-bound', 'no-lost-inventory', 'orders-resolve']);
    expect(spec.questions).toHaveLength(5);
    expect(getModel('checkout').byzantineBehaviors).toEqual(['crash-after-charge', 'crash-after-prepare', 'crash-after-decision', 'decline-next']);
    // the seed's claimed G-vectors, per strategy, in Target
    const claim = (s: string) => spec.strategies.find((x) => x.id === s)!.claims.Target;
    expect(claim('saga')).toBe('⟨Transaction, Causal, SI, EO, Idem(saga_id), Auth⟩');
    expect(claim('2pc')).toBe('⟨Transaction, SS, SER, Fresh(coordinator_log), Idem(tx_id), Auth⟩');
    expect(claim('event-sourcing')).toBe('⟨Global, Causal, RA, EO, Idem(event_id), Auth⟩');
  });

  it.each(['saga', '2pc', 'event-sourcing'])('%s: a healthy run completes orders, breaks no invariant and stays in Target', (strategy) => {
    const sim = run({ strategy, until_ms: 60_000 });
    expect(num(sim, 'orders_completed')).toBeGreaterThan(80);
    expect(num(sim, 'double_charges')).toBe(0);
    expect(num(sim, 'orphaned_payments')).toBe(0);
    expect(Object.values(sim.violations()).every((v) => v === 0)).toBe(true);
    expect(sim.timeline.filter((r) => r.kind === 'mode')).toEqual([]);
    expect(sim.timeline.filter((r) => r.kind === 'claim')).toEqual([]);
    const st = num(sim, 'stock.available') + num(sim, 'stock.reserved') + num(sim, 'stock.sold');
    expect(st).toBe(spec.parameters.initial_stock);
  });
});

describe('MT-2 demo 1: saga, payment declined → compensations in reverse order', () => {
  const sim = run({ strategy: 'saga', script: SCRIPT('saga-decline'), until_ms: 20_000 });

  it('the declined charge is followed by release-inventory then cancel-order, each acknowledged, all citing one saga', () => {
    const declined = evidence(sim, 'ack', (e) => e.scope === 'provider' && e.detail?.result === 'declined' && e.t_ms >= 10_000)[0]!;
    expect(declined).toBeDefined();
    const cid = declined.detail!.cid as string;
    const chain = evidence(sim, 'ack', (e) => e.scope === 'coordinator' && e.detail?.saga === cid);
    expect(chain.map((e) => e.detail!.step ?? e.detail!.compensation)).toEqual(['create-order', 'reserve-inventory', 'charge-payment', 'release-inventory', 'cancel-order']);
    expect(chain[2]!.detail!.outcome).toBe('declined');
    expect(chain.slice(3).map((e) => e.detail!.chain_position)).toEqual([1, 2]);
    // each compensation cites the record before it: declined step ← release ← cancel
    expect(chain[3]!.detail!.follows).toBe(chain[2]!.seq);
    expect(chain[4]!.detail!.follows).toBe(chain[3]!.seq);
    expect(chain[3]!.t_ms).toBeGreaterThan(declined.t_ms);
    expect(chain[4]!.t_ms).toBeGreaterThan(chain[3]!.t_ms);
    expect(sim.violations()['no-lost-inventory']).toBe(0);
    expect(num(sim, 'orders_compensated')).toBeGreaterThanOrEqual(1);
  });
});

describe('MT-2 demo 2: crash the payment service between the provider charge and the local record', () => {
  const sim = run({ strategy: 'saga', script: SCRIPT('crash-after-charge'), until_ms: 120_000 });
  const crash = evidence(sim, 'version', (e) => e.detail?.process === 'crashed')[0]!;

  it('the crash happens right after a real charge, and the orchestrator is in doubt (Degraded) while it retries', () => {
    expect(crash.node).toBe('payment-1');
    const cid = String(crash.detail!.point).match(/charged (c\d+)/)![1]!;
    const charge = evidence(sim, 'ack', (e) => e.scope === 'provider' && e.detail?.cid === cid && e.detail?.result === 'charged')[0]!;
    expect(charge.t_ms).toBeLessThanOrEqual(crash.t_ms);
    const deg = modes(sim, 'coordinator').find((m) => m.to === 'Degraded')!;
    expect(deg.t_ms).toBeGreaterThan(crash.t_ms);
    expect(deg.reason).toContain('in_doubt > 0');
    // the charge step times out; the saga compensates what it knows about, not the charge
    const timeout = evidence(sim, 'ack', (e) => e.detail?.saga === cid && e.detail?.outcome === 'timeout')[0]!;
    expect(timeout).toBeDefined();
    const comps = evidence(sim, 'ack', (e) => e.scope === 'coordinator' && e.detail?.saga === cid && e.detail?.compensation !== undefined);
    expect(comps.map((e) => e.detail!.compensation)).toEqual(['release-inventory', 'cancel-order']);
  });

  it('the orphaned payment is flagged, found by reconciliation and refunded within the bound; no double charge', () => {
    const orphan = violations(sim, 'no-charge-without-order');
    expect(orphan).toHaveLength(1);
    const cid = orphan[0]!.text.split(':')[0]!;
    const repair = evidence(sim, 'merge', (e) => e.detail?.cid === cid)[0]!;
    expect(repair.detail!.repair).toBe('refund');
    expect(repair.t_ms - orphan[0]!.t_ms).toBeLessThanOrEqual(spec.parameters.repair_bound_ms as number);
    expect(modes(sim, 'order').map((m) => m.to)).toEqual(['Recovery', 'Target']);
    expect(num(sim, 'reconciliation_repairs')).toBe(1);
    expect(num(sim, 'time_to_repair_ms.max')).toBeLessThanOrEqual(30_000);
    expect(num(sim, 'orphaned_payments')).toBe(0);
    expect(num(sim, 'double_charges')).toBe(0);
    expect(sim.violations()['no-double-charge']).toBe(0);
    expect(sim.violations()['repair-within-bound']).toBe(0);
  });

  it('on restart the payment service re-drives its open intent: the provider replays it by key (Idem observed)', () => {
    const redrive = evidence(sim, 'version', (e) => e.detail?.state === 'in-doubt')[0]!;
    expect(redrive.t_ms).toBeGreaterThan(crash.t_ms + 29_000);
    const replay = evidence(sim, 'ack', (e) => e.scope === 'provider' && e.detail?.dedup === true)[0]!;
    expect(replay.detail!.cid).toBe(redrive.detail!.cid);
    expect(num(sim, 'provider_dedups')).toBeGreaterThanOrEqual(1);
    const g = sim.scopeViews().find((v) => v.id === 'payment')!;
    expect(parseGVector(g.observed).idempotence).toEqual({ kind: 'Idem', keys: ['saga_id'] });
  });

  it('without idempotency keys the same crash charges the customer twice (then reconciliation refunds it)', () => {
    const bad = run({ strategy: 'saga-no-idem', script: SCRIPT('crash-after-charge'), until_ms: 120_000 });
    expect(num(bad, 'double_charges')).toBe(1);
    expect(violations(bad, 'no-double-charge')).toHaveLength(1);
    expect(num(bad, 'orphaned_payments')).toBe(0);
    expect(num(bad, 'reconciliation_repairs')).toBe(2);
    const broken = bad.timeline.find((r) => r.kind === 'claim' && r.scope === 'payment' && r.status === 'broken' && r.components.includes('idempotence'));
    expect(broken).toBeDefined();
    expect(parseGVector(bad.scopeViews().find((v) => v.id === 'payment')!.observed).idempotence).toEqual({ kind: 'None' });
  });
});

describe('MT-2 demo 3 and saga vs 2PC under a coordinator crash', () => {
  const twoPc = run({ strategy: '2pc', script: SCRIPT('2pc-coordinator-crash'), until_ms: 70_000 });
  const saga = run({ strategy: 'saga', script: SCRIPT('2pc-coordinator-crash'), until_ms: 70_000 });

  it('2PC: every participant voted YES, no decision is logged, locks are held and blocked_ms grows to Floor', () => {
    const crash = evidence(twoPc, 'version', (e) => e.detail?.process === 'crashed')[0]!;
    const cid = String(crash.detail!.point).split(' ').find((w) => /^c\d+;?$/.test(w))!.replace(';', '');
    const votes = evidence(twoPc, 'vote', (e) => e.detail?.tx === cid);
    expect(votes.map((v) => v.detail!.vote)).toEqual(['yes', 'yes', 'yes']);
    expect(evidence(twoPc, 'fsync', (e) => e.detail?.tx === cid && e.t_ms < crash.t_ms + 29_000)).toEqual([]);
    for (const scope of ['order', 'inventory', 'payment']) {
      const probes = evidence(twoPc, 'probe', (e) => e.scope === scope && e.detail?.gauge === 'blocked_ms' && e.t_ms > crash.t_ms && e.t_ms < crash.t_ms + 30_000).map((e) => Number(e.detail!.value));
      expect(probes).toEqual([...probes].sort((a, b) => a - b)); // growing
      expect(Math.max(...probes)).toBeGreaterThanOrEqual(20_000);
      const path = modes(twoPc, scope).map((m) => m.to);
      expect(path.slice(0, 2)).toEqual(['Degraded', 'Floor']);
      const floor = modes(twoPc, scope).find((m) => m.to === 'Floor')!;
      expect(floor.evidence.map((s) => (twoPc.timeline[s] as EvidenceRecord).detail!.gauge)).toEqual(['blocked_ms']);
    }
  });

  it('2PC: the restarted coordinator presumes abort from its log and releases every lock', () => {
    const abort = evidence(twoPc, 'fsync', (e) => e.detail?.decision === 'abort' && e.detail?.recovered === true);
    expect(abort).toHaveLength(1);
    expect(num(twoPc, 'blocked_ms')).toBeGreaterThanOrEqual(29_000);
    expect(num(twoPc, 'locks_held')).toBeLessThanOrEqual(3);
    expect(modes(twoPc, 'order').map((m) => m.to).slice(-1)).toEqual(['Target']);
    expect(twoPc.requirementViews().find((r) => r.id === 'not-blocked')!.met).toBe(false);
    const fresh = twoPc.timeline.filter((r): r is GVectorRecord => r.kind === 'gvector' && r.scope === 'inventory' && r.changed.includes('recency'));
    expect(fresh.map((r) => parseGVector(r.observed).recency.kind)).toContain('EO');
  });

  it('saga: the same crash blocks nobody; the order service cancels and compensates after its deadline', () => {
    expect(num(saga, 'blocked_ms')).toBe(0);
    // Floor here means "cut off from the orchestrator" (missed heartbeats), never "blocked"
    const floors = saga.timeline.filter((r): r is ModeRecord => r.kind === 'mode' && r.to === 'Floor');
    for (const f of floors) expect(f.evidence.every((s) => (saga.timeline[s] as EvidenceRecord).type === 'heartbeat-missed')).toBe(true);
    expect(evidence(saga, 'probe', (e) => e.detail?.gauge === 'blocked_ms' && Number(e.detail.value) > 0)).toEqual([]);
    const cancel = evidence(saga, 'ack', (e) => e.scope === 'order' && e.detail?.by === 'order service');
    expect(cancel.length).toBeGreaterThanOrEqual(1);
    expect(saga.violations()['orders-resolve']).toBe(0);
    expect(saga.violations()['no-lost-inventory']).toBe(0);
  });

  it('kill @leader (a real kill, restarted at 80 s): 2PC participants block for ~58 s; the saga compensates instead', () => {
    const k2pc = run({ strategy: '2pc', script: SCRIPT('kill-coordinator'), until_ms: 100_000 });
    const fault = k2pc.timeline.find((r): r is Extract<TimelineRecord, { kind: 'fault' }> => r.kind === 'fault')!;
    expect(fault.action).toEqual({ do: 'kill', node: 'coord-1' });
    expect(num(k2pc, 'blocked_ms')).toBeGreaterThan(50_000);
    expect(modes(k2pc, 'inventory').map((m) => m.to)).toContain('Floor');
    const abort = evidence(k2pc, 'fsync', (e) => e.detail?.recovered === true)[0]!;
    expect(abort.t_ms).toBeGreaterThanOrEqual(80_000); // undecided until the coordinator is back
    expect(num(k2pc, 'locks_held')).toBe(0); // released after the restart (presumed abort)
    const kSaga = run({ strategy: 'saga', script: SCRIPT('kill-coordinator'), until_ms: 100_000 });
    expect(num(kSaga, 'blocked_ms')).toBe(0);
    expect(kSaga.violations()['orders-resolve']).toBe(0);
    expect(evidence(kSaga, 'ack', (e) => e.detail?.by === 'order service').length).toBeGreaterThanOrEqual(1);
    expect(num(kSaga, 'orphaned_payments')).toBe(0);
    expect(kSaga.violations()['repair-within-bound']).toBe(0);
  });
});

describe('MT-2 slow provider', () => {
  it('with idempotency keys, retries are replayed (no double charge); without them each retry is a new charge', () => {
    const good = run({ strategy: 'saga', script: SCRIPT('slow-provider'), until_ms: 100_000 });
    const bad = run({ strategy: 'saga-no-idem', script: SCRIPT('slow-provider'), until_ms: 100_000 });
    expect(modes(good, 'payment')[0]!.to).toBe('Degraded');
    expect(num(good, 'double_charges')).toBe(0);
    expect(num(good, 'provider_dedups')).toBeGreaterThan(10);
    expect(num(bad, 'double_charges')).toBeGreaterThan(10);
    for (const sim of [good, bad]) {
      expect(num(sim, 'orphaned_payments')).toBe(0);
      expect(sim.violations()['repair-within-bound']).toBe(0);
    }
  });
});

describe('MT-2 determinism', () => {
  it('same seed and script ⇒ same digest; another seed ⇒ another digest', () => {
    const a = run({ strategy: '2pc', script: SCRIPT('2pc-coordinator-crash'), until_ms: 40_000, seed: 7 }).digest();
    const b = run({ strategy: '2pc', script: SCRIPT('2pc-coordinator-crash'), until_ms: 40_000, seed: 7 }).digest();
    const c = run({ strategy: '2pc', script: SCRIPT('2pc-coordinator-crash'), until_ms: 40_000, seed: 8 }).digest();
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('seeking back through a checkpoint reproduces the timeline', () => {
    const sim = run({ strategy: 'saga', script: SCRIPT('crash-after-charge'), until_ms: 60_000, seed: 3 });
    const fresh = run({ strategy: 'saga', script: SCRIPT('crash-after-charge'), until_ms: 35_500, seed: 3 });
    sim.seek(35_500);
    expect(sim.digest()).toBe(fresh.digest());
  });

  it('draws services, the provider and in-flight checkouts with their saga / 2PC state', () => {
    const sim = run({ strategy: '2pc', script: SCRIPT('2pc-coordinator-crash'), until_ms: 30_000 });
    const x = sim.viewExtras() as Record<string, unknown>;
    expect((x.services as { id: string }[]).map((s) => s.id)).toContain('payment');
    expect(x.provider).toBeDefined();
    const blocked = (x.checkouts as { locks: string[]; blocked_ms: number; tx: unknown }[]).find((c) => c.locks.length === 3)!;
    expect(blocked.blocked_ms).toBeGreaterThan(5_000);
    expect(blocked.tx).toMatchObject({ decision: 'none' });
  });
});
