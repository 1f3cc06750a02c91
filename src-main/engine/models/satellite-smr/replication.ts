/**
 * Replication among the satellites: one slot at a time, a leader per view.
 *
 * BFT (PBFT-style, prepare certificate = commit): the primary of view v (rotation over the
 * non-excluded satellites) sends a signed capsule; each satellite runs the seven checks
 * and broadcasts a signed vote; 2f+1 matching signed statements (the proposal counts as the
 * primary's vote) are the quorum certificate that executes the command. After a short
 * linger each satellite broadcasts a commit carrying every vote it heard, so conflicting
 * signatures from one satellite meet at an honest one: an accusation certificate.
 *
 * Crash-tolerant (Raft-like): the leader appends, followers acknowledge, the leader
 * commits on a majority and tells the followers, who execute what it says. Nothing is
 * signed between satellites; a higher view (term) is accepted from whoever claims it.
 *
 * View change (both): on a suspected or stalled leader, satellites send view-change
 * messages (signed under BFT) to the next in rotation, which certifies the new view with a
 * quorum of them. A lagging satellite fetches committed entries (with their certificates).
 */
import { capsuleFor, CHECK_NO, commandAuthentic, makeStmt, qcSigners, signAs, stmtBody, stmtValid, tamper, verifyAs, verifyCapsule, type CheckName } from './capsule';
import { groupOf, leaderOf, localClock, members, num, P, primaryOf, quorumSize, requiredG, send, type Ctx } from './context';
import { appendPeak, rootOf } from './crypto';
import { currentG } from './observe';
import type { Accusation, Capsule, Command, Round, Sat, SmrState, Stmt } from './state';

// ---- evidence helpers ---------------------------------------------------------------------

export function reject(s: SmrState, ctx: Ctx, me: Sat, check: CheckName, reason: string, detail: Record<string, string | number | boolean> = {}): void {
  s.stats.rejected[check] = (s.stats.rejected[check] ?? 0) + 1;
  ctx.evidence('sig-failed', me.group, me.id, { detail: { check, check_no: CHECK_NO[check], reason, ...detail } });
}

function peers(s: SmrState, me: Sat): string[] {
  return members(s, me).filter((id) => id !== me.id);
}

function broadcast(s: SmrState, ctx: Ctx, me: Sat, kind: string, body: unknown): void {
  for (const p of peers(s, me)) ctx.send(me.id, p, kind, body);
}

// ---- pending commands ----------------------------------------------------------------------

export function addPending(s: SmrState, me: Sat, cmd: Command): void {
  if (!s.cmds[cmd.id]) s.cmds[cmd.id] = { ...cmd };
  if (me.pending.includes(cmd.id) || me.leaves.includes(cmd.id)) return;
  if (cmd.kind === 'ground' && cmd.gseq <= me.lastGseq) {
    me.dedup += 1;
    return;
  }
  me.pending.push(cmd.id);
}

/** Emergencies first (oldest first), then the next ground sequence number (its freshest signed version). */
export function nextCommand(s: SmrState, me: Sat): Command | null {
  let best: Command | null = null;
  for (const id of me.pending) {
    const c = s.cmds[id];
    if (!c) continue;
    if (c.kind === 'emergency') {
      if (!best || best.kind !== 'emergency' || c.ts < best.ts) best = c;
    } else if (c.gseq === me.lastGseq + 1 && (!best || (best.kind === 'ground' && c.ts > best.ts))) best = c;
  }
  return best;
}

// ---- proposing -----------------------------------------------------------------------------

