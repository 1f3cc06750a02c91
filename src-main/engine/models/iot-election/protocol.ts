/**
 * The election protocol, Raft-like over a multi-hop mesh, with the strategy's knobs:
 *
 *  - failure detection: a follower that hears no heartbeat of its coordinator for its
 *    election timeout becomes a candidate in term+1. The timeout is fixed (3 heartbeat
 *    periods, `timeout` strategy), fixed + uniform jitter (`randomized`, the seed's
 *    [15 s, 30 s]), or fixed + (1 − priority) × window (`priority`: the sensor with the
 *    most battery × connectivity times out first). Timers run on the sensor's drifting
 *    clock (`clock_drift_ppm`).
 *  - candidacy: the candidate floods a vote request (term, candidate, priority). A sensor
 *    votes at most once per term, for the first request it hears (`priority`: for the
 *    best request heard within `vote_window_ms`), and relays only the request it prefers,
 *    so each flood costs at most one transmission per sensor. Votes travel back along
 *    the reverse path of the flood, hop by hop with retransmission.
 *  - certificate: with `quorum: majority` a candidate wins with ⌊N/2⌋+1 votes of the
 *    whole configured mesh (N = deployed sensors, crashed ones included). The naive
 *    variant (`quorum: responders`) waits `naive_window_ms` and wins with a majority of
 *    the sensors that answered — which a wall makes a minority of the mesh.
 *  - a losing candidate retries in a new term after its candidate timeout (fixed,
 *    randomized or priority-ordered like the election timeout).
 *  - the coordinator floods a heartbeat every `heartbeat_ms`; every `ack_every`-th one is
 *    acknowledged up the heartbeat tree. With a quorum rule the coordinator holds a lease
 *    (check-quorum, see checkLeases) and steps down when no quorum acknowledged it for
 *    longer than any follower's election timeout. The naive coordinator instead re-runs
 *    the election when members fall silent ("re-discover the mesh").
 *  - two certificates for the same term meeting at a sensor are evidence of split-brain
 *    (an accusation); the coordinator with fewer votes resigns, the other re-confirms in
 *    a higher term carrying the proof (the seed's resolution).
 *
 * Sensors are slots i into the arrays of `s.v` (see state.ts).
 */
import type { ModelContext } from '../../model-api';
import { coordinatorElected, coordinatorGone, electionStarted } from './monitor';
import { broadcast, dropFramesOf, unicast } from './radio';
import { CANDIDATE, COORDINATOR, FOLLOWER, FRAME_RING, type IotState, type Leadership } from './state';
import { attemptFailed, conflictSeen, follow, noteReach, recheckZone, sawTerm, unfollow, votedIn, zoneAcked, type CertInfo } from './zones';

type Ctx = ModelContext;

/** Heartbeat flood. */
export interface Hb {
  /** coordinator, term, seq, hops */
  c: number;
  t: number;
  s: number;
  h: number;
  /** certificate: votes, evidence seq, naive rule */
  v: number;
  cs: number;
  nv: boolean;
  /** last ack round: backing, zones reached (bit mask), evidence seq */
  b: number;
  z: number;
  rs: number;
  /** acknowledge this one */
  a: boolean;
}

/** Vote request flood. */
export interface Rv {
  t: number;
  c: number;
  pr: number;
  h: number;
  /** Split-brain proof carried by a re-confirming election: [term, coordinator, votes, cert seq] × 2. */
  sb?: [number, number, number, number, number, number, number];
}

/** A coordinator resigning after a split-brain, flooding the proof so that the other side learns. */
export interface Resign {
  t: number;
  c: number;
  h: number;
  sb: [number, number, number, number, number, number, number];
}

/** A vote (granted or, in the naive variant, refused) on its way back to the candidate. */
export interface Vote {
  t: number;
  c: number;
  v: number;
  g: boolean;
}

/** Heartbeat acknowledgement, aggregated up the tree. */
export interface HbAck {
  t: number;
  s: number;
  c: number;
  ids: number[];
}

