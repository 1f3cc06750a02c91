/**
 * The reconciliation job, the invariant monitors, the per-scope gauges and the settling
 * of finished orders.
 *
 * Reconciliation (runs on the order service every reconcile_every_ms): list the live
 * charges at the provider and compare them with the orders. A charge for an order that
 * failed (or does not exist) is an orphaned payment; a second live charge for a completed
 * order is a double charge. Both are repaired by a refund through the provider (evidence
 * `merge`: the provider's truth merged back into ours). The time from the moment the
 * strong-form invariant broke to the repair is the time-to-repair. The orphans_open gauge
 * (Recovery while > 0) returns to 0 when the next run verifies that nothing is left.
 */
import { alive, ev, floor125, gauge, num, type Ctx, type S } from './common';
import { inDoubt } from './payments';
import { blockedAt } from './twopc';
import { EVENT_TYPES } from './events';
import { NODES, SCOPE_OF, SERVICES } from './state';

export function reconcileStart(s: S, ctx: Ctx): void {
  s.recon.runs += 1;
  s.recon.lastRun_ms = ctx.now_ms;
  ctx.send(NODES.order, NODES.provider, 'list-charges', {});
}

export function reconcileCompare(s: S, ctx: Ctx, list: { chargeId: string; cid: string; t_ms: number }[]): void {
  const kept: Record<string, string> = {};
  const found: string[] = [];
  for (const c of [...list].sort((a, b) => a.t_ms - b.t_ms)) {
    if (s.recon.open[c.chargeId]) continue;
    const o = s.orders[c.cid];
    let reason = '';
    if (!o || o.status === 'failed') reason = o ? `order failed (${o.reason})` : 'no such order';
    else if (o.status === 'completed') {
      if (kept[c.cid] === undefined) kept[c.cid] = c.chargeId;
      else reason = `second charge for completed order (first ${kept[c.cid]})`;
    }
    if (!reason) continue;
    s.recon.open[c.chargeId] = { cid: c.cid, detected_ms: ctx.now_ms, reason };
    s.stats.orphansDetected += 1;
    found.push(c.chargeId);
    ctx.send(NODES.order, NODES.provider, 'refund', { chargeId: c.chargeId, cid: c.cid, why: 'reconciliation' });
  }
  const open = Object.keys(s.recon.open).length;
  // Open while found or being refunded; back to 0 only when a later run verifies a clean ledger.
  if (found.length > 0 || open === 0) {
    for (const scope of ['order', 'payment']) gauge(s, ctx, scope, NODES.order, 'orphans_open', open);
  }
}

export function reconcileRefunded(s: S, ctx: Ctx, body: { chargeId: string; cid: string; ok: boolean }): void {
  const o = s.recon.open[body.chargeId];
  if (!o) return;
  delete s.recon.open[body.chargeId];
  s.stats.repairs += 1;
  ev(ctx, 'merge', NODES.order, { repair: 'refund', cid: body.cid, charge: body.chargeId, reason: o.reason, detected_ms: o.detected_ms, refunded: body.ok }, 'provider');
}

// ---- monitors (omniscient; once per problem) ----------------------------------------------

export function monitors(s: S, ctx: Ctx): void {
  const tmax = num(ctx, 't_max_ms');
  const bound = num(ctx, 'repair_bound_ms');
  for (const [cid, l] of Object.entries(s.ledger)) {
    if (l.status === 'pending' && ctx.now_ms - l.created_ms > tmax && !l.reported.includes('tmax')) {
      l.reported.push('tmax');
      ctx.violation('orders-resolve', `${cid} still pending ${Math.round((ctx.now_ms - l.created_ms) / 1000)}s after checkout (T_max ${tmax / 1000}s)`, []);
    }
    const since = l.orphanSince ?? l.dupSince;
    if (since !== null && ctx.now_ms - since > bound && !l.reported.includes('repair')) {
      l.reported.push('repair');
      ctx.violation('repair-within-bound', `${cid}: ${l.orphanSince !== null ? 'orphaned payment' : 'double charge'} not repaired within ${bound / 1000}s`, []);
    }
    if (l.status === 'failed' && l.held && ctx.now_ms - l.resolved_ms > tmax && !l.reported.includes('stock')) {
      l.reported.push('stock');
      ctx.violation('no-lost-inventory', `${cid}: order failed ${Math.round((ctx.now_ms - l.resolved_ms) / 1000)}s ago but its unit is still reserved (stock lost)`, []);
    }
  }
  const total = s.stock + Object.keys(s.held).length + s.sold;
  if (total !== num(ctx, 'initial_stock') && !s.gauges['|stock-violation']) {
    s.gauges['|stock-violation'] = 1;
    ctx.violation('no-lost-inventory', `stock does not add up: available ${s.stock} + reserved ${Object.keys(s.held).length} + sold ${s.sold} ≠ ${num(ctx, 'initial_stock')}`, []);
  }
}

