/**
 * MT-2 checkout view: tolerant readers for the model's drawing data (`Frame.extras`) and
 * the state the room must see, derived from extras and timeline evidence:
 *  - the saga chain: forward steps, the failing step, and the compensations that ran in
 *    reverse (from the orchestrator's `ack` evidence, which outlives the saga record);
 *  - 2PC: the prepare votes, the decision (or none: coordinator crashed), the
 *    participants holding locks and for how long;
 *  - the uncertainty window between the provider's charge and the local record, and the
 *    reconciliation job's open orphans and repairs.
 * Pure.
 */
import type { MetricValue } from '../../../src-shared/ipc/frames';
import type { TimelineRecord } from '../../../src-shared/timeline/records';
import { isObj, num, str } from './extras';

export interface ServiceInfo {
  id: string;
  node: string;
  up: boolean;
  crashed: boolean;
  armed: string | null;
  locksHeld: number;
  blockedMs: number;
  inDoubt: number;
  consumerLag: number | null;
}

export interface CheckoutInfo {
  cid: string;
  t_ms: number;
  status: string;
  reason: string;
  saga: { step: number; state: string; committed: string[]; compensated: string[]; chargeUnknown: boolean } | null;
  tx: { decision: string; votes: Record<string, boolean>; done: string[] } | null;
  locks: string[];
  blockedMs: number;
  payment: string | null;
  charges: number;
  liveCharges: number;
  orphan: boolean;
}

export interface CheckoutExtras {
  strategy: string;
  idempotencyKeys: boolean;
  services: Map<string, ServiceInfo>;
  provider: { liveCharges: number; dedups: number; latencyMs: number | null; declineNext: boolean };
  reconciliation: { runs: number; lastRunMs: number | null; open: { charge: string; cid: string; reason: string }[]; repairs: number };
  checkouts: CheckoutInfo[];
}

const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function readCheckoutExtras(extras: Record<string, MetricValue> | null | undefined): CheckoutExtras {
  const e = isObj(extras) ? extras : {};
  const services = new Map<string, ServiceInfo>();
  if (Array.isArray(e.services)) {
    for (const s of e.services) {
      if (!isObj(s)) continue;
      const id = str(s.id);
      if (!id) continue;
      services.set(id, {
        id,
        node: str(s.node) ?? id,
        up: s.up !== false,
        crashed: s.crashed === true,
        armed: str(s.armed),
        locksHeld: num(s.locks_held) ?? 0,
        blockedMs: num(s.blocked_ms) ?? 0,
        inDoubt: num(s.in_doubt) ?? 0,
        consumerLag: num(s.consumer_lag),
      });
    }
  }
  const p = isObj(e.provider) ? e.provider : {};
  const r = isObj(e.reconciliation) ? e.reconciliation : {};
  const open: { charge: string; cid: string; reason: string }[] = [];
  if (Array.isArray(r.open)) {
    for (const o of r.open) if (isObj(o) && str(o.charge)) open.push({ charge: str(o.charge)!, cid: str(o.cid) ?? '', reason: str(o.reason) ?? '' });
  }
  const checkouts: CheckoutInfo[] = [];
  if (Array.isArray(e.checkouts)) {
    for (const c of e.checkouts) {
      if (!isObj(c) || !str(c.cid)) continue;
      const g = isObj(c.saga) ? c.saga : null;
      const tx = isObj(c.tx) ? c.tx : null;
      const votes: Record<string, boolean> = {};
      if (tx && isObj(tx.votes)) for (const [k, v] of Object.entries(tx.votes)) if (typeof v === 'boolean') votes[k] = v;
      checkouts.push({
        cid: str(c.cid)!,
        t_ms: num(c.t_ms) ?? 0,
        status: str(c.status) ?? 'pending',
        reason: typeof c.reason === 'string' ? c.reason : '',
        saga: g ? { step: num(g.step) ?? 0, state: str(g.state) ?? 'running', committed: strList(g.committed), compensated: strList(g.compensated), chargeUnknown: g.charge_unknown === true } : null,
        tx: tx ? { decision: str(tx.decision) ?? 'none', votes, done: strList(tx.done) } : null,
        locks: strList(c.locks),
        blockedMs: num(c.blocked_ms) ?? 0,
        payment: str(c.payment),
        charges: num(c.charges) ?? 0,
        liveCharges: num(c.live_charges) ?? 0,
        orphan: c.orphan === true,
      });
    }
  }
  return {
    strategy: str(e.strategy) ?? '',
    idempotencyKeys: e.idempotency_keys !== false,
    services,
    provider: { liveCharges: num(p.live_charges) ?? 0, dedups: num(p.dedups) ?? 0, latencyMs: num(p.latency_ms), declineNext: p.decline_next === true },
    reconciliation: { runs: num(r.runs) ?? 0, lastRunMs: num(r.last_run_ms), open, repairs: num(r.repairs) ?? 0 },
    checkouts,
  };
}

