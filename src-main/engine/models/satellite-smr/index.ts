/**
 * NT-3 "State machine replication in a satellite network" — the protocol model.
 * See ./state.ts for the design; modules: orbit (visibility), crypto (keys, signatures,
 * Merkle), capsule (the seven checks), replication (BFT / crash-tolerant consensus,
 * accusations), ground (stations, contact, reconciliation, emergencies), observe
 * (G-vectors), monitors (invariants, metrics).
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import type { ModelDefinition, ScopeObservation } from '../../model-api';
import { certBody, signAs, verifyAs } from './capsule';
import { arrived, groupOf, leaderOf, localClock, num, orbitOf, P, quorumSize, str, type Ctx } from './context';
import { deriveKey } from './crypto';
import { anomaly, beaconRound, issueCommand, missionControl, onBeacon, onGroundMessage, onReconciled, onReinstate, onRelay, onRollback, onUplink, routineOp, routineRequest, stationRound } from './ground';
import { checkInvariants, leaderNow, metrics } from './monitors';
import { earthView, visible } from './orbit';
import { contactOf, observeGround, observeSat } from './observe';
import {
  adoptView,
  leaderWatch,
  onAccuse,
  onAppend,
  onAppendAck,
  onCommit,
  onEntries,
  onFetch,
  onNewView,
  onPropose,
  onViewChange,
  onVote,
  requestCatchUp,
  sendCommit,
  startViewChange,
  tryPropose,
} from './replication';
import type { Ground, Protocol, Sat, SmrState } from './state';

export const BYZANTINE_BEHAVIORS = ['equivocate'] as const;

function stationIds(ctx: Ctx): string[] {
  const listed = str(ctx, P.stations)
    .split(';')
    .map((x) => x.trim().split(/\s+/)[0])
    .filter((x): x is string => !!x);
  return ctx.topo.nodes.filter((n) => listed.includes(n));
}

function parseAnomalies(text: string, sats: string[]): SmrState['anomalies'] {
  const out: SmrState['anomalies'] = [];
  for (const part of text.split(';')) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)\s+([\w.-]+)\s*:\s*(.+?)\s*$/.exec(part);
    if (!m) continue;
    const unit = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'min' | 'h'];
    if (!sats.includes(m[3]!)) throw new Error(`anomaly_schedule names unknown satellite "${m[3]}"`);
    out.push({ at: Number(m[1]) * unit, sat: m[3]!, op: m[4]! });
  }
  return out;
}

function newSat(id: string, idx: number, group: string, driftPpm: number, contact: boolean): Sat {
  return {
    id,
    idx,
    group,
    view: 0,
    leader: null,
    leaves: [],
    peaks: [],
    lastGseq: 0,
    pending: [],
    round: null,
    roundSigs: 0,
    catchUpTo: 0,
    fetchAt: -Infinity,
    progressAt: 0,
    waitingSince: null,
    held: {},
    excluded: [],
    accusations: {},
    vc: null,
    isl: { heard: {}, miss: {}, round: 0 },
    peerContact: {},
    islLag: {},
    viewHints: {},
    quorumOk: true,
    quorumFailedAt: -Infinity,
    contact,
    beaconHeard: false,
    beaconMiss: 0,
    beaconRound: 0,
    missSeqs: [],
    lastGroundTs: 0,
    wordAt: -Infinity,
    wordLag: 0,
    lagSamples: [],
    contactLostAt: null,
    epoch: -1,
    stalenessStep: 0,
    contactProbeAt: 0,
    contactEv: null,
    stalenessEv: null,
    recovering: false,
    recoveryStart: 0,
    reconciled: false,
    summaryLen: 0,
    summaryAt: -Infinity,
    recoveryReported: false,
    reset: false,
    queued: [],
    driftPpm,
    driftFrozen: null,
    correction: 0,
    offset: 0,
    offsetOver: false,
    offsetEv: null,
    lastDiscipline: 0,
    byz: null,
    verifiedEv: null,
    verifiedLabel: 'ECDSA',
    quorumEv: null,
    accusationEv: null,
    quorumFailedEv: null,
    dedup: 0,
  };
}

function newGround(): Ground {
  return {
    nextGseq: 1,
    log: [],
    known: {},
    heard: {},
    miss: 0,
    round: 0,
    contact: true,
    contactEv: null,
    lastContact: 0,
    stalenessStep: 0,
    contactProbeAt: 0,
    lagSamples: [],
    excluded: [],
    cleared: [],
    accusationEv: null,
    summaries: {},
    reconciled: {},
    rolledBack: {},
    diverged: {},
    passReconciled: false,
    ackedMax: 0,
    divergenceAt: null,
    versionEv: null,
    verifiedEv: null,
  };
}

// ---- periodic work of a satellite ----------------------------------------------------------

function islRound(s: SmrState, ctx: Ctx, me: Sat): void {
  const misses = num(ctx, P.islMisses);
  me.isl.round += 1;
  for (const p of s.satIds) {
    if (p === me.id) continue;
    const before = me.isl.miss[p] ?? 0;
    if (me.isl.heard[p]) {
      if (before > 0) ctx.evidence('heartbeat-seen', me.group, me.id, { peer: groupOf(ctx, p), detail: { link: 'isl', after_misses: before } });
      me.isl.miss[p] = 0;
    } else {
      me.isl.miss[p] = before + 1;
      if (before + 1 <= misses) ctx.evidence('heartbeat-missed', me.group, me.id, { peer: groupOf(ctx, p), detail: { link: 'isl', round: me.isl.round, streak: before + 1 } });
      if (before + 1 >= misses) me.peerContact[p] = null;
    }
  }
  me.isl.heard = {};
  const suspected = s.satIds.filter((p) => p !== me.id && (me.isl.miss[p] ?? 0) >= misses);
  const alive = 1 + s.satIds.filter((p) => p !== me.id && !me.excluded.includes(p) && !suspected.includes(p)).length;
  const ok = alive >= quorumSize(s);
  if (!ok && (me.quorumOk || ctx.now_ms - me.quorumFailedAt >= num(ctx, P.quorumRepeat))) {
    me.quorumFailedAt = ctx.now_ms;
    me.quorumFailedEv = ctx.evidence('quorum-failed', me.group, me.id, { detail: { reachable: alive, needed: quorumSize(s), suspected, excluded: [...me.excluded] } });
  }
  const regained = ok && !me.quorumOk;
  me.quorumOk = ok;
  if (regained && !me.byz) {
    startViewChange(s, ctx, me, Math.max(me.view, me.vc?.view ?? 0) + 1, 'quorum regained');
    if (me.contact) {
      me.recovering = true;
      me.recoveryStart = ctx.now_ms;
      me.summaryAt = -Infinity;
    }
  }
  leaderWatch(s, ctx, me);
  const hb = {
    view: me.view,
    leader: leaderOf(s, me),
    lastGroundTs: me.lastGroundTs,
    contactLag: me.contact && me.lagSamples.length > 0 ? Math.max(...me.lagSamples) : null,
    executed: me.leaves.length,
    ts: localClock(s, ctx, me.id),
  };
  for (const p of s.satIds) if (p !== me.id) ctx.send(me.id, p, 'hb', hb);
  // Forget signed statements of settled slots (conflicts surface within a commit linger).
  const keep = me.leaves.length - 2;
  for (const [k, t] of Object.entries(me.held)) if (t.slot < keep) delete me.held[k];
}

/**
 * Quorum certificates are kept for catch-up only while some satellite (up or down, not
 * excluded) still lacks the slot; settled ones are compacted away (checkpoints stay small).
 */