/** Real (simulated) time for a delay measured on sensor i's drifting timer. */
function real(s: IotState, i: number, local_ms: number): number {
  return local_ms / (1 + s.v.drift[i]!);
}

export function drawTimeout(s: IotState, ctx: Ctx, i: number): number {
  const base = s.p.misses * s.p.hb_ms;
  if (s.p.timeouts === 'random') return base + ctx.rng.next() * s.p.jitter_ms;
  if (s.p.timeouts === 'priority') return base + (1 - s.v.prio[i]!) * s.p.prio_window_ms;
  return base;
}

function retryDelay(s: IotState, ctx: Ctx, i: number): number {
  if (s.p.timeouts === 'random') return s.p.cand_ms + ctx.rng.next() * s.p.cand_jitter_ms;
  if (s.p.timeouts === 'priority') return s.p.cand_ms + (1 - s.v.prio[i]!) * s.p.prio_window_ms;
  return s.p.cand_ms;
}

// ---- the election timer (lazily re-armed: one pending timer per sensor) ----------------------

function arm(s: IotState, ctx: Ctx, i: number, at: number): void {
  const v = s.v;
  v.gen[i]! += 1;
  v.armedAt[i] = at;
  ctx.setTimer(s.names[i]!, at - ctx.now_ms, 'elect', v.gen[i]!);
}

/** Pushes sensor i's election deadline one timeout into the future. */
export function resetDeadline(s: IotState, ctx: Ctx, i: number): void {
  const v = s.v;
  const deadline = ctx.now_ms + real(s, i, v.timeout[i]!);
  v.deadline[i] = deadline;
  // A pending timer that fires no later than the new deadline re-arms itself when it fires.
  const armed = v.armedAt[i]!;
  if (armed >= ctx.now_ms && armed <= deadline) return;
  arm(s, ctx, i, deadline);
}

function redraw(s: IotState, ctx: Ctx, i: number): void {
  s.v.timeout[i] = drawTimeout(s, ctx, i);
  resetDeadline(s, ctx, i);
}

export function onElectTimer(s: IotState, ctx: Ctx, i: number, gen: number): void {
  const v = s.v;
  if (gen !== v.gen[i]) return;
  v.armedAt[i] = -Infinity;
  if (v.role[i] !== FOLLOWER) return;
  if (ctx.now_ms < v.deadline[i]! - 1e-6) return arm(s, ctx, i, v.deadline[i]!);
  startCandidacy(s, ctx, i, 'heartbeat timeout');
}

// ---- terms, candidacy, certificates ----------------------------------------------------------

function becomeFollower(s: IotState, ctx: Ctx, i: number): void {
  if (s.v.role[i] === COORDINATOR) coordinatorGone(s, ctx, i);
  s.v.role[i] = FOLLOWER;
  delete s.cand[i];
  delete s.lead[i];
}

function adoptTerm(s: IotState, ctx: Ctx, i: number, term: number, cause: string, by: number, rearm: boolean): void {
  const v = s.v;
  const wasFollower = v.role[i] === FOLLOWER;
  becomeFollower(s, ctx, i);
  unfollow(s, ctx, i);
  v.term[i] = term;
  v.votedFor[i] = -1;
  delete s.rv[i];
  delete s.hbOther[i];
  v.hbFrom[i] = -1;
  v.relayed[i] = -1;
  v.relayedPrio[i] = -1;
  v.pending[i] = -1;
  sawTerm(s, ctx, i, term, cause, by);
  if (!wasFollower && rearm) redraw(s, ctx, i);
}

export function startCandidacy(s: IotState, ctx: Ctx, i: number, cause: string, sb?: Rv['sb']): void {
  const v = s.v;
  adoptTerm(s, ctx, i, v.term[i]! + 1, cause, i, false);
  v.role[i] = CANDIDATE;
  v.votedFor[i] = i;
  const c = (s.cand[i] = { votes: { [i]: true }, nVotes: 1, nRefusals: 0, since: ctx.now_ms });
  v.relayed[i] = i;
  v.relayedPrio[i] = v.prio[i]!;
  electionStarted(s, ctx);
  const term = v.term[i]!;
  broadcast(s, ctx, i, 'request-vote', { t: term, c: i, pr: v.prio[i]!, h: 1, ...(sb ? { sb } : {}) } satisfies Rv);
  if (s.p.quorum === 'majority' && c.nVotes >= s.quorum) return win(s, ctx, i);
  const name = s.names[i]!;
  if (s.p.quorum === 'responders') ctx.setTimer(name, real(s, i, s.p.naive_window_ms), 'decide', term);
  ctx.setTimer(name, real(s, i, retryDelay(s, ctx, i)), 'retry', term);
}

