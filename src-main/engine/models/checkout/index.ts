/**
 * MT-2 "Checkout across microservices" — the protocol model. Strategies (param
 * `strategy`): an orchestrated saga with compensations (./saga.ts), two-phase commit
 * with a coordinator log (./twopc.ts), event sourcing with consumer offsets
 * (./events.ts); `idempotency_keys` switches the provider's dedup on or off
 * (./payments.ts). Monitors, reconciliation and settling live in ./monitor.ts, the
 * observed G-vectors in ./observe.ts.
 *
 * Crash points a lecturer can script: `kill`/`restart` any node at a time, or arm an
 * exact step with `{do: byzantine, node, behavior}`:
 *   payment-1  crash-after-charge    dies after the provider charged, before the local record
 *   coord-1    crash-after-prepare   2PC: all voted YES, before the decision is logged
 *                                    (saga: after the stock is reserved, before the charge)
 *   coord-1    crash-after-decision  2PC: COMMIT logged, before any participant is told
 *   provider-1 decline-next          the next charge is declined (saga compensation demo)
 * An armed crash fires once; the process comes back after crash_restart_ms.
 */
import type { ModelDefinition } from '../../model-api';
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import { newHistogram, quantile } from '../../histogram';
import { alive, ev, gauge, num, type Ctx, type S } from './common';
import { CONSUMERS, consumerPoll, consumerRestart, esCheckout, esPayDone, flushOutbox, logAppend, logCommit, logPoll, logTick, newConsumer, onAppended, onBatch } from './events';
import { compensatedNow, heartbeatRound, measure, monitors, reconcileCompare, reconcileRefunded, reconcileStart, settle } from './monitor';
import { observeScope } from './observe';
import { emuCrash, inDoubt, onChargeResult, onChargeTimeout, payRecover, providerExec, providerList, providerRefund, type PayDone } from './payments';
import { orderDeadline, sagaBegin, sagaCompensate, sagaParticipant, sagaPayDone, sagaRecover, sagaResult, sagaTimeout } from './saga';
import { blockedAt, decisionResend, onDecision, onDecisionRequest, onDone, onPrepare, onVote, participantsPoll, prepareTimeout, twoPcPayDone, txBegin, txRecover } from './twopc';
import { GAUGES, NODES, SCOPE_OF, SERVICES, type CheckoutState, type Strategy } from './state';

export const BYZANTINE_BEHAVIORS = ['crash-after-charge', 'crash-after-prepare', 'crash-after-decision', 'decline-next'] as const;
const PERIODIC = ['client', 'ping', 'reconcile', 'poll', 'outbox'];
const ARMABLE: Record<string, string> = { 'crash-after-charge': NODES.payment, 'crash-after-prepare': NODES.coord, 'crash-after-decision': NODES.coord };

function payDone(s: S): PayDone {
  return s.strategy === 'saga' ? sagaPayDone : s.strategy === '2pc' ? twoPcPayDone : esPayDone;
}

function startNodeTimers(s: S, ctx: Ctx, node: string): void {
  const r = ctx.rng.next();
  if (node === NODES.web) ctx.setTimer(node, ctx.rng.exponential(1000 / num(ctx, 'checkout_rate_per_s')), 'client');
  if (node === NODES.coord && s.strategy !== 'es') ctx.setTimer(node, num(ctx, 'heartbeat_ms') * r, 'ping');
  if (node === NODES.order) ctx.setTimer(node, num(ctx, 'reconcile_every_ms'), 'reconcile');
  if (s.strategy === 'es' && (CONSUMERS as readonly string[]).includes(node)) {
    ctx.setTimer(node, num(ctx, 'poll_ms') * r, 'poll');
    ctx.setTimer(node, 500, 'outbox');
  }
}

function rearm(ctx: Ctx, node: string, name: string): void {
  const every: Record<string, string> = { ping: 'heartbeat_ms', reconcile: 'reconcile_every_ms', poll: 'poll_ms' };
  if (name === 'client') ctx.setTimer(node, ctx.rng.exponential(1000 / num(ctx, 'checkout_rate_per_s')), 'client');
  else if (name === 'outbox') ctx.setTimer(node, 500, 'outbox');
  else ctx.setTimer(node, num(ctx, every[name]!), name);
}

