/**
 * NT-2 "Leader election in an IoT device mesh" — the protocol model. See ./state.ts for
 * the design, ./protocol.ts for the election, ./zones.ts for what a zone (scope) sees
 * and ./monitor.ts for the invariants and figures.
 *
 * Size: the scenario file declares 100 sensors per zone (500); the `sensors` parameter
 * (100 by default, up to the file's count) activates the first ⌈sensors/zones⌉ of each
 * zone and lays them out on the floor. Inactive sensors take no part (role `inactive`,
 * no position, no timers) and do not count towards the quorum.
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import type { ModelContext, ModelDefinition, ScopeObservation } from '../../model-api';
import { checkDeadline, coordinatorElected, currentCoordinator, metricsOf } from './monitor';
import {
  certOf,
  checkLeases,
  crash,
  drawTimeout,
  onAckTimer,
  onDecideTimer,
  onElectTimer,
  onHbAck,
  onHbTimer,
  onHeartbeat,
  onRequestVote,
  onResign,
  onRetryTimer,
  onRoundTimer,
  onVote,
  onWindowTimer,
  resetDeadline,
  restart,
  type Hb,
  type HbAck,
  type Resign,
  type Rv,
  type Vote,
} from './protocol';
import { acceptUnicast, onArqTimer, onLinkAck, received } from './radio';
import { COORDINATOR, FOLLOWER, FRAME_RING, ROLE_NAMES, type IotState, type Params, type QuorumRule, type SensorArrays, type TimeoutPolicy, type Zone } from './state';
import { floorOf } from './source';
import { follow, observeZone, zoneRounds } from './zones';

type Ctx = ModelContext;

function readParams(ctx: Ctx): Params {
  const n = (k: string) => ctx.param<number>(k);
  return {
    hb_ms: n('heartbeat_ms'),
    misses: n('heartbeat_misses'),
    jitter_ms: n('election_jitter_ms'),
    cand_ms: n('candidate_timeout_ms'),
    cand_jitter_ms: n('candidate_jitter_ms'),
    prio_window_ms: n('priority_window_ms'),
    vote_window_ms: n('vote_window_ms'),
    naive_window_ms: n('naive_window_ms'),
    ack_every: Math.max(1, Math.round(n('ack_every'))),
    ack_slot_ms: n('ack_slot_ms'),
    ttl: n('flood_ttl'),
    arq_wait_ms: n('arq_wait_ms'),
    arq_retries: n('arq_retries'),
    interference: n('interference_loss'),
    frame_uAh: n('frame_cost_uAh'),
    drift_ppm: n('clock_drift_ppm'),
    deadline_ms: n('election_deadline_ms'),
    regather: n('regather_fraction'),
    // Shorter than any follower's election timeout, even with the worst clock drift.
    lease_ms: n('heartbeat_misses') * n('heartbeat_ms') * (1 - (3 * n('clock_drift_ppm')) / 1e6),
    timeouts: ctx.param<string>('timeouts') as TimeoutPolicy,
    quorum: ctx.param<string>('quorum') as QuorumRule,
  };
}

function sensorArrays(n: number): SensorArrays {
  const i32 = (fill: number) => new Int32Array(n).fill(fill);
  const f64 = (fill: number) => new Float64Array(n).fill(fill);
  return {
    zone: new Uint8Array(n),
    drift: f64(0),
    prio: f64(0),
    used_uAh: f64(0),
    term: i32(1),
    votedFor: i32(-1),
    role: new Uint8Array(n),
    coord: i32(-1),
    coordVotes: i32(0),
    coordNaive: new Uint8Array(n),
    coordCertSeq: i32(-1),
    lastHb: f64(0),
    timeout: f64(0),
    deadline: f64(Infinity),
    armedAt: f64(-Infinity),
    gen: i32(0),
    hbFrom: i32(-1),
    hbSeq: i32(-1),
    relayed: i32(-1),
    relayedPrio: f64(-1),
    resignTerm: i32(0),
    pending: i32(-1),
    pendingPrio: f64(-1),
    parent: i32(-1),
    ackSeq: i32(-1),
    ackSent: new Uint8Array(n),
    frames: new Int32Array(n * FRAME_RING).fill(-1),
    framePos: new Uint8Array(n),
  };
}

function init(ctx: Ctx): IotState {
  const p = readParams(ctx);
  const floor = floorOf(ctx);
  const n = floor.names.length;
  const v = sensorArrays(n);
  for (let i = 0; i < n; i++) {
    v.zone[i] = floor.zone[i]!;
    v.drift[i] = ((ctx.rng.next() * 2 - 1) * p.drift_ppm) / 1e6;
    const charge = 0.5 + 0.5 * ctx.rng.next(); // sensors start 50%..100% charged
    v.prio[i] = charge * (floor.nbr[i]!.length / floor.maxDegree);
  }
  const zones: Zone[] = ctx.topo.groups.map((id, z) => ({
    id,
    index: z,
    nodes: floor.zoneNodes[z]!,
    live: floor.zoneNodes[z]!.length,
    counts: {},
    adopted: null,
    adoptSeq: -1,
    adoptTerm: 0,
    adoptCoord: -1,
    adoptVotes: 0,
    reachMask: 0,
    reachBacking: 0,
    reachSeq: -1,
    maxTerm: 1,
    versionSeq: -1,
    miss: 0,
    missSeqs: [],
    round: 0,
    lastHeard: 0,
    voteTerm: 0,
    failTerm: 0,
    ackTerm: 0,
    conflictTerm: 0,
  }));
  let fullMask = 0;
  zones.forEach((z) => {
    if (z.nodes.length > 0) fullMask |= 1 << z.index;
  });
  return {
    p,
    names: floor.names,
    v,
    cand: {},
    lead: {},
    rv: {},
    hbOther: {},
    ackBuf: {},
    zones,
    n,
    quorum: Math.floor(n / 2) + 1,
    fullMask,
    nextFrame: 1,
    frames: {},
    nextRound: p.hb_ms,
    acting: [],
    certs: {},
    maxCertTerm: 0,
    election: null,
    outage: null,
    stats: {
      tx: 0,
      rx: 0,
      electionFrames: 0,
      arqDropped: 0,
      attempts: 0,
      splitVotes: 0,
      completed: 0,
      electionMs: [],
      electionFramesPer: [],
      failoverMs: [],
      splitBrainTerms: 0,
      maxCoordinators: 0,
    },
  };
}

function round4(v: number): number {
  return Math.round(v * 10000) / 10000;
}

/**
 * The mesh has been commissioned: term 1, coordinator = the sensor nearest the middle of
 * the floor, with a bootstrap certificate signed off by every sensor.
 */