export function tryPropose(s: SmrState, ctx: Ctx, me: Sat): void {
  if (!ctx.isUp(me.id) || me.vc !== null || leaderOf(s, me) !== me.id || !me.quorumOk) return;
  if (me.catchUpTo > me.leaves.length) return;
  // One proposal per (view, slot): proposing anything else for it would be equivocation. A
  // round that does not complete is abandoned by a view change, never re-proposed in place.
  if (me.round && !me.round.executed && me.round.view === me.view) return;
  const cmd = nextCommand(s, me);
  if (!cmd) return;
  const slot = me.leaves.length;
  const mode = ctx.modeOf(me.group);
  if (s.protocol === 'cft') {
    me.round = newRound(me, slot, cmd.id, null, ctx.now_ms);
    me.round.acks = [me.id];
    if (me.byz === 'equivocate') return equivocateAppend(s, ctx, me, cmd, slot);
    broadcast(s, ctx, me, 'append', { view: me.view, slot, command: cmd, leader: me.id });
    return;
  }
  const current = currentG(s, ctx, me);
  const cap = capsuleFor(s, ctx, me, cmd, slot, current, requiredG(ctx, cmd.kind === 'emergency'), mode);
  me.round = newRound(me, slot, cmd.id, cap.proposal, ctx.now_ms);
  me.round.votes[me.id] = cap.proposal!;
  noteStatement(s, ctx, me, cap.proposal!);
  if (me.byz === 'equivocate') {
    // A byzantine primary proposes the real command to one side and a tampered one to the other.
    const bad = tamper(s, cmd);
    const badCap = capsuleFor(s, ctx, me, bad, slot, current, cap.required_G, mode);
    const [sideA, sideB] = sides(s, me);
    for (const p of sideA) ctx.send(me.id, p, 'propose', cap);
    for (const p of sideB) ctx.send(me.id, p, 'propose', badCap);
    return;
  }
  broadcast(s, ctx, me, 'propose', cap);
}

function newRound(me: Sat, slot: number, cmd: string, proposal: Stmt | null, now: number): Round {
  return { view: me.view, slot, cmd, proposal, votes: {}, started_ms: now, executed: false, commitSent: false, acks: [] };
}

/** A byzantine satellite's two audiences: the first half of its peers and the rest. */
function sides(s: SmrState, me: Sat): [string[], string[]] {
  const p = s.satIds.filter((id) => id !== me.id);
  const half = Math.floor(p.length / 2);
  return [p.slice(0, half), p.slice(half)];
}

// ---- BFT: capsules, votes, certificates ----------------------------------------------------

export function onPropose(s: SmrState, ctx: Ctx, me: Sat, from: string, cap: Capsule): void {
  if (s.protocol !== 'bft') return;
  // The sender's signed statement is evidence on its own, valid command or not.
  if (cap.proposal && cap.proposal.signer === from && stmtValid(s, cap.proposal)) noteStatement(s, ctx, me, cap.proposal);
  if (cap.view !== me.view || me.vc !== null) return;
  if (cap.command.kind === 'ground' && commandAuthentic(s, cap.command, cap.cert_chain).ok) noteGroundWord(s, ctx, me, cap.command.ts);
  const v = verifyCapsule(s, ctx, me, cap, currentG(s, ctx, me));
  if (!v.ok) {
    if (v.behind) return requestCatchUp(s, ctx, me, from);
    if (v.check === 'ordering' && cap.slot < me.leaves.length) return; // a late duplicate: nothing to say
    return reject(s, ctx, me, v.check, v.reason, { slot: cap.slot, view: cap.view, sender: from, op: cap.command.op });
  }
  addPending(s, me, cap.command);
  const round = newRound(me, cap.slot, cap.command.id, cap.proposal, ctx.now_ms);
  round.votes[from] = cap.proposal!;
  // Votes that raced ahead of the proposal.
  for (const p of s.satIds) {
    const held = me.held[`${p}|${cap.view}|${cap.slot}`];
    if (held && held.kind === 'vote') round.votes[p] = held;
  }
  me.round = round;
  me.roundSigs = v.signatures;
  if (me.byz === 'equivocate') {
    // A byzantine replica votes for the real command to one side and a tampered one to the other.
    const bad = tamper(s, cap.command);
    const good = makeStmt(s, { kind: 'vote', signer: me.id, view: cap.view, slot: cap.slot, cmd: cap.command.id, extra: '' });
    const evil = makeStmt(s, { kind: 'vote', signer: me.id, view: cap.view, slot: cap.slot, cmd: bad.id, extra: '' });
    const [sideA, sideB] = sides(s, me);
    for (const p of sideA) ctx.send(me.id, p, 'vote', { vote: good, proposal: cap.proposal });
    for (const p of sideB) ctx.send(me.id, p, 'vote', { vote: evil, proposal: cap.proposal });
    round.votes[me.id] = good;
    return checkQuorum(s, ctx, me);
  }
  const vote = makeStmt(s, { kind: 'vote', signer: me.id, view: cap.view, slot: cap.slot, cmd: cap.command.id, extra: '' });
  round.votes[me.id] = vote;
  noteStatement(s, ctx, me, vote);
  broadcast(s, ctx, me, 'vote', { vote, proposal: cap.proposal });
  checkQuorum(s, ctx, me);
}

