/**
 * FT-3 "Supply chain coordination across untrusted partners" — the protocol model.
 * See ./state.ts for the time scale (1 simulated second = 1 day) and the lots.
 *
 * Partners: the screen supplier (supplier-1), the assembler (assembler-1), the logistics
 * provider (logistics-1), the customer (customer-1) and a third party that is the escrow
 * agent or the ledger (escrow-1), depending on the strategy.
 *
 * Two Generals: from `handshake_start_day` the assembler asks the supplier to confirm the
 * schedule; every message over the lossy supplier ⇄ assembler link is acknowledged by the
 * next, and the sender of the last one never knows it arrived — the chain only stops when
 * the assembler must decide (`commit_day`). Each ack received is `ack` evidence (detail
 * depth); `certainty_reached` is never true.
 *
 * Strategies (`strategy`):
 *   contract — the supplier's word under a contract with a penalty clause: a "shipped"
 *              claim counts as supply; commit in Target/Degraded once the supplier has
 *              confirmed, decline in Floor (no way to verify). A late supplier owes the
 *              penalty — if it answers the claim.
 *   escrow   — the supplier deposits funds with an escrow agent (verified, signed); each
 *              "shipped" claim is checked by the agent against logistics' signed pickup
 *              scan. Commit only when every lot due to ship so far is verified (in any
 *              mode but Byzantine). A late or missing lot forfeits the deposit.
 *   ledger   — claims and logistics' scans are posted to a ledger; its rule (per block)
 *              accepts a claim only with a co-signed scan, and issues the customer
 *              commitment automatically when every due shipment is co-signed; collateral
 *              is slashed automatically.
 *
 * Modes are the engine's: the assembler records the `supplier_confidence` gauge (probe
 * evidence, from the supplier's track record: on-time / late lots, silence) and an
 * `accusation` when a claim fails verification.
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import type { EvidenceDetail, ModelContext, ModelDefinition, ScopeObservation } from '../../model-api';
import type { EvidenceType } from '../../../../src-shared/timeline/records';
import type { ChainState, Lot, Params, Strategy } from './state';
import { supplyAnalysis } from './analysis';

type Ctx = ModelContext;

export const SUPPLIER = 'supplier-1';
export const ASSEMBLER = 'assembler-1';
export const LOGISTICS = 'logistics-1';
export const CUSTOMER = 'customer-1';
export const THIRD = 'escrow-1';
/**
 * Every partner's scope carries the supply-confidence evidence (the gauge, missed status
 * reports, verified scans, accusations): the chain shares one view of the supplier, the one
 * the assembler measures.
 */
const GAUGE_SCOPES = ['assembler', 'supplier', 'logistics', 'customer', 'escrow'];

function readParams(ctx: Ctx): Params {
  const n = (k: string) => ctx.param<number>(k);
  return {
    strategy: ctx.param<string>('strategy') as Strategy,
    day_ms: n('day_ms'),
    lots: Math.max(1, Math.round(n('lots'))),
    units: n('units'),
    transit_days: n('transit_days'),
    ship_slack_days: n('ship_slack_days'),
    delay_p: n('delay_p'),
    delay_min_days: n('delay_min_days'),
    delay_max_days: n('delay_max_days'),
    lie_delay_days: n('lie_delay_days'),
    commit_day: n('commit_day'),
    customer_deadline_day: n('customer_deadline_day'),
    assembly_days: n('assembly_days'),
    handshake_start_day: n('handshake_start_day'),
    ack_timeout_ms: n('ack_timeout_ms'),
    status_interval_ms: n('status_interval_ms'),
    tracking_interval_ms: n('tracking_interval_ms'),
    prior_on_time: n('prior_on_time'),
    prior_late: n('prior_late'),
    silence_factor: n('silence_factor'),
    confidence_target: n('confidence_target'),
    confidence_floor: n('confidence_floor'),
    block_ms: n('block_ms'),
    customer_penalty_usd: n('customer_penalty_usd'),
    supplier_penalty_usd: n('supplier_penalty_usd'),
    escrow_deposit_usd: n('escrow_deposit_usd'),
    order_margin_usd: n('order_margin_usd'),
  };
}

const day = (s: ChainState, ms: number) => Math.round((ms / s.p.day_ms) * 10) / 10;
const nominalShip = (s: ChainState, l: Lot) => l.due_ms - (s.p.transit_days + s.p.ship_slack_days) * s.p.day_ms;