/** Gauges each service measures about itself (probes on change; blocked_ms every second while blocked). */
export function measure(s: S, ctx: Ctx): void {
  for (const node of SERVICES) {
    if (!alive(s, ctx, node)) continue;
    const scope = SCOPE_OF[node]!;
    if (s.strategy === '2pc') {
      const b = blockedAt(s, ctx, node);
      const blocked = b.blocked < 1000 ? 0 : floor125(b.blocked);
      gauge(s, ctx, scope, node, 'blocked_ms', blocked);
      if (node !== NODES.payment) gauge(s, ctx, scope, node, 'in_doubt', b.inDoubt);
      else gauge(s, ctx, scope, node, 'in_doubt', b.inDoubt + inDoubt(s, ctx));
    } else if (node === NODES.payment) gauge(s, ctx, scope, node, 'in_doubt', inDoubt(s, ctx));
  }
  // The orchestrator is in doubt about a charge it is still retrying (no reply: charged or not?).
  if (s.strategy === 'saga' && alive(s, ctx, NODES.coord)) {
    let n = 0;
    for (const g of Object.values(s.sagas)) if (g.state === 'running' && g.step === 3 && g.attempt > 1) n++;
    gauge(s, ctx, 'coordinator', NODES.coord, 'in_doubt', n);
  }
}

/** Services watch their upstream: the coordinator's pings (saga, 2PC) or the log's batches (ES). */
export function heartbeatRound(s: S, ctx: Ctx): void {
  const hb = num(ctx, 'heartbeat_ms');
  const round = ++s.hbRound;
  const peer = s.strategy === 'es' ? 'log' : 'coordinator';
  for (const node of SERVICES) {
    if (!alive(s, ctx, node)) continue;
    const scope = SCOPE_OF[node]!;
    if (ctx.now_ms - (s.heard[node] ?? 0) <= 1.5 * hb) {
      if ((s.missStreak[node] ?? 0) > 0) ev(ctx, 'heartbeat-seen', node, { round }, peer);
      s.missStreak[node] = 0;
      s.missEv[node] = [];
    } else {
      s.missStreak[node] = (s.missStreak[node] ?? 0) + 1;
      const seq = ctx.evidence('heartbeat-missed', scope, node, { peer, detail: { round, in_a_row: s.missStreak[node]! } });
      s.missEv[node] = [...(s.missEv[node] ?? []), seq].slice(-3);
    }
  }
}

// ---- settling ---------------------------------------------------------------------------

/** Forgets orders nothing can change any more; keeps counters. */
export function settle(s: S, ctx: Ctx): void {
  const after = num(ctx, 'repair_bound_ms') + num(ctx, 'reconcile_every_ms');
  const byCid: Record<string, string[]> = {};
  for (const [id, c] of Object.entries(s.provider.charges)) (byCid[c.cid] ??= []).push(id);
  for (const [cid, l] of Object.entries(s.ledger)) {
    if (l.status === 'pending' || ctx.now_ms - l.resolved_ms < after) continue;
    if (l.held || l.orphanSince !== null || l.dupSince !== null) continue;
    if (l.live !== (l.status === 'completed' ? 1 : 0) && !(l.status === 'completed' && l.live === 0)) continue;
    if (s.sagas[cid] || s.txs[cid] || s.payments[cid]?.status === 'intent') continue;
    if (SERVICES.some((n) => s.prepared[n]?.[cid])) continue;
    if (Object.values(s.outbox).some((box) => box.some((e) => e.cid === cid))) continue;
    if ((byCid[cid] ?? []).some((id) => s.recon.open[id])) continue;
    if (s.strategy === 'es') {
      // Every consumer must have committed past this order's last event (no redelivery can revive it).
      const last = Math.max(...EVENT_TYPES.map((t) => s.log.ids[`${t}:${cid}`] ?? -1));
      if (Object.keys(s.consumers).some((c) => (s.log.committed[c] ?? 0) <= last)) continue;
    }
    if (l.status === 'failed' && l.compensations > 0) s.stats.compensated += 1;
    s.stats.settled += 1;
    delete s.ledger[cid];
    delete s.orders[cid];
    delete s.payments[cid];
    for (const id of byCid[cid] ?? []) delete s.provider.charges[id];
    for (const op of ['charge', 'authorize', 'capture']) delete s.provider.byKey[`${cid}/${op}`];
    for (const t of EVENT_TYPES) {
      delete s.log.ids[`${t}:${cid}`];
      for (const n of Object.keys(s.processed)) delete s.processed[n]![`${t}:${cid}`];
    }
  }
}

export function compensatedNow(s: S): number {
  let n = s.stats.compensated;
  for (const l of Object.values(s.ledger)) if (l.status === 'failed' && l.compensations > 0) n++;
  return n;
}