export function onVote(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { vote: Stmt; proposal: Stmt | null }): void {
  const { vote, proposal } = body;
  if (vote.signer !== from || !stmtValid(s, vote)) return reject(s, ctx, me, 'authentication', `vote from ${from} does not verify`, { slot: vote.slot });
  noteStatement(s, ctx, me, vote);
  if (proposal && stmtValid(s, proposal)) noteStatement(s, ctx, me, proposal);
  if (me.excluded.includes(from)) return;
  const r = me.round;
  if (r && r.view === vote.view && r.slot === vote.slot) {
    r.votes[from] = vote;
    checkQuorum(s, ctx, me);
  }
}

function checkQuorum(s: SmrState, ctx: Ctx, me: Sat): void {
  const r = me.round;
  if (!r || r.executed || r.slot !== me.leaves.length) return;
  const matching = Object.values(r.votes).filter((v) => v.cmd === r.cmd && !me.excluded.includes(v.signer));
  if (matching.length < quorumSize(s)) return;
  const cmd = s.cmds[r.cmd];
  if (!cmd) return;
  r.executed = true;
  const signers = matching.map((v) => v.signer);
  s.qcs[`${r.slot}|${r.cmd}`] ??= matching.slice(0, quorumSize(s)).map((v) => ({ ...v }));
  if (me.id === primaryOf(s, me, r.view)) {
    me.quorumEv = ctx.evidence('quorum-cert', me.group, me.id, {
      detail: {
        purpose: cmd.kind === 'emergency' ? 'emergency' : 'command',
        slot: r.slot,
        view: r.view,
        op: cmd.op,
        signers,
        ...(cmd.kind === 'emergency' ? { flag: 'AUTONOMOUS EMERGENCY', origin: cmd.origin, partition_epoch: cmd.epoch } : {}),
      },
    });
  }
  execute(s, ctx, me, cmd, { via: 'quorum certificate', signers, signatures: me.roundSigs + matching.length - 1 });
  ctx.setTimer(me.id, num(ctx, P.linger), 'commit-linger', { view: r.view, slot: r.slot });
}

/** After the linger: tell everyone what was executed, with every vote heard for the slot. */
export function sendCommit(s: SmrState, ctx: Ctx, me: Sat, view: number, slot: number): void {
  const r = me.round;
  if (!r || r.view !== view || r.slot !== slot || r.commitSent) return;
  r.commitSent = true;
  if (me.byz) return;
  const votes = Object.values(r.votes).map((v) => ({ ...v }));
  broadcast(s, ctx, me, 'commit', { view, slot, command: s.cmds[r.cmd], votes });
}

