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
import { layoutFloor } from './layout';
import { checkDeadline, coordinatorElected, currentCoordinator, metricsOf } from './monitor';
import {
  crash,
  drawTimeout,
  onAckTimer,
  onDecideTimer,
  onElectTimer,
  onHbAck,
  onHbTimer,
  onHeartbeat,
  onRequestVote,
  onRetryTimer,
  onRoundTimer,
  onVote,
  onWindowTimer,
  resetDeadline,
  restart,
  type Hb,
  type HbAck,
  type Rv,
  type Vote,
} from './protocol';
import { acceptUnicast, onArqTimer, onLinkAck, received } from './radio';
import type { IotState, Params, QuorumRule, Sensor, TimeoutPolicy, Zone } from './state';
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
    battery_mAh: n('battery_mAh'),
    drift_ppm: n('clock_drift_ppm'),
    deadline_ms: n('election_deadline_ms'),
    regather: n('regather_fraction'),
    timeouts: ctx.param<string>('timeouts') as TimeoutPolicy,
    quorum: ctx.param<string>('quorum') as QuorumRule,
  };
}

function newSensor(i: number, zone: number, active: boolean): Sensor {
  return {
    i,
    zone,
    active,
    drift: 0,
    battery0_uAh: 0,
    used_uAh: 0,
    tx: 0,
    rx: 0,
    degree: 0,
    prio: 0,
    term: 1,
    votedFor: -1,
    role: 'follower',
    coord: -1,
    followKey: '',
    coordVotes: 0,
    coordNaive: false,
    coordCertSeq: -1,
    lastHb: 0,
    timeout_ms: 0,
    deadline: Infinity,
    armedAt: -Infinity,
    gen: 0,
    hbSeen: {},
    rv: {},
    relayed: -1,
    relayedPrio: -1,
    pending: -1,
    pendingPrio: -1,
    parent: -1,
    ackSeq: -1,
    ackSent: false,
    ackBuf: [],
    votes: {},
    nVotes: 0,
    nRefusals: 0,
    hbSeq: 0,
    certSeq: -1,
    certVotes: 0,
    members: 0,
    roundSeq: -1,
    roundIds: null,
    roundCount: 0,
    backing: 0,
    reachMask: 0,
    reachSeq: -1,
    conflictTerm: 0,
    frames: [],
  };
}