/** What a process does when it comes back (after a kill/restart or an emulated crash). */
function recover(s: S, ctx: Ctx, node: string): void {
  s.heard[node] = ctx.now_ms;
  s.missStreak[node] = 0;
  if (node === NODES.coord) {
    if (s.strategy === 'saga') sagaRecover(s, ctx);
    if (s.strategy === '2pc') txRecover(s, ctx);
  }
  if (node === NODES.payment) payRecover(s, ctx);
  if (s.strategy === 'es' && s.consumers[node]) {
    consumerRestart(s, node);
    consumerPoll(s, ctx, node);
  }
}

function checkout(s: S, ctx: Ctx, body: { cid: string; card: string }): void {
  if (s.strategy === 'saga') sagaBegin(s, ctx, body.cid, body.card);
  else if (s.strategy === '2pc') txBegin(s, ctx, body.cid, body.card);
  else esCheckout(s, ctx, body.cid, body.card);
}

export const checkoutModel: ModelDefinition<CheckoutState> = {
  id: 'checkout',
  byzantineBehaviors: BYZANTINE_BEHAVIORS,

  init(ctx) {
    const strategy = ctx.param<string>('strategy') as Strategy;
    return {
      strategy,
      idem: ctx.param<boolean>('idempotency_keys'),
      nextCid: 1,
      nextCharge: 1,
      emuDown: {},
      armed: {},
      crashEv: {},
      heard: {},
      missStreak: {},
      missEv: {},
      hbRound: 0,
      orders: {},
      stock: num(ctx, 'initial_stock'),
      held: {},
      sold: 0,
      payments: {},
      provider: { charges: {}, byKey: {}, declineNext: false, lastDedupEv: null, lastDoubleEv: null, lastFreshRetryEv: null },
      providerLatency: 0,
      sagas: {},
      txs: {},
      prepared: {},
      log: { base: 0, events: [], ids: {}, committed: {} },
      consumers: strategy === 'es' ? Object.fromEntries(CONSUMERS.map((c) => [c, newConsumer()])) : {},
      outbox: {},
      processed: {},
      recon: { open: {}, runs: 0, lastRun_ms: 0 },
      ledger: {},
      gauges: {},
      gaugeEv: {},
      stats: {
        started: 0,
        completed: 0,
        failed: 0,
        compensated: 0,
        latencies: newHistogram(),
        repairs: 0,
        repairTimes: newHistogram(),
        orphansDetected: 0,
        doubleCharges: 0,
        dedups: 0,
        compensations: 0,
        blockedMax: 0,
        blockedTotal: 0,
        lateReplies: 0,
        refused: 0,
        settled: 0,
      },
      lastCheck_ms: 0,
    };
  },

  start(s, ctx) {
    // Baseline probes: every scope states its gauges once, so triggers can read them from t=0.
    for (const g of ctx.topo.groups) for (const name of GAUGES) gauge(s, ctx, g, ctx.topo.nodesOf.get(g)![0]!, name, 0, true);
    for (const n of ctx.topo.nodes) {
      s.heard[n] = 0;
      startNodeTimers(s, ctx, n);
    }
  },

  onCrash(s, _ctx, node) {
    if (s.strategy === 'es' && s.consumers[node]) consumerRestart(s, node);
  },

  onRestart(s, ctx, node) {
    delete s.emuDown[node];
    startNodeTimers(s, ctx, node);
    recover(s, ctx, node);
  },

  onByzantine(s, ctx, node, behavior) {
    if (behavior === 'decline-next') {
      if (node === NODES.provider) s.provider.declineNext = true;
      ev(ctx, 'version', node, { armed: behavior, effect: node === NODES.provider ? 'the next charge is declined' : 'none: only provider-1 declines cards' });
      return;
    }
    const target = ARMABLE[behavior]!;
    if (node === target) s.armed[node] = behavior;
    ev(ctx, 'version', node, { armed: behavior, effect: node === target ? 'crashes at that step, once' : `none: this crash point belongs to ${target}` });
  },

  onTimer(s, ctx, node, name, data) {
    if (s.emuDown[node] !== undefined) {
      if (name === 'emu-restart') {
        delete s.emuDown[node];
        ev(ctx, 'version', node, { process: 'restarted' });
        recover(s, ctx, node);
      } else if (PERIODIC.includes(name)) rearm(ctx, node, name);
      return;
    }
    switch (name) {
      case 'client': {
        const cid = `c${s.nextCid++}`;
        const card = ctx.rng.chance(num(ctx, 'decline_rate')) ? 'declined' : 'ok';
        ctx.send(node, s.strategy === 'es' ? NODES.order : NODES.coord, 'checkout', { cid, card });
        break;
      }
      case 'ping':
        for (const p of SERVICES) ctx.send(node, p, 'ping', {});
        break;
      case 'reconcile':
        reconcileStart(s, ctx);
        break;
      case 'poll':
        consumerPoll(s, ctx, node);
        break;
      case 'outbox':
        flushOutbox(s, ctx, node);
        break;
      case 'emu-restart':
        return;
      case 'provider-exec': {
        const { from, body } = data as { from: string; body: Parameters<typeof providerExec>[3] };
        providerExec(s, ctx, from, body);
        return;
      }
      case 'provider-refund': {
        const { from, body } = data as { from: string; body: Parameters<typeof providerRefund>[3] };
        providerRefund(s, ctx, from, body);
        return;
      }
      case 'charge-timeout': {
        const d = data as { cid: string; attempt: number };
        onChargeTimeout(s, ctx, d.cid, d.attempt, payDone(s));
        return;
      }
      case 'saga-timeout':
        sagaTimeout(s, ctx, data as Parameters<typeof sagaTimeout>[2]);
        return;
      case 'order-deadline':
        orderDeadline(s, ctx, (data as { cid: string }).cid);
        return;
      case 'prepare-timeout':
        prepareTimeout(s, ctx, (data as { cid: string }).cid);
        return;
      case 'decision-resend':
        decisionResend(s, ctx, (data as { cid: string }).cid);
        return;
    }
    if (PERIODIC.includes(name)) rearm(ctx, node, name);
  },

  onMessage(s, ctx, to, from, kind, body) {
    if (s.emuDown[to] !== undefined) return;
    const b = body as Record<string, unknown>;
    switch (kind) {
      case 'checkout':
        return checkout(s, ctx, b as { cid: string; card: string });
      case 'ping':
        s.heard[to] = ctx.now_ms;
        return;
      // saga
      case 'saga-step':
        return sagaParticipant(s, ctx, to, b as Parameters<typeof sagaParticipant>[3]);
      case 'saga-compensate':
        return sagaCompensate(s, ctx, to, b as Parameters<typeof sagaCompensate>[3]);
      case 'saga-result': {
        const r = b as Parameters<typeof sagaResult>[2];
        if (r.step === 2 && r.ok && s.armed[NODES.coord] === 'crash-after-prepare' && s.sagas[r.cid]?.step === 2) {
          delete s.armed[NODES.coord];
          s.sagas[r.cid]!.chainEv = ev(ctx, 'ack', NODES.coord, { saga: r.cid, step: 'reserve-inventory', outcome: 'ok' });
          s.sagas[r.cid]!.committed.push('reserve-inventory');
          s.sagas[r.cid]!.step = 3;
          s.sagas[r.cid]!.attempt = 0;
          emuCrash(s, ctx, NODES.coord, `${r.cid}: stock reserved, before the charge step`);
          return;
        }
        return sagaResult(s, ctx, r);
      }
      // 2PC
      case 'prepare':
        return onPrepare(s, ctx, to, b as { cid: string; card: string });
      case 'vote':
        return onVote(s, ctx, from, b as { cid: string; yes: boolean });
      case 'decision':
        return onDecision(s, ctx, to, b as { cid: string; decision: 'commit' | 'abort' });
      case 'done':
        return onDone(s, b as { cid: string; from: string });
      case 'decision-req':
        return onDecisionRequest(s, ctx, from, (b as { cid: string }).cid);
      // provider (its processing takes provider_ms)
      case 'charge':
        ctx.setTimer(to, num(ctx, 'provider_ms'), 'provider-exec', { from, body: { ...b } });
        return;
      case 'refund':
        ctx.setTimer(to, num(ctx, 'provider_ms'), 'provider-refund', { from, body: { ...b } });
        return;
      case 'list-charges':
        ctx.send(to, from, 'charges', { list: providerList(s) });
        return;
      case 'charge-result':
        return onChargeResult(s, ctx, b as Parameters<typeof onChargeResult>[2], payDone(s));
      case 'refund-result':
        if (to === NODES.order) reconcileRefunded(s, ctx, b as { chargeId: string; cid: string; ok: boolean });
        return;
      case 'charges':
        return reconcileCompare(s, ctx, (b as { list: { chargeId: string; cid: string; t_ms: number }[] }).list);
      // event sourcing
      case 'append':
        return logAppend(s, ctx, from, (b as { events: Parameters<typeof logAppend>[3] }).events);
      case 'appended':
        return onAppended(s, to, (b as { ids: string[] }).ids);
      case 'poll':
        return logPoll(s, ctx, from, b as { from: number });
      case 'commit':
        return logCommit(s, from, (b as { offset: number }).offset);
      case 'batch':
        return onBatch(s, ctx, to, b as Parameters<typeof onBatch>[3]);
    }
  },

  tick(s, ctx) {
    if (ctx.now_ms - s.lastCheck_ms < num(ctx, 'heartbeat_ms')) return;
    s.lastCheck_ms = ctx.now_ms;
    heartbeatRound(s, ctx);
    if (s.strategy === '2pc') participantsPoll(s, ctx);
    if (s.strategy === 'es') logTick(s, ctx);
    measure(s, ctx);
    monitors(s, ctx);
    if (Math.round(ctx.now_ms / num(ctx, 'heartbeat_ms')) % 5 === 0) settle(s, ctx);
  },

  leader(s) {
    return s.strategy === 'es' ? NODES.log : NODES.coord;
  },

  roles(s, ctx) {
    const roles: Record<string, string> = {};
    for (const n of ctx.topo.nodes) {
      let r = 'service';
      if (n === NODES.web) r = 'client';
      else if (n === NODES.provider) r = 'external';
      else if (n === NODES.coord) r = s.strategy === 'saga' ? 'orchestrator' : s.strategy === '2pc' ? 'coordinator' : 'idle';
      else if (n === NODES.log) r = s.strategy === 'es' ? 'event-log' : 'idle';
      else if (s.strategy === '2pc') r = blockedAt(s, ctx, n).inDoubt > 0 ? 'blocked' : 'participant';
      else if (s.strategy === 'es') r = 'consumer';
      if (s.emuDown[n] !== undefined) r = 'crashed';
      roles[n] = r;
    }
    return roles;
  },

  observe(s, ctx, scope) {
    return observeScope(s, ctx, scope);
  },

  metrics(s, ctx) {
    return metrics(s, ctx);
  },

  viewExtras(s, ctx) {
    return view(s, ctx);
  },
};