export function onRetryTimer(s: IotState, ctx: Ctx, i: number, term: number): void {
  const c = s.cand[i];
  if (s.v.role[i] !== CANDIDATE || s.v.term[i] !== term || !c) return;
  s.stats.splitVotes += 1;
  const needed = s.p.quorum === 'majority' ? s.quorum : Math.floor((c.nVotes + c.nRefusals) / 2) + 1;
  attemptFailed(s, ctx, i, term, { votes: c.nVotes, needed, refused: c.nRefusals });
  startCandidacy(s, ctx, i, 'candidate timeout (no certificate)');
}

/** Naive variant: after the vote window, win with a majority of those who answered. */
export function onDecideTimer(s: IotState, ctx: Ctx, i: number, term: number): void {
  const c = s.cand[i];
  if (s.v.role[i] !== CANDIDATE || s.v.term[i] !== term || !c) return;
  if (c.nVotes * 2 > c.nVotes + c.nRefusals) win(s, ctx, i);
}

function win(s: IotState, ctx: Ctx, i: number): void {
  const v = s.v;
  const c = s.cand[i]!;
  const naive = s.p.quorum === 'responders';
  const responders = c.nVotes + c.nRefusals;
  const voters: string[] = [];
  let mask = 0;
  for (const [k, granted] of Object.entries(c.votes)) {
    if (!granted) continue;
    const j = Number(k);
    voters.push(s.names[j]!);
    mask |= 1 << v.zone[j]!;
  }
  const term = v.term[i]!;
  const certSeq = ctx.evidence('quorum-cert', s.zones[v.zone[i]!]!.id, s.names[i]!, {
    detail: {
      adopted: false,
      term,
      coordinator: s.names[i]!,
      votes: c.nVotes,
      quorum: naive ? Math.floor(responders / 2) + 1 : s.quorum,
      members: naive ? responders : s.n,
      rule: naive ? 'majority of the sensors that answered' : 'majority of the whole mesh',
      voters,
    },
  });
  v.role[i] = COORDINATOR;
  delete s.cand[i];
  delete s.rv[i];
  // Every voter reset its election timer after the vote request went out: the lease starts there.
  const lead: Leadership = {
    hbSeq: 0,
    certSeq,
    certVotes: c.nVotes,
    members: naive ? responders : s.n,
    roundSeq: -1,
    roundIds: null,
    roundCount: 0,
    roundSentAt: 0,
    roundRetry: false,
    backing: c.nVotes,
    reachMask: mask,
    reachSeq: certSeq,
    leaseFrom: c.since,
    conflictTerm: 0,
  };
  s.lead[i] = lead;
  v.lastHb[i] = ctx.now_ms;
  follow(s, ctx, i, certOf(s, i, lead, naive));
  coordinatorElected(s, ctx, i, term, certSeq);
  sendHeartbeat(s, ctx, i);
}

export function certOf(s: IotState, i: number, l: Leadership, naive: boolean): CertInfo {
  return { coord: i, term: s.v.term[i]!, votes: l.certVotes, naive, certSeq: l.certSeq, reachMask: l.reachMask, backing: l.backing, reachSeq: l.reachSeq };
}

function stepDown(s: IotState, ctx: Ctx, i: number): void {
  becomeFollower(s, ctx, i);
  unfollow(s, ctx, i);
  redraw(s, ctx, i);
}

// ---- vote requests and votes ------------------------------------------------------------------

function better(prA: number, a: number, prB: number, b: number): boolean {
  return prA > prB || (prA === prB && a < b);
}