function init(ctx: Ctx): ChainState {
  const p = readParams(ctx);
  const lots: Lot[] = [];
  const per = 28 / p.lots;
  for (let k = 1; k <= p.lots; k++) {
    const due = Math.round(k * per * p.day_ms);
    const delayed = ctx.rng.chance(p.delay_p) ? ctx.rng.int(p.delay_min_days, p.delay_max_days) : 0;
    lots.push({
      k,
      units: Math.round(p.units / p.lots),
      due_ms: due,
      shipped_ms: null,
      ship_plan_ms: due - (p.transit_days + p.ship_slack_days - delayed) * p.day_ms,
      delayed_days: delayed,
      claim_ms: null,
      claim_false: false,
      claim_sent: false,
      verified: null,
      track_seen_ms: null,
      arrived_ms: null,
      outcome: null,
      claimCounted: false,
    });
  }
  return {
    p,
    lots,
    lying: false,
    ack: { depth: 0, exchanged: 0, retries: 0, sent_by: null, last_sent_depth: -1, last_received_ms: null, stopped: false, confirmed: false, seqs: [] },
    status_last_ms: 0,
    status_missed: 0,
    on_time: 0,
    late: 0,
    confidence: 0,
    gaugeSeq: -1,
    deposit_verified: false,
    depositSeq: -1,
    decision: null,
    delivered_ms: null,
    penalty_usd: 0,
    recovered_usd: 0,
    penalty_claimed: false,
    penalty_answered: false,
    false_claims_accepted: 0,
    false_claims_detected: 0,
    accused: false,
    tracking_lost: 0,
    tracking_received: 0,
    staleness_max_ms: 0,
    violated: {},
    lastSeq: {},
    phase: 'Contract signed: 100K screens by 1 March',
  };
}

function ev(s: ChainState, ctx: Ctx, type: EvidenceType, scope: string, node: string, detail: EvidenceDetail, peer?: string): number {
  const seq = ctx.evidence(type, scope, node, { detail, ...(peer ? { peer } : {}) });
  s.lastSeq[`${type}:${scope}`] = seq;
  return seq;
}

/** Records the evidence in every partner's scope; returns the assembler's seq (for citing). */
function evAll(s: ChainState, ctx: Ctx, type: EvidenceType, node: string, detail: EvidenceDetail, peer?: string): number {
  let first = -1;
  for (const scope of GAUGE_SCOPES) {
    const seq = ev(s, ctx, type, scope, node, detail, peer);
    if (scope === 'assembler') first = seq;
  }
  return first;
}

function start(s: ChainState, ctx: Ctx): void {
  const p = s.p;
  recordConfidence(s, ctx, 'prior track record');
  for (const l of s.lots) {
    ctx.setTimer(SUPPLIER, l.ship_plan_ms, 'ship', { k: l.k });
    ctx.setTimer(ASSEMBLER, l.due_ms + p.day_ms * 0.25, 'due', { k: l.k });
  }
  ctx.setTimer(SUPPLIER, p.status_interval_ms * 0.5, 'status', {});
  ctx.setTimer(ASSEMBLER, p.status_interval_ms, 'status-check', {});
  ctx.setTimer(ASSEMBLER, p.handshake_start_day * p.day_ms, 'handshake', {});
  ctx.setTimer(ASSEMBLER, p.commit_day * p.day_ms + 50, 'decide', {}); // after the day's status check
  ctx.setTimer(ASSEMBLER, p.customer_deadline_day * p.day_ms, 'deadline', {});
  if (p.strategy !== 'contract') ctx.setTimer(SUPPLIER, p.day_ms * 0.2, 'deposit', {});
  if (p.strategy === 'ledger') ctx.setTimer(THIRD, p.block_ms, 'block', {});
}

// ── confidence: the supplier's track record ───────────────────────────────────────────

function lotScore(s: ChainState, l: Lot): 'good' | 'bad' | null {
  if (l.outcome === 'on-time') return 'good';
  if (l.outcome === 'late') return 'bad';
  if (l.verified === 'no') return 'bad';
  if (s.p.strategy === 'contract' ? l.claimCounted : l.verified === 'yes') return 'good';
  return null;
}

function recordConfidence(s: ChainState, ctx: Ctx, why: string, cites: number[] = []): void {
  let good = 0;
  let bad = 0;
  for (const l of s.lots) {
    const x = lotScore(s, l);
    if (x === 'good') good += 1;
    if (x === 'bad') bad += 1;
  }
  s.on_time = good;
  s.late = bad;
  const base = (s.p.prior_on_time + good) / (s.p.prior_on_time + s.p.prior_late + good + bad);
  const silence = Math.pow(s.p.silence_factor, Math.max(0, s.status_missed - 2));
  const value = Math.round(1000 * base * silence) / 10;
  if (value === s.confidence && s.gaugeSeq >= 0) return;
  s.confidence = value;
  for (const scope of GAUGE_SCOPES) {
    const seq = ev(s, ctx, 'probe', scope, ASSEMBLER, {
      gauge: 'supplier_confidence',
      value,
      on_time: good + s.p.prior_on_time,
      late: bad + s.p.prior_late,
      missed_status: s.status_missed,
      why,
      cites,
    });
    if (scope === 'assembler') s.gaugeSeq = seq;
  }
}

// ── supplier status reports (heartbeats) ─────────────────────────────────────────────

function statusCheck(s: ChainState, ctx: Ctx): void {
  const missed = Math.floor((ctx.now_ms - s.status_last_ms) / s.p.status_interval_ms);
  if (missed > s.status_missed) {
    s.status_missed = missed;
    evAll(s, ctx, 'heartbeat-missed', ASSEMBLER, { round: missed, last_status_day: day(s, s.status_last_ms) }, 'supplier');
    if (missed >= 2) s.phase = `Supplier silent for ${missed} days`;
    recordConfidence(s, ctx, `no status report for ${missed} day(s)`, [s.lastSeq['heartbeat-missed:assembler']!]);
  }
  ctx.setTimer(ASSEMBLER, s.p.status_interval_ms, 'status-check', {});
}