function start(s: IotState, ctx: Ctx): void {
  if (s.n === 0) return;
  const floor = floorOf(ctx);
  let c = 0;
  const d = (i: number) => (floor.x[i]! - 0.5) ** 2 + (floor.y[i]! - 0.5) ** 2;
  for (let i = 1; i < s.n; i++) if (d(i) < d(c)) c = i;
  s.v.votedFor.fill(c);
  const certSeq = ctx.evidence('quorum-cert', s.zones[s.v.zone[c]!]!.id, s.names[c]!, {
    detail: { adopted: false, bootstrap: true, term: 1, coordinator: s.names[c]!, votes: s.n, quorum: s.quorum, members: s.n, rule: 'commissioning', voters: [...s.names] },
  });
  s.v.role[c] = COORDINATOR;
  const lead = (s.lead[c] = {
    hbSeq: 0,
    certSeq,
    certVotes: s.n,
    members: s.n,
    roundSeq: -1,
    roundIds: null,
    roundCount: 0,
    roundSentAt: 0,
    roundRetry: false,
    backing: s.n,
    reachMask: s.fullMask,
    reachSeq: certSeq,
    leaseFrom: 0,
    conflictTerm: 0,
  });
  const cert = certOf(s, c, lead, false);
  for (let i = 0; i < s.n; i++) {
    follow(s, ctx, i, cert);
    if (i !== c) {
      s.v.timeout[i] = drawTimeout(s, ctx, i);
      resetDeadline(s, ctx, i);
    }
  }
  coordinatorElected(s, ctx, c, 1, certSeq);
  ctx.setTimer(s.names[c]!, ctx.rng.next() * s.p.hb_ms, 'hb', 1);
}

