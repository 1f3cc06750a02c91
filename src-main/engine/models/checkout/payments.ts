/**
 * The payment service and the external payment provider.
 *
 * The payment service writes an *intent* (durable) before it calls the provider and the
 * outcome after the reply: between the two lies the uncertainty window — a crash there
 * leaves an intent whose outcome nobody local knows (Two Generals). On restart it
 * re-drives every open intent. With idempotency keys (key = checkout id + operation) the
 * provider replays the stored result instead of charging again; without them every
 * attempt carries a fresh key and a re-drive after a real charge is a second charge.
 */
import { alive, ev, gauge, ledgerCharge, ledgerRefund, num, type Ctx, type S } from './common';
import { NODES, type PayRec } from './state';

export type PayOp = PayRec['op'];
/** What the payment service tells whoever asked. */
export type PayResult = 'charged' | 'declined' | 'authorized' | 'unknown' | 'refused';

/** Called with the outcome of a pay request (strategy-specific: saga, 2PC or the ES consumer). */
export type PayDone = (s: S, ctx: Ctx, cid: string, op: PayOp, result: PayResult, late: boolean) => void;

function keyFor(s: S, cid: string, op: PayOp, attempt: number): string {
  return s.idem ? `${cid}/${op}` : `${cid}/${op}/try${attempt}`;
}

export function payRequest(s: S, ctx: Ctx, cid: string, card: string, op: PayOp, replyTo: string, done: PayDone): void {
  const rec = s.payments[cid];
  if (rec && rec.op === op) {
    if (rec.status === 'intent') return; // in flight: the outcome will be reported
    done(s, ctx, cid, op, rec.status === 'charged' ? 'charged' : (rec.status as PayResult), false);
    return;
  }
  if (rec && rec.status === 'refused') {
    done(s, ctx, cid, op, 'refused', false);
    return;
  }
  send(s, ctx, { status: 'intent', op, key: '', attempt: 0, sent_ms: 0, chargeId: rec?.chargeId ?? '', replyTo, card }, cid);
}

function send(s: S, ctx: Ctx, rec: PayRec, cid: string): void {
  rec.attempt += 1;
  rec.key = keyFor(s, cid, rec.op, rec.attempt);
  rec.sent_ms = ctx.now_ms;
  rec.status = 'intent';
  s.payments[cid] = rec;
  ctx.send(NODES.payment, NODES.provider, 'charge', { cid, key: rec.key, card: rec.card, op: rec.op });
  ctx.setTimer(NODES.payment, num(ctx, 'charge_timeout_ms'), 'charge-timeout', { cid, attempt: rec.attempt });
}

/** A charge reply reached the payment service. Returns false if it crashed before recording it. */
export function onChargeResult(s: S, ctx: Ctx, body: { cid: string; key: string; result: string; chargeId: string; op: PayOp }, done: PayDone): void {
  const rec = s.payments[body.cid];
  if (!rec) return;
  if (rec.key === body.key) notePayLatency(s, ctx, ctx.now_ms - rec.sent_ms);
  const charged = body.result === 'charged';
  if (charged && s.armed[NODES.payment] === 'crash-after-charge') {
    delete s.armed[NODES.payment];
    emuCrash(s, ctx, NODES.payment, `after the provider charged ${body.cid} (${body.chargeId}), before the local record`);
    return;
  }
  if (rec.status !== 'intent') {
    // A late reply to an earlier attempt: a charge the service did not expect (a double
    // charge without idempotency keys). Recorded; reconciliation will find the extra one.
    if (charged && rec.chargeId !== body.chargeId) ev(ctx, 'fsync', NODES.payment, { cid: body.cid, record: 'late-charge', charge: body.chargeId, key: body.key });
    return;
  }
  const late = rec.sent_ms > 0 && ctx.now_ms - rec.sent_ms > num(ctx, 'charge_timeout_ms');
  rec.status = charged ? 'charged' : body.result === 'authorized' ? 'authorized' : 'declined';
  if (charged) rec.chargeId = body.chargeId;
  ev(ctx, 'fsync', NODES.payment, { cid: body.cid, record: rec.status, op: rec.op, key: body.key, ...(charged ? { charge: body.chargeId } : {}) });
  done(s, ctx, body.cid, rec.op, rec.status as PayResult, late);
}

export function onChargeTimeout(s: S, ctx: Ctx, cid: string, attempt: number, done: PayDone): void {
  const rec = s.payments[cid];
  if (!rec || rec.status !== 'intent' || rec.attempt !== attempt) return;
  notePayLatency(s, ctx, ctx.now_ms - rec.sent_ms);
  // The uncertainty window: no reply. Retry (same key with idempotency, a new one without).
  if (rec.op === 'capture' || rec.attempt <= num(ctx, 'charge_retries')) {
    send(s, ctx, rec, cid);
    return;
  }
  done(s, ctx, cid, rec.op, 'unknown', false);
}