function compactCertificates(s: SmrState): void {
  let min = Infinity;
  for (const id of s.satIds) {
    const excluded = s.satIds.some((o) => o !== id && !s.sats[o]!.byz && s.sats[o]!.excluded.includes(id));
    if (!excluded) min = Math.min(min, s.sats[id]!.leaves.length);
  }
  if (min === s.qcFloor) return;
  for (const k of Object.keys(s.qcs)) if (Number(k.slice(0, k.indexOf('|'))) < min) delete s.qcs[k];
  s.qcFloor = min;
}

function onHeartbeat(s: SmrState, ctx: Ctx, me: Sat, from: string, hb: { view: number; leader: string; lastGroundTs: number; contactLag: number | null; executed: number; ts: number }): void {
  me.isl.heard[from] = true;
  me.islLag[from] = Math.max(0, localClock(s, ctx, me.id) - hb.ts);
  me.peerContact[from] = hb.contactLag;
  if (!me.excluded.includes(from) && hb.lastGroundTs > me.lastGroundTs) me.lastGroundTs = hb.lastGroundTs;
  if (me.byz) return;
  if (hb.view > me.view && !me.vc) {
    if (s.protocol === 'cft' && from === hb.leader) adoptView(s, ctx, me, hb.view, hb.leader, null, "leader's heartbeat in a higher term (accepted on its word)");
    else if (s.protocol === 'bft') {
      me.viewHints[from] = hb.view;
      const higher = Object.entries(me.viewHints).filter(([p, v]) => v > me.view && !me.excluded.includes(p));
      if (higher.length >= Math.floor((s.satIds.length - 1) / 3) + 1) {
        const v = Math.min(...higher.map(([, x]) => x));
        adoptView(s, ctx, me, v, leaderOf(s, me), null, `view ${v} reported by f+1 satellites (${higher.map(([p]) => p).join(', ')})`);
      }
    }
  }
  if (hb.executed > me.leaves.length && !me.excluded.includes(from)) requestCatchUp(s, ctx, me, from);
}