export function onCommit(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { view: number; slot: number; command: Command; votes: Stmt[] }): void {
  if (s.protocol === 'cft') return onCftCommit(s, ctx, me, from, body);
  for (const v of body.votes) if (!me.excluded.includes(v.signer) && v.signer !== me.id && stmtValid(s, v)) noteStatement(s, ctx, me, v);
  if (body.slot > me.leaves.length) return requestCatchUp(s, ctx, me, from);
  if (body.slot === me.leaves.length) applyCommitted(s, ctx, me, body.slot, body.command, body.votes, 'commit certificate', body.view);
}

/** Executes a committed entry that arrived with its certificate (commit or catch-up). */
function applyCommitted(s: SmrState, ctx: Ctx, me: Sat, slot: number, command: Command, qc: Stmt[] | null, via: string, view: number | null): boolean {
  if (slot !== me.leaves.length) return false;
  if (s.protocol === 'cft') {
    execute(s, ctx, me, command, { via, signers: [], signatures: 0 });
    return true;
  }
  const auth = commandAuthentic(s, command, null);
  if (!auth.ok) {
    reject(s, ctx, me, 'authentication', auth.reason, { slot, via });
    return false;
  }
  if (command.kind === 'ground' && command.gseq !== me.lastGseq + 1) {
    reject(s, ctx, me, 'ordering', `ground seq ${command.gseq} does not follow ${me.lastGseq}`, { slot, via });
    return false;
  }
  const v = view ?? qc?.[0]?.view ?? me.view;
  const signers = qc ? qcSigners(s, me, qc, v, slot, command.id) : [];
  if (signers.length < quorumSize(s)) {
    reject(s, ctx, me, 'byzantine-quorum', `entry for slot ${slot} has ${signers.length} valid signatures, needs ${quorumSize(s)} (2f+1)`, { slot, via });
    return false;
  }
  s.qcs[`${slot}|${command.id}`] ??= qc!.filter((x) => x.cmd === command.id && signers.includes(x.signer)).slice(0, quorumSize(s)).map((x) => ({ ...x }));
  if (me.round && me.round.slot === slot) me.round.executed = true;
  execute(s, ctx, me, command, { via, signers, signatures: signers.length + (command.kind === 'ground' ? 2 : 1) });
  return true;
}

// ---- crash-tolerant: append, ack, commit -------------------------------------------------

export function onAppend(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { view: number; slot: number; command: Command; leader: string }): void {
  if (body.view < me.view) return;
  if (body.view > me.view || me.leader !== body.leader) adoptView(s, ctx, me, body.view, body.leader, null, 'append from a leader in a higher term (accepted on its word)');
  if (body.slot > me.leaves.length) return requestCatchUp(s, ctx, me, from);
  if (body.slot < me.leaves.length) return;
  addPending(s, me, body.command);
  me.round = newRound(me, body.slot, body.command.id, null, ctx.now_ms);
  ctx.send(me.id, from, 'append-ack', { view: body.view, slot: body.slot, cmd: body.command.id });
}

export function onAppendAck(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { view: number; slot: number; cmd: string }): void {
  const r = me.round;
  if (!r || r.executed || r.view !== body.view || r.slot !== body.slot || r.cmd !== body.cmd || leaderOf(s, me) !== me.id) return;
  if (!r.acks.includes(from)) r.acks.push(from);
  if (r.acks.length < quorumSize(s)) return;
  const cmd = s.cmds[r.cmd]!;
  r.executed = true;
  me.quorumEv = ctx.evidence('quorum-cert', me.group, me.id, {
    detail: {
      purpose: cmd.kind === 'emergency' ? 'emergency' : 'command',
      slot: r.slot,
      view: r.view,
      op: cmd.op,
      signers: [...r.acks],
      signed: false,
      ...(cmd.kind === 'emergency' ? { flag: 'AUTONOMOUS EMERGENCY', origin: cmd.origin, partition_epoch: cmd.epoch } : {}),
    },
  });
  execute(s, ctx, me, cmd, { via: 'majority of acks', signers: [...r.acks], signatures: 0 });
  broadcast(s, ctx, me, 'commit', { view: r.view, slot: r.slot, command: cmd, votes: [] });
}

