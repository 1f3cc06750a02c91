/**
 * MT-2 checkout view: the extras reader and the derived state the room sees — the saga's
 * compensation chain (in reverse), 2PC blocking, the charge ↔ local record uncertainty
 * window and reconciliation repairs. Fixtures follow the checkout model's extras and
 * evidence (src-main/engine/models/checkout).
 */
import { describe, expect, it } from 'vitest';
import type { TimelineRecord } from '../../src-shared/timeline/records';
import {
  fmtDuration,
  lastBlock,
  paymentStory,
  providerChargeAt,
  readCheckoutExtras,
  recentRepairs,
  sagaChain,
  twoPcView,
  uncertainPayments,
} from '../../src-renderer/lib/views/checkout-state';

const svc = (id: string, node: string, o: Record<string, unknown> = {}) => ({ id, node, up: true, crashed: false, armed: null, locks_held: 0, blocked_ms: 0, in_doubt: 0, consumer_lag: null, ...o });

function extras(o: { services?: Record<string, Record<string, unknown>>; checkouts?: unknown[]; strategy?: string; open?: unknown[] } = {}) {
  const base: [string, string][] = [
    ['order', 'order-1'],
    ['inventory', 'inventory-1'],
    ['payment', 'payment-1'],
    ['coordinator', 'coord-1'],
    ['log', 'log-1'],
    ['provider', 'provider-1'],
    ['storefront', 'web-1'],
  ];
  return {
    strategy: o.strategy ?? 'saga',
    idempotency_keys: true,
    services: base.map(([id, node]) => svc(id, node, o.services?.[id] ?? {})),
    provider: { node: 'provider-1', live_charges: 3, dedups: 0, latency_ms: 190, decline_next: false },
    log: null,
    reconciliation: { runs: 2, last_run_ms: 20000, open: o.open ?? [], repairs: 0 },
    checkouts: o.checkouts ?? [],
  } as never;
}

let seq = 0;
function ev(t_ms: number, node: string, detail: Record<string, unknown>, type = 'ack'): TimelineRecord {
  return { kind: 'evidence', seq: seq++, t_ms, type, scope: 'coordinator', node, detail } as TimelineRecord;
}

describe('MT-2 extras', () => {
  it('reads services, provider, reconciliation and checkouts; tolerates junk', () => {
    const x = readCheckoutExtras(
      extras({
        services: { coordinator: { up: false, crashed: true } },
        checkouts: [
          { cid: 'c1', t_ms: 100, status: 'pending', reason: '', saga: { step: 3, state: 'running', committed: ['create-order'], compensated: [], charge_unknown: false }, tx: null, locks: [], blocked_ms: 0, payment: 'intent', charges: 1, live_charges: 1, orphan: false },
          7,
          { cid: '' },
        ],
      }),
    );
    expect(x.strategy).toBe('saga');
    expect(x.services.get('coordinator')).toMatchObject({ up: false, crashed: true });
    expect(x.checkouts).toHaveLength(1);
    expect(x.checkouts[0]!.saga).toMatchObject({ step: 3, committed: ['create-order'] });
    expect(x.provider.liveCharges).toBe(3);
    expect(readCheckoutExtras(null).services.size).toBe(0);
  });
});