/** GPS fix: measure the clock offset; discipline (step back to GPS time) once per interval. */
function gpsFix(s: SmrState, ctx: Ctx, me: Sat): void {
  const offset = localClock(s, ctx, me.id) - ctx.now_ms;
  me.offset = offset;
  const bound = num(ctx, P.gpsBound);
  const over = Math.abs(offset) > bound;
  if (over !== me.offsetOver) {
    me.offsetOver = over;
    me.offsetEv = ctx.evidence('probe', me.group, me.id, { detail: { gauge: 'clock_offset_ms', value: Math.round(offset * 10) / 10, bound } });
  }
  if (ctx.now_ms - me.lastDiscipline >= num(ctx, P.gpsDiscipline)) {
    me.lastDiscipline = ctx.now_ms;
    me.correction += offset;
  }
}

function startSatTimers(s: SmrState, ctx: Ctx, id: string): void {
  ctx.setTimer(id, num(ctx, P.hb) * ctx.rng.next(), 'isl');
  ctx.setTimer(id, num(ctx, P.beacon) * (1 + ctx.rng.next() * 0.2), 'beacon-round');
  ctx.setTimer(id, num(ctx, P.gpsFix) * ctx.rng.next(), 'gps');
  ctx.setTimer(id, ctx.rng.exponential(num(ctx, P.onboardRate)), 'request');
}

function startStationTimers(ctx: Ctx, id: string): void {
  ctx.setTimer(id, num(ctx, P.beacon) * ctx.rng.next(), 'station');
  ctx.setTimer(id, ctx.rng.exponential(num(ctx, P.groundRate)), 'issue');
}

