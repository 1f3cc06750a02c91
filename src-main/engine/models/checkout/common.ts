/**
 * Helpers shared by the three strategies: liveness of a process (real kills and the
 * emulated crash points), gauges recorded as `probe` evidence, and the omniscient
 * ledger that monitors charges, orders and stock per checkout.
 */
import type { EvidenceDetail, ModelContext } from '../../model-api';
import { record as hrecord } from '../../histogram';
import type { EvidenceType } from '../../../../src-shared/timeline/records';
import { GAUGES, SCOPE_OF, type CheckoutState, type LedgerRec, type OrderStatus } from './state';

export type Ctx = ModelContext;
export type S = CheckoutState;

export function num(ctx: Ctx, name: string): number {
  return ctx.param<number>(name);
}

/** Up for the engine and not inside an emulated crash. */
export function alive(s: S, ctx: Ctx, node: string): boolean {
  return ctx.isUp(node) && s.emuDown[node] === undefined;
}

export function ev(ctx: Ctx, type: EvidenceType, node: string, detail: EvidenceDetail, peer?: string, scope?: string): number {
  return ctx.evidence(type, scope ?? SCOPE_OF[node]!, node, peer ? { peer, detail } : { detail });
}

/**
 * Records a gauge as a probe when its value changed (or always, with `force`). The
 * evidence index keeps the last 32 probes per scope; mode triggers read every gauge, so
 * after 24 probes a scope restates all its gauges (each stays readable by the triggers).
 */
export function gauge(s: S, ctx: Ctx, scope: string, node: string, name: string, value: number, force = false): void {
  const key = `${scope}|${name}`;
  if (!force && s.gauges[key] === value) return;
  s.gauges[key] = value;
  s.gaugeEv[key] = ctx.evidence('probe', scope, node, { detail: { gauge: name, value } });
  const ck = `${scope}|#probes`;
  s.gauges[ck] = (s.gauges[ck] ?? 0) + 1;
  if (s.gauges[ck]! < 24) return;
  s.gauges[ck] = 0;
  for (const g of GAUGES) {
    if (g === name) continue;
    const k = `${scope}|${g}`;
    s.gaugeEv[k] = ctx.evidence('probe', scope, node, { detail: { gauge: g, value: s.gauges[k] ?? 0, restated: true } });
  }
}

/** The largest value of the 1-2-5 series not above ms (a blocked time of 5.9 s reads 5000). */
export function floor125(ms: number): number {
  if (ms < 1) return 0;
  const mag = 10 ** Math.floor(Math.log10(ms));
  for (const step of [5, 2, 1]) if (ms >= step * mag) return step * mag;
  return mag;
}

export function gaugeOf(s: S, scope: string, name: string): number {
  return s.gauges[`${scope}|${name}`] ?? 0;
}

export function gaugeSeq(s: S, scope: string, name: string): number[] {
  const q = s.gaugeEv[`${scope}|${name}`];
  return q === undefined ? [] : [q];
}

// ---- the ledger (monitors) ------------------------------------------------------------

export function ledger(s: S, cid: string): LedgerRec | undefined {
  return s.ledger[cid];
}

export function ledgerOpen(s: S, ctx: Ctx, cid: string): void {
  if (s.ledger[cid]) return;
  s.stats.started += 1;
  s.ledger[cid] = {
    created_ms: ctx.now_ms,
    status: 'pending',
    resolved_ms: 0,
    charges: 0,
    live: 0,
    held: false,
    sold: false,
    orphanSince: null,
    dupSince: null,
    reported: [],
    compensations: 0,
    reason: '',
  };
}

function once(l: LedgerRec, what: string): boolean {
  if (l.reported.includes(what)) return false;
  l.reported.push(what);
  return true;
}