function init(ctx: Ctx): IotState {
  const p = readParams(ctx);
  const names = [...ctx.topo.nodes];
  const idx: Record<string, number> = {};
  names.forEach((n, i) => (idx[n] = i));
  const groups = ctx.topo.groups;
  const total = names.length;
  const wanted = Math.max(groups.length, Math.min(total, Math.round(ctx.param<number>('sensors'))));
  // Spread the active sensors over the zones as evenly as the file allows.
  const sizes = groups.map((g) => ctx.topo.nodesOf.get(g)!.length);
  const take = groups.map(() => 0);
  for (let left = wanted, z = 0; left > 0; z = (z + 1) % groups.length) {
    if (take[z]! < sizes[z]!) {
      take[z]! += 1;
      left -= 1;
    } else if (take.every((t, k) => t >= sizes[k]!)) break;
  }
  const zoneNodes = groups.map((g, z) => ctx.topo.nodesOf.get(g)!.slice(0, take[z]).map((n) => idx[n]!));
  const activeSet = new Set(zoneNodes.flat());
  const sensors = names.map((n, i) => newSensor(i, groups.indexOf(ctx.topo.groupOf.get(n)!), activeSet.has(i)));
  const floor = layoutFloor(zoneNodes, total);
  const maxDegree = Math.max(1, ...zoneNodes.flat().map((i) => floor.nbr[i]!.length));
  const positions: Record<string, [number, number]> = {};
  for (const i of activeSet) {
    const x = sensors[i]!;
    x.drift = ((ctx.rng.next() * 2 - 1) * p.drift_ppm) / 1e6;
    x.battery0_uAh = p.battery_mAh * 1000 * (0.5 + 0.5 * ctx.rng.next());
    x.degree = floor.nbr[i]!.length;
    x.prio = (x.battery0_uAh / (p.battery_mAh * 1000)) * (x.degree / maxDegree);
    positions[names[i]!] = [round4(floor.x[i]!), round4(floor.y[i]!)];
  }
  const zones: Zone[] = groups.map((id, z) => ({
    id,
    index: z,
    nodes: zoneNodes[z]!,
    live: zoneNodes[z]!.length,
    counts: {},
    adopted: null,
    adoptSeq: -1,
    adoptTerm: 0,
    adoptCoord: -1,
    adoptVotes: 0,
    adoptNaive: false,
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
    conflictSeq: -1,
  }));
  const n = activeSet.size;
  let fullMask = 0;
  zones.forEach((z) => {
    if (z.nodes.length > 0) fullMask |= 1 << z.index;
  });
  return {
    p,
    names,
    idx,
    sensors,
    zones,
    n,
    quorum: Math.floor(n / 2) + 1,
    fullMask,
    x: floor.x,
    y: floor.y,
    nbr: floor.nbr,
    radioRange: floor.range,
    positions,
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
  const active = s.sensors.filter((x) => x.active);
  if (active.length === 0) return;
  let c = active[0]!;
  const d = (x: Sensor) => (s.x[x.i]! - 0.5) ** 2 + (s.y[x.i]! - 0.5) ** 2;
  for (const x of active) if (d(x) < d(c)) c = x;
  for (const x of active) x.votedFor = c.i;
  c.role = 'coordinator';
  c.certVotes = s.n;
  c.members = s.n;
  c.backing = s.n;
  c.reachMask = s.fullMask;
  c.certSeq = ctx.evidence('quorum-cert', s.zones[c.zone]!.id, s.names[c.i]!, {
    detail: { adopted: false, bootstrap: true, term: 1, coordinator: s.names[c.i]!, votes: s.n, quorum: s.quorum, members: s.n, rule: 'commissioning', voters: active.map((x) => s.names[x.i]!) },
  });
  c.reachSeq = c.certSeq;
  const cert = { coord: c.i, term: 1, votes: s.n, naive: false, certSeq: c.certSeq, reachMask: s.fullMask, backing: s.n, reachSeq: c.certSeq };
  for (const x of active) {
    follow(s, ctx, x, cert);
    if (x !== c) {
      x.timeout_ms = drawTimeout(s, ctx, x);
      resetDeadline(s, ctx, x);
    }
  }
  coordinatorElected(s, ctx, c, 1, c.certSeq);
  ctx.setTimer(s.names[c.i]!, ctx.rng.next() * s.p.hb_ms, 'hb', 1);
}

function zoneWalls(s: IotState, ctx: Ctx): MetricValue[] {
  const walls: MetricValue[] = [];
  const w = 1 / s.zones.length;
  for (let z = 0; z + 1 < s.zones.length; z++) {
    const a = s.zones[z]!.nodes[0];
    const b = s.zones[z + 1]!.nodes[0];
    if (a === undefined || b === undefined) continue;
    if (!ctx.linkUp(s.names[a]!, s.names[b]!)) walls.push({ x: (z + 1) * w, y0: 0, y1: 1, between: [s.zones[z]!.id, s.zones[z + 1]!.id] });
  }
  return walls;
}

export const iotElectionModel: ModelDefinition<IotState> = {
  id: 'iot-election',

  init,
  start,

  onMessage(s, ctx, to, from, kind, body) {
    const t = s.idx[to]!;
    const f = s.idx[from]!;
    const x = s.sensors[t]!;
    received(s, t);
    switch (kind) {
      case 'heartbeat':
        return onHeartbeat(s, ctx, x, f, body as Hb);
      case 'request-vote':
        return onRequestVote(s, ctx, x, f, body as Rv);
      case 'link-ack':
        return onLinkAck(s, body as number);
      case 'vote': {
        const m = acceptUnicast(s, ctx, t, f, body as { f: number; p: unknown });
        if (m) onVote(s, ctx, x, m as Vote);
        return;
      }
      case 'hb-ack': {
        const m = acceptUnicast(s, ctx, t, f, body as { f: number; p: unknown });
        if (m) onHbAck(s, ctx, x, m as HbAck);
        return;
      }
    }
  },

  onTimer(s, ctx, node, name, data) {
    const x = s.sensors[s.idx[node]!]!;
    switch (name) {
      case 'elect':
        return onElectTimer(s, ctx, x, data as number);
      case 'retry':
        return onRetryTimer(s, ctx, x, data as number);
      case 'decide':
        return onDecideTimer(s, ctx, x, data as number);
      case 'window':
        return onWindowTimer(s, ctx, x, data as number);
      case 'hb':
        return onHbTimer(s, ctx, x, data as number);
      case 'ack':
        return onAckTimer(s, ctx, x, data as { t: number; s: number; c: number });
      case 'round':
        return onRoundTimer(s, ctx, x, data as { t: number; s: number });
      case 'arq':
        return onArqTimer(s, ctx, data as number);
    }
  },

  onCrash(s, ctx, node) {
    const x = s.sensors[s.idx[node]!]!;
    if (x.active) crash(s, ctx, x);
  },

  onRestart(s, ctx, node) {
    const x = s.sensors[s.idx[node]!]!;
    if (x.active) restart(s, ctx, x);
  },

  tick(s, ctx) {
    if (ctx.now_ms >= s.nextRound) {
      s.nextRound += s.p.hb_ms;
      zoneRounds(s, ctx);
    }
    checkDeadline(s, ctx);
  },

  leader(s) {
    const c = currentCoordinator(s);
    return c ? s.names[c.i]! : undefined;
  },

  roles(s) {
    const roles: Record<string, string> = {};
    for (const x of s.sensors) {
      roles[s.names[x.i]!] = !x.active ? 'inactive' : x.role === 'follower' && x.coord < 0 ? 'orphan' : x.role;
    }
    return roles;
  },

  observe(s, ctx, scope): ScopeObservation {
    return observeZone(s, ctx, s.zones.find((z) => z.id === scope)!);
  },

  viewExtras(s, ctx) {
    const w = 1 / s.zones.length;
    const c = currentCoordinator(s);
    return {
      floor: { width: 1, height: 1, zones: s.zones.map((z) => ({ id: z.id, x0: z.index * w, x1: (z.index + 1) * w })) },
      positions: s.positions,
      radio_range: round4(s.radioRange),
      walls: zoneWalls(s, ctx),
      coordinator: c ? s.names[c.i]! : null,
      term: c ? c.term : null,
      sensors_active: s.n,
    };
  },

  metrics(s, ctx) {
    return metricsOf(s, ctx);
  },
};