// ── saga chain ──────────────────────────────────────────────────────────────────────

export const SAGA_STEPS = ['create-order', 'reserve-inventory', 'charge-payment', 'confirm-order'] as const;
export const COMPENSATION_OF: Record<string, string> = { 'create-order': 'cancel-order', 'reserve-inventory': 'release-inventory', 'charge-payment': 'refund-payment' };

export interface ChainStep {
  name: string;
  /** ok / failed / unknown / pending (not reached). */
  state: 'ok' | 'failed' | 'unknown' | 'pending';
  outcome: string;
  t_ms: number | null;
}

export interface ChainComp {
  name: string;
  compensates: string;
  /** 1 = first to run (compensates the last committed step). */
  position: number;
  done: boolean;
  t_ms: number | null;
}

export interface SagaChain {
  saga: string;
  steps: ChainStep[];
  /** Compensations in the order they run (reverse of the committed steps). */
  comps: ChainComp[];
  reason: string;
  /** When the first and last compensation ran. */
  from_ms: number | null;
  to_ms: number | null;
}

function detailOf(r: TimelineRecord): Record<string, unknown> | null {
  return r.kind === 'evidence' && r.detail ? (r.detail as Record<string, unknown>) : null;
}

/**
 * The latest saga that compensated (or is compensating), from the orchestrator's evidence:
 * each forward step's `ack` {saga, step, outcome} and each compensation's `ack`
 * {saga, compensation, compensates, chain_position}. `live` (the saga in the frame's
 * extras) adds compensations still pending. Scans at most `window` records back.
 */
export function sagaChain(records: readonly TimelineRecord[], live: readonly CheckoutInfo[] = [], window = 4000): SagaChain | null {
  // A saga compensating right now (extras) wins: it shows the pending links too.
  const running = [...live].reverse().find((c) => c.saga?.state === 'compensating');
  let cid = running?.cid ?? null;
  const start = Math.max(0, records.length - window);
  if (!cid) {
    for (let i = records.length - 1; i >= start; i--) {
      const d = detailOf(records[i]!);
      if (d && typeof d.saga === 'string' && typeof d.compensates === 'string') {
        cid = d.saga;
        break;
      }
    }
  }
  if (!cid) return null;
  const stepRec = new Map<string, { outcome: string; t_ms: number }>();
  const compRec = new Map<string, { position: number; t_ms: number }>();
  for (let i = start; i < records.length; i++) {
    const r = records[i]!;
    const d = detailOf(r);
    if (!d || d.saga !== cid) continue;
    if (typeof d.compensates === 'string') compRec.set(d.compensates, { position: typeof d.chain_position === 'number' ? d.chain_position : compRec.size + 1, t_ms: r.t_ms });
    else if (typeof d.step === 'string') stepRec.set(d.step, { outcome: typeof d.outcome === 'string' ? d.outcome : '', t_ms: r.t_ms });
  }
  const committed = running?.saga?.committed ?? SAGA_STEPS.filter((s) => stepRec.get(s)?.outcome === 'ok' || compRec.has(s));
  const steps: ChainStep[] = [];
  let reason = running?.reason ?? '';
  for (const name of SAGA_STEPS) {
    const rec = stepRec.get(name);
    const ok = committed.includes(name);
    if (ok) steps.push({ name, state: 'ok', outcome: 'ok', t_ms: rec?.t_ms ?? null });
    else if (rec) {
      const unknown = rec.outcome === 'unknown' || rec.outcome === 'timeout';
      steps.push({ name, state: unknown ? 'unknown' : 'failed', outcome: rec.outcome, t_ms: rec.t_ms });
      if (!reason) reason = rec.outcome;
      break;
    } else {
      // The step that failed without an evidence record of its own (e.g. a timeout in flight).
      steps.push({ name, state: 'failed', outcome: reason || 'failed', t_ms: null });
      break;
    }
  }
  const compensated = running?.saga?.compensated ?? [];
  const comps: ChainComp[] = [...committed]
    .filter((s) => COMPENSATION_OF[s])
    .reverse()
    .map((s, i) => {
      const rec = compRec.get(s);
      return { name: COMPENSATION_OF[s]!, compensates: s, position: rec?.position ?? i + 1, done: rec !== undefined || compensated.includes(s), t_ms: rec?.t_ms ?? null };
    });
  const times = comps.map((c) => c.t_ms).filter((t): t is number => t !== null);
  return { saga: cid, steps, comps, reason, from_ms: times.length ? Math.min(...times) : null, to_ms: times.length ? Math.max(...times) : null };
}

