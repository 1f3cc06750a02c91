/**
 * Signed bodies and the context capsule's seven checks (seed NT-3 §4, verify_capsule).
 * Every rejection becomes a `sig-failed` evidence record naming the check that failed;
 * an accepted capsule is one `sig-verified` record when its command executes.
 */
import { compareStrength, COMPONENTS, parseGVector } from '../../../../src-shared/gvector';
import { leaderOf, localClock, num, P, primaryOf, quorumSize, type Ctx } from './context';
import { rootOf, shortHash, sign, verify } from './crypto';
import type { Capsule, Command, Sat, SmrState, Stmt } from './state';

// ---- bodies that get signed -------------------------------------------------------------

export function commandBody(c: Omit<Command, 'id' | 'sig'>): string {
  return `cmd|${c.kind}|${c.gseq}|${c.op}|${c.origin}|${c.ts}|${c.epoch}`;
}

export function stmtBody(t: Omit<Stmt, 'sig'>): string {
  return `${t.kind}|${t.signer}|${t.view}|${t.slot}|${t.cmd}|${t.extra}`;
}

export function certBody(station: string, pk: string): string {
  return `cert|${station}|${pk}`;
}

export function signAs(s: SmrState, signer: string, body: string): string {
  s.stats.signed += 1;
  return sign(s.keys.sk[signer]!, body);
}

export function verifyAs(s: SmrState, signer: string, body: string, sig: string): boolean {
  const pk = s.keys.pk[signer];
  if (!pk) return false;
  s.stats.verified += 1;
  return verify(pk, body, sig);
}

/** Creates and signs a command; stores its body in the content-addressed store. */
export function makeCommand(s: SmrState, c: Omit<Command, 'id' | 'sig'>): Command {
  const body = commandBody(c);
  const cmd: Command = { ...c, id: shortHash(body), sig: signAs(s, c.origin, body) };
  s.cmds[cmd.id] = cmd;
  return cmd;
}

/** A tampered copy (a byzantine satellite's conflicting version): new payload, old signature. */
export function tamper(s: SmrState, c: Command): Command {
  const op = c.op.includes('+') ? c.op.replace('+', '-') : `${c.op} (altered)`;
  const body = commandBody({ ...c, op });
  const bad: Command = { ...c, op, id: shortHash(body) };
  s.cmds[bad.id] = bad;
  return bad;
}

export function makeStmt(s: SmrState, t: Omit<Stmt, 'sig'>): Stmt {
  return { ...t, sig: signAs(s, t.signer, stmtBody(t)) };
}

export function stmtValid(s: SmrState, t: Stmt): boolean {
  return verifyAs(s, t.signer, stmtBody(t), t.sig);
}

/** The command's authority: a certified ground station, or the satellite that raised the emergency. */
export function commandAuthentic(s: SmrState, c: Command, certChain: string[] | null): { ok: boolean; reason: string } {
  if (c.kind === 'ground') {
    if (!s.stations.includes(c.origin)) return { ok: false, reason: `ground command signed by ${c.origin}, not a ground station` };
    const cert = certChain?.[0] ?? s.keys.cert[c.origin]!;
    if (!verifyAs(s, 'ground-root', certBody(c.origin, s.keys.pk[c.origin]!), cert)) return { ok: false, reason: `certificate chain of ${c.origin} does not verify under the ground root key` };
  } else if (!s.satIds.includes(c.origin)) return { ok: false, reason: `emergency signed by ${c.origin}, not a satellite` };
  if (!verifyAs(s, c.origin, commandBody(c), c.sig)) return { ok: false, reason: `${c.kind === 'ground' ? 'ground' : 'originator'} signature of ${c.origin} does not verify over "${c.op}" (tampered or forged)` };
  return { ok: true, reason: '' };
}

export function proposalExtra(timestamp: number, prevRoot: string, emergency: boolean): string {
  return `${timestamp}|${prevRoot}|${emergency ? 'E' : 'R'}`;
}

// ---- the seven checks ---------------------------------------------------------------------

export type CheckName = 'authentication' | 'freshness' | 'ordering' | 'byzantine-quorum' | 'merkle-proof' | 'mode-exclusion' | 'guarantee';

export const CHECK_NO: Record<CheckName, number> = {
  authentication: 1,
  freshness: 2,
  ordering: 3,
  'byzantine-quorum': 4,
  'merkle-proof': 5,
  'mode-exclusion': 6,
  guarantee: 7,
};

export type Verdict = { ok: true; signatures: number } | { ok: false; check: CheckName; reason: string; behind?: boolean };

/** Counts a valid quorum certificate: distinct non-excluded signers of the same (view, slot, command). */
export function qcSigners(s: SmrState, sat: Sat, qc: Stmt[], view: number, slot: number, cmd: string): string[] {
  const out: string[] = [];
  for (const v of qc) {
    if (v.view !== view || v.slot !== slot || v.cmd !== cmd || out.includes(v.signer) || sat.excluded.includes(v.signer)) continue;
    if (v.kind === 'proposal' && v.signer !== primaryOf(s, sat, view)) continue;
    if (stmtValid(s, v)) out.push(v.signer);
  }
  return out;
}

/**
 * verify_capsule from the seed, in its order. `current` is the receiver's observed
 * G-vector (check 7). Returns the first failing check.
 */