function onStatus(s: ChainState, ctx: Ctx): void {
  s.status_last_ms = ctx.now_ms;
  if (s.status_missed > 0) {
    evAll(s, ctx, 'heartbeat-seen', ASSEMBLER, { after_missed: s.status_missed }, 'supplier');
    s.status_missed = 0;
    recordConfidence(s, ctx, 'status report received again');
  }
}

// ── Two Generals: the ack chain ──────────────────────────────────────────────────────

function sendAck(s: ChainState, ctx: Ctx, from: string, depth: number, retry: boolean): void {
  const to = from === ASSEMBLER ? SUPPLIER : ASSEMBLER;
  s.ack.sent_by = from;
  s.ack.last_sent_depth = depth;
  if (retry) s.ack.retries += 1;
  ctx.send(from, to, 'ack', { depth });
  ctx.setTimer(from, s.p.ack_timeout_ms, 'ack-timeout', { depth });
}

function onAck(s: ChainState, ctx: Ctx, to: string, depth: number): void {
  if (s.ack.stopped || (to === SUPPLIER && !ctx.isUp(SUPPLIER))) return;
  if (depth < s.ack.depth) return; // a duplicate of an old message
  const dup = depth === s.ack.depth && s.ack.exchanged > 0;
  if (!dup) {
    s.ack.depth = depth;
    s.ack.exchanged += 1;
    s.ack.last_received_ms = ctx.now_ms;
    const what = depth === 0 ? 'request: confirm 100K screens by 1 March' : depth === 1 ? 'supplier confirms the schedule' : `ack of ack #${depth - 1}`;
    const seq = ev(s, ctx, 'ack', to === ASSEMBLER ? 'assembler' : 'supplier', to, { depth, what, certain: false, unconfirmed_by: to === ASSEMBLER ? 'supplier' : 'assembler' }, to === ASSEMBLER ? 'supplier' : 'assembler');
    s.ack.seqs.push(seq);
    if (s.ack.seqs.length > 64) s.ack.seqs.splice(1, 1);
    if (depth === 1 && to === ASSEMBLER) s.ack.confirmed = true;
  }
  // Whoever receives depth d answers d+1 — and can never know whether that arrived.
  sendAck(s, ctx, to, depth + 1, dup);
}

function ackTimeout(s: ChainState, ctx: Ctx, node: string, depth: number): void {
  if (s.ack.stopped || s.ack.last_sent_depth !== depth || s.ack.sent_by !== node) return;
  if (s.ack.depth > depth) return;
  sendAck(s, ctx, node, depth, true);
}

// ── shipments, tracking, verification ────────────────────────────────────────────────

function ship(s: ChainState, ctx: Ctx, l: Lot, late: boolean): void {
  if (!ctx.isUp(SUPPLIER)) return;
  if (s.lying && !late && l.shipped_ms === null) {
    // Byzantine supplier: claims the lot shipped on time, hands it over days later.
    l.claim_false = true;
    sendClaim(s, ctx, l);
    ctx.setTimer(SUPPLIER, s.p.lie_delay_days * s.p.day_ms, 'ship-late', { k: l.k });
    return;
  }
  if (l.shipped_ms !== null) return;
  l.shipped_ms = ctx.now_ms;
  ctx.send(SUPPLIER, LOGISTICS, 'pickup', { k: l.k });
  if (!l.claim_ms) sendClaim(s, ctx, l);
}

function sendClaim(s: ChainState, ctx: Ctx, l: Lot): void {
  l.claim_sent = true;
  ctx.send(SUPPLIER, ASSEMBLER, 'shipped', { k: l.k, day: day(s, ctx.now_ms) });
  if (s.p.strategy === 'ledger') ctx.send(SUPPLIER, THIRD, 'post-claim', { k: l.k });
}

function onClaim(s: ChainState, ctx: Ctx, k: number): void {
  const l = s.lots[k - 1];
  if (!l || l.claim_ms !== null) return;
  l.claim_ms = ctx.now_ms;
  const seq = ev(s, ctx, 'version', 'assembler', ASSEMBLER, { claim: 'shipped', lot: k, day: day(s, ctx.now_ms), signed_by: 'supplier', verified: false }, 'supplier');
  if (s.p.strategy === 'contract') {
    l.claimCounted = true;
    if (l.claim_false) {
      s.false_claims_accepted += 1;
      if (!s.violated['no-false-claim']) {
        s.violated['no-false-claim'] = true;
        ctx.violation('no-false-claim', `A false "lot ${k} shipped" claim was counted as supply on the supplier's word (no pickup scan exists)`, [seq]);
      }
    }
    recordConfidence(s, ctx, `lot ${k} claimed shipped (supplier's word)`, [seq]);
  } else if (s.p.strategy === 'escrow') {
    ctx.send(ASSEMBLER, THIRD, 'verify', { k });
    ctx.setTimer(ASSEMBLER, s.p.day_ms, 'verify-timeout', { k });
  }
}