function orphanedNow(s: S): number {
  let n = 0;
  for (const l of Object.values(s.ledger)) n += l.status === 'failed' ? l.live : l.status === 'completed' ? Math.max(0, l.live - 1) : 0;
  return n;
}

function currentBlocked(s: S, ctx: Ctx): number {
  let m = 0;
  for (const n of SERVICES) for (const p of Object.values(s.prepared[n] ?? {})) m = Math.max(m, ctx.now_ms - p.voted_ms);
  return m;
}

function r1(x: number | null): number | null {
  return x === null ? null : Math.round(x);
}

function metrics(s: S, ctx: Ctx): Record<string, MetricValue> {
  const st = s.stats;
  const comp = compensatedNow(s);
  const locks = SERVICES.reduce((a, n) => a + Object.keys(s.prepared[n] ?? {}).length, 0);
  return {
    double_charges: st.doubleCharges,
    orphaned_payments: orphanedNow(s),
    blocked_ms: Math.round(Math.max(st.blockedMax, currentBlocked(s, ctx))),
    blocked_ms_total: Math.round(st.blockedTotal + SERVICES.reduce((a, n) => a + Object.values(s.prepared[n] ?? {}).reduce((b, p) => b + ctx.now_ms - p.voted_ms, 0), 0)),
    orders_started: st.started,
    orders_completed: st.completed,
    orders_compensated: comp,
    orders_failed: st.failed,
    orders_aborted: st.failed - comp,
    orders_pending: st.started - st.completed - st.failed,
    reconciliation_runs: s.recon.runs,
    reconciliation_repairs: st.repairs,
    orphans_detected: st.orphansDetected,
    time_to_repair_ms: { p50: r1(quantile(st.repairTimes, 50)), max: Math.round(st.repairTimes.max), count: st.repairTimes.n },
    checkout_latency_ms: { p50: r1(quantile(st.latencies, 50)), p99: r1(quantile(st.latencies, 99)), count: st.latencies.n },
    provider_dedups: st.dedups,
    compensation_steps: st.compensations,
    locks_held: locks,
    payments_in_doubt: inDoubt(s, ctx),
    late_replies: st.lateReplies,
    stock: { available: s.stock, reserved: Object.keys(s.held).length, sold: s.sold },
    consumer_lag: Object.fromEntries(Object.keys(s.consumers).map((n) => [SCOPE_OF[n]!, Math.max(0, s.log.base + s.log.events.length - (s.log.committed[n] ?? 0))])),
    settled_orders: st.settled,
  };
}