// ── 2PC ─────────────────────────────────────────────────────────────────────────────

export const PARTICIPANTS = ['order', 'inventory', 'payment'] as const;
const NODE_OF: Record<string, string> = { order: 'order-1', inventory: 'inventory-1', payment: 'payment-1' };

export interface TwoPcParticipant {
  id: string;
  vote: 'yes' | 'no' | null;
  holdsLock: boolean;
  blockedMs: number;
  inDoubt: boolean;
}

export interface TwoPcView {
  cid: string | null;
  phase: 'idle' | 'prepare' | 'decided' | 'blocked';
  decision: string;
  coordinatorUp: boolean;
  participants: TwoPcParticipant[];
  /** The longest any participant has held a lock waiting for the decision. */
  blockedMs: number;
  /** Transactions with locks held right now. */
  lockedTxs: number;
}

/**
 * The 2PC transaction the room should watch: the one holding locks longest (or the
 * newest pending one). Blocked means prepared, no decision known, coordinator down or
 * the wait past the decision timeout.
 */
export function twoPcView(x: CheckoutExtras, decisionTimeoutMs = 2000): TwoPcView {
  const coord = x.services.get('coordinator');
  const coordinatorUp = coord ? coord.up : true;
  const withTx = x.checkouts.filter((c) => c.tx !== null || c.locks.length > 0);
  const locked = withTx.filter((c) => c.locks.length > 0);
  const pick = [...locked].sort((a, b) => b.blockedMs - a.blockedMs)[0] ?? [...withTx].reverse().find((c) => c.status === 'pending') ?? null;
  const participants: TwoPcParticipant[] = PARTICIPANTS.map((id) => {
    const svc = x.services.get(id);
    const v = pick?.tx?.votes[NODE_OF[id]!];
    return {
      id,
      vote: v === undefined ? null : v ? 'yes' : 'no',
      holdsLock: pick ? pick.locks.includes(id) : false,
      blockedMs: svc?.blockedMs ?? 0,
      inDoubt: (svc?.inDoubt ?? 0) > 0,
    };
  });
  const blockedMs = Math.max(pick?.blockedMs ?? 0, ...participants.map((p) => p.blockedMs));
  const decision = pick?.tx?.decision ?? 'none';
  let phase: TwoPcView['phase'] = 'idle';
  if (pick) {
    if (decision !== 'none') phase = 'decided';
    else if (pick.locks.length > 0 && (!coordinatorUp || blockedMs >= decisionTimeoutMs)) phase = 'blocked';
    else phase = 'prepare';
  }
  return { cid: pick?.cid ?? null, phase, decision, coordinatorUp, participants, blockedMs, lockedTxs: locked.length };
}

// ── the payment uncertainty window and reconciliation ───────────────────────────────

export interface UncertainPayment {
  cid: string;
  /** When the order began (the charge was sent shortly after). */
  since_ms: number;
  /** The provider holds a live charge; the local record does not say charged. */
  charged: boolean;
  orphan: boolean;
  paymentRecord: string | null;
}

/** Payments in the uncertainty window: sent to the provider, outcome not recorded locally (or orphaned). */
export function uncertainPayments(x: CheckoutExtras): UncertainPayment[] {
  return x.checkouts
    .filter((c) => c.orphan || (c.payment === 'intent' && (c.liveCharges > 0 || c.status !== 'pending' || (x.services.get('payment')?.inDoubt ?? 0) > 0)))
    .map((c) => ({ cid: c.cid, since_ms: c.t_ms, charged: c.liveCharges > 0, orphan: c.orphan, paymentRecord: c.payment }));
}

export interface Repair {
  cid: string;
  charge: string;
  reason: string;
  detected_ms: number | null;
  t_ms: number;
  refunded: boolean;
}

/** The latest reconciliation repairs (newest first), from the order service's `merge` evidence. */
export function recentRepairs(records: readonly TimelineRecord[], max = 3, window = 4000): Repair[] {
  const out: Repair[] = [];
  for (let i = records.length - 1; i >= Math.max(0, records.length - window) && out.length < max; i--) {
    const r = records[i]!;
    const d = detailOf(r);
    if (!d || typeof d.repair !== 'string') continue;
    out.push({
      cid: typeof d.cid === 'string' ? d.cid : '',
      charge: typeof d.charge === 'string' ? d.charge : '',
      reason: typeof d.reason === 'string' ? d.reason : '',
      detected_ms: typeof d.detected_ms === 'number' ? d.detected_ms : null,
      t_ms: r.t_ms,
      refunded: d.refunded !== false,
    });
  }
  return out;
}