function onVerified(s: ChainState, ctx: Ctx, k: number, ok: boolean, via: string): void {
  const l = s.lots[k - 1];
  if (!l || l.verified !== null) return;
  l.verified = ok ? 'yes' : 'no';
  if (ok) {
    const seq = evAll(s, ctx, 'sig-verified', ASSEMBLER, { lot: k, scan: 'pickup', signed_by: 'logistics', via }, 'logistics');
    recordConfidence(s, ctx, `lot ${k} pickup scan verified`, [seq]);
    return;
  }
  s.false_claims_detected += 1;
  const failed = ev(s, ctx, 'sig-failed', 'assembler', ASSEMBLER, { lot: k, claim: 'shipped', scan: 'none', via }, 'supplier');
  if (!s.accused) {
    s.accused = true;
    s.phase = `Supplier's "lot ${k} shipped" has no pickup scan: accused`;
    for (const scope of GAUGE_SCOPES) ev(s, ctx, 'accusation', scope, ASSEMBLER, { accused: 'supplier', lot: k, reason: 'shipped claim without logistics pickup scan', cites: [failed] }, 'supplier');
  }
  recordConfidence(s, ctx, `lot ${k} claim failed verification`, [failed]);
}

function track(s: ChainState, ctx: Ctx, k: number): void {
  const l = s.lots[k - 1]!;
  if (l.arrived_ms !== null) return;
  ctx.send(LOGISTICS, ASSEMBLER, 'tracking', { k, scan_ms: ctx.now_ms });
  ctx.setTimer(LOGISTICS, s.p.tracking_interval_ms, 'track', { k });
}

function arrive(s: ChainState, ctx: Ctx, k: number): void {
  const l = s.lots[k - 1]!;
  l.arrived_ms = ctx.now_ms;
  const onTime = ctx.now_ms <= l.due_ms;
  const wasLate = l.outcome === 'late';
  l.outcome = onTime ? 'on-time' : 'late';
  const seq = evAll(s, ctx, 'sig-verified', ASSEMBLER, { lot: k, receipt: 'goods received', day: day(s, ctx.now_ms), due_day: day(s, l.due_ms), on_time: onTime }, 'logistics');
  if (!wasLate) recordConfidence(s, ctx, `lot ${k} received ${onTime ? 'on time' : 'late'}`, [seq]);
  if (s.lots.every((x) => x.arrived_ms !== null)) {
    const done = ctx.now_ms + s.p.assembly_days * s.p.day_ms;
    ctx.setTimer(ASSEMBLER, done - ctx.now_ms, 'assembled', {});
  }
}

function due(s: ChainState, ctx: Ctx, k: number): void {
  const l = s.lots[k - 1]!;
  if (l.arrived_ms !== null) return;
  l.outcome = 'late';
  const seq = ev(s, ctx, 'lease-expiry', 'assembler', ASSEMBLER, { lot: k, due_day: day(s, l.due_ms), overdue: true, claimed: l.claim_ms !== null }, 'supplier');
  s.phase = `Lot ${k} overdue (due day ${day(s, l.due_ms)})`;
  recordConfidence(s, ctx, `lot ${k} overdue`, [seq]);
  if (s.p.strategy !== 'contract' && s.deposit_verified) {
    ev(s, ctx, 'quorum-cert', 'assembler', THIRD, { forfeit: s.p.strategy === 'ledger' ? 'collateral slashed by the ledger rule' : 'escrow deposit released to the assembler', lot: k, usd: s.p.escrow_deposit_usd }, 'supplier');
    if (s.recovered_usd === 0) s.recovered_usd = s.p.escrow_deposit_usd;
  }
}

// ── the customer commitment ──────────────────────────────────────────────────────────