export function onRequestVote(s: IotState, ctx: Ctx, i: number, from: number, m: Rv): void {
  const v = s.v;
  if (m.t < v.term[i]! || (m.t === v.term[i] && v.role[i] === COORDINATOR)) return;
  // A re-confirming election carries the split-brain proof: every zone it reaches learns of it.
  if (m.sb) conflictSeen(s, ctx, i, m.sb[0], [m.sb[1], m.sb[2], m.sb[3]], [m.sb[4], m.sb[5], m.sb[6]]);
  if (m.t > v.term[i]!) adoptTerm(s, ctx, i, m.t, 'vote request', m.c, true);
  if (m.c === i) return;
  const rv = (s.rv[i] ??= {});
  if (rv[m.c] !== undefined) return;
  rv[m.c] = from;
  const naive = s.p.quorum === 'responders';
  let relay = false;
  if (v.role[i] === CANDIDATE) {
    if (naive) answer(s, ctx, i, m.c, false);
  } else {
    if (s.p.timeouts === 'priority') {
      if (v.relayed[i]! < 0 || better(m.pr, m.c, v.relayedPrio[i]!, v.relayed[i]!)) {
        relay = true;
        v.relayed[i] = m.c;
        v.relayedPrio[i] = m.pr;
      }
    } else if (v.relayed[i]! < 0) {
      relay = true;
      v.relayed[i] = m.c;
    }
    if (v.votedFor[i]! < 0) {
      if (s.p.timeouts !== 'priority') grant(s, ctx, i, m.c);
      else if (v.pending[i]! < 0) {
        v.pending[i] = m.c;
        v.pendingPrio[i] = m.pr;
        redraw(s, ctx, i); // a pending vote counts as a granted one for the election timer
        ctx.setTimer(s.names[i]!, s.p.vote_window_ms, 'window', m.t);
      } else if (better(m.pr, m.c, v.pendingPrio[i]!, v.pending[i]!)) {
        v.pending[i] = m.c;
        v.pendingPrio[i] = m.pr;
      }
    } else if (naive && v.votedFor[i] !== m.c) answer(s, ctx, i, m.c, false);
  }
  if (relay && m.h < s.p.ttl) broadcast(s, ctx, i, 'request-vote', { ...m, h: m.h + 1 } satisfies Rv);
}

/** Priority strategy: the vote window closed; vote for the best candidate heard in it. */
export function onWindowTimer(s: IotState, ctx: Ctx, i: number, term: number): void {
  const v = s.v;
  if (v.term[i] !== term || v.role[i] !== FOLLOWER || v.votedFor[i]! >= 0 || v.pending[i]! < 0) return;
  const c = v.pending[i]!;
  v.pending[i] = -1;
  grant(s, ctx, i, c);
}

function grant(s: IotState, ctx: Ctx, i: number, c: number): void {
  s.v.votedFor[i] = c;
  redraw(s, ctx, i);
  votedIn(s, ctx, i, s.v.term[i]!, c);
  answer(s, ctx, i, c, true);
}

function answer(s: IotState, ctx: Ctx, i: number, c: number, granted: boolean): void {
  const next = s.rv[i]?.[c];
  if (next === undefined) return;
  unicast(s, ctx, i, next, 'vote', { t: s.v.term[i]!, c, v: i, g: granted } satisfies Vote);
}

export function onVote(s: IotState, ctx: Ctx, i: number, m: Vote): void {
  if (m.c === i) {
    const c = s.cand[i];
    if (s.v.role[i] !== CANDIDATE || s.v.term[i] !== m.t || !c || c.votes[m.v] !== undefined) return;
    c.votes[m.v] = m.g;
    if (m.g) c.nVotes += 1;
    else c.nRefusals += 1;
    if (s.p.quorum === 'majority' && c.nVotes >= s.quorum) win(s, ctx, i);
    return;
  }
  if (s.v.term[i] !== m.t) return;
  const next = s.rv[i]?.[m.c];
  if (next !== undefined) unicast(s, ctx, i, next, 'vote', m);
}

