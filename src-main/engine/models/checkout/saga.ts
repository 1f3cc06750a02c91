/**
 * Strategy 1: an orchestrated saga (coord-1 is the orchestrator; its saga log is durable).
 * Steps: 1 create-order → 2 reserve-inventory → 3 charge-payment → 4 confirm-order.
 * A step that fails (card declined, out of stock, order already timed out) or times out
 * after its retries makes the orchestrator run the compensations of the committed steps
 * in reverse order, one after the other, each acknowledged: the chain on the timeline.
 * A charge whose outcome is unknown cannot be compensated (nobody knows it happened):
 * that is left to reconciliation. Participants hold no locks, so a dead orchestrator
 * blocks nobody: the order service cancels its pending orders after saga_deadline_ms.
 */
import { alive, ev, num, orderCreate, orderSet, release, reserve, sell, type Ctx, type S } from './common';
import { payRefund, payRequest, type PayDone } from './payments';
import { NODES, type SagaRec } from './state';

const STEPS = ['', 'create-order', 'reserve-inventory', 'charge-payment', 'confirm-order'] as const;
const COMPENSATION: Record<string, string> = { 'create-order': 'cancel-order', 'reserve-inventory': 'release-inventory', 'charge-payment': 'refund-payment' };

export function sagaBegin(s: S, ctx: Ctx, cid: string, card: string): void {
  s.sagas[cid] = { step: 1, state: 'running', attempt: 0, card, started_ms: ctx.now_ms, committed: [], compensated: [], chargeUnknown: false, chainEv: -1 };
  doStep(s, ctx, cid);
}

function doStep(s: S, ctx: Ctx, cid: string): void {
  const g = s.sagas[cid]!;
  g.attempt += 1;
  const to = g.step === 2 ? NODES.inventory : g.step === 3 ? NODES.payment : NODES.order;
  ctx.send(NODES.coord, to, 'saga-step', { cid, step: g.step, card: g.card });
  const t = num(ctx, 'step_timeout_ms') * 2 ** (g.attempt - 1);
  ctx.setTimer(NODES.coord, t, 'saga-timeout', { cid, step: g.step, attempt: g.attempt, comp: false });
}

/** A participant executes a step (idempotently: a retried step is answered again). */
export function sagaParticipant(s: S, ctx: Ctx, node: string, body: { cid: string; step: number; card: string }): void {
  const { cid, step } = body;
  const reply = (ok: boolean, why: string) => ctx.send(node, NODES.coord, 'saga-result', { cid, step, ok, why });
  if (step === 1) {
    if (!s.orders[cid]) {
      orderCreate(s, ctx, cid);
      ctx.setTimer(NODES.order, num(ctx, 'saga_deadline_ms'), 'order-deadline', { cid });
    }
    reply(s.orders[cid]!.status === 'pending', 'order exists');
  } else if (step === 2) reply(reserve(s, ctx, cid), 'out of stock');
  else if (step === 4) {
    const o = s.orders[cid];
    if (o && o.status === 'pending') sell(s, cid); // the reservation becomes a sale
    if (o && o.status === 'pending') orderSet(s, ctx, cid, 'completed', '', ev(ctx, 'ack', NODES.order, { saga: cid, step: 'confirm-order', outcome: 'completed' }, NODES.coord));
    reply(o?.status === 'completed', o ? `order already ${o.status} (${o.reason})` : 'no such order');
  } else if (step === 3) payRequest(s, ctx, cid, body.card, 'charge', NODES.coord, sagaPayDone);
}

export const sagaPayDone: PayDone = (s, ctx, cid, _op, result, late) => {
  if (late) s.stats.lateReplies += 1;
  ctx.send(NODES.payment, NODES.coord, 'saga-result', { cid, step: 3, ok: result === 'charged', why: result, unknown: result === 'unknown' });
};

export function sagaResult(s: S, ctx: Ctx, body: { cid: string; step: number; ok: boolean; why: string; unknown?: boolean; comp?: string }): void {
  const g = s.sagas[body.cid];
  if (!g) {
    s.stats.lateReplies += 1;
    return;
  }
  if (body.comp !== undefined) return compensationDone(s, ctx, body.cid, g, body.comp, body.why);
  if (g.state !== 'running' || body.step !== g.step) return;
  const name = STEPS[g.step]!;
  if (body.unknown) {
    g.chargeUnknown = true;
    g.chainEv = ev(ctx, 'ack', NODES.coord, { saga: body.cid, step: name, outcome: 'unknown', note: 'charge outcome unknown: cannot compensate what may not have happened' });
    return compensate(s, ctx, body.cid, g, 'payment unknown');
  }
  g.chainEv = ev(ctx, 'ack', NODES.coord, { saga: body.cid, step: name, outcome: body.ok ? 'ok' : body.why });
  if (!body.ok) return compensate(s, ctx, body.cid, g, g.step === 3 ? body.why : g.step === 2 ? 'out of stock' : body.why);
  if (g.step < 4) g.committed.push(name);
  if (g.step === 4) {
    delete s.sagas[body.cid];
    return;
  }
  g.step += 1;
  g.attempt = 0;
  doStep(s, ctx, body.cid);
}