/** Re-evaluates the strong-form invariants of one order after any change. */
export function ledgerCheck(s: S, ctx: Ctx, cid: string, evidence: number[]): void {
  const l = s.ledger[cid];
  if (!l) return;
  // Charge without an order: a live charge on an order that failed (or does not exist).
  const orphan = l.live > 0 && l.status === 'failed';
  if (orphan && l.orphanSince === null) {
    l.orphanSince = ctx.now_ms;
    if (once(l, 'orphan')) {
      ctx.violation('no-charge-without-order', `${cid}: customer charged (${l.live} live charge${l.live > 1 ? 's' : ''}) but the order ${l.reason ? `failed (${l.reason})` : 'failed'}; reconciliation must repair it`, evidence);
    }
  } else if (!orphan && l.orphanSince !== null) {
    record(s, ctx, l.orphanSince);
    l.orphanSince = null;
  }
  const dup = l.live > 1 && l.status !== 'failed';
  if (dup && l.dupSince === null) l.dupSince = ctx.now_ms;
  else if (!dup && l.dupSince !== null) {
    record(s, ctx, l.dupSince);
    l.dupSince = null;
  }
}

/** Time from the moment the strong form broke to the moment it held again. */
function record(s: S, ctx: Ctx, since: number): void {
  hrecord(s.stats.repairTimes, ctx.now_ms - since);
}

export function ledgerCharge(s: S, ctx: Ctx, cid: string, evSeq: number): void {
  ledgerOpen(s, ctx, cid);
  const l = s.ledger[cid]!;
  l.charges += 1;
  l.live += 1;
  if (l.charges > 1) {
    s.stats.doubleCharges += 1;
    s.provider.lastDoubleEv = evSeq;
    if (once(l, 'double')) ctx.violation('no-double-charge', `${cid}: the provider charged the customer ${l.charges} times for one order`, [evSeq]);
  }
  ledgerCheck(s, ctx, cid, [evSeq]);
}

export function ledgerRefund(s: S, ctx: Ctx, cid: string, evSeq: number): void {
  const l = s.ledger[cid];
  if (!l) return;
  l.live = Math.max(0, l.live - 1);
  ledgerCheck(s, ctx, cid, [evSeq]);
}

export function ledgerResolve(s: S, ctx: Ctx, cid: string, status: OrderStatus, reason: string, evSeq: number): void {
  const l = s.ledger[cid];
  if (!l || l.status !== 'pending') return;
  l.status = status;
  l.reason = reason;
  l.resolved_ms = ctx.now_ms;
  if (status === 'completed') {
    s.stats.completed += 1;
    hrecord(s.stats.latencies, ctx.now_ms - l.created_ms);
  } else s.stats.failed += 1;
  ledgerCheck(s, ctx, cid, [evSeq]);
}

// ---- local stores shared by the strategies ---------------------------------------------

/** Order service: create (idempotent by cid). */
export function orderCreate(s: S, ctx: Ctx, cid: string): void {
  if (s.orders[cid]) return;
  s.orders[cid] = { status: 'pending', created_ms: ctx.now_ms, reason: '' };
  ledgerOpen(s, ctx, cid);
}

export function orderSet(s: S, ctx: Ctx, cid: string, status: OrderStatus, reason: string, evSeq: number): boolean {
  const o = s.orders[cid];
  if (!o || o.status !== 'pending') return false;
  o.status = status;
  o.reason = reason;
  ledgerResolve(s, ctx, cid, status, reason, evSeq);
  return true;
}

/** Inventory: reserve one unit for cid (idempotent). */
export function reserve(s: S, ctx: Ctx, cid: string): boolean {
  if (s.held[cid] !== undefined) return true;
  if (s.stock <= 0) return false;
  s.stock -= 1;
  s.held[cid] = ctx.now_ms;
  const l = s.ledger[cid];
  if (l) l.held = true;
  return true;
}

export function release(s: S, cid: string, compensation = true): boolean {
  if (s.held[cid] === undefined) return false;
  delete s.held[cid];
  s.stock += 1;
  const l = s.ledger[cid];
  if (l) {
    l.held = false;
    if (compensation) l.compensations += 1;
  }
  return true;
}

export function sell(s: S, cid: string): void {
  if (s.held[cid] === undefined) return;
  delete s.held[cid];
  s.sold += 1;
  const l = s.ledger[cid];
  if (l) {
    l.held = false;
    l.sold = true;
  }
}