function onCftCommit(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { view: number; slot: number; command: Command }): void {
  if (body.view < me.view) return;
  if (body.slot > me.leaves.length) return requestCatchUp(s, ctx, me, from);
  if (body.slot === me.leaves.length) applyCommitted(s, ctx, me, body.slot, body.command, null, "the leader's commit", body.view);
}

/** A byzantine crash-tolerant leader: the real entry to one side, a tampered one to the other, and "committed" to both. */
function equivocateAppend(s: SmrState, ctx: Ctx, me: Sat, cmd: Command, slot: number): void {
  const bad = tamper(s, cmd);
  const [sideA, sideB] = sides(s, me);
  for (const p of sideA) {
    ctx.send(me.id, p, 'append', { view: me.view, slot, command: cmd, leader: me.id });
    ctx.send(me.id, p, 'commit', { view: me.view, slot, command: cmd, votes: [] });
  }
  for (const p of sideB) {
    ctx.send(me.id, p, 'append', { view: me.view, slot, command: bad, leader: me.id });
    ctx.send(me.id, p, 'commit', { view: me.view, slot, command: bad, votes: [] });
  }
  me.round!.executed = true;
  execute(s, ctx, me, cmd, { via: 'own word', signers: [], signatures: 0 });
}

// ---- execution -----------------------------------------------------------------------------

export function execute(s: SmrState, ctx: Ctx, me: Sat, cmd: Command, how: { via: string; signers: string[]; signatures: number }): void {
  const slot = me.leaves.length;
  me.leaves.push(cmd.id);
  appendPeak(me.peaks, slot, cmd.id);
  if (cmd.kind === 'ground') me.lastGseq = Math.max(me.lastGseq, cmd.gseq);
  me.pending = me.pending.filter((id) => {
    const c = s.cmds[id];
    return id !== cmd.id && c !== undefined && !(c.kind === 'ground' && c.gseq <= me.lastGseq);
  });
  me.progressAt = ctx.now_ms;
  me.waitingSince = null;
  if (s.protocol === 'bft') {
    me.verifiedEv = ctx.evidence('sig-verified', me.group, me.id, {
      detail: {
        slot,
        op: cmd.op,
        origin: cmd.origin,
        checks: 7,
        signatures: how.signatures,
        via: how.via,
        quorum: how.signers,
        ...(cmd.kind === 'emergency' ? { flag: 'AUTONOMOUS EMERGENCY', partition_epoch: cmd.epoch } : {}),
      },
    });
    me.verifiedLabel = cmd.kind === 'ground' ? 'ECDSA' : 'ECDSA_satellite';
  }
  // Monitor (omniscient): an honest satellite must only execute authenticated commands.
  if (!s.everByz.includes(me.id) && !commandAuthentic(s, cmd, null).ok) {
    const key = `auth|${me.id}|${cmd.id}`;
    if (!s.reported[key]) {
      s.reported[key] = true;
      ctx.violation('only-authenticated', `${me.id} executed "${cmd.op}" at slot ${slot} although its ${cmd.kind === 'ground' ? 'ground' : 'originator'} signature does not verify (accepted on ${how.via})`, me.verifiedEv === null ? [] : [me.verifiedEv]);
    }
  }
  if (cmd.kind === 'emergency') {
    const e = s.stats.emergencies.find((x) => x.id === cmd.id);
    if (e && e.executed === null) {
      e.executed = ctx.now_ms;
      e.slot = slot;
    }
  }
  if (cmd.kind === 'ground') for (const st of s.stations) send(s, ctx, me.id, st, 'ack', { sat: me.id, gseq: cmd.gseq, slot, ts: localClock(s, ctx, me.id) });
  if (leaderOf(s, me) === me.id) ctx.setTimer(me.id, 0, 'propose');
}