describe('MT-2 saga chain', () => {
  it('declined card: the forward steps, then the compensations in reverse order, from evidence', () => {
    const recs = [
      ev(1000, 'coord-1', { saga: 'c20', step: 'create-order', outcome: 'ok' }),
      ev(1010, 'coord-1', { saga: 'c20', step: 'reserve-inventory', outcome: 'ok' }),
      ev(1200, 'coord-1', { saga: 'c20', step: 'charge-payment', outcome: 'declined' }),
      ev(1210, 'coord-1', { saga: 'c20', compensation: 'release-inventory', compensates: 'reserve-inventory', chain_position: 1, outcome: 'ok', follows: 2 }),
      ev(1220, 'order-1', { saga: 'c20', compensation: 'cancel-order', reason: 'declined' }),
      ev(1221, 'coord-1', { saga: 'c20', compensation: 'cancel-order', compensates: 'create-order', chain_position: 2, outcome: 'ok', follows: 3 }),
      ev(1300, 'coord-1', { saga: 'c21', step: 'create-order', outcome: 'ok' }),
    ];
    const c = sagaChain(recs)!;
    expect(c.saga).toBe('c20');
    expect(c.steps.map((s) => [s.name, s.state])).toEqual([
      ['create-order', 'ok'],
      ['reserve-inventory', 'ok'],
      ['charge-payment', 'failed'],
    ]);
    expect(c.reason).toBe('declined');
    expect(c.comps.map((k) => [k.position, k.name, k.compensates, k.done])).toEqual([
      [1, 'release-inventory', 'reserve-inventory', true],
      [2, 'cancel-order', 'create-order', true],
    ]);
    expect([c.from_ms, c.to_ms]).toEqual([1210, 1221]);
  });

  it('a saga compensating now (extras) shows the pending links', () => {
    const live = readCheckoutExtras(
      extras({
        checkouts: [{ cid: 'c9', t_ms: 0, status: 'pending', reason: 'declined', saga: { step: 0, state: 'compensating', committed: ['create-order', 'reserve-inventory'], compensated: ['reserve-inventory'], charge_unknown: false }, tx: null, locks: [], payment: 'declined' }],
      }),
    ).checkouts;
    const c = sagaChain([ev(5, 'coord-1', { saga: 'c9', step: 'charge-payment', outcome: 'declined' })], live)!;
    expect(c.saga).toBe('c9');
    expect(c.comps.map((k) => [k.name, k.done])).toEqual([
      ['release-inventory', true],
      ['cancel-order', false],
    ]);
  });

  it('an unknown charge outcome is not a failure', () => {
    const c = sagaChain([
      ev(1, 'coord-1', { saga: 'c3', step: 'create-order', outcome: 'ok' }),
      ev(2, 'coord-1', { saga: 'c3', step: 'charge-payment', outcome: 'timeout' }),
      ev(3, 'coord-1', { saga: 'c3', compensation: 'cancel-order', compensates: 'create-order', chain_position: 1 }),
    ])!;
    expect(c.steps.map((s) => s.state)).toEqual(['ok', 'failed']);
    expect(sagaChain([ev(1, 'coord-1', { saga: 'c4', step: 'create-order', outcome: 'ok' })])).toBeNull();
  });
});

describe('MT-2 2PC', () => {
  const tx = (o: Record<string, unknown>) => ({ cid: 'c54', t_ms: 21900, status: 'pending', reason: '', saga: null, tx: { decision: 'none', votes: { 'order-1': true, 'inventory-1': true, 'payment-1': true }, done: [] }, locks: ['order', 'inventory', 'payment'], blocked_ms: 8096, payment: 'authorized', ...o });

  it('coordinator crashed after prepare: blocked, every participant voted yes and holds its lock', () => {
    const x = readCheckoutExtras(extras({ strategy: '2pc', services: { coordinator: { up: false }, order: { locks_held: 1, blocked_ms: 8096, in_doubt: 1 } }, checkouts: [tx({})] }));
    const v = twoPcView(x, 2000);
    expect(v).toMatchObject({ cid: 'c54', phase: 'blocked', decision: 'none', coordinatorUp: false, blockedMs: 8096, lockedTxs: 1 });
    expect(v.participants.map((p) => [p.id, p.vote, p.holdsLock])).toEqual([
      ['order', 'yes', true],
      ['inventory', 'yes', true],
      ['payment', 'yes', true],
    ]);
    expect(v.participants[0]!.inDoubt).toBe(true);
  });

  it('preparing, decided and idle', () => {
    expect(twoPcView(readCheckoutExtras(extras({ checkouts: [tx({ blocked_ms: 100 })] })), 2000).phase).toBe('prepare');
    expect(twoPcView(readCheckoutExtras(extras({ checkouts: [tx({ tx: { decision: 'commit', votes: {}, done: [] } })] })), 2000).phase).toBe('decided');
    expect(twoPcView(readCheckoutExtras(extras()), 2000)).toMatchObject({ phase: 'idle', cid: null, blockedMs: 0 });
  });

  it('remembers the last long block from the participants’ acks', () => {
    const recs = [ev(31000, 'order-1', { tx: 'c1', applied: 'commit', locks_held_ms: 30100 }), ev(31001, 'inventory-1', { tx: 'c1', applied: 'commit', locks_held_ms: 30150 }), ev(32000, 'order-1', { tx: 'c2', applied: 'commit', locks_held_ms: 12 })];
    expect(lastBlock(recs)).toEqual({ tx: 'c1', heldMs: 30150, decision: 'commit', t_ms: 31001 });
    expect(lastBlock(recs.slice(2))).toBeNull();
  });
});

