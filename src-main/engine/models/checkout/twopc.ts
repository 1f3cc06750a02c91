/**
 * Strategy 2: two-phase commit, coord-1 the coordinator with a durable decision log.
 * Phase 1: prepare → order (pending order, locked), inventory (one unit locked), payment
 * (an authorization hold at the provider: the provider cannot take part in 2PC itself).
 * Each votes; a YES vote holds its locks until the decision arrives. Phase 2: the
 * coordinator logs COMMIT/ABORT (evidence `fsync`, detail.decision) and tells everyone;
 * on commit the payment service captures the charge.
 *
 * A participant that voted YES cannot decide alone: after decision_timeout_ms it asks the
 * coordinator again and again, holding its locks — blocked, with blocked_ms growing —
 * until the coordinator is back (it then resends its logged decision, or presumes abort
 * for a transaction it never decided).
 */
import { alive, ev, num, orderCreate, orderSet, release, reserve, sell, type Ctx, type S } from './common';
import { emuCrash, payRequest, type PayDone } from './payments';
import { NODES, SERVICES } from './state';

export function txBegin(s: S, ctx: Ctx, cid: string, card: string): void {
  s.txs[cid] = { decision: 'none', votes: {}, done: [], card, started_ms: ctx.now_ms };
  for (const p of SERVICES) ctx.send(NODES.coord, p, 'prepare', { cid, card });
  ctx.setTimer(NODES.coord, num(ctx, 'step_timeout_ms'), 'prepare-timeout', { cid });
}

function vote(s: S, ctx: Ctx, node: string, cid: string, yes: boolean, why: string): void {
  if (yes) (s.prepared[node] ??= {})[cid] = { voted_ms: ctx.now_ms, asked: 0 };
  ev(ctx, 'vote', node, { tx: cid, vote: yes ? 'yes' : 'no', ...(yes ? { holds: node === NODES.payment ? 'authorization hold' : node === NODES.inventory ? 'stock lock' : 'order lock' } : { why }) }, 'coordinator');
  ctx.send(node, NODES.coord, 'vote', { cid, yes });
}

export function onPrepare(s: S, ctx: Ctx, node: string, body: { cid: string; card: string }): void {
  const { cid } = body;
  if (s.prepared[node]?.[cid]) return vote(s, ctx, node, cid, true, '');
  if (node === NODES.order) {
    orderCreate(s, ctx, cid);
    return vote(s, ctx, node, cid, s.orders[cid]!.status === 'pending', 'order closed');
  }
  if (node === NODES.inventory) return vote(s, ctx, node, cid, reserve(s, ctx, cid), 'out of stock');
  payRequest(s, ctx, cid, body.card, 'authorize', NODES.coord, twoPcPayDone);
}

export const twoPcPayDone: PayDone = (s, ctx, cid, op, result) => {
  if (op === 'authorize') {
    vote(s, ctx, NODES.payment, cid, result === 'authorized', result);
    return;
  }
  // capture: the committed transaction's charge is recorded; tell the coordinator.
  if (result === 'charged') ctx.send(NODES.payment, NODES.coord, 'done', { cid, from: NODES.payment });
};

export function onVote(s: S, ctx: Ctx, from: string, body: { cid: string; yes: boolean }): void {
  const tx = s.txs[body.cid];
  if (!tx || tx.decision !== 'none') return;
  tx.votes[from] = body.yes;
  if (!body.yes) return decide(s, ctx, body.cid, 'abort', `${from} voted no`);
  if (SERVICES.every((p) => tx.votes[p] === true)) {
    if (s.armed[NODES.coord] === 'crash-after-prepare') {
      delete s.armed[NODES.coord];
      emuCrash(s, ctx, NODES.coord, `all participants voted YES on ${body.cid}; before the decision was logged`);
      return;
    }
    decide(s, ctx, body.cid, 'commit', 'all voted yes');
  }
}

export function prepareTimeout(s: S, ctx: Ctx, cid: string): void {
  const tx = s.txs[cid];
  if (tx && tx.decision === 'none') decide(s, ctx, cid, 'abort', 'a vote did not arrive in time');
}

function decide(s: S, ctx: Ctx, cid: string, d: 'commit' | 'abort', why: string, recovered = false): void {
  const tx = s.txs[cid]!;
  tx.decision = d;
  ev(ctx, 'fsync', NODES.coord, { tx: cid, decision: d, log: 'coordinator', why, ...(recovered ? { recovered: true } : {}) });
  if (d === 'commit' && s.armed[NODES.coord] === 'crash-after-decision') {
    delete s.armed[NODES.coord];
    emuCrash(s, ctx, NODES.coord, `${cid}: COMMIT logged, before any participant was told`);
    return;
  }
  sendDecision(s, ctx, cid);
}