/** Saga compensation / order-service void: refund what was charged; tombstone otherwise. */
export function payRefund(s: S, ctx: Ctx, cid: string): 'refunding' | 'nothing' | 'unknown' {
  const rec = s.payments[cid];
  if (!rec) {
    s.payments[cid] = { status: 'refused', op: 'charge', key: '', attempt: 0, sent_ms: 0, chargeId: '', replyTo: '', card: '' };
    return 'nothing';
  }
  if (rec.status === 'charged' && rec.chargeId) {
    ctx.send(NODES.payment, NODES.provider, 'refund', { chargeId: rec.chargeId, cid, why: 'compensation' });
    rec.status = 'refused';
    return 'refunding';
  }
  if (rec.status === 'intent') return 'unknown';
  rec.status = 'refused';
  return 'nothing';
}

/** After a restart: every open intent is in doubt; re-drive it. */
export function payRecover(s: S, ctx: Ctx): void {
  const open = Object.values(s.payments).filter((r) => r.status === 'intent').length;
  gauge(s, ctx, 'payment', NODES.payment, 'in_doubt', open);
  for (const [cid, rec] of Object.entries(s.payments)) {
    if (rec.status !== 'intent') continue;
    ev(ctx, 'version', NODES.payment, { cid, state: 'in-doubt', key: rec.key, note: s.idem ? 're-drive with the same idempotency key' : 're-drive with a new key (no idempotency keys)' });
    send(s, ctx, rec, cid);
  }
}

function notePayLatency(s: S, ctx: Ctx, ms: number): void {
  s.providerLatency = ms;
  const q = Math.ceil(Math.max(1, ms) / 500) * 500; // coarse: a normal call reads 500
  gauge(s, ctx, 'payment', NODES.payment, 'provider_latency_ms', q);
}

export function inDoubt(s: S, ctx: Ctx): number {
  const t = num(ctx, 'charge_timeout_ms');
  let n = 0;
  for (const r of Object.values(s.payments)) if (r.status === 'intent' && (ctx.now_ms - r.sent_ms > t || !alive(s, ctx, NODES.payment))) n++;
  return n;
}

// ---- the provider --------------------------------------------------------------------

export function providerExec(s: S, ctx: Ctx, from: string, body: { cid: string; key: string; card: string; op: PayOp }): void {
  const p = s.provider;
  const { cid, key, op } = body;
  const seen = s.idem ? p.byKey[key] : undefined;
  if (seen) {
    s.stats.dedups += 1;
    p.lastDedupEv = ev(ctx, 'ack', NODES.provider, { op, cid, key, dedup: true, result: seen.result, ...(seen.chargeId ? { charge: seen.chargeId } : {}) }, NODES.payment);
    ctx.send(NODES.provider, from, 'charge-result', { cid, key, result: seen.result, chargeId: seen.chargeId, op });
    return;
  }
  let result: string;
  let chargeId = '';
  const declined = op !== 'capture' && (body.card === 'declined' || p.declineNext);
  if (declined) {
    p.declineNext = false;
    result = 'declined';
  } else if (op === 'authorize') result = 'authorized';
  else {
    chargeId = `ch${s.nextCharge++}`;
    p.charges[chargeId] = { cid, key, refunded: false, t_ms: ctx.now_ms };
    result = 'charged';
  }
  const seq = ev(ctx, 'ack', NODES.provider, { op, cid, key, result, ...(chargeId ? { charge: chargeId } : {}) }, NODES.payment);
  if (!s.idem && !key.endsWith('/try1')) p.lastFreshRetryEv = seq; // a retry the provider cannot recognise
  if (chargeId) ledgerCharge(s, ctx, cid, seq);
  if (s.idem) p.byKey[key] = { result, chargeId };
  ctx.send(NODES.provider, from, 'charge-result', { cid, key, result, chargeId, op });
}

export function providerRefund(s: S, ctx: Ctx, from: string, body: { chargeId: string; cid: string; why: string }): void {
  const c = s.provider.charges[body.chargeId];
  let ok = false;
  if (c && !c.refunded) {
    c.refunded = true;
    ok = true;
    const seq = ev(ctx, 'ack', NODES.provider, { op: 'refund', cid: body.cid, charge: body.chargeId, why: body.why }, from);
    ledgerRefund(s, ctx, body.cid, seq);
  }
  ctx.send(NODES.provider, from, 'refund-result', { chargeId: body.chargeId, cid: body.cid, ok, why: body.why });
}

export function providerList(s: S): { chargeId: string; cid: string; t_ms: number }[] {
  const out: { chargeId: string; cid: string; t_ms: number }[] = [];
  for (const [chargeId, c] of Object.entries(s.provider.charges)) if (!c.refunded) out.push({ chargeId, cid: c.cid, t_ms: c.t_ms });
  return out;
}

// ---- emulated crash points -----------------------------------------------------------

/**
 * A byzantine-style crash point: the process dies at an exact protocol step. The engine
 * cannot crash a node on a model's behalf, so the model emulates it: the node ignores
 * messages and timers (volatile state lost) until it restarts after crash_restart_ms.
 */
export function emuCrash(s: S, ctx: Ctx, node: string, point: string): void {
  const down = num(ctx, 'crash_restart_ms');
  s.emuDown[node] = ctx.now_ms + down;
  s.crashEv[node] = ev(ctx, 'version', node, { process: 'crashed', point, restart_in_ms: down });
  ctx.setTimer(node, down, 'emu-restart', {});
}