describe('MT-2 uncertainty window and reconciliation', () => {
  const charged = [
    ev(1013, 'provider-1', { op: 'charge', cid: 'c1', key: 'c1/charge', result: 'charged', charge: 'ch1' }),
    ev(1050, 'payment-1', { process: 'crashed', point: 'after the provider charged c1 (ch1), before the local record', restart_in_ms: 30000 }, 'version'),
  ];
  const repaired = [
    ev(20238, 'provider-1', { op: 'refund', cid: 'c1', charge: 'ch1', why: 'reconciliation' }),
    ev(20277, 'order-1', { repair: 'refund', cid: 'c1', charge: 'ch1', reason: 'order failed (payment unknown)', detected_ms: 20077, refunded: true }, 'merge'),
    ev(31247, 'payment-1', { cid: 'c1', record: 'charged', op: 'charge', key: 'c1/charge', charge: 'ch1' }, 'fsync'),
  ];

  it('lists payments in doubt: charged by the provider, no local record', () => {
    const x = readCheckoutExtras(
      extras({
        services: { payment: { up: false, in_doubt: 1 } },
        checkouts: [
          { cid: 'c1', t_ms: 844, status: 'pending', payment: 'intent', charges: 1, live_charges: 1, orphan: false, locks: [] },
          { cid: 'c2', t_ms: 900, status: 'completed', payment: 'charged', charges: 1, live_charges: 1, orphan: false, locks: [] },
        ],
      }),
    );
    expect(uncertainPayments(x)).toEqual([{ cid: 'c1', since_ms: 844, charged: true, orphan: false, paymentRecord: 'intent' }]);
    expect(providerChargeAt(charged, 'c1')).toBe(1013);
  });

  it('tells the story: charged → crashed → in doubt → orphan → refunded by reconciliation', () => {
    expect(paymentStory(charged, 'c1')).toMatchObject({ cid: 'c1', charged_ms: 1013, charge: 'ch1', crashed_ms: 1050, recorded_ms: null, stage: 'in-doubt' });
    expect(paymentStory(charged, 'c1', ['c1'])!.stage).toBe('orphan');
    const s = paymentStory([...charged, ...repaired])!;
    expect(s).toMatchObject({ cid: 'c1', detected_ms: 20077, repaired_ms: 20277, recorded_ms: 31247, stage: 'repaired' });
    expect(paymentStory([])).toBeNull();
    expect(recentRepairs([...charged, ...repaired])).toEqual([{ cid: 'c1', charge: 'ch1', reason: 'order failed (payment unknown)', detected_ms: 20077, t_ms: 20277, refunded: true }]);
  });

  it('formats durations for the room', () => {
    expect(fmtDuration(8096)).toBe('8.1 s');
    expect(fmtDuration(65_000)).toBe('1 min 05 s');
    expect(fmtDuration(-1)).toBe('—');
  });
});
