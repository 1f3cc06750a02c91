/**
 * Zones are the scopes of NT-2 (the scenario's groups). A zone's view is what the
 * majority of its live sensors see — never what the omniscient monitor knows:
 *
 *  - it *adopts* a coordinator when most of its live sensors follow the same
 *    coordinator in the same term (a `quorum-cert` record with `adopted: true`);
 *  - every heartbeat period it checks whether most of its sensors heard their
 *    coordinator lately (`heartbeat-missed` / `heartbeat-seen` on transitions, plus a
 *    `coordinator_silent_ms` probe while silent);
 *  - it records the first sight of each new term (`version`), the first vote cast in it
 *    in a term (`vote`), the first failed attempt of a term (`quorum-failed`) and the
 *    first pair of conflicting certificates of a term (`accusation`).
 *
 * Evidence stays sparse: at most a handful of records per zone per term or per period.
 */
import type { ComponentObservation, ModelContext, ScopeObservation } from '../../model-api';
import { quantizeBound } from '../../services/gvector-observer';
import type { IotState, Zone } from './state';

type Ctx = ModelContext;

export interface CertInfo {
  coord: number;
  term: number;
  votes: number;
  naive: boolean;
  certSeq: number;
  reachMask: number;
  backing: number;
  reachSeq: number;
}

export function followKey(coord: number, term: number): string {
  return `${coord}@${term}`;
}

/** Sensor i now follows `c.coord` in its current term. */
export function follow(s: IotState, ctx: Ctx, i: number, c: CertInfo): void {
  unfollow(s, ctx, i, false);
  const v = s.v;
  v.coord[i] = c.coord;
  v.coordVotes[i] = c.votes;
  v.coordNaive[i] = c.naive ? 1 : 0;
  v.coordCertSeq[i] = c.certSeq;
  const z = s.zones[v.zone[i]!]!;
  const key = followKey(c.coord, c.term);
  z.counts[key] = (z.counts[key] ?? 0) + 1;
  if (z.adopted !== key && z.counts[key]! * 2 > z.live) adopt(s, ctx, z, i, c);
}

/** Sensor i stops following its coordinator (new term, candidacy, crash). */
export function unfollow(s: IotState, ctx: Ctx, i: number, recheck = true): void {
  const v = s.v;
  if (v.coord[i]! < 0) return;
  const z = s.zones[v.zone[i]!]!;
  const key = followKey(v.coord[i]!, v.term[i]!);
  const left = (z.counts[key] ?? 1) - 1;
  if (left > 0) z.counts[key] = left;
  else delete z.counts[key];
  v.coord[i] = -1;
  if (recheck) recheckZone(s, ctx, z);
}

function adopt(s: IotState, ctx: Ctx, z: Zone, i: number, c: CertInfo): void {
  z.adopted = followKey(c.coord, c.term);
  z.adoptTerm = c.term;
  z.adoptCoord = c.coord;
  z.adoptVotes = c.votes;
  z.reachMask = c.reachMask;
  z.reachBacking = c.backing;
  z.reachSeq = c.reachSeq;
  const name = s.names[i]!;
  // Most of the zone just heard this coordinator: the zone's heartbeat streak restarts here.
  if (z.miss > 0) {
    ctx.evidence('heartbeat-seen', z.id, name, { peer: s.names[c.coord]!, detail: { round: z.round, adopted: true } });
    ctx.evidence('probe', z.id, name, { detail: { gauge: 'coordinator_silent_ms', value: 0 } });
  }
  z.miss = 0;
  z.missSeqs = [];
  z.lastHeard = ctx.now_ms;
  z.adoptSeq = ctx.evidence('quorum-cert', z.id, name, {
    peer: s.names[c.coord]!,
    detail: {
      adopted: true,
      term: c.term,
      coordinator: s.names[c.coord]!,
      votes: c.votes,
      quorum: s.quorum,
      members: s.n,
      rule: c.naive ? 'majority of the sensors that answered' : 'majority of the whole mesh',
      cert: c.certSeq,
    },
  });
}

/** Re-derives the zone's adopted coordinator after its live count or tallies changed. */
export function recheckZone(s: IotState, ctx: Ctx, z: Zone): void {
  if (z.adopted !== null && (z.counts[z.adopted] ?? 0) * 2 <= z.live) z.adopted = null;
  if (z.adopted !== null || z.live === 0) return;
  const v = s.v;
  for (const [key, count] of Object.entries(z.counts)) {
    if (count * 2 <= z.live) continue;
    const i = z.nodes.find((j) => v.coord[j]! >= 0 && followKey(v.coord[j]!, v.term[j]!) === key && ctx.isUp(s.names[j]!));
    if (i === undefined) continue;
    const c = v.coord[i]!;
    // The reach report: the coordinator's own if it still leads, else the last the zone heard.
    const l = s.lead[c];
    adopt(s, ctx, z, i, {
      coord: c,
      term: v.term[i]!,
      votes: v.coordVotes[i]!,
      naive: v.coordNaive[i] === 1,
      certSeq: v.coordCertSeq[i]!,
      reachMask: l ? l.reachMask : z.reachMask,
      backing: l ? l.backing : z.reachBacking,
      reachSeq: l ? l.reachSeq : z.reachSeq,
    });
    return;
  }
}