function decide(s: ChainState, ctx: Ctx): void {
  if (s.decision) return;
  const mode = ctx.modeOf('assembler');
  const now = ctx.now_ms;
  const dueToShip = s.lots.filter((l) => nominalShip(s, l) <= now);
  const unverified = dueToShip.filter((l) => l.verified !== 'yes').map((l) => l.k);
  let made: boolean;
  let basis: string;
  if (s.p.strategy === 'contract') {
    made = s.ack.confirmed && mode !== 'Floor' && mode !== 'Byzantine';
    basis = !s.ack.confirmed
      ? 'the supplier never confirmed the schedule'
      : made
        ? `supplier confirmed (ack chain depth ${s.ack.depth}, certainty never reached); ${mode}: the penalty clause covers the rest`
        : `${mode}: the supplier's word is not enough and a contract cannot verify`;
  } else {
    const ok = s.ack.confirmed && s.deposit_verified && unverified.length === 0 && mode !== 'Byzantine';
    made = ok;
    basis = ok
      ? `${s.p.strategy === 'ledger' ? 'ledger rule' : 'escrow'}: deposit verified, every lot due to ship (${dueToShip.map((l) => l.k).join(', ') || 'none'}) has a signed pickup scan`
      : mode === 'Byzantine'
        ? 'a partner lied: a shipped claim failed verification'
        : !s.deposit_verified
          ? 'no verified deposit'
          : unverified.length
            ? `lot(s) ${unverified.join(', ')} due to ship but not verified`
            : 'the supplier never confirmed the schedule';
  }
  // Ground truth (the monitor): was the supply really secured so far?
  const supply_ok = ctx.isUp(SUPPLIER) && !s.lying && dueToShip.every((l) => l.shipped_ms !== null && !l.claim_false);
  const seq = ev(s, ctx, made ? 'quorum-cert' : 'write-refused', 'customer', ASSEMBLER, { commitment: made ? 'deliver 15 March' : 'declined', basis, mode, acks: s.ack.exchanged, depth: s.ack.depth, certain: false }, 'customer');
  ev(s, ctx, made ? 'quorum-cert' : 'write-refused', 'assembler', ASSEMBLER, { commitment: made ? 'deliver 15 March' : 'declined', basis, mode }, 'customer');
  s.decision = { t_ms: now, made, basis, supply_ok, seq };
  s.ack.stopped = true;
  s.phase = made ? `Committed to the customer: 15 March (${mode})` : `Declined the customer's date (${mode})`;
  if (made) ctx.send(ASSEMBLER, CUSTOMER, 'commit', { deadline_day: s.p.customer_deadline_day });
  if (made && !supply_ok && !s.violated['commit-with-confirmed-supply']) {
    s.violated['commit-with-confirmed-supply'] = true;
    const missing = dueToShip.filter((l) => l.shipped_ms === null || l.claim_false).map((l) => l.k);
    ctx.violation(
      'commit-with-confirmed-supply',
      `Committed to the customer without confirmed supply: ${!ctx.isUp(SUPPLIER) ? 'the supplier is silent' : ''}${missing.length ? `${!ctx.isUp(SUPPLIER) ? '; ' : ''}lot(s) ${missing.join(', ')} due to ship are not shipped` : ''} (ack chain depth ${s.ack.depth}, never certain)`,
      [seq, ...s.ack.seqs.slice(-3)],
    );
  }
}

function deadline(s: ChainState, ctx: Ctx): void {
  if (!s.decision?.made) return;
  if (s.delivered_ms !== null && s.delivered_ms <= ctx.now_ms) return;
  s.penalty_usd = s.p.customer_penalty_usd;
  const missing = s.lots.filter((l) => l.arrived_ms === null).map((l) => l.k);
  const seq = ev(s, ctx, 'lease-expiry', 'customer', CUSTOMER, { deadline: '15 March', delivered: false, penalty_usd: s.penalty_usd, lots_missing: missing.length }, 'assembler');
  s.phase = `15 March missed: $${s.penalty_usd / 1e6}M penalty`;
  if (!s.violated['customer-deadline']) {
    s.violated['customer-deadline'] = true;
    ctx.violation('customer-deadline', `The committed order was not delivered by 15 March (${missing.length ? `lots ${missing.join(', ')} never arrived` : 'assembly still running'}): $${s.penalty_usd / 1e6}M penalty`, [seq, s.decision.seq]);
  }
  if (s.p.strategy === 'contract' && !s.penalty_claimed) {
    s.penalty_claimed = true;
    claimPenalty(s, ctx, 0);
  }
}

/** Contract: claim the supplier's penalty, resent daily (the channel is lossy) until answered. */
function claimPenalty(s: ChainState, ctx: Ctx, attempt: number): void {
  if (s.penalty_answered || attempt > 5) return;
  ctx.send(ASSEMBLER, SUPPLIER, 'penalty-claim', { usd: s.p.supplier_penalty_usd });
  ctx.setTimer(ASSEMBLER, s.p.day_ms, 'penalty-retry', { attempt: attempt + 1 });
}

function tick(s: ChainState, ctx: Ctx): void {
  for (const l of s.lots) {
    if (l.shipped_ms === null || l.arrived_ms !== null) continue;
    const seen = l.track_seen_ms ?? l.shipped_ms;
    const st = ctx.now_ms - seen;
    if (st > s.staleness_max_ms) s.staleness_max_ms = Math.round(st);
  }
}

function staleness(s: ChainState, now: number): number | null {
  let worst: number | null = null;
  for (const l of s.lots) {
    if (l.shipped_ms === null || l.arrived_ms !== null) continue;
    const st = now - (l.track_seen_ms ?? l.shipped_ms);
    worst = worst === null ? st : Math.max(worst, st);
  }
  return worst;
}

// ── observed G-vector ────────────────────────────────────────────────────────────────

