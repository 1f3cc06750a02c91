/**
 * Strategy 3: event sourcing. log-1 is the append-only event log (Kafka-like) and keeps
 * every consumer's committed offset. Services never call each other: each appends events
 * through a durable outbox (retried until the log acknowledges; the log drops duplicate
 * event ids) and consumes the events it subscribes to from its offset:
 *
 *   order:     checkout → OrderCreated;  PaymentCharged → completed;  PaymentFailed / InventoryRejected → failed
 *   inventory: OrderCreated → InventoryReserved | InventoryRejected;  PaymentCharged → sold;  PaymentFailed → InventoryReleased
 *   payment:   InventoryReserved → (provider) → PaymentCharged | PaymentFailed
 *
 * A consumer commits its offset after it has applied an event, so a crash or a partition
 * only delays it: it resumes from its committed offset and catches up (at-least-once).
 * The payment consumer's side effect is outside its own store (the provider): a redelivery
 * after a crash is safe only because the charge carries an idempotency key.
 */
import { alive, ev, gauge, num, orderCreate, orderSet, release, reserve, sell, type Ctx, type S } from './common';
import { payRequest, type PayDone } from './payments';
import { quantizeBound } from '../../services/gvector-observer';
import { NODES, SCOPE_OF, type Consumer, type LogEvent } from './state';

export const CONSUMERS = [NODES.order, NODES.inventory, NODES.payment] as const;
const SUBSCRIPTIONS: Record<string, string[]> = {
  [NODES.order]: ['PaymentCharged', 'PaymentFailed', 'InventoryRejected'],
  [NODES.inventory]: ['OrderCreated', 'PaymentCharged', 'PaymentFailed'],
  [NODES.payment]: ['InventoryReserved'],
};
export const EVENT_TYPES = ['OrderCreated', 'InventoryReserved', 'InventoryRejected', 'PaymentCharged', 'PaymentFailed', 'InventoryReleased'];
const BATCH = 50;

export function newConsumer(): Consumer {
  return { pos: -1, headSeen: 0, busy: false, waitCid: '', waitOff: -1, lagOver: false, lagFrom: 0 };
}

export function esCheckout(s: S, ctx: Ctx, cid: string, card: string): void {
  if (s.orders[cid]) return;
  orderCreate(s, ctx, cid);
  emit(s, ctx, NODES.order, 'OrderCreated', cid, card);
}

function emit(s: S, ctx: Ctx, node: string, type: string, cid: string, card: string): void {
  const e: LogEvent = { off: -1, type, cid, card };
  (s.outbox[node] ??= []).push(e);
  ctx.send(node, NODES.log, 'append', { events: [{ ...e }] });
}

/** Outbox: resend what the log has not acknowledged yet. */
export function flushOutbox(s: S, ctx: Ctx, node: string): void {
  const box = s.outbox[node];
  if (box && box.length > 0) ctx.send(node, NODES.log, 'append', { events: box.map((e) => ({ ...e })) });
}

export function onAppended(s: S, node: string, ids: string[]): void {
  const box = s.outbox[node];
  if (box) s.outbox[node] = box.filter((e) => !ids.includes(`${e.type}:${e.cid}`));
}

// ---- the log -------------------------------------------------------------------------

export function logAppend(s: S, ctx: Ctx, from: string, events: LogEvent[]): void {
  const L = s.log;
  const ids: string[] = [];
  for (const e of events) {
    const id = `${e.type}:${e.cid}`;
    ids.push(id);
    if (L.ids[id] !== undefined) continue; // Idem(event_id): a retried append is dropped
    const off = L.base + L.events.length;
    L.ids[id] = off;
    L.events.push({ off, type: e.type, cid: e.cid, card: e.card });
  }
  ctx.send(NODES.log, from, 'appended', { ids });
}

export function logPoll(s: S, ctx: Ctx, from: string, body: { from: number }): void {
  const L = s.log;
  const start = body.from < 0 ? (L.committed[from] ?? 0) : body.from;
  const i = Math.max(0, start - L.base);
  const events = L.events.slice(i, i + BATCH).map((e) => ({ ...e }));
  ctx.send(NODES.log, from, 'batch', { from: start, events, head: L.base + L.events.length });
}

export function logCommit(s: S, from: string, offset: number): void {
  s.log.committed[from] = Math.max(s.log.committed[from] ?? 0, offset);
}

/** Drops the prefix every consumer has committed; measures the worst consumer lag. */
export function logTick(s: S, ctx: Ctx): void {
  const L = s.log;
  const head = L.base + L.events.length;
  let minC = head;
  let lag = 0;
  for (const c of CONSUMERS) {
    const k = L.committed[c] ?? 0;
    minC = Math.min(minC, k);
    lag = Math.max(lag, head - k);
  }
  if (minC > L.base) {
    L.events.splice(0, minC - L.base);
    L.base = minC;
  }
  if (alive(s, ctx, NODES.log)) gauge(s, ctx, 'log', NODES.log, 'consumer_lag', bucket(ctx, lag));
}