// ---- heartbeats and their acknowledgement ------------------------------------------------------

/** Floods the next heartbeat; `retry` = an extra acknowledged heartbeat after a failed ack round. */
export function sendHeartbeat(s: IotState, ctx: Ctx, i: number, retry = false): void {
  const l = s.lead[i]!;
  const term = s.v.term[i]!;
  const seq = l.hbSeq++;
  const ackRound = retry || seq % s.p.ack_every === 0;
  if (ackRound) {
    l.roundSeq = seq;
    l.roundIds = {};
    l.roundCount = 0;
    l.roundSentAt = ctx.now_ms;
    l.roundRetry = retry;
    ctx.setTimer(s.names[i]!, (s.p.ttl + 1) * s.p.ack_slot_ms + (s.p.arq_retries + 1) * s.p.arq_wait_ms, 'round', { t: term, s: seq });
  }
  s.v.lastHb[i] = ctx.now_ms;
  const hb: Hb = { c: i, t: term, s: seq, h: 1, v: l.certVotes, cs: l.certSeq, nv: s.p.quorum === 'responders', b: l.backing, z: l.reachMask, rs: l.reachSeq, a: ackRound };
  broadcast(s, ctx, i, 'heartbeat', hb);
  if (!retry) ctx.setTimer(s.names[i]!, real(s, i, s.p.hb_ms), 'hb', term);
}

export function onHbTimer(s: IotState, ctx: Ctx, i: number, term: number): void {
  if (s.v.role[i] === COORDINATOR && s.v.term[i] === term) sendHeartbeat(s, ctx, i);
}

/** True the first time sensor i sees heartbeat seq of coordinator c in its current term. */
function firstSighting(s: IotState, i: number, c: number, seq: number): boolean {
  const v = s.v;
  if (v.hbFrom[i] === c || v.hbFrom[i] === -1) {
    if (v.hbFrom[i] === c && v.hbSeq[i]! >= seq) return false;
    v.hbFrom[i] = c;
    v.hbSeq[i] = seq;
    return true;
  }
  const other = (s.hbOther[i] ??= {});
  if ((other[c] ?? -1) >= seq) return false;
  other[c] = seq;
  return true;
}

export function onHeartbeat(s: IotState, ctx: Ctx, i: number, from: number, m: Hb): void {
  const v = s.v;
  if (m.t < v.term[i]!) return;
  if (m.t > v.term[i]!) adoptTerm(s, ctx, i, m.t, 'heartbeat', m.c, true);
  if (m.c === i || !firstSighting(s, i, m.c, m.s)) return;
  if (v.role[i] === COORDINATOR) conflict(s, ctx, i, m);
  else {
    if (v.role[i] === CANDIDATE) {
      v.role[i] = FOLLOWER; // someone holds a certificate for my term
      delete s.cand[i];
    }
    if (v.coord[i]! < 0) {
      follow(s, ctx, i, { coord: m.c, term: m.t, votes: m.v, naive: m.nv, certSeq: m.cs, reachMask: m.z, backing: m.b, reachSeq: m.rs });
      delete s.rv[i]; // the election of this term is over for this sensor
    }
    if (v.coord[i] === m.c) {
      v.lastHb[i] = ctx.now_ms;
      v.parent[i] = from;
      resetDeadline(s, ctx, i);
      noteReach(s.zones[v.zone[i]!]!, m.c, m.t, m.z, m.b, m.rs);
      if (m.a) {
        v.ackSeq[i] = m.s;
        v.ackSent[i] = 0;
        delete s.ackBuf[i];
        ctx.setTimer(s.names[i]!, Math.max(0, s.p.ttl - m.h) * s.p.ack_slot_ms, 'ack', { t: m.t, s: m.s, c: m.c });
      }
    } else conflict(s, ctx, i, m);
  }
  if (m.h < s.p.ttl) broadcast(s, ctx, i, 'heartbeat', { ...m, h: m.h + 1 });
}