export function sagaTimeout(s: S, ctx: Ctx, d: { cid: string; step: number; attempt: number; comp: boolean }): void {
  const g = s.sagas[d.cid];
  if (!g || g.step !== d.step || g.attempt !== d.attempt) return;
  if (d.comp) {
    if (g.state === 'compensating') sendCompensation(s, ctx, d.cid, g); // retried until acknowledged
    return;
  }
  if (g.state !== 'running') return;
  if (g.attempt <= num(ctx, 'step_retries')) return doStep(s, ctx, d.cid);
  if (g.step === 3) {
    g.chargeUnknown = true;
    g.chainEv = ev(ctx, 'ack', NODES.coord, { saga: d.cid, step: 'charge-payment', outcome: 'timeout', note: 'no reply after retries: charge outcome unknown, left to reconciliation' });
    return compensate(s, ctx, d.cid, g, 'payment unknown');
  }
  compensate(s, ctx, d.cid, g, 'timeout');
}

function compensate(s: S, ctx: Ctx, cid: string, g: SagaRec, reason: string): void {
  g.state = 'compensating';
  g.step = 0;
  g.attempt = 0;
  g.committed.push(`reason:${reason}`);
  sendCompensation(s, ctx, cid, g);
}

function pendingCompensation(g: SagaRec): string | undefined {
  for (let i = g.committed.length - 1; i >= 0; i--) {
    const c = g.committed[i]!;
    if (!c.startsWith('reason:') && !g.compensated.includes(c)) return c;
  }
  return undefined;
}

function sendCompensation(s: S, ctx: Ctx, cid: string, g: SagaRec): void {
  const step = pendingCompensation(g);
  if (step === undefined) {
    g.state = 'compensated';
    s.stats.compensations += g.compensated.length;
    delete s.sagas[cid];
    return;
  }
  g.attempt += 1;
  const to = step === 'reserve-inventory' ? NODES.inventory : step === 'charge-payment' ? NODES.payment : NODES.order;
  const reason = g.committed.find((c) => c.startsWith('reason:'))!.slice(7);
  ctx.send(NODES.coord, to, 'saga-compensate', { cid, comp: step, reason });
  ctx.setTimer(NODES.coord, Math.min(8, 2 ** (g.attempt - 1)) * num(ctx, 'step_timeout_ms'), 'saga-timeout', { cid, step: 0, attempt: g.attempt, comp: true });
}

function compensationDone(s: S, ctx: Ctx, cid: string, g: SagaRec, comp: string, why: string): void {
  if (g.state !== 'compensating' || pendingCompensation(g) !== comp) return;
  g.compensated.push(comp);
  g.chainEv = ev(ctx, 'ack', NODES.coord, { saga: cid, compensation: COMPENSATION[comp]!, compensates: comp, chain_position: g.compensated.length, outcome: why, follows: g.chainEv });
  g.attempt = 0;
  sendCompensation(s, ctx, cid, g);
}

/** A participant runs a compensation (idempotent) and acknowledges it. */
export function sagaCompensate(s: S, ctx: Ctx, node: string, body: { cid: string; comp: string; reason: string }): void {
  const { cid, comp } = body;
  let why = 'done';
  if (comp === 'reserve-inventory') why = release(s, cid) ? 'stock restored' : 'nothing held';
  else if (comp === 'charge-payment') why = payRefund(s, ctx, cid);
  else if (comp === 'create-order') {
    const seq = ev(ctx, 'ack', NODES.order, { saga: cid, compensation: 'cancel-order', reason: body.reason }, NODES.coord);
    why = orderSet(s, ctx, cid, 'failed', body.reason, seq) ? 'order failed' : `order already ${s.orders[cid]?.status ?? 'gone'}`;
  }
  ctx.send(node, NODES.coord, 'saga-result', { cid, step: 0, ok: true, why, comp });
}

/** Order service: the saga's deadline passed with the order still pending (orchestrator gone). */
export function orderDeadline(s: S, ctx: Ctx, cid: string): void {
  const o = s.orders[cid];
  if (!o || o.status !== 'pending') return;
  const seq = ev(ctx, 'ack', NODES.order, { saga: cid, compensation: 'cancel-order', reason: 'saga deadline passed', by: 'order service' });
  orderSet(s, ctx, cid, 'failed', 'timeout', seq);
  // Best effort, once: release the stock and void the payment. Reconciliation is the backstop.
  ctx.send(NODES.order, NODES.inventory, 'saga-compensate', { cid, comp: 'reserve-inventory', reason: 'timeout' });
  ctx.send(NODES.order, NODES.payment, 'saga-compensate', { cid, comp: 'charge-payment', reason: 'timeout' });
}

/** Orchestrator restart: resume every saga from its durable log. */
export function sagaRecover(s: S, ctx: Ctx): void {
  for (const [cid, g] of Object.entries(s.sagas)) {
    g.attempt = 0;
    if (g.state === 'running') doStep(s, ctx, cid);
    else sendCompensation(s, ctx, cid, g);
  }
}

export function sagaAlive(s: S, ctx: Ctx): boolean {
  return alive(s, ctx, NODES.coord);
}