/** 0 while under lag_bound (normal pipelining), else the lag on a 1-2-5 scale. */
function bucket(ctx: Ctx, n: number): number {
  return n < num(ctx, 'lag_bound') ? 0 : quantizeBound(n);
}

// ---- consumers -----------------------------------------------------------------------

export function consumerPoll(s: S, ctx: Ctx, node: string): void {
  const c = s.consumers[node]!;
  if (!c.busy) ctx.send(node, NODES.log, 'poll', { from: c.pos });
}

export function onBatch(s: S, ctx: Ctx, node: string, body: { from: number; events: LogEvent[]; head: number }): void {
  const c = s.consumers[node]!;
  s.heard[node] = ctx.now_ms;
  c.headSeen = Math.max(c.headSeen, body.head);
  if (c.busy) return;
  if (c.pos < 0) c.pos = body.from;
  const start = c.pos;
  for (const e of body.events) {
    if (e.off < c.pos) continue;
    if (e.off > c.pos) break; // a gap (an older batch): wait for the next poll
    if (!apply(s, ctx, node, c, e)) break;
    c.pos = e.off + 1;
  }
  if (c.pos > start) ctx.send(node, NODES.log, 'commit', { offset: c.pos });
  noteLag(s, ctx, node, c);
  if (!c.busy && c.pos < c.headSeen && body.events.length > 0) consumerPoll(s, ctx, node);
}

/** Applies one event; false when the consumer must wait (the payment consumer on the provider). */
function apply(s: S, ctx: Ctx, node: string, c: Consumer, e: LogEvent): boolean {
  if (!SUBSCRIPTIONS[node]!.includes(e.type)) return true;
  const done = s.processed[node] ?? (s.processed[node] = {});
  const id = `${e.type}:${e.cid}`;
  if (done[id]) return true; // already applied (a redelivery after a crash)
  const note = (emits: string) => ev(ctx, 'ack', node, { event: e.type, cid: e.cid, offset: e.off, emits }, 'log');
  if (node === NODES.payment) {
    c.busy = true;
    c.waitCid = e.cid;
    c.waitOff = e.off;
    payRequest(s, ctx, e.cid, e.card, 'charge', 'es', esPayDone);
    return !c.busy;
  }
  done[id] = true;
  if (node === NODES.inventory) {
    if (e.type === 'OrderCreated') {
      const ok = reserve(s, ctx, e.cid);
      note(ok ? 'InventoryReserved' : 'InventoryRejected');
      emit(s, ctx, node, ok ? 'InventoryReserved' : 'InventoryRejected', e.cid, e.card);
    } else if (e.type === 'PaymentCharged') {
      sell(s, e.cid);
      note('');
    } else if (release(s, e.cid)) {
      note('InventoryReleased');
      emit(s, ctx, node, 'InventoryReleased', e.cid, '');
    }
    return true;
  }
  // the order service
  const seq = note('');
  if (e.type === 'PaymentCharged') orderSet(s, ctx, e.cid, 'completed', '', seq);
  else orderSet(s, ctx, e.cid, 'failed', e.type === 'InventoryRejected' ? 'out of stock' : e.card || 'payment failed', seq);
  return true;
}

export const esPayDone: PayDone = (s, ctx, cid, _op, result) => {
  const c = s.consumers[NODES.payment]!;
  const charged = result === 'charged';
  const type = charged ? 'PaymentCharged' : 'PaymentFailed';
  ev(ctx, 'ack', NODES.payment, { event: 'InventoryReserved', cid, offset: c.waitCid === cid ? c.waitOff : -1, emits: type, result }, 'log');
  emit(s, ctx, NODES.payment, type, cid, charged ? '' : result);
  (s.processed[NODES.payment] ??= {})[`InventoryReserved:${cid}`] = true;
  if (c.busy && c.waitCid === cid) {
    c.busy = false;
    if (c.pos === c.waitOff) c.pos = c.waitOff + 1;
    c.waitCid = '';
    ctx.send(NODES.payment, NODES.log, 'commit', { offset: c.pos });
    consumerPoll(s, ctx, NODES.payment);
  }
};

function noteLag(s: S, ctx: Ctx, node: string, c: Consumer): void {
  const lag = Math.max(0, c.headSeen - c.pos);
  gauge(s, ctx, SCOPE_OF[node]!, node, 'consumer_lag', bucket(ctx, lag));
  if (lag >= num(ctx, 'lag_bound') && !c.lagOver) {
    c.lagOver = true;
    c.lagFrom = c.pos;
  } else if (c.lagOver && lag <= 1) {
    c.lagOver = false;
    ev(ctx, 'catch-up', node, { consumer: node, from_offset: c.lagFrom, to_offset: c.pos, note: 'caught up from its committed offset' }, 'log');
  }
}

/** A consumer restarted: it forgets its position and resumes from its committed offset. */
export function consumerRestart(s: S, node: string): void {
  const c = s.consumers[node]!;
  c.pos = -1;
  c.busy = false;
  c.waitCid = '';
}