/** The provider's charge for an order (its `ack` evidence with a charge id), if in the window. */
export function providerChargeAt(records: readonly TimelineRecord[], cid: string, window = 4000): number | null {
  for (let i = records.length - 1; i >= Math.max(0, records.length - window); i--) {
    const r = records[i]!;
    const d = detailOf(r);
    if (d && d.cid === cid && typeof d.charge === 'string' && (d.op === 'charge' || d.op === 'capture') && d.dedup !== true) return r.t_ms;
  }
  return null;
}

/** "12.3 s" / "1 min 05 s". */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

// ── stories that outlive the live state (timeline evidence) ─────────────────────────

export interface LastBlock {
  tx: string;
  /** Longest a participant held its locks before applying the decision. */
  heldMs: number;
  decision: string;
  t_ms: number;
}

/** The longest lock hold among the latest resolved 2PC transactions (participants' `ack` with locks_held_ms). */
export function lastBlock(records: readonly TimelineRecord[], minMs = 2000, window = 4000): LastBlock | null {
  for (let i = records.length - 1; i >= Math.max(0, records.length - window); i--) {
    const r = records[i]!;
    const d = detailOf(r);
    if (!d || typeof d.tx !== 'string' || typeof d.locks_held_ms !== 'number' || d.locks_held_ms < minMs) continue;
    let held = d.locks_held_ms;
    // Same transaction, other participants: keep the longest.
    for (let j = i - 1; j >= Math.max(0, i - 50); j--) {
      const e = detailOf(records[j]!);
      if (e && e.tx === d.tx && typeof e.locks_held_ms === 'number') held = Math.max(held, e.locks_held_ms);
    }
    return { tx: d.tx, heldMs: held, decision: typeof d.applied === 'string' ? d.applied : '', t_ms: r.t_ms };
  }
  return null;
}

export interface PaymentStory {
  cid: string;
  /** The provider charged (its ack). */
  charged_ms: number | null;
  charge: string;
  /** The payment service crashed after that, before its local record. */
  crashed_ms: number | null;
  /** The local record of the outcome (null while there is none). */
  recorded_ms: number | null;
  /** Reconciliation: found the orphan, refunded it. */
  detected_ms: number | null;
  repaired_ms: number | null;
  stage: 'in-doubt' | 'orphan' | 'repaired' | 'recorded';
}

/**
 * The latest charge whose local record went missing: the provider's charge, the payment
 * service's crash, the reconciliation job finding and refunding the orphan (or the late
 * local record after a restart). `liveCid` (an order in doubt right now) wins.
 */
export function paymentStory(records: readonly TimelineRecord[], liveCid: string | null = null, orphanCids: readonly string[] = [], window = 6000): PaymentStory | null {
  const start = Math.max(0, records.length - window);
  let cid = liveCid;
  if (!cid) {
    for (let i = records.length - 1; i >= start && !cid; i--) {
      const d = detailOf(records[i]!);
      if (d && typeof d.repair === 'string' && typeof d.cid === 'string') cid = d.cid;
    }
  }
  if (!cid) return null;
  const s: PaymentStory = { cid, charged_ms: null, charge: '', crashed_ms: null, recorded_ms: null, detected_ms: null, repaired_ms: null, stage: 'in-doubt' };
  for (let i = start; i < records.length; i++) {
    const r = records[i]!;
    const d = detailOf(r);
    if (!d) continue;
    if (d.cid === cid && d.op === 'charge' && typeof d.charge === 'string' && d.dedup !== true && s.charged_ms === null) {
      s.charged_ms = r.t_ms;
      s.charge = d.charge;
    } else if (r.kind === 'evidence' && r.node === 'payment-1' && d.process === 'crashed' && s.charged_ms !== null && s.crashed_ms === null && s.recorded_ms === null) {
      s.crashed_ms = r.t_ms;
    } else if (d.cid === cid && r.kind === 'evidence' && r.node === 'payment-1' && typeof d.record === 'string' && d.record !== 'intent' && s.recorded_ms === null && s.charged_ms !== null) {
      s.recorded_ms = r.t_ms;
    } else if (d.cid === cid && typeof d.repair === 'string' && s.repaired_ms === null) {
      s.repaired_ms = r.t_ms;
      s.detected_ms = typeof d.detected_ms === 'number' ? d.detected_ms : null;
    }
  }
  if (s.charged_ms === null) return null;
  s.stage = s.repaired_ms !== null ? 'repaired' : orphanCids.includes(cid) ? 'orphan' : s.recorded_ms !== null ? 'recorded' : 'in-doubt';
  return s;
}