// ---- equivocation → accusation → exclusion ---------------------------------------------------

/** Remembers a verified signed statement; a conflicting one from the same signer is an accusation. */
export function noteStatement(s: SmrState, ctx: Ctx, me: Sat, t: Stmt): void {
  const key = `${t.signer}|${t.view}|${t.slot}`;
  const prev = me.held[key];
  if (!prev) {
    me.held[key] = t;
    return;
  }
  if (prev.cmd === t.cmd || t.signer === me.id || me.byz) return;
  accuse(s, ctx, me, { accused: t.signer, a: prev, b: t }, 'detected');
}

export function accusationValid(s: SmrState, acc: Accusation): boolean {
  const { a, b } = acc;
  return a.signer === acc.accused && b.signer === acc.accused && a.view === b.view && a.slot === b.slot && a.cmd !== b.cmd && stmtValid(s, a) && stmtValid(s, b);
}

export function accuse(s: SmrState, ctx: Ctx, me: Sat, acc: Accusation, how: 'detected' | 'certificate received'): void {
  if (me.accusations[acc.accused] || acc.accused === me.id || me.byz) return;
  me.accusations[acc.accused] = acc;
  if (!me.excluded.includes(acc.accused)) me.excluded.push(acc.accused);
  // The evidence carries the whole certificate: anyone holding the report can check both signatures.
  const detail = {
    accused: acc.accused,
    how,
    view: acc.a.view,
    slot: acc.a.slot,
    statements: [`${acc.a.kind} for ${acc.a.cmd.slice(0, 8)}`, `${acc.b.kind} for ${acc.b.cmd.slice(0, 8)}`],
    signer_pk: s.keys.pk[acc.accused]!,
    message_a: stmtBody(acc.a),
    sig_a: acc.a.sig,
    message_b: stmtBody(acc.b),
    sig_b: acc.b.sig,
    scheme: 'ECDSA secp256k1 over sha-256(message)',
    excluded: [...me.excluded],
  };
  me.accusationEv = ctx.evidence('accusation', me.group, me.id, { peer: groupOf(ctx, acc.accused), detail });
  if (s.accusedFirstAt[acc.accused] === undefined) {
    s.accusedFirstAt[acc.accused] = ctx.now_ms;
    s.stats.accusedAt ??= ctx.now_ms;
    // The accused's own scope learns it too: it is now outside every honest quorum.
    ctx.evidence('accusation', groupOf(ctx, acc.accused), me.id, { peer: me.group, detail: { ...detail, note: 'excluded from the quorum by an accusation certificate' } });
  }
  if (how === 'detected') {
    for (const p of s.satIds) if (p !== me.id) ctx.send(me.id, p, 'accuse', acc);
    for (const st of s.stations) send(s, ctx, me.id, st, 'accuse', acc);
  }
  if (me.round && !me.round.executed) delete me.round.votes[acc.accused];
  if (leaderOf(s, me) === acc.accused || (me.vc && primaryOf(s, me, me.vc.view) === acc.accused)) startViewChange(s, ctx, me, Math.max(me.view, me.vc?.view ?? 0) + 1, `primary ${acc.accused} accused`);
}

export function onAccuse(s: SmrState, ctx: Ctx, me: Sat, acc: Accusation): void {
  if (me.accusations[acc.accused]) return;
  if (s.protocol !== 'bft' || !accusationValid(s, acc)) return reject(s, ctx, me, 'authentication', `accusation certificate against ${acc.accused} does not verify`);
  accuse(s, ctx, me, acc, 'certificate received');
}

// ---- view change -----------------------------------------------------------------------------

function vcBody(view: number, executed: number): string {
  return `view-change|${view}|${executed}`;
}