/** Sensor i, following (or being) one coordinator of term m.t, hears another coordinator of the same term. */
function conflict(s: IotState, ctx: Ctx, i: number, m: Hb): void {
  const v = s.v;
  const l = s.lead[i];
  const mine: [number, number, number] = l ? [i, l.certVotes, l.certSeq] : [v.coord[i]!, v.coordVotes[i]!, v.coordCertSeq[i]!];
  conflictSeen(s, ctx, i, m.t, mine, [m.c, m.v, m.cs]);
  if (!l || l.conflictTerm >= m.t) return;
  l.conflictTerm = m.t;
  // The seed's resolution: fewer votes resign; the other re-confirms in a higher term.
  const proof: Rv['sb'] = [m.t, i, l.certVotes, l.certSeq, m.c, m.v, m.cs];
  if (l.certVotes > m.v || (l.certVotes === m.v && i < m.c)) reconfirm(s, ctx, i, proof!);
  else {
    stepDown(s, ctx, i);
    broadcast(s, ctx, i, 'resign', { t: m.t, c: i, h: 1, sb: proof! } satisfies Resign);
  }
}

function reconfirm(s: IotState, ctx: Ctx, i: number, proof: NonNullable<Rv['sb']>): void {
  startCandidacy(s, ctx, i, 'split-brain: re-confirm in a higher term', proof);
}

/** A resignation flood: record the proof in this zone; the surviving coordinator re-confirms. */
export function onResign(s: IotState, ctx: Ctx, i: number, m: Resign): void {
  const v = s.v;
  if (m.t < v.term[i]! || v.resignTerm[i]! >= m.t) return;
  v.resignTerm[i] = m.t;
  conflictSeen(s, ctx, i, m.t, [m.sb[1], m.sb[2], m.sb[3]], [m.sb[4], m.sb[5], m.sb[6]]);
  const l = s.lead[i];
  if (l && v.term[i] === m.t && l.conflictTerm < m.t && (m.sb[1] === i || m.sb[4] === i)) {
    l.conflictTerm = m.t;
    reconfirm(s, ctx, i, m.sb);
    return;
  }
  if (m.h < s.p.ttl) broadcast(s, ctx, i, 'resign', { ...m, h: m.h + 1 });
}

export function onAckTimer(s: IotState, ctx: Ctx, i: number, d: { t: number; s: number; c: number }): void {
  const v = s.v;
  if (v.coord[i] !== d.c || v.term[i] !== d.t || v.ackSeq[i] !== d.s || v.ackSent[i]) return;
  v.ackSent[i] = 1;
  const buf = s.ackBuf[i];
  delete s.ackBuf[i];
  const ids = buf ? [i, ...buf] : [i];
  if (v.parent[i]! >= 0) unicast(s, ctx, i, v.parent[i]!, 'hb-ack', { t: d.t, s: d.s, c: d.c, ids } satisfies HbAck);
}

export function onHbAck(s: IotState, ctx: Ctx, i: number, m: HbAck): void {
  const v = s.v;
  if (m.c === i) {
    const l = s.lead[i];
    if (!l || v.term[i] !== m.t || l.roundSeq !== m.s || l.roundIds === null) return;
    for (const id of m.ids) {
      if (l.roundIds[id]) continue;
      l.roundIds[id] = true;
      l.roundCount += 1;
    }
    return;
  }
  if (v.coord[i] !== m.c || v.term[i] !== m.t) return;
  if (v.ackSeq[i] === m.s && !v.ackSent[i]) {
    const buf = (s.ackBuf[i] ??= []);
    for (const id of m.ids) buf.push(id);
  } else if (v.parent[i]! >= 0) unicast(s, ctx, i, v.parent[i]!, 'hb-ack', m); // late: pass it on as is
}