export function verifyCapsule(s: SmrState, ctx: Ctx, me: Sat, cap: Capsule, current: string): Verdict {
  let signatures = 0;
  // 1. Authentication: the command's authority, then the sender's signature on the capsule.
  const auth = commandAuthentic(s, cap.command, cap.cert_chain);
  if (!auth.ok) return { ok: false, check: 'authentication', reason: auth.reason };
  signatures += cap.command.kind === 'ground' ? 2 : 1;
  if (cap.proposal) {
    const p = cap.proposal;
    if (p.signer !== cap.sender || p.kind !== 'proposal' || p.view !== cap.view || p.slot !== cap.slot || p.cmd !== cap.command.id || p.extra !== proposalExtra(cap.timestamp, cap.prev_root, cap.emergency)) {
      return { ok: false, check: 'authentication', reason: `sender signature does not cover this capsule (fields altered)` };
    }
    if (!stmtValid(s, p)) return { ok: false, check: 'authentication', reason: `sender signature of ${cap.sender} does not verify` };
    signatures += 1;
    if (cap.view === me.view && cap.sender !== leaderOf(s, me)) return { ok: false, check: 'authentication', reason: `${cap.sender} is not the primary of view ${cap.view}` };
  }
  // 2. Freshness: the capsule's timestamp against my clock and the capsule's staleness bound.
  const age = localClock(s, ctx, me.id) - cap.timestamp;
  if (age > cap.staleness_bound) return { ok: false, check: 'freshness', reason: `capsule is ${Math.round(age)}ms old, bound ${cap.staleness_bound}ms (too stale)` };
  if (-age > cap.staleness_bound) return { ok: false, check: 'freshness', reason: `capsule is ${Math.round(-age)}ms in my future, bound ${cap.staleness_bound}ms (clock drift)` };
  // 3. Ordering: the next slot of my log, and the next ground sequence number.
  const next = me.leaves.length;
  if (cap.slot < next) return { ok: false, check: 'ordering', reason: `slot ${cap.slot} already executed (next is ${next})` };
  if (cap.slot > next) return { ok: false, check: 'ordering', reason: `slot ${cap.slot} out of order (next is ${next}): catching up`, behind: true };
  if (cap.command.kind === 'ground' && cap.command.gseq !== me.lastGseq + 1) {
    const dup = cap.command.gseq <= me.lastGseq;
    return { ok: false, check: 'ordering', reason: dup ? `ground seq ${cap.command.gseq} already executed (duplicate dropped: Idem(seq))` : `ground seq ${cap.command.gseq} skips ${me.lastGseq + 1}` };
  }
  if (cap.command.kind === 'emergency' && me.leaves.includes(cap.command.id)) return { ok: false, check: 'ordering', reason: `emergency ${cap.command.id.slice(0, 8)} already executed` };
  // 4. Byzantine verification: a carried quorum certificate needs 2f+1 valid signatures.
  if (cap.qc) {
    const signers = qcSigners(s, me, cap.qc, cap.view, cap.slot, cap.command.id);
    if (signers.length < quorumSize(s)) return { ok: false, check: 'byzantine-quorum', reason: `quorum certificate has ${signers.length} valid signatures, needs ${quorumSize(s)} (2f+1)` };
    signatures += signers.length;
  }
  // 5. Merkle proof: the command must extend my history (same root before this slot).
  const mine = rootOf(me.peaks);
  if (cap.prev_root !== mine) return { ok: false, check: 'merkle-proof', reason: `previous Merkle root ${cap.prev_root.slice(0, 8)} ≠ mine ${mine.slice(0, 8)}: the command does not extend my history` };
  // 6. Mode compatibility: nothing from an excluded satellite.
  if (me.excluded.includes(cap.sender)) return { ok: false, check: 'mode-exclusion', reason: `sender ${cap.sender} is excluded (accusation certificate)` };
  if (me.excluded.includes(cap.command.origin)) return { ok: false, check: 'mode-exclusion', reason: `command raised by excluded ${cap.command.origin}` };
  // 7. Guarantee compatibility: can I provide what the command requires?
  const missing = cannotProvide(ctx, current, cap.required_G);
  if (missing) return { ok: false, check: 'guarantee', reason: missing };
  return { ok: true, signatures };
}

/** Why `current` cannot provide `required` (component-wise strength), or null. */
export function cannotProvide(ctx: Ctx, current: string, required: string): string | null {
  const cur = parseGVector(current, { symbols: ctx.spec.symbols });
  const req = parseGVector(required, { symbols: ctx.spec.symbols });
  const weak = COMPONENTS.filter((c) => compareStrength(cur, req, c) < 0);
  if (weak.length === 0) return null;
  return `cannot provide ${required}: ${weak.join(', ')} weaker in ${current}`;
}

export function capsuleFor(s: SmrState, ctx: Ctx, me: Sat, cmd: Command, slot: number, current: string, required: string, mode: string): Capsule {
  const timestamp = localClock(s, ctx, me.id);
  const prev_root = rootOf(me.peaks);
  const emergency = cmd.kind === 'emergency';
  return {
    current_G: current,
    required_G: required,
    command: cmd,
    slot,
    view: me.view,
    timestamp,
    sender: me.id,
    proposal: s.protocol === 'bft' ? makeStmt(s, { kind: 'proposal', signer: me.id, view: me.view, slot, cmd: cmd.id, extra: proposalExtra(timestamp, prev_root, emergency) }) : null,
    cert_chain: cmd.kind === 'ground' ? [s.keys.cert[cmd.origin]!] : [],
    qc: null,
    prev_root,
    mode,
    partition_epoch: cmd.epoch,
    emergency,
    last_ground_contact: me.lastGroundTs,
    staleness_bound: num(ctx, P.staleness),
    gps_uncertainty: num(ctx, P.gpsUncertainty),
  };
}