function view(s: S, ctx: Ctx): Record<string, MetricValue> {
  const services = [...SERVICES, NODES.coord, NODES.log, NODES.provider, NODES.web].map((n) => {
    const b = blockedAt(s, ctx, n);
    return {
      id: SCOPE_OF[n]!,
      node: n,
      up: alive(s, ctx, n),
      crashed: s.emuDown[n] !== undefined,
      armed: s.armed[n] ?? null,
      locks_held: b.locks,
      blocked_ms: Math.round(b.blocked),
      in_doubt: n === NODES.payment ? inDoubt(s, ctx) : b.inDoubt,
      consumer_lag: s.consumers[n] ? Math.max(0, s.consumers[n]!.headSeen - s.consumers[n]!.pos) : null,
    };
  });
  const checkouts: MetricValue[] = [];
  const ids = Object.keys(s.ledger).filter((cid) => s.ledger[cid]!.status === 'pending' || ctx.now_ms - s.ledger[cid]!.resolved_ms < 5000 || s.ledger[cid]!.orphanSince !== null);
  for (const cid of ids.slice(-40)) {
    const l = s.ledger[cid]!;
    const g = s.sagas[cid];
    const tx = s.txs[cid];
    const pay = s.payments[cid];
    checkouts.push({
      cid,
      t_ms: l.created_ms,
      status: l.status,
      reason: l.reason,
      saga: g ? { step: g.step, state: g.state, committed: g.committed.filter((c) => !c.startsWith('reason:')), compensated: g.compensated, charge_unknown: g.chargeUnknown } : null,
      tx: tx ? { decision: tx.decision, votes: { ...tx.votes }, done: [...tx.done] } : null,
      locks: SERVICES.filter((n) => s.prepared[n]?.[cid]).map((n) => SCOPE_OF[n]!),
      blocked_ms: Math.round(Math.max(0, ...SERVICES.map((n) => (s.prepared[n]?.[cid] ? ctx.now_ms - s.prepared[n]![cid]!.voted_ms : 0)))),
      payment: pay ? pay.status : null,
      charges: l.charges,
      live_charges: l.live,
      orphan: l.orphanSince !== null || l.dupSince !== null,
    });
  }
  return {
    strategy: s.strategy,
    idempotency_keys: s.idem,
    services,
    provider: { node: NODES.provider, live_charges: Object.values(s.provider.charges).filter((c) => !c.refunded).length, dedups: s.stats.dedups, latency_ms: Math.round(s.providerLatency), decline_next: s.provider.declineNext },
    log: s.strategy === 'es' ? { head: s.log.base + s.log.events.length, base: s.log.base, committed: { ...s.log.committed } } : null,
    reconciliation: { runs: s.recon.runs, last_run_ms: s.recon.lastRun_ms, open: Object.entries(s.recon.open).map(([charge, o]) => ({ charge, cid: o.cid, reason: o.reason })), repairs: s.stats.repairs },
    checkouts,
  };
}