/** The coordinator closes an ack round: who (and which zones) it still reaches. */
export function onRoundTimer(s: IotState, ctx: Ctx, i: number, d: { t: number; s: number }): void {
  const v = s.v;
  const l = s.lead[i];
  if (!l || v.term[i] !== d.t || l.roundSeq !== d.s || l.roundIds === null) return;
  const perZone = new Array<number>(s.zones.length).fill(0);
  perZone[v.zone[i]!]! += 1;
  for (const k of Object.keys(l.roundIds)) perZone[v.zone[Number(k)]!]! += 1;
  l.roundIds = null;
  const backing = l.roundCount + 1;
  let mask = 0;
  perZone.forEach((count, z) => {
    if (count === 0) return;
    mask |= 1 << z;
    zoneAcked(s, ctx, i, s.zones[z]!, d.t, count, backing);
  });
  const zone = s.zones[v.zone[i]!]!;
  if (mask !== l.reachMask || backing >= s.quorum !== l.backing >= s.quorum) {
    const silent = s.zones.filter((z) => z.nodes.length > 0 && (mask & (1 << z.index)) === 0).map((z) => z.id);
    l.reachSeq = ctx.evidence('probe', zone.id, s.names[i]!, {
      detail: {
        gauge: 'zones_reached',
        value: s.zones.filter((z) => (mask & (1 << z.index)) !== 0).length,
        of: s.zones.filter((z) => z.nodes.length > 0).length,
        backing,
        quorum: s.quorum,
        term: d.t,
        silent_zones: silent,
      },
    });
  }
  l.reachMask = mask;
  l.backing = backing;
  noteReach(zone, i, d.t, mask, backing, l.reachSeq);
  const short = s.p.quorum === 'majority' ? backing < s.quorum : backing < s.p.regather * l.members;
  if (!short) {
    if (s.p.quorum === 'majority') l.leaseFrom = l.roundSentAt;
    return;
  }
  // One lost flood is not a lost quorum: ask again at once before concluding anything.
  if (!l.roundRetry) return sendHeartbeat(s, ctx, i, true);
  if (s.p.quorum === 'responders') startCandidacy(s, ctx, i, `re-gather: only ${backing} of ${l.members} members answered`);
}

/**
 * Check-quorum as a lease: a coordinator acts only until `lease_ms` after sending the last
 * heartbeat that a quorum acknowledged. Followers reset their election timers on receiving
 * that heartbeat (later), with timeouts ≥ lease_ms even on the fastest clock — so a
 * coordinator cut off from the quorum steps down before the majority can elect another.
 */
export function checkLeases(s: IotState, ctx: Ctx): void {
  if (s.p.quorum !== 'majority') return;
  for (const i of [...s.acting]) {
    const l = s.lead[i]!;
    if (ctx.now_ms - l.leaseFrom <= real(s, i, s.p.lease_ms)) continue;
    ctx.evidence('lease-expiry', s.zones[s.v.zone[i]!]!.id, s.names[i]!, {
      detail: { term: s.v.term[i]!, reason: 'no quorum acknowledged a heartbeat within the lease: coordinator steps down', backing: l.backing, quorum: s.quorum, lease_ms: Math.round(s.p.lease_ms) },
    });
    stepDown(s, ctx, i);
  }
}

// ---- crashes -----------------------------------------------------------------------------------

export function crash(s: IotState, ctx: Ctx, i: number): void {
  if (s.v.role[i] === COORDINATOR) coordinatorGone(s, ctx, i);
  unfollow(s, ctx, i, false);
  const z = s.zones[s.v.zone[i]!]!;
  z.live -= 1;
  recheckZone(s, ctx, z);
  dropFramesOf(s, i);
  s.v.armedAt[i] = -Infinity;
}

export function restart(s: IotState, ctx: Ctx, i: number): void {
  // term and votedFor are on stable storage; everything else is volatile.
  const v = s.v;
  v.role[i] = FOLLOWER;
  delete s.cand[i];
  delete s.lead[i];
  delete s.rv[i];
  delete s.hbOther[i];
  delete s.ackBuf[i];
  v.hbFrom[i] = -1;
  v.relayed[i] = -1;
  v.pending[i] = -1;
  v.parent[i] = -1;
  v.ackSeq[i] = -1;
  v.frames.fill(-1, i * FRAME_RING, (i + 1) * FRAME_RING);
  const z = s.zones[v.zone[i]!]!;
  z.live += 1;
  recheckZone(s, ctx, z);
  redraw(s, ctx, i);
}