/** A sensor of the zone followed its coordinator's heartbeat: keep the zone's reach report current. */
export function noteReach(z: Zone, coord: number, term: number, mask: number, backing: number, seq: number): void {
  if (z.adoptCoord !== coord || z.adoptTerm !== term || z.adopted === null) return;
  z.reachMask = mask;
  z.reachBacking = backing;
  z.reachSeq = seq;
}

// ---- sparse per-term evidence ------------------------------------------------------------

export function sawTerm(s: IotState, ctx: Ctx, i: number, term: number, cause: string, by: number): void {
  const z = s.zones[s.v.zone[i]!]!;
  if (term <= z.maxTerm) return;
  const from = z.maxTerm;
  z.maxTerm = term;
  z.versionSeq = ctx.evidence('version', z.id, s.names[i]!, {
    peer: by >= 0 ? s.names[by]! : undefined,
    detail: { term, from_term: from, cause, ...(by >= 0 ? { by: s.names[by]! } : {}) },
  });
  if (s.outage) pushCapped(s.outage.evidence, z.versionSeq);
}

export function votedIn(s: IotState, ctx: Ctx, i: number, term: number, candidate: number): void {
  const z = s.zones[s.v.zone[i]!]!;
  if (z.voteTerm >= term) return;
  z.voteTerm = term;
  ctx.evidence('vote', z.id, s.names[i]!, { peer: s.names[candidate]!, detail: { term, candidate: s.names[candidate]!, granted: true } });
}

export function attemptFailed(s: IotState, ctx: Ctx, i: number, term: number, detail: Record<string, string | number>): void {
  const z = s.zones[s.v.zone[i]!]!;
  if (z.failTerm >= term) return;
  z.failTerm = term;
  const seq = ctx.evidence('quorum-failed', z.id, s.names[i]!, { detail: { term, candidate: s.names[i]!, ...detail } });
  if (s.outage) pushCapped(s.outage.evidence, seq);
}

/** Two certificates for the same term met at sensor i: an accusation in its zone (once per term). */
export function conflictSeen(s: IotState, ctx: Ctx, i: number, term: number, mine: [number, number, number], other: [number, number, number]): void {
  const z = s.zones[s.v.zone[i]!]!;
  if (z.conflictTerm >= term) return;
  z.conflictTerm = term;
  ctx.evidence('accusation', z.id, s.names[i]!, {
    peer: s.names[other[0]]!,
    detail: {
      term,
      reason: 'two coordinators hold certificates for the same term',
      coordinators: [s.names[mine[0]]!, s.names[other[0]]!],
      votes: [mine[1], other[1]],
      certs: [mine[2], other[2]],
    },
  });
}

/** The coordinator's ack round first included zone z in this term. */
export function zoneAcked(s: IotState, ctx: Ctx, coord: number, z: Zone, term: number, count: number, backing: number): void {
  if (z.ackTerm >= term) return;
  z.ackTerm = term;
  const name = s.names[coord]!;
  ctx.evidence('ack', z.id, name, { peer: name, detail: { term, coordinator: name, sensors_acked: count, backing } });
}

function pushCapped(list: number[], seq: number): void {
  list.push(seq);
  if (list.length > 8) list.shift();
}

// ---- heartbeat rounds ----------------------------------------------------------------------

/** Once per heartbeat period: did most live sensors of each zone hear their coordinator? */
export function zoneRounds(s: IotState, ctx: Ctx): void {
  const window = 1.5 * s.p.hb_ms;
  for (const z of s.zones) {
    if (z.live === 0) continue;
    z.round += 1;
    let heard = 0;
    let latest = -Infinity;
    let coord = -1;
    const v = s.v;
    for (const i of z.nodes) {
      if (!ctx.isUp(s.names[i]!)) continue;
      const c = v.coord[i]!;
      if (c >= 0 && ctx.now_ms - v.lastHb[i]! <= window) {
        heard += 1;
        if (v.lastHb[i]! > latest) latest = v.lastHb[i]!;
      }
      if (coord < 0 && c >= 0) coord = c;
    }
    const peer = coord >= 0 ? s.names[coord]! : z.adoptCoord >= 0 ? s.names[z.adoptCoord]! : 'coordinator';
    const rep = s.names[z.nodes.find((i) => ctx.isUp(s.names[i]!)) ?? z.nodes[0]!]!;
    if (heard * 2 > z.live) {
      z.lastHeard = latest;
      if (z.miss > 0) {
        ctx.evidence('heartbeat-seen', z.id, rep, { peer, detail: { round: z.round, heard, of: z.live } });
        ctx.evidence('probe', z.id, rep, { detail: { gauge: 'coordinator_silent_ms', value: 0 } });
      }
      z.miss = 0;
      z.missSeqs = [];
      continue;
    }
    z.miss += 1;
    const silent = Math.round(ctx.now_ms - z.lastHeard);
    const seq = ctx.evidence('heartbeat-missed', z.id, rep, {
      peer,
      detail: { round: z.round, in_a_row: z.miss, heard, of: z.live, silent_ms: silent },
    });
    z.missSeqs.push(seq);
    if (z.missSeqs.length > s.p.misses) z.missSeqs.shift();
    ctx.evidence('probe', z.id, rep, { detail: { gauge: 'coordinator_silent_ms', value: silent } });
    if (s.outage) pushCapped(s.outage.evidence, seq);
  }
}