function sendDecision(s: S, ctx: Ctx, cid: string): void {
  const tx = s.txs[cid]!;
  for (const p of SERVICES) if (!tx.done.includes(p)) ctx.send(NODES.coord, p, 'decision', { cid, decision: tx.decision });
  ctx.setTimer(NODES.coord, num(ctx, 'step_timeout_ms'), 'decision-resend', { cid });
}

export function decisionResend(s: S, ctx: Ctx, cid: string): void {
  const tx = s.txs[cid];
  if (tx && tx.decision !== 'none') sendDecision(s, ctx, cid);
}

export function onDecision(s: S, ctx: Ctx, node: string, body: { cid: string; decision: 'commit' | 'abort' }): void {
  const { cid, decision } = body;
  const p = s.prepared[node]?.[cid];
  if (p) {
    const held = ctx.now_ms - p.voted_ms;
    s.stats.blockedTotal += held;
    s.stats.blockedMax = Math.max(s.stats.blockedMax, held);
    delete s.prepared[node]![cid];
  }
  const commit = decision === 'commit';
  if (node === NODES.order) {
    const o = s.orders[cid];
    if (o?.status === 'pending') {
      const seq = ev(ctx, 'ack', node, { tx: cid, applied: decision, ...(p ? { locks_held_ms: Math.round(ctx.now_ms - p.voted_ms) } : {}) }, 'coordinator');
      orderSet(s, ctx, cid, commit ? 'completed' : 'failed', commit ? '' : 'aborted', seq);
    }
  } else if (node === NODES.inventory) {
    if (commit) sell(s, cid);
    else release(s, cid, false);
  } else if (commit) {
    const rec = s.payments[cid];
    payRequest(s, ctx, cid, rec?.card ?? '', 'capture', NODES.coord, twoPcPayDone); // 'done' once captured
    return;
  } else {
    const rec = s.payments[cid];
    if (rec && rec.status === 'authorized') rec.status = 'refused'; // authorization released
  }
  ctx.send(node, NODES.coord, 'done', { cid, from: node });
}

export function onDone(s: S, body: { cid: string; from: string }): void {
  const tx = s.txs[body.cid];
  if (!tx) return;
  if (!tx.done.includes(body.from)) tx.done.push(body.from);
  if (SERVICES.every((p) => tx.done.includes(p))) delete s.txs[body.cid];
}

/** A blocked participant asks for the decision it is waiting for. */
export function onDecisionRequest(s: S, ctx: Ctx, from: string, cid: string): void {
  const tx = s.txs[cid];
  if (tx && tx.decision === 'none') return; // still collecting votes
  ctx.send(NODES.coord, from, 'decision', { cid, decision: tx ? tx.decision : 'abort' }); // unknown ⇒ presumed abort
}

/** Every second: participants that voted YES and heard nothing ask again (and stay blocked). */
export function participantsPoll(s: S, ctx: Ctx): void {
  const t = num(ctx, 'decision_timeout_ms');
  for (const node of SERVICES) {
    if (!alive(s, ctx, node)) continue;
    for (const [cid, p] of Object.entries(s.prepared[node] ?? {})) {
      if (ctx.now_ms - p.voted_ms < t * (p.asked + 1)) continue;
      p.asked += 1;
      ctx.send(node, NODES.coord, 'decision-req', { cid });
    }
  }
}

/** Longest current wait for a decision (ms) and how many are past decision_timeout_ms. */
export function blockedAt(s: S, ctx: Ctx, node: string): { blocked: number; inDoubt: number; locks: number } {
  const t = num(ctx, 'decision_timeout_ms');
  let blocked = 0;
  let inDoubt = 0;
  let locks = 0;
  for (const p of Object.values(s.prepared[node] ?? {})) {
    locks += 1;
    const w = ctx.now_ms - p.voted_ms;
    if (w >= t) {
      inDoubt += 1;
      blocked = Math.max(blocked, w);
    }
  }
  return { blocked, inDoubt, locks };
}

/** Coordinator restart: undecided transactions are aborted (presumed abort); decided ones resent. */
export function txRecover(s: S, ctx: Ctx): void {
  for (const [cid, tx] of Object.entries(s.txs)) {
    if (tx.decision === 'none') decide(s, ctx, cid, 'abort', 'coordinator restarted without a logged decision (presumed abort)', true);
    else sendDecision(s, ctx, cid);
  }
}