function observe(s: ChainState, ctx: Ctx, _scope: string): ScopeObservation {
  const p = s.p;
  const g = s.gaugeSeq >= 0 ? [s.gaugeSeq] : [];
  const hb = s.lastSeq['heartbeat-missed:assembler'];
  const silent = s.status_missed >= 2;
  const failed = s.lots.some((l) => l.verified === 'no');
  const verified = s.lots.filter((l) => l.verified === 'yes').length;
  const st = staleness(s, ctx.now_ms);
  const statusAge = ctx.now_ms - s.status_last_ms;
  const acks = s.ack.seqs.slice(-1);
  // Recency in whole days of staleness (a bound, not a stopwatch: it changes when a day is lost).
  const days = (x: number) => Math.max(1, Math.ceil(x / p.day_ms - 1e-9));
  const bs = (x: number) => `BS(${(days(x) * p.day_ms) / 1000}s)`;
  const strong = p.strategy !== 'contract';
  return {
    scope: silent
      ? { value: 'Range', basis: `supplier silent for ${s.status_missed} days: the chain is seen without it`, evidence: hb !== undefined ? [hb] : [] }
      : { value: 'Global', basis: 'every partner heard within the last day', evidence: g },
    order: p.strategy === 'ledger' && s.deposit_verified
      ? { value: 'Lx', basis: 'commitments and scans totally ordered by the ledger (block-confirmed)', evidence: s.depositSeq >= 0 ? [s.depositSeq] : [] }
      : s.ack.confirmed
        ? { value: 'Causal', basis: `ack chain depth ${s.ack.depth}: each ack follows the one it answers; no common knowledge`, evidence: acks }
        : s.ack.retries === 0
          ? // The request is on its way or answered on time: every delivered message follows
            // the one it answers, so the chain is causal so far (no claim broken at t = 0).
            { value: 'Causal', basis: `schedule requested, ${s.ack.exchanged} message(s) delivered, no resend yet: the chain is intact`, evidence: acks }
          : { value: 'None', basis: `the supplier has not confirmed the schedule after ${s.ack.retries} resend(s)`, evidence: acks },
    visibility: failed || silent
      ? { value: 'Fractured', basis: failed ? "the supplier's claim and logistics' scan disagree" : 'no status from the supplier: partners hold different views', evidence: g }
      : p.strategy === 'ledger'
        ? { value: 'SI', basis: 'one ledger snapshot per block, shared by every partner', evidence: g }
        : p.strategy === 'escrow'
          ? { value: 'RA', basis: 'the escrow agent checks deposit and scan together', evidence: g }
          : { value: 'Fractured', basis: "each partner keeps its own records; claims are not reconciled", evidence: g },
    recency: silent && s.status_missed >= 3
      ? { value: 'EO', basis: `no status for ${s.status_missed} days: no bound on how stale the supplier's picture is`, evidence: hb !== undefined ? [hb] : [] }
      : st === null
        ? { value: bs(statusAge), basis: `last supplier status ${day(s, statusAge)} day(s) ago; nothing in transit`, evidence: g }
        : strong && verified > 0 && days(st) <= 1 && !failed
          ? { value: 'Fresh(signed_scan)', basis: `tracking scans at most ${day(s, st)} day old, pickups verified`, evidence: g }
          : { value: bs(st), basis: `tracking of lots in transit is ${day(s, st)} day(s) stale (lossy/late updates)`, evidence: g },
    idempotence: strong
      ? { value: 'Idem(lot)', basis: 'claims, scans and payouts keyed by lot: a repeated claim counts once' }
      : { value: 'None', basis: 'claims by message: a resend or a duplicate is not keyed' },
    auth: failed
      ? { value: 'Unauth', basis: "a signed 'shipped' claim was contradicted by logistics: the supplier's signature proves nothing", evidence: s.lastSeq['sig-failed:assembler'] !== undefined ? [s.lastSeq['sig-failed:assembler']] : [] }
      : strong && (verified > 0 || s.deposit_verified)
        ? { value: 'Auth(signed_scan)', basis: `${verified} pickup scan(s) signed by logistics verified${s.deposit_verified ? ', deposit verified' : ''}`, evidence: s.lastSeq['sig-verified:assembler'] !== undefined ? [s.lastSeq['sig-verified:assembler']] : g }
        : silent
          ? { value: 'Unauth', basis: 'the supplier is silent: no claim to authenticate', evidence: hb !== undefined ? [hb] : [] }
          : { value: 'Auth(contract)', basis: "the supplier's word under the contract (unverified claims)", evidence: g },
  };
}

function metrics(s: ChainState, ctx: Ctx): Record<string, MetricValue> {
  const st = staleness(s, ctx.now_ms);
  const d = s.decision;
  const lost = d && !d.made ? s.p.order_margin_usd : 0;
  return {
    customer_commitment_made: d ? (d.made ? 1 : 0) : null,
    commitment: d ? { made: d.made, day: Math.floor(d.t_ms / s.p.day_ms), basis: d.basis, supply_confirmed: d.supply_ok } : null,
    commit_without_supply: d ? (d.made && !d.supply_ok ? 1 : 0) : null,
    penalty_usd: s.penalty_usd,
    // A deposit or a penalty covers the assembler's damage, not more.
    penalty_recovered_usd: Math.min(s.recovered_usd, s.penalty_usd + lost),
    lost_order_usd: lost,
    net_cost_usd: Math.max(0, s.penalty_usd + lost - s.recovered_usd),
    acks_exchanged: s.ack.exchanged,
    ack_retries: s.ack.retries,
    ack_depth: s.ack.depth,
    certainty_reached: false,
    last_ack_unconfirmed: s.ack.exchanged > 0 ? (s.ack.sent_by === ASSEMBLER ? 'assembler' : 'supplier') : null,
    supplier_confirmed: s.ack.confirmed,
    supplier_confidence: s.confidence,
    status_missed_days: s.status_missed,
    tracking_staleness_ms: st,
    tracking_staleness_max_ms: s.staleness_max_ms,
    tracking: { received: s.tracking_received, lost_or_late: s.tracking_lost },
    lots: {
      total: s.lots.length,
      shipped: s.lots.filter((l) => l.shipped_ms !== null).length,
      delivered: s.lots.filter((l) => l.arrived_ms !== null).length,
      on_time: s.lots.filter((l) => l.outcome === 'on-time').length,
      late: s.lots.filter((l) => l.outcome === 'late').length,
      verified: s.lots.filter((l) => l.verified === 'yes').length,
      delayed_without_notice: s.lots.filter((l) => l.delayed_days > 0).length,
    },
    false_claims_accepted: s.false_claims_accepted,
    false_claims_detected: s.false_claims_detected,
    deposit_verified: s.deposit_verified,
    delivered_day: s.delivered_ms !== null ? day(s, s.delivered_ms) : null,
    customer_late: d?.made ? (s.penalty_usd > 0 ? 1 : s.delivered_ms !== null ? 0 : null) : null,
  };
}

