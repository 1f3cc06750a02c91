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
 *    whole configured mesh (N = active sensors, crashed ones included). The naive
 *    variant (`quorum: responders`) waits `naive_window_ms` and wins with a majority of
 *    the sensors that answered — which a wall makes a minority of the mesh.
 *  - a losing candidate retries in a new term after its candidate timeout (fixed,
 *    randomized or priority-ordered like the election timeout).
 *  - the coordinator floods a heartbeat every `heartbeat_ms`; every `ack_every`-th one is
 *    acknowledged up the heartbeat tree. With a quorum rule, a coordinator whose ack round
 *    falls below a quorum steps down (check-quorum), so a coordinator cut off behind a
 *    wall never outlives the majority's next election. The naive coordinator instead
 *    re-runs the election when members fall silent ("re-discover the mesh").
 *  - two certificates for the same term meeting at a sensor are evidence of split-brain
 *    (an accusation); the coordinator with fewer votes resigns, the other re-confirms in
 *    a higher term (the seed's resolution).
 */
import type { ModelContext } from '../../model-api';
import { coordinatorElected, coordinatorGone, electionStarted } from './monitor';
import { broadcast, dropFramesOf, unicast } from './radio';
import type { IotState, Sensor } from './state';
import { attemptFailed, conflictSeen, follow, noteReach, recheckZone, sawTerm, unfollow, votedIn, zoneAcked, type CertInfo } from './zones';

type Ctx = ModelContext;

/** Heartbeat flood. */
export interface Hb {
  c: number;
  t: number;
  s: number;
  h: number;
  v: number;
  cs: number;
  nv: boolean;
  b: number;
  z: number;
  rs: number;
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

const nameOf = (s: IotState, i: number): string => s.names[i]!;

/** Real (simulated) time for a delay measured on the sensor's drifting timer. */
function real(x: Sensor, local_ms: number): number {
  return local_ms / (1 + x.drift);
}

export function drawTimeout(s: IotState, ctx: Ctx, x: Sensor): number {
  const base = s.p.misses * s.p.hb_ms;
  if (s.p.timeouts === 'random') return base + ctx.rng.next() * s.p.jitter_ms;
  if (s.p.timeouts === 'priority') return base + (1 - x.prio) * s.p.prio_window_ms;
  return base;
}

function retryDelay(s: IotState, ctx: Ctx, x: Sensor): number {
  if (s.p.timeouts === 'random') return s.p.cand_ms + ctx.rng.next() * s.p.cand_jitter_ms;
  if (s.p.timeouts === 'priority') return s.p.cand_ms + (1 - x.prio) * s.p.prio_window_ms;
  return s.p.cand_ms;
}

// ---- the election timer (lazily re-armed: one pending timer per sensor) ----------------------

function arm(s: IotState, ctx: Ctx, x: Sensor, at: number): void {
  x.gen += 1;
  x.armedAt = at;
  ctx.setTimer(nameOf(s, x.i), at - ctx.now_ms, 'elect', x.gen);
}

/** Pushes the sensor's election deadline one timeout into the future. */
export function resetDeadline(s: IotState, ctx: Ctx, x: Sensor): void {
  x.deadline = ctx.now_ms + real(x, x.timeout_ms);
  // A pending timer that fires no later than the new deadline re-arms itself when it fires.
  if (x.armedAt >= ctx.now_ms && x.armedAt <= x.deadline) return;
  arm(s, ctx, x, x.deadline);
}

export function onElectTimer(s: IotState, ctx: Ctx, x: Sensor, gen: number): void {
  if (gen !== x.gen) return;
  x.armedAt = -Infinity;
  if (x.role !== 'follower') return;
  if (ctx.now_ms < x.deadline - 1e-6) return arm(s, ctx, x, x.deadline);
  startCandidacy(s, ctx, x, 'heartbeat timeout');
}

// ---- terms, candidacy, certificates ----------------------------------------------------------

function adoptTerm(s: IotState, ctx: Ctx, x: Sensor, term: number, cause: string, by: number, rearm: boolean): void {
  const wasFollower = x.role === 'follower';
  if (x.role === 'coordinator') coordinatorGone(s, ctx, x);
  x.role = 'follower';
  unfollow(s, ctx, x);
  x.term = term;
  x.votedFor = -1;
  x.rv = {};
  x.relayed = -1;
  x.relayedPrio = -1;
  x.pending = -1;
  x.hbSeen = {};
  x.votes = {};
  x.nVotes = 0;
  x.nRefusals = 0;
  sawTerm(s, ctx, x, term, cause, by);
  if (!wasFollower && rearm) {
    x.timeout_ms = drawTimeout(s, ctx, x);
    resetDeadline(s, ctx, x);
  }
}

export function startCandidacy(s: IotState, ctx: Ctx, x: Sensor, cause: string, sb?: Rv['sb']): void {
  adoptTerm(s, ctx, x, x.term + 1, cause, x.i, false);
  x.role = 'candidate';
  x.votedFor = x.i;
  x.votes = { [x.i]: true };
  x.nVotes = 1;
  x.relayed = x.i;
  x.relayedPrio = x.prio;
  electionStarted(s, ctx);
  const name = nameOf(s, x.i);
  broadcast(s, ctx, x.i, 'request-vote', { t: x.term, c: x.i, pr: x.prio, h: 1, ...(sb ? { sb } : {}) } satisfies Rv);
  if (s.p.quorum === 'majority' && x.nVotes >= s.quorum) return win(s, ctx, x);
  if (s.p.quorum === 'responders') ctx.setTimer(name, real(x, s.p.naive_window_ms), 'decide', x.term);
  ctx.setTimer(name, real(x, retryDelay(s, ctx, x)), 'retry', x.term);
}

export function onRetryTimer(s: IotState, ctx: Ctx, x: Sensor, term: number): void {
  if (x.role !== 'candidate' || x.term !== term) return;
  s.stats.splitVotes += 1;
  const needed = s.p.quorum === 'majority' ? s.quorum : Math.floor((x.nVotes + x.nRefusals) / 2) + 1;
  attemptFailed(s, ctx, x, term, { votes: x.nVotes, needed, refused: x.nRefusals });
  startCandidacy(s, ctx, x, 'candidate timeout (no certificate)');
}

/** Naive variant: after the vote window, win with a majority of those who answered. */
export function onDecideTimer(s: IotState, ctx: Ctx, x: Sensor, term: number): void {
  if (x.role !== 'candidate' || x.term !== term) return;
  if (x.nVotes * 2 > x.nVotes + x.nRefusals) win(s, ctx, x);
}

function win(s: IotState, ctx: Ctx, x: Sensor): void {
  const naive = s.p.quorum === 'responders';
  const responders = x.nVotes + x.nRefusals;
  const voters: string[] = [];
  let mask = 0;
  for (const [k, granted] of Object.entries(x.votes)) {
    if (!granted) continue;
    const i = Number(k);
    voters.push(nameOf(s, i));
    mask |= 1 << s.sensors[i]!.zone;
  }
  x.role = 'coordinator';
  x.certVotes = x.nVotes;
  x.members = naive ? responders : s.n;
  x.certSeq = ctx.evidence('quorum-cert', s.zones[x.zone]!.id, nameOf(s, x.i), {
    detail: {
      adopted: false,
      term: x.term,
      coordinator: nameOf(s, x.i),
      votes: x.nVotes,
      quorum: naive ? Math.floor(responders / 2) + 1 : s.quorum,
      members: naive ? responders : s.n,
      rule: naive ? 'majority of the sensors that answered' : 'majority of the whole mesh',
      voters,
    },
  });
  x.reachMask = mask;
  x.backing = x.nVotes;
  x.reachSeq = x.certSeq;
  x.hbSeq = 0;
  x.roundIds = null;
  x.lastHb = ctx.now_ms;
  follow(s, ctx, x, certOf(x, naive));
  coordinatorElected(s, ctx, x, x.term, x.certSeq);
  sendHeartbeat(s, ctx, x);
}

function certOf(x: Sensor, naive: boolean): CertInfo {
  return {
    coord: x.i,
    term: x.term,
    votes: x.certVotes,
    naive,
    certSeq: x.certSeq,
    reachMask: x.reachMask,
    backing: x.backing,
    reachSeq: x.reachSeq,
  };
}

function stepDown(s: IotState, ctx: Ctx, x: Sensor): void {
  coordinatorGone(s, ctx, x);
  x.role = 'follower';
  x.roundIds = null;
  unfollow(s, ctx, x);
  x.timeout_ms = drawTimeout(s, ctx, x);
  resetDeadline(s, ctx, x);
}

// ---- vote requests and votes ------------------------------------------------------------------

function better(prA: number, a: number, prB: number, b: number): boolean {
  return prA > prB || (prA === prB && a < b);
}

export function onRequestVote(s: IotState, ctx: Ctx, x: Sensor, from: number, m: Rv): void {
  if (m.t < x.term || (m.t === x.term && x.role === 'coordinator')) return;
  // A re-confirming election carries the split-brain proof: every zone it reaches learns of it.
  if (m.sb) conflictSeen(s, ctx, x, m.sb[0], [m.sb[1], m.sb[2], m.sb[3]], [m.sb[4], m.sb[5], m.sb[6]]);
  if (m.t > x.term) adoptTerm(s, ctx, x, m.t, 'vote request', m.c, true);
  if (m.c === x.i || x.rv[m.c] !== undefined) return;
  x.rv[m.c] = from;
  const naive = s.p.quorum === 'responders';
  let relay = false;
  if (x.role === 'candidate') {
    if (naive) answer(s, ctx, x, m.c, false);
  } else {
    if (s.p.timeouts === 'priority') {
      if (x.relayed < 0 || better(m.pr, m.c, x.relayedPrio, x.relayed)) {
        relay = true;
        x.relayed = m.c;
        x.relayedPrio = m.pr;
      }
    } else if (x.relayed < 0) {
      relay = true;
      x.relayed = m.c;
    }
    if (x.votedFor < 0) {
      if (s.p.timeouts === 'priority') {
        if (x.pending < 0) {
          x.pending = m.c;
          x.pendingPrio = m.pr;
          ctx.setTimer(nameOf(s, x.i), s.p.vote_window_ms, 'window', m.t);
        } else if (better(m.pr, m.c, x.pendingPrio, x.pending)) {
          x.pending = m.c;
          x.pendingPrio = m.pr;
        }
      } else grant(s, ctx, x, m.c);
    } else if (naive && x.votedFor !== m.c) answer(s, ctx, x, m.c, false);
  }
  if (relay && m.h < s.p.ttl) broadcast(s, ctx, x.i, 'request-vote', { ...m, h: m.h + 1 } satisfies Rv);
}

/** Priority strategy: the vote window closed; vote for the best candidate heard in it. */
export function onWindowTimer(s: IotState, ctx: Ctx, x: Sensor, term: number): void {
  if (x.term !== term || x.role !== 'follower' || x.votedFor >= 0 || x.pending < 0) return;
  const c = x.pending;
  x.pending = -1;
  grant(s, ctx, x, c);
}

function grant(s: IotState, ctx: Ctx, x: Sensor, c: number): void {
  x.votedFor = c;
  x.timeout_ms = drawTimeout(s, ctx, x);
  resetDeadline(s, ctx, x);
  votedIn(s, ctx, x, x.term, c);
  answer(s, ctx, x, c, true);
}

function answer(s: IotState, ctx: Ctx, x: Sensor, c: number, granted: boolean): void {
  const next = x.rv[c];
  if (next === undefined) return;
  unicast(s, ctx, x.i, next, 'vote', { t: x.term, c, v: x.i, g: granted } satisfies Vote);
}

export function onVote(s: IotState, ctx: Ctx, y: Sensor, m: Vote): void {
  if (m.c === y.i) {
    if (y.role !== 'candidate' || y.term !== m.t || y.votes[m.v] !== undefined) return;
    y.votes[m.v] = m.g;
    if (m.g) y.nVotes += 1;
    else y.nRefusals += 1;
    if (s.p.quorum === 'majority' && y.nVotes >= s.quorum) win(s, ctx, y);
    return;
  }
  if (y.term !== m.t) return;
  const next = y.rv[m.c];
  if (next !== undefined) unicast(s, ctx, y.i, next, 'vote', m);
}

// ---- heartbeats and their acknowledgement ------------------------------------------------------

export function sendHeartbeat(s: IotState, ctx: Ctx, x: Sensor): void {
  const seq = x.hbSeq++;
  const ackRound = seq % s.p.ack_every === 0;
  if (ackRound) {
    x.roundSeq = seq;
    x.roundIds = {};
    x.roundCount = 0;
    ctx.setTimer(nameOf(s, x.i), (s.p.ttl + 1) * s.p.ack_slot_ms + (s.p.arq_retries + 1) * s.p.arq_wait_ms, 'round', { t: x.term, s: seq });
  }
  x.lastHb = ctx.now_ms;
  const hb: Hb = {
    c: x.i,
    t: x.term,
    s: seq,
    h: 1,
    v: x.certVotes,
    cs: x.certSeq,
    nv: s.p.quorum === 'responders',
    b: x.backing,
    z: x.reachMask,
    rs: x.reachSeq,
    a: ackRound,
  };
  broadcast(s, ctx, x.i, 'heartbeat', hb);
  ctx.setTimer(nameOf(s, x.i), real(x, s.p.hb_ms), 'hb', x.term);
}

export function onHbTimer(s: IotState, ctx: Ctx, x: Sensor, term: number): void {
  if (x.role === 'coordinator' && x.term === term) sendHeartbeat(s, ctx, x);
}

export function onHeartbeat(s: IotState, ctx: Ctx, x: Sensor, from: number, m: Hb): void {
  if (m.t < x.term) return;
  if (m.t > x.term) adoptTerm(s, ctx, x, m.t, 'heartbeat', m.c, true);
  if (m.c === x.i) return;
  const seen = x.hbSeen[m.c];
  if (seen !== undefined && seen >= m.s) return;
  x.hbSeen[m.c] = m.s;
  if (x.role === 'coordinator') conflict(s, ctx, x, m);
  else {
    if (x.role === 'candidate') x.role = 'follower'; // someone holds a certificate for my term
    if (x.coord < 0) follow(s, ctx, x, { coord: m.c, term: m.t, votes: m.v, naive: m.nv, certSeq: m.cs, reachMask: m.z, backing: m.b, reachSeq: m.rs });
    if (x.coord === m.c) {
      x.lastHb = ctx.now_ms;
      x.parent = from;
      resetDeadline(s, ctx, x);
      noteReach(s.zones[x.zone]!, x.followKey, m.z, m.b, m.rs);
      if (m.a) {
        x.ackSeq = m.s;
        x.ackSent = false;
        x.ackBuf = [];
        ctx.setTimer(nameOf(s, x.i), Math.max(0, s.p.ttl - m.h) * s.p.ack_slot_ms, 'ack', { t: m.t, s: m.s, c: m.c });
      }
    } else conflict(s, ctx, x, m);
  }
  if (m.h < s.p.ttl) broadcast(s, ctx, x.i, 'heartbeat', { ...m, h: m.h + 1 });
}

/** x, following (or being) one coordinator of term m.t, hears another coordinator of the same term. */
function conflict(s: IotState, ctx: Ctx, x: Sensor, m: Hb): void {
  const mine: [number, number, number] = x.role === 'coordinator' ? [x.i, x.certVotes, x.certSeq] : [x.coord, x.coordVotes, x.coordCertSeq];
  conflictSeen(s, ctx, x, m.t, mine, [m.c, m.v, m.cs]);
  if (x.role !== 'coordinator' || x.conflictTerm >= m.t) return;
  x.conflictTerm = m.t;
  // The seed's resolution: fewer votes resign; the other re-confirms in a higher term.
  if (x.certVotes > m.v || (x.certVotes === m.v && x.i < m.c)) {
    startCandidacy(s, ctx, x, 'split-brain: re-confirm in a higher term', [m.t, x.i, x.certVotes, x.certSeq, m.c, m.v, m.cs]);
  } else stepDown(s, ctx, x);
}

export function onAckTimer(s: IotState, ctx: Ctx, x: Sensor, d: { t: number; s: number; c: number }): void {
  if (x.coord !== d.c || x.term !== d.t || x.ackSeq !== d.s || x.ackSent) return;
  x.ackSent = true;
  const ids = [x.i, ...x.ackBuf];
  x.ackBuf = [];
  if (x.parent >= 0) unicast(s, ctx, x.i, x.parent, 'hb-ack', { t: d.t, s: d.s, c: d.c, ids } satisfies HbAck);
}

export function onHbAck(s: IotState, ctx: Ctx, y: Sensor, m: HbAck): void {
  if (m.c === y.i) {
    if (y.role !== 'coordinator' || y.term !== m.t || y.roundSeq !== m.s || y.roundIds === null) return;
    for (const id of m.ids) {
      if (y.roundIds[id]) continue;
      y.roundIds[id] = true;
      y.roundCount += 1;
    }
    return;
  }
  if (y.coord !== m.c || y.term !== m.t) return;
  if (y.ackSeq === m.s && !y.ackSent) {
    for (const id of m.ids) y.ackBuf.push(id);
  } else if (y.parent >= 0) unicast(s, ctx, y.i, y.parent, 'hb-ack', m); // late: pass it on as is
}

/** The coordinator closes an ack round: who (and which zones) it still reaches. */
export function onRoundTimer(s: IotState, ctx: Ctx, y: Sensor, d: { t: number; s: number }): void {
  if (y.role !== 'coordinator' || y.term !== d.t || y.roundSeq !== d.s || y.roundIds === null) return;
  const perZone = new Array<number>(s.zones.length).fill(0);
  perZone[y.zone]! += 1;
  for (const k of Object.keys(y.roundIds)) perZone[s.sensors[Number(k)]!.zone]! += 1;
  y.roundIds = null;
  const backing = y.roundCount + 1;
  let mask = 0;
  perZone.forEach((count, z) => {
    if (count === 0) return;
    mask |= 1 << z;
    zoneAcked(s, ctx, y, s.zones[z]!, d.t, count, backing);
  });
  const name = nameOf(s, y.i);
  const zone = s.zones[y.zone]!;
  if (mask !== y.reachMask || backing >= s.quorum !== y.backing >= s.quorum) {
    const silent = s.zones.filter((z) => z.nodes.length > 0 && (mask & (1 << z.index)) === 0).map((z) => z.id);
    y.reachSeq = ctx.evidence('probe', zone.id, name, {
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
  y.reachMask = mask;
  y.backing = backing;
  noteReach(zone, y.followKey, mask, backing, y.reachSeq);
  if (s.p.quorum === 'majority' && backing < s.quorum) {
    ctx.evidence('lease-expiry', zone.id, name, { detail: { term: d.t, reason: 'check-quorum: ack round below quorum, coordinator steps down', backing, quorum: s.quorum } });
    stepDown(s, ctx, y);
  } else if (s.p.quorum === 'responders' && backing < s.p.regather * y.members) {
    startCandidacy(s, ctx, y, `re-gather: only ${backing} of ${y.members} members answered`);
  }
}

// ---- crashes -----------------------------------------------------------------------------------

export function crash(s: IotState, ctx: Ctx, x: Sensor): void {
  if (x.role === 'coordinator') coordinatorGone(s, ctx, x);
  unfollow(s, ctx, x, false);
  const z = s.zones[x.zone]!;
  z.live -= 1;
  recheckZone(s, ctx, z);
  dropFramesOf(s, x.i);
  x.armedAt = -Infinity;
}

export function restart(s: IotState, ctx: Ctx, x: Sensor): void {
  // term and votedFor are on stable storage; everything else is volatile.
  x.role = 'follower';
  x.rv = {};
  x.hbSeen = {};
  x.relayed = -1;
  x.pending = -1;
  x.votes = {};
  x.nVotes = 0;
  x.nRefusals = 0;
  x.parent = -1;
  x.ackBuf = [];
  x.ackSeq = -1;
  x.roundIds = null;
  x.frames = [];
  const z = s.zones[x.zone]!;
  z.live += 1;
  recheckZone(s, ctx, z);
  x.timeout_ms = drawTimeout(s, ctx, x);
  resetDeadline(s, ctx, x);
}