export function startViewChange(s: SmrState, ctx: Ctx, me: Sat, view: number, reason: string): void {
  if (!ctx.isUp(me.id) || view <= me.view || (me.vc && me.vc.view >= view)) return;
  s.stats.viewChanges += 1;
  me.vc = { view, from: {}, started_ms: ctx.now_ms, certified: false };
  const candidate = primaryOf(s, me, view);
  const sig = s.protocol === 'bft' ? signAs(s, me.id, vcBody(view, me.leaves.length)) : '';
  const voted = me.round && !me.round.executed ? s.cmds[me.round.cmd] ?? null : null;
  const msg = { view, executed: me.leaves.length, sig, voted, reason };
  ctx.evidence('vote', me.group, me.id, { peer: groupOf(ctx, candidate), detail: { purpose: 'view-change', view, candidate, reason, signed: s.protocol === 'bft' } });
  onViewChange(s, ctx, me, me.id, msg);
  for (const p of peers(s, me)) ctx.send(me.id, p, 'view-change', msg);
}

export function onViewChange(s: SmrState, ctx: Ctx, me: Sat, from: string, msg: { view: number; executed: number; sig: string; voted: Command | null; reason: string }): void {
  if (msg.view <= me.view || me.excluded.includes(from)) return;
  if (s.protocol === 'bft' && !verifyAs(s, from, vcBody(msg.view, msg.executed), msg.sig)) return reject(s, ctx, me, 'authentication', `view-change from ${from} does not verify`);
  if (!me.vc || me.vc.view < msg.view) {
    // Join a higher view change (one member that saw a failed leader is enough to move on).
    if (from === me.id) return;
    startViewChange(s, ctx, me, msg.view, `joining ${from}: ${msg.reason}`);
  }
  const vc = me.vc;
  if (!vc || vc.view !== msg.view) return;
  vc.from[from] = { executed: msg.executed, sig: msg.sig };
  if (msg.voted) addPending(s, me, msg.voted);
  if (vc.certified || primaryOf(s, me, msg.view) !== me.id) return;
  const senders = Object.keys(vc.from);
  if (senders.length < quorumSize(s)) return;
  vc.certified = true;
  const cert = senders.map((id) => ({ from: id, executed: vc.from[id]!.executed, sig: vc.from[id]!.sig }));
  adoptView(s, ctx, me, msg.view, me.id, cert, `certified by ${senders.length} view-change messages`);
  for (const p of peers(s, me)) ctx.send(me.id, p, 'new-view', { view: msg.view, leader: me.id, cert });
}

export function onNewView(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { view: number; leader: string; cert: { from: string; executed: number; sig: string }[] }): void {
  if (body.view <= me.view) return;
  if (s.protocol === 'bft') {
    const ok = new Set(body.cert.filter((c) => !me.excluded.includes(c.from) && verifyAs(s, c.from, vcBody(body.view, c.executed), c.sig)).map((c) => c.from));
    if (from !== primaryOf(s, me, body.view) || ok.size < quorumSize(s)) {
      return reject(s, ctx, me, 'byzantine-quorum', `new view ${body.view} from ${from} carries ${ok.size} valid view-change signatures, needs ${quorumSize(s)}`);
    }
  }
  adoptView(s, ctx, me, body.view, from, body.cert, s.protocol === 'bft' ? 'new view certified by 2f+1 signed view-change messages' : 'new leader announced (not verified)');
}

/** Moves to a view; records the certificate (or, crash-tolerant, the leader's bare word). */
export function adoptView(s: SmrState, ctx: Ctx, me: Sat, view: number, leader: string, cert: { from: string; executed: number }[] | null, note: string): void {
  me.view = view;
  me.leader = leader;
  me.vc = null;
  me.round = null;
  me.progressAt = ctx.now_ms;
  me.waitingSince = null;
  const signers = cert ? cert.map((c) => c.from) : [];
  me.quorumEv = ctx.evidence('quorum-cert', me.group, me.id, {
    detail: { purpose: 'view', view, leader, signers, signed: s.protocol === 'bft', note },
  });
  let best = me.leaves.length;
  let from: string | null = null;
  for (const c of cert ?? []) {
    if (c.executed <= best) continue;
    best = c.executed;
    from = c.from;
  }
  me.catchUpTo = best;
  if (from) requestCatchUp(s, ctx, me, from);
  if (leader === me.id) ctx.setTimer(me.id, 0, 'propose');
}