export const supplyChainModel: ModelDefinition<ChainState> = {
  id: 'supply-chain',
  byzantineBehaviors: ['false-shipped'],
  init,
  start,
  onMessage(s, ctx, to, _from, kind, body) {
    const b = body as { k: number; depth: number; scan_ms: number; ok: boolean; found: boolean; usd: number };
    if (kind === 'ack') return onAck(s, ctx, to, b.depth);
    if (to === ASSEMBLER) {
      if (kind === 'status') {
        onStatus(s, ctx);
        // The daily status repeats the lots the supplier says it shipped (a lost claim is not lost for long).
        for (const k of (body as { shipped: number[] }).shipped) onClaim(s, ctx, k);
        return;
      }
      if (kind === 'shipped') return onClaim(s, ctx, b.k);
      if (kind === 'verified') return onVerified(s, ctx, b.k, b.ok, s.p.strategy === 'ledger' ? 'ledger rule' : 'escrow agent');
      if (kind === 'deposit-verified' && !s.deposit_verified) {
        s.deposit_verified = true;
        s.depositSeq = ev(s, ctx, 'sig-verified', 'assembler', ASSEMBLER, { deposit_usd: s.p.escrow_deposit_usd, signed_by: s.p.strategy === 'ledger' ? 'ledger' : 'escrow agent' }, 'supplier');
        return;
      }
      if (kind === 'tracking') {
        const l = s.lots[b.k - 1];
        if (!l) return;
        s.tracking_received += 1;
        if (ctx.now_ms - b.scan_ms > s.p.tracking_interval_ms) s.tracking_lost += 1;
        if (l.track_seen_ms === null || b.scan_ms > l.track_seen_ms) l.track_seen_ms = b.scan_ms;
        return;
      }
      if (kind === 'penalty-paid') {
        if (s.penalty_answered) return;
        s.penalty_answered = true;
        s.recovered_usd = b.usd;
        ev(s, ctx, 'ack', 'assembler', ASSEMBLER, { penalty_paid_usd: b.usd }, 'supplier');
        return;
      }
      if (kind === 'dispute') {
        if (s.penalty_answered) return;
        s.penalty_answered = true;
        ev(s, ctx, 'write-refused', 'assembler', ASSEMBLER, { penalty_disputed: true, claim: 'supplier says the lots shipped on time' }, 'supplier');
        return;
      }
      return;
    }
    if (to === SUPPLIER && kind === 'penalty-claim') {
      return ctx.send(SUPPLIER, ASSEMBLER, s.lying ? 'dispute' : 'penalty-paid', { usd: b.usd });
    }
    if (to === LOGISTICS) {
      if (kind === 'pickup') {
        ctx.setTimer(LOGISTICS, s.p.tracking_interval_ms * 0.5, 'track', { k: b.k });
        ctx.setTimer(LOGISTICS, s.p.transit_days * s.p.day_ms, 'arrive', { k: b.k });
        if (s.p.strategy === 'ledger') ctx.send(LOGISTICS, THIRD, 'post-scan', { k: b.k });
        return;
      }
      if (kind === 'scan?') {
        const l = s.lots[b.k - 1];
        return ctx.send(LOGISTICS, THIRD, 'scan', { k: b.k, found: !!l && l.shipped_ms !== null });
      }
      return;
    }
    if (to === THIRD) {
      if (kind === 'deposit') return ctx.send(THIRD, ASSEMBLER, 'deposit-verified', {});
      if (kind === 'verify') return ctx.send(THIRD, LOGISTICS, 'scan?', { k: b.k });
      if (kind === 'scan') return ctx.send(THIRD, ASSEMBLER, 'verified', { k: b.k, ok: b.found });
      if (kind === 'post-claim' || kind === 'post-scan') {
        const l = s.lots[b.k - 1];
        if (!l) return;
        const key = kind === 'post-claim' ? `claim:${b.k}` : `scan:${b.k}`;
        if (s.lastSeq[`ledger:${key}`] === undefined) s.lastSeq[`ledger:${key}`] = ctx.now_ms;
      }
    }
  },
  onTimer(s, ctx, node, name, data) {
    const d = data as { k: number; depth: number };
    if (node === SUPPLIER) {
      if (name === 'status') {
        ctx.send(SUPPLIER, ASSEMBLER, 'status', { on_track: true, shipped: s.lots.filter((l) => l.claim_sent).map((l) => l.k) });
        ctx.setTimer(SUPPLIER, s.p.status_interval_ms, 'status', {});
        return;
      }
      if (name === 'ship') return ship(s, ctx, s.lots[d.k - 1]!, false);
      if (name === 'ship-late') return ship(s, ctx, s.lots[d.k - 1]!, true);
      if (name === 'deposit') return ctx.send(SUPPLIER, THIRD, 'deposit', { usd: s.p.escrow_deposit_usd });
      if (name === 'ack-timeout') return ackTimeout(s, ctx, node, d.depth);
      return;
    }
    if (node === ASSEMBLER) {
      if (name === 'status-check') return statusCheck(s, ctx);
      if (name === 'handshake') {
        s.phase = 'Asking the supplier to confirm (Two Generals)';
        return sendAck(s, ctx, ASSEMBLER, 0, false);
      }
      if (name === 'ack-timeout') return ackTimeout(s, ctx, node, d.depth);
      if (name === 'due') return due(s, ctx, d.k);
      if (name === 'decide') return decide(s, ctx);
      if (name === 'deadline') return deadline(s, ctx);
      if (name === 'penalty-retry') return claimPenalty(s, ctx, (data as { attempt: number }).attempt);
      if (name === 'verify-timeout') {
        const l = s.lots[d.k - 1];
        if (l && l.verified === null && !s.decision) {
          ctx.send(ASSEMBLER, THIRD, 'verify', { k: d.k });
          ctx.setTimer(ASSEMBLER, s.p.day_ms, 'verify-timeout', { k: d.k });
        }
        return;
      }
      if (name === 'assembled') {
        s.delivered_ms = ctx.now_ms + 0; // assembly done; the phones are flown to the customer
        ctx.setTimer(CUSTOMER, 0, 'received', {});
        return;
      }
      return;
    }
    if (node === LOGISTICS) {
      if (name === 'track') return track(s, ctx, d.k);
      if (name === 'arrive') return arrive(s, ctx, d.k);
      return;
    }
    if (node === CUSTOMER && name === 'received') {
      ev(s, ctx, 'sig-verified', 'customer', CUSTOMER, { received: 'phones', day: day(s, ctx.now_ms), on_time: ctx.now_ms <= s.p.customer_deadline_day * s.p.day_ms }, 'assembler');
      return;
    }
    if (node === THIRD && name === 'block') {
      // Ledger rule, once per block: a claim is accepted only with logistics' co-signed scan;
      // a claim still without one after two blocks is rejected.
      for (const l of s.lots) {
        const c = s.lastSeq[`ledger:claim:${l.k}`];
        if (c === undefined || l.verified !== null || s.lastSeq[`ledger:sent:${l.k}`] !== undefined) continue;
        const scan = s.lastSeq[`ledger:scan:${l.k}`];
        if (scan !== undefined) {
          s.lastSeq[`ledger:sent:${l.k}`] = 1;
          ctx.send(THIRD, ASSEMBLER, 'verified', { k: l.k, ok: true });
        } else if (ctx.now_ms - c >= 2 * s.p.block_ms) {
          s.lastSeq[`ledger:sent:${l.k}`] = 1;
          ctx.send(THIRD, ASSEMBLER, 'verified', { k: l.k, ok: false });
        }
      }
      ctx.setTimer(THIRD, s.p.block_ms, 'block', {});
    }
  },
  onCrash(s, _ctx, node) {
    if (node === SUPPLIER) s.phase = 'Supplier silent';
  },
  onRestart(s, ctx, node) {
    if (node !== SUPPLIER) return;
    ctx.setTimer(SUPPLIER, s.p.status_interval_ms * 0.5, 'status', {});
    for (const l of s.lots) if (l.shipped_ms === null) ctx.setTimer(SUPPLIER, Math.max(0, l.ship_plan_ms - ctx.now_ms), 'ship-late', { k: l.k });
  },
  onByzantine(s, _ctx, node, behavior) {
    if (node === SUPPLIER && behavior === 'false-shipped') s.lying = true;
  },
  tick,
  leader: () => ASSEMBLER,
  observe,
  roles() {
    return { [SUPPLIER]: 'supplier', [ASSEMBLER]: 'assembler', [LOGISTICS]: 'logistics', [CUSTOMER]: 'customer', [THIRD]: 'escrow / ledger' };
  },
  viewExtras(s, ctx) {
    return {
      phase: s.phase,
      strategy: s.p.strategy,
      day: day(s, ctx.now_ms),
      confidence: s.confidence,
      acks: s.ack.exchanged,
      lots: s.lots.map((l) => ({ k: l.k, due_day: day(s, l.due_ms), shipped: l.shipped_ms !== null, claimed: l.claim_ms !== null, verified: l.verified, arrived: l.arrived_ms !== null, outcome: l.outcome })),
      commitment: s.decision ? (s.decision.made ? 'committed' : 'declined') : null,
    };
  },
  metrics,
  analysis: supplyAnalysis,
};