function zoneWalls(s: IotState, ctx: Ctx): MetricValue[] {
  const walls: MetricValue[] = [];
  const w = 1 / s.zones.length;
  for (let z = 0; z + 1 < s.zones.length; z++) {
    const a = s.zones[z]!.nodes[0];
    const b = s.zones[z + 1]!.nodes[0];
    if (a === undefined || b === undefined) continue;
    if (!ctx.linkUp(s.names[a]!, s.names[b]!)) walls.push({ x: round4((z + 1) * w), y0: 0, y1: 1, between: [s.zones[z]!.id, s.zones[z + 1]!.id] });
  }
  return walls;
}

export const iotElectionModel: ModelDefinition<IotState> = {
  id: 'iot-election',

  init,
  start,

  onMessage(s, ctx, to, from, kind, body) {
    const idx = floorOf(ctx).idx;
    const t = idx[to]!;
    const f = idx[from]!;
    received(s, t);
    switch (kind) {
      case 'heartbeat':
        return onHeartbeat(s, ctx, t, f, body as Hb);
      case 'request-vote':
        return onRequestVote(s, ctx, t, f, body as Rv);
      case 'resign':
        return onResign(s, ctx, t, body as Resign);
      case 'link-ack':
        return onLinkAck(s, body as number);
      case 'vote': {
        const m = acceptUnicast(s, ctx, t, f, body as { f: number; p: unknown });
        if (m) onVote(s, ctx, t, m as Vote);
        return;
      }
      case 'hb-ack': {
        const m = acceptUnicast(s, ctx, t, f, body as { f: number; p: unknown });
        if (m) onHbAck(s, ctx, t, m as HbAck);
        return;
      }
    }
  },

  onTimer(s, ctx, node, name, data) {
    const i = floorOf(ctx).idx[node]!;
    switch (name) {
      case 'elect':
        return onElectTimer(s, ctx, i, data as number);
      case 'retry':
        return onRetryTimer(s, ctx, i, data as number);
      case 'decide':
        return onDecideTimer(s, ctx, i, data as number);
      case 'window':
        return onWindowTimer(s, ctx, i, data as number);
      case 'hb':
        return onHbTimer(s, ctx, i, data as number);
      case 'ack':
        return onAckTimer(s, ctx, i, data as { t: number; s: number; c: number });
      case 'round':
        return onRoundTimer(s, ctx, i, data as { t: number; s: number });
      case 'arq':
        return onArqTimer(s, ctx, data as number);
    }
  },

  onCrash(s, ctx, node) {
    const i = floorOf(ctx).idx[node];
    if (i !== undefined) crash(s, ctx, i);
  },

  onRestart(s, ctx, node) {
    const i = floorOf(ctx).idx[node];
    if (i !== undefined) restart(s, ctx, i);
  },

  tick(s, ctx) {
    if (ctx.now_ms >= s.nextRound) {
      s.nextRound += s.p.hb_ms;
      zoneRounds(s, ctx);
    }
    checkLeases(s, ctx);
    checkDeadline(s, ctx);
  },

  leader(s) {
    const c = currentCoordinator(s);
    return c >= 0 ? s.names[c]! : undefined;
  },

  roles(s, ctx) {
    const roles: Record<string, string> = {};
    for (const n of ctx.topo.nodes) roles[n] = 'inactive';
    for (let i = 0; i < s.n; i++) roles[s.names[i]!] = s.v.role[i] === FOLLOWER && s.v.coord[i]! < 0 ? 'orphan' : ROLE_NAMES[s.v.role[i]!]!;
    return roles;
  },

  observe(s, ctx, scope): ScopeObservation {
    return observeZone(s, ctx, s.zones.find((z) => z.id === scope)!);
  },

  viewExtras(s, ctx) {
    const w = 1 / s.zones.length;
    const c = currentCoordinator(s);
    return {
      floor: { width: 1, height: 1, zones: s.zones.map((z) => ({ id: z.id, x0: round4(z.index * w), x1: round4((z.index + 1) * w) })) },
      positions: floorOf(ctx).positions,
      radio_range: round4(floorOf(ctx).range),
      walls: zoneWalls(s, ctx),
      coordinator: c >= 0 ? s.names[c]! : null,
      term: c >= 0 ? s.v.term[c]! : null,
      sensors_active: s.n,
    };
  },

  metrics(s, ctx) {
    return metricsOf(s, ctx);
  },
};