// ---- catch-up ------------------------------------------------------------------------------

export function requestCatchUp(s: SmrState, ctx: Ctx, me: Sat, from: string): void {
  if (me.fetchAt > ctx.now_ms - 500) return;
  me.fetchAt = ctx.now_ms;
  ctx.send(me.id, from, 'fetch', { from: me.leaves.length });
}

export function onFetch(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { from: number }): void {
  const entries: { slot: number; command: Command; qc: Stmt[] | null }[] = [];
  for (let k = body.from; k < me.leaves.length && entries.length < 32; k++) {
    const id = me.leaves[k]!;
    entries.push({ slot: k, command: s.cmds[id]!, qc: s.qcs[`${k}|${id}`] ?? null });
  }
  if (entries.length > 0) ctx.send(me.id, from, 'entries', { entries, view: me.view, leader: leaderOf(s, me) });
}

export function onEntries(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { entries: { slot: number; command: Command; qc: Stmt[] | null }[] }): void {
  const start = me.leaves.length;
  for (const e of body.entries) {
    if (e.slot < me.leaves.length) continue;
    if (!applyCommitted(s, ctx, me, e.slot, e.command, e.qc, 'catch-up', null)) break;
  }
  if (me.leaves.length > start) {
    ctx.evidence('catch-up', me.group, me.id, { peer: groupOf(ctx, from), detail: { from_slot: start, to_slot: me.leaves.length - 1, entries: me.leaves.length - start, merkle_root: rootOf(me.peaks).slice(0, 12) } });
  }
  if (me.leaves.length >= me.catchUpTo && leaderOf(s, me) === me.id) ctx.setTimer(me.id, 0, 'propose');
}

// ---- relayed ground words ------------------------------------------------------------------

/** A verified ground-signed word: the freshest ground time this satellite can vouch for, and how late it arrived. */
export function noteGroundWord(s: SmrState, ctx: Ctx, me: Sat, groundTs: number): void {
  if (groundTs <= me.lastGroundTs) return;
  me.lastGroundTs = groundTs;
  me.wordAt = ctx.now_ms;
  me.wordLag = Math.max(0, localClock(s, ctx, me.id) - groundTs);
}

/** A satellite's onboard view of whether the leader has gone quiet or stalled; run each ISL round. */
export function leaderWatch(s: SmrState, ctx: Ctx, me: Sat): void {
  if (!me.quorumOk || me.byz) return;
  const timeout = num(ctx, P.viewTimeout);
  if (me.vc) {
    if (ctx.now_ms - me.vc.started_ms > 2 * timeout) startViewChange(s, ctx, me, me.vc.view + 1, `view ${me.vc.view} not certified in time`);
    return;
  }
  const leader = leaderOf(s, me);
  if (leader === me.id) return tryPropose(s, ctx, me);
  const misses = num(ctx, P.islMisses);
  if ((me.isl.miss[leader] ?? 0) >= misses) return startViewChange(s, ctx, me, me.view + 1, `leader ${leader} silent for ${misses} heartbeats`);
  if (me.excluded.includes(leader)) return startViewChange(s, ctx, me, me.view + 1, `leader ${leader} excluded`);
  if (!nextCommand(s, me)) {
    me.waitingSince = null;
    return;
  }
  me.waitingSince ??= ctx.now_ms;
  if (ctx.now_ms - Math.max(me.waitingSince, me.progressAt) > timeout) startViewChange(s, ctx, me, me.view + 1, `a command has waited ${timeout}ms without being ordered`);
}