export const satelliteSmrModel: ModelDefinition<SmrState> = {
  id: 'satellite-smr',
  byzantineBehaviors: BYZANTINE_BEHAVIORS,

  init(ctx) {
    const protocol = ctx.param<string>('protocol') as Protocol;
    if (protocol !== 'bft' && protocol !== 'cft') throw new Error(`parameter protocol must be "bft" or "cft", got "${protocol}"`);
    const stations = stationIds(ctx);
    if (stations.length === 0) throw new Error('ground_stations names no node of the scenario');
    const satIds = ctx.topo.nodes.filter((n) => !stations.includes(n));
    const orbit = orbitOf(ctx, stations);
    // Keys from the seeded PRNG: a ground root (certificate authority), stations, satellites.
    const keys: SmrState['keys'] = { sk: {}, pk: {}, cert: {} };
    for (const principal of ['ground-root', ...stations, ...satIds]) {
      const k = deriveKey(ctx.rng, principal);
      keys.sk[principal] = k.sk;
      keys.pk[principal] = k.pk;
    }
    const maxPpm = num(ctx, P.driftMax);
    const sats: Record<string, Sat> = {};
    satIds.forEach((id, idx) => {
      const inView = stations.some((st) => visible(orbit, idx, st, 0));
      sats[id] = newSat(id, idx, groupOf(ctx, id), (ctx.rng.next() * 2 - 1) * maxPpm, inView);
    });
    const s: SmrState = {
      protocol,
      sats,
      satIds,
      stations,
      ground: newGround(),
      keys,
      cmds: {},
      qcs: {},
      qcFloor: 0,
      everByz: [],
      stats: {
        latencies: [],
        waits: [],
        queueWaits: [],
        signed: 0,
        verified: 0,
        rejected: {},
        emergencies: [],
        routineQueuedPeak: 0,
        divergentPeak: 0,
        divergenceLocated: null,
        byzantineAt: null,
        accusedAt: null,
        recoveries: [],
        viewChanges: 0,
        rollbacks: 0,
        stalenessMax: {},
        droppedOutOfWindow: 0,
      },
      anomalies: parseAnomalies(str(ctx, P.anomalies), satIds),
      reported: {},
      accusedFirstAt: {},
      opCounter: 0,
    };
    for (const st of stations) keys.cert[st] = signAs(s, 'ground-root', certBody(st, keys.pk[st]!));
    return s;
  },

  start(s, ctx) {
    for (const id of s.satIds) {
      const me = s.sats[id]!;
      startSatTimers(s, ctx, id);
      // Each satellite checks the pinned ground root's certificates of the stations once.
      const ok = s.stations.every((st) => verifyAs(s, 'ground-root', certBody(st, s.keys.pk[st]!), s.keys.cert[st]!));
      if (s.protocol === 'bft') me.verifiedEv = ctx.evidence(ok ? 'sig-verified' : 'sig-failed', me.group, id, { detail: { check: 'authentication', check_no: 1, what: 'certificate chain of the ground stations (pinned root key)', stations: [...s.stations] } });
    }
    for (const a of s.anomalies) ctx.setTimer(a.sat, a.at, 'anomaly', { op: a.op });
    for (const st of s.stations) startStationTimers(ctx, st);
  },

  onTimer(s, ctx, node, name, data) {
    const me = s.sats[node];
    if (!me) {
      if (name === 'station') {
        stationRound(s, ctx, node);
        ctx.setTimer(node, num(ctx, P.beacon), 'station');
      } else if (name === 'issue') {
        if (missionControl(s, ctx) === node) issueCommand(s, ctx, routineOp(s, ctx), 'mission control');
        ctx.setTimer(node, ctx.rng.exponential(num(ctx, P.groundRate)), 'issue');
      }
      return;
    }
    switch (name) {
      case 'isl':
        islRound(s, ctx, me);
        ctx.setTimer(node, num(ctx, P.hb), 'isl');
        return;
      case 'beacon-round':
        beaconRound(s, ctx, me);
        ctx.setTimer(node, num(ctx, P.beacon), 'beacon-round');
        return;
      case 'gps':
        gpsFix(s, ctx, me);
        ctx.setTimer(node, num(ctx, P.gpsFix), 'gps');
        return;
      case 'request':
        s.opCounter += 1;
        routineRequest(s, ctx, me, `capture image of region R-${s.opCounter} (planner of ${node})`);
        ctx.setTimer(node, ctx.rng.exponential(num(ctx, P.onboardRate)), 'request');
        return;
      case 'anomaly':
        anomaly(s, ctx, me, (data as { op: string }).op);
        return;
      case 'propose':
        tryPropose(s, ctx, me);
        return;
      case 'commit-linger': {
        const { view, slot } = data as { view: number; slot: number };
        sendCommit(s, ctx, me, view, slot);
        return;
      }
    }
  },

  onMessage(s, ctx, to, from, kind, body) {
    if (!arrived(s, ctx, from, to)) return;
    const me = s.sats[to];
    if (!me) return onGroundMessage(s, ctx, to, from, kind, body);
    switch (kind) {
      case 'hb':
        return onHeartbeat(s, ctx, me, from, body as Parameters<typeof onHeartbeat>[4]);
      case 'beacon':
        return onBeacon(s, ctx, me, from, body as { ts: number });
      case 'uplink':
        return onUplink(s, ctx, me, from, body as Parameters<typeof onUplink>[4]);
      case 'relay':
        return onRelay(s, ctx, me, from, body as Parameters<typeof onRelay>[4]);
      case 'propose':
        return onPropose(s, ctx, me, from, body as Parameters<typeof onPropose>[4]);
      case 'vote':
        return onVote(s, ctx, me, from, body as Parameters<typeof onVote>[4]);
      case 'commit':
        return onCommit(s, ctx, me, from, body as Parameters<typeof onCommit>[4]);
      case 'append':
        return onAppend(s, ctx, me, from, body as Parameters<typeof onAppend>[4]);
      case 'append-ack':
        return onAppendAck(s, ctx, me, from, body as Parameters<typeof onAppendAck>[4]);
      case 'view-change':
        return onViewChange(s, ctx, me, from, body as Parameters<typeof onViewChange>[4]);
      case 'new-view':
        return onNewView(s, ctx, me, from, body as Parameters<typeof onNewView>[4]);
      case 'fetch':
        return onFetch(s, ctx, me, from, body as Parameters<typeof onFetch>[4]);
      case 'entries':
        return onEntries(s, ctx, me, from, body as Parameters<typeof onEntries>[4]);
      case 'accuse':
        return onAccuse(s, ctx, me, body as Parameters<typeof onAccuse>[3]);
      case 'reconciled':
        return onReconciled(s, ctx, me, from, body as Parameters<typeof onReconciled>[4]);
      case 'rollback':
        return onRollback(s, ctx, me, from, body as Parameters<typeof onRollback>[4]);
      case 'reinstate':
        return onReinstate(s, ctx, me, from, body as Parameters<typeof onReinstate>[4]);
    }
  },

  onByzantine(s, ctx, node, behavior) {
    const me = s.sats[node];
    if (!me) return;
    s.stats.byzantineAt ??= ctx.now_ms;
    if (!s.everByz.includes(node)) s.everByz.push(node);
    me.byz = behavior;
    if (s.protocol === 'cft') {
      // Raft trusts whoever claims a higher term: the faulty satellite simply takes over.
      me.view += 1;
      me.leader = me.id;
      me.vc = null;
      me.round = null;
      for (const p of s.satIds) if (p !== node) ctx.send(node, p, 'new-view', { view: me.view, leader: node, cert: [] });
      ctx.setTimer(node, 0, 'propose');
    }
  },

  onCrash() {
    // Timers and in-flight messages of a crashed node are dropped by the engine; its log is durable.
  },

  onRestart(s, ctx, node) {
    const me = s.sats[node];
    if (!me) return startStationTimers(ctx, node);
    me.round = null;
    me.vc = null;
    me.pending = [];
    me.held = {};
    me.isl = { heard: {}, miss: {}, round: 0 };
    me.peerContact = {};
    me.viewHints = {};
    me.lagSamples = [];
    me.beaconMiss = 0;
    me.progressAt = ctx.now_ms;
    me.waitingSince = null;
    me.fetchAt = -Infinity;
    if (me.byz) {
      // A restart is the firmware reset the seed asks for: honest again, to be reinstated by the ground.
      me.byz = null;
      me.reset = true;
    }
    startSatTimers(s, ctx, node);
  },

  tick(s, ctx) {
    if (Math.floor(ctx.now_ms) % 1000 === 0) {
      checkInvariants(s, ctx);
      compactCertificates(s);
    }
  },

  leader(s, ctx) {
    return leaderNow(s, ctx) ?? undefined;
  },

  roles(s, ctx) {
    const roles: Record<string, string> = {};
    const lead = leaderNow(s, ctx);
    const mc = missionControl(s, ctx);
    for (const st of s.stations) roles[st] = st === mc ? 'mission-control' : 'station';
    for (const id of s.satIds) {
      const excluded = s.satIds.some((o) => o !== id && !s.sats[o]!.byz && s.sats[o]!.excluded.includes(id));
      roles[id] = excluded ? 'excluded' : id === lead ? (s.protocol === 'bft' ? 'primary' : 'leader') : s.protocol === 'bft' ? 'replica' : 'follower';
    }
    return roles;
  },

  observe(s, ctx, scope): ScopeObservation {
    if (scope === groupOf(ctx, s.stations[0]!)) return observeGround(s, ctx);
    const id = ctx.topo.nodesOf.get(scope)![0]!;
    return observeSat(s, ctx, s.sats[id]!);
  },

  metrics(s, ctx) {
    return metrics(s, ctx);
  },

  viewExtras(s, ctx): Record<string, MetricValue> {
    const orbit = orbitOf(ctx, s.stations);
    const isl: [string, string, boolean][] = [];
    for (let i = 0; i < s.satIds.length; i++) for (let j = i + 1; j < s.satIds.length; j++) isl.push([s.satIds[i]!, s.satIds[j]!, ctx.linkUp(s.satIds[i]!, s.satIds[j]!)]);
    const extras = earthView(orbit, s.satIds.map((id) => ({ id, idx: s.sats[id]!.idx })), ctx.now_ms, isl);
    const state: Record<string, MetricValue> = {};
    for (const id of s.satIds) {
      const me = s.sats[id]!;
      const c = contactOf(s, ctx, me);
      state[id] = { contact: c.kind, via: c.via, staleness_bound_ms: Number.isFinite(c.bound) ? Math.round(c.bound) : null, queued_routine: me.queued.length, excluded: [...me.excluded], history_length: me.leaves.length };
    }
    extras.satellite_state = state;
    return extras;
  },
};