// ---- observed G-vector ---------------------------------------------------------------------

function obs(value: string, basis: string, evidence: number[] = []): ComponentObservation {
  return { value, basis, evidence: evidence.filter((e) => e >= 0) };
}

function zoneNames(s: IotState, mask: number, inMask: boolean): string[] {
  return s.zones.filter((z) => z.nodes.length > 0 && ((mask & (1 << z.index)) !== 0) === inMask).map((z) => z.id);
}

/**
 * Scope: Global when the zone follows a coordinator whose certificate is a quorum of the
 * whole mesh AND whose last ack round reached every zone with a quorum of sensors; Range
 * when it follows a coordinator that governs only part of the mesh (a wall hides some
 * zones, or the certificate is a majority of those who answered, not of the mesh); Local
 * without a coordinator. Order/Visibility follow (one certified coordinator orders the
 * decisions it can see); Recency is Fresh while heartbeats arrive every period.
 */
export function observeZone(s: IotState, ctx: Ctx, z: Zone): ScopeObservation {
  const idem = obs('Idem(msg_id)', 'floods and votes are deduplicated by (coordinator, seq) and (term, candidate); frames by id');
  const auth = obs('Unauth', 'no signatures on the mesh (battery and compute budget)');
  const silent = Math.round(ctx.now_ms - z.lastHeard);
  // A higher term seen in the zone supersedes the adopted certificate (an election is running).
  if (z.adopted !== null && z.miss < s.p.misses && z.maxTerm <= z.adoptTerm) {
    const coord = s.names[z.adoptCoord]!;
    const certEv = [z.adoptSeq];
    const quorumCert = z.adoptVotes >= s.quorum;
    const reachedAll = (z.reachMask & s.fullMask) === s.fullMask;
    const backed = z.reachBacking >= s.quorum;
    let scope: ComponentObservation;
    if (quorumCert && reachedAll && backed) {
      scope = obs('Global', `${coord} (term ${z.adoptTerm}) holds ${z.adoptVotes}/${s.n} votes and its last ack round reached every zone (${z.reachBacking}/${s.n} sensors)`, [z.adoptSeq, z.reachSeq]);
    } else if (!quorumCert) {
      scope = obs(
        'Range',
        `${coord} (term ${z.adoptTerm}) holds ${z.adoptVotes} of ${s.n} votes, below the mesh quorum of ${s.quorum}: its authority is proven over its voters only — nothing stops another coordinator in the same term`,
        [z.adoptSeq, z.reachSeq],
      );
    } else {
      const silentZones = zoneNames(s, z.reachMask, false);
      scope = obs(
        'Range',
        `${coord} (term ${z.adoptTerm}) reaches ${z.reachBacking}/${s.n} sensors${silentZones.length ? `; no acknowledgement from ${silentZones.join(', ')}` : ''}: it governs this sub-mesh only`,
        [z.reachSeq, z.adoptSeq],
      );
    }
    const order = obs('Lx', `one coordinator per term (${coord}, term ${z.adoptTerm}) orders the decisions of the sensors it reaches`, certEv);
    const vis = obs('SER', 'aggregation and alerts go through the single coordinator', certEv);
    const recency =
      z.miss === 0
        ? obs('Fresh(heartbeat)', `most sensors heard ${coord}'s heartbeat within the last ${(1.5 * s.p.hb_ms) / 1000}s`, certEv)
        : obs(`BS(${quantizeBound(Math.max(silent, s.p.hb_ms))}ms)`, `${coord}'s heartbeats missed ${z.miss} round(s): last heard ${(silent / 1000).toFixed(1)}s ago`, z.missSeqs);
    return { scope, order, visibility: vis, recency, idempotence: idem, auth };
  }
  const why =
    z.maxTerm > z.adoptTerm
      ? `no coordinator: election for term ${z.maxTerm} in progress`
      : z.adopted !== null
        ? `coordinator ${s.names[z.adoptCoord]!}'s heartbeats missed ${z.miss} rounds in a row`
        : 'no coordinator followed by most sensors of the zone';
  const ev = [...z.missSeqs, z.versionSeq];
  return {
    scope: obs('Local', `${why}: each sensor buffers its own readings`, ev),
    order: obs('None', `${why}: no coordinator orders decisions`, ev),
    visibility: obs('Fractured', 'sensors hold independent, unaggregated views', ev),
    recency: obs('EO', `no coordinator heartbeat for ${(silent / 1000).toFixed(1)}s: no freshness bound can be evidenced`, z.missSeqs),
    idempotence: idem,
    auth,
  };
}
