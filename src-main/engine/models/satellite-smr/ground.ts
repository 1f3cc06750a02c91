/**
 * The ground and each satellite's contact with it.
 *
 * Ground: mission control numbers commands (ground seq); a station that sees satellites
 * signs each command as it uplinks it (certified station key) and retries until an
 * execution ack comes back. Stations beacon every 2 s to the satellites they see. At each
 * pass satellites send a summary (Merkle root + leaves of their history); the ground
 * compares them, locates the first differing index, rolls back what diverged and confirms
 * the rest with a signed `reconciled` (which also approves autonomous emergencies).
 *
 * Satellite: three missed beacons = out of contact (Degraded); routine requests then queue
 * (they need ground authority: check 7 fails), while anomalies become autonomous emergency
 * commands decided by local consensus.
 */
import { cannotProvide, CHECK_NO, commandAuthentic, makeCommand, signAs, verifyAs } from './capsule';
import { groupOf, ladder, leaderOf, linkInWindow, localClock, members, num, P, requiredG, send, type Ctx } from './context';
import { firstDifference, merkleRoot, peaksOf, rootOf } from './crypto';
import { currentG } from './observe';
import { accusationValid, addPending, noteGroundWord, reject, tryPropose } from './replication';
import type { Command, GroundCmd, Sat, SmrState, Summary } from './state';

const STALENESS_PROBE_FROM_MS = 60_000;
const CONTACT_REPEAT_MS = 600_000;
const LAG_SAMPLES = 16;
/** A summary still unanswered (lost with a closing pass, or the satellite is excluded) is sent again after this. */
const SUMMARY_RESEND_MS = 30_000;

// =========================================================================================
// Satellite side
// =========================================================================================

export function onBeacon(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { ts: number }): void {
  const lag = localClock(s, ctx, me.id) - body.ts;
  me.lagSamples.push(Math.max(0, lag));
  if (me.lagSamples.length > LAG_SAMPLES) me.lagSamples.shift();
  me.beaconHeard = true;
  noteGroundWord(s, ctx, me, body.ts);
  if (!me.contact) contactRegained(s, ctx, me, from);
  else if (me.recovering && (me.summaryLen !== me.leaves.length || ctx.now_ms - me.summaryAt > SUMMARY_RESEND_MS)) sendSummary(s, ctx, me, from);
  send(s, ctx, me.id, from, 'pong', { sat: me.id, ts: localClock(s, ctx, me.id) });
}

/** Each beacon period: was the ground heard? Three misses in a row = out of contact. */
export function beaconRound(s: SmrState, ctx: Ctx, me: Sat): void {
  const misses = num(ctx, P.beaconMisses);
  me.beaconRound += 1;
  if (me.beaconHeard) me.beaconMiss = 0;
  else {
    me.beaconMiss += 1;
    if (me.beaconMiss <= misses && me.contact) {
      const seq = ctx.evidence('heartbeat-missed', me.group, me.id, { peer: 'ground', detail: { link: 'ground', round: me.beaconRound, streak: me.beaconMiss } });
      me.missSeqs.push(seq);
      if (me.missSeqs.length > misses) me.missSeqs.shift();
    }
    if (me.beaconMiss === misses && me.contact) contactLost(s, ctx, me);
  }
  me.beaconHeard = false;
  if (!me.contact) stalenessProbe(s, ctx, me);
}

function contactLost(s: SmrState, ctx: Ctx, me: Sat): void {
  me.contact = false;
  me.lagSamples = [];
  me.epoch = Math.round(me.lastGroundTs);
  me.contactLostAt = ctx.now_ms;
  me.stalenessStep = 0;
  me.recovering = false;
  me.contactProbeAt = ctx.now_ms;
  me.contactEv = ctx.evidence('probe', me.group, me.id, { detail: { gauge: 'ground_contact', value: 0, missed: [...me.missSeqs], partition_epoch: me.epoch } });
  me.missSeqs = [];
}

function contactRegained(s: SmrState, ctx: Ctx, me: Sat, station: string): void {
  me.contact = true;
  me.beaconMiss = 0;
  me.recovering = true;
  me.reconciled = false;
  me.recoveryStart = ctx.now_ms;
  me.recoveryReported = false;
  // The gauge first, then the heartbeat that moves the mode (so no trigger sees a stale gauge).
  me.contactEv = ctx.evidence('probe', me.group, me.id, { detail: { gauge: 'ground_contact', value: 1, station } });
  ctx.evidence('heartbeat-seen', me.group, me.id, { peer: 'ground', detail: { link: 'ground', station, out_of_contact_ms: me.contactLostAt === null ? 0 : Math.round(ctx.now_ms - me.contactLostAt) } });
  me.contactLostAt = null;
  sendSummary(s, ctx, me, station);
  // Routine requests queued while out of contact go to the ground now.
  for (const q of me.queued) {
    s.stats.queueWaits.push(ctx.now_ms - q.since);
    send(s, ctx, me.id, station, 'request', { sat: me.id, op: q.op, urgent: false });
  }
  me.queued = [];
}

/** Out of contact the staleness bound grows: a probe at each step of the ladder from 1 min. */
function stalenessProbe(s: SmrState, ctx: Ctx, me: Sat): void {
  const age = localClock(s, ctx, me.id) - me.lastGroundTs;
  if (!Number.isFinite(age)) return;
  s.stats.stalenessMax[me.group] = Math.max(s.stats.stalenessMax[me.group] ?? 0, age);
  const step = ladder(age);
  if (age >= STALENESS_PROBE_FROM_MS && step > me.stalenessStep) {
    me.stalenessStep = step;
    me.stalenessEv = ctx.evidence('probe', me.group, me.id, { detail: { gauge: 'staleness_bound_ms', value: step, measured_ms: Math.round(age), partition_epoch: me.epoch } });
  }
  if (ctx.now_ms - me.contactProbeAt >= CONTACT_REPEAT_MS) {
    me.contactProbeAt = ctx.now_ms;
    me.contactEv = ctx.evidence('probe', me.group, me.id, { detail: { gauge: 'ground_contact', value: 0, out_of_contact_ms: Math.round(age), partition_epoch: me.epoch } });
  }
}

export function summaryBody(sat: string, root: string, len: number, lastGseq: number): string {
  return `summary|${sat}|${root}|${len}|${lastGseq}`;
}

export function sendSummary(s: SmrState, ctx: Ctx, me: Sat, station: string): void {
  const root = rootOf(me.peaks);
  const emergencies = me.leaves.map((id) => s.cmds[id]).filter((c): c is Command => c !== undefined && c.kind === 'emergency');
  const summary: Summary = {
    sat: me.id,
    leaves: [...me.leaves],
    root,
    lastGseq: me.lastGseq,
    emergencies,
    accusations: Object.values(me.accusations),
    reset: me.reset,
    sig: s.protocol === 'bft' ? signAs(s, me.id, summaryBody(me.id, root, me.leaves.length, me.lastGseq)) : '',
  };
  me.summaryLen = me.leaves.length;
  me.summaryAt = ctx.now_ms;
  send(s, ctx, me.id, station, 'summary', summary);
}

export function reconciledBody(sat: string, root: string, len: number): string {
  return `reconciled|${sat}|${root}|${len}`;
}

function rollbackBody(sat: string, from: number, ids: string[]): string {
  return `rollback|${sat}|${from}|${ids.join(',')}`;
}

function reinstateBody(sat: string): string {
  return `reinstate|${sat}`;
}

function stationSigned(s: SmrState, station: string, body: string, sig: string): boolean {
  return s.stations.includes(station) && verifyAs(s, station, body, sig);
}

export function onReconciled(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { sat: string; root: string; len: number; approved: string[]; station: string; sig: string }): void {
  if (!stationSigned(s, body.station, reconciledBody(body.sat, body.root, body.len), body.sig)) return reject(s, ctx, me, 'authentication', `reconciliation from ${from} does not verify`);
  if (body.root !== rootOf(me.peaks)) return sendSummary(s, ctx, me, from);
  if (!me.recovering) return;
  me.recovering = false;
  me.reconciled = true;
  s.stats.recoveries.push(ctx.now_ms - me.recoveryStart);
  ctx.evidence('version', me.group, me.id, { peer: 'ground', detail: { reconciled: true, merkle_root: body.root.slice(0, 12), length: body.len, approved_emergencies: body.approved.length, station: body.station } });
}

export function onRollback(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { sat: string; from: number; entries: Command[]; station: string; sig: string }): void {
  const ids = body.entries.map((c) => c.id);
  if (!stationSigned(s, body.station, rollbackBody(body.sat, body.from, ids), body.sig)) return reject(s, ctx, me, 'authentication', `rollback from ${from} does not verify`);
  const removed = me.leaves.slice(body.from);
  me.leaves = me.leaves.slice(0, body.from);
  for (const c of body.entries) {
    if (!s.cmds[c.id]) s.cmds[c.id] = { ...c };
    me.leaves.push(c.id);
  }
  me.peaks = peaksOf(me.leaves);
  me.lastGseq = me.leaves.reduce((m, id) => Math.max(m, s.cmds[id]?.kind === 'ground' ? s.cmds[id]!.gseq : 0), 0);
  me.round = null;
  s.stats.rollbacks += 1;
  ctx.evidence('merge', me.group, me.id, {
    peer: 'ground',
    detail: { rolled_back_from: body.from, removed: removed.length, replayed: body.entries.length, merkle_root: rootOf(me.peaks).slice(0, 12), station: body.station },
  });
  sendSummary(s, ctx, me, from);
}

export function onReinstate(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { sat: string; station: string; sig: string }): void {
  if (!me.excluded.includes(body.sat)) return;
  if (!stationSigned(s, body.station, reinstateBody(body.sat), body.sig)) return reject(s, ctx, me, 'authentication', `reinstatement from ${from} does not verify`);
  me.excluded = me.excluded.filter((x) => x !== body.sat);
  delete me.accusations[body.sat];
  ctx.evidence('version', me.group, me.id, { peer: groupOf(ctx, body.sat), detail: { reinstated: true, sat: body.sat, station: body.station } });
  for (const p of s.satIds) if (p !== me.id && p !== from) ctx.send(me.id, p, 'reinstate', body);
  me.recovering = true;
  me.recoveryStart = ctx.now_ms;
  if (me.contact) for (const st of s.stations) sendSummary(s, ctx, me, st);
}

/** The onboard planner asks for a routine command: sent to the ground if it can be authorised now, queued otherwise (CP). */
export function routineRequest(s: SmrState, ctx: Ctx, me: Sat, op: string): void {
  const current = currentG(s, ctx, me);
  const missing = me.contact ? cannotProvide(ctx, current, requiredG(ctx, false)) : `out of ground contact: ${cannotProvide(ctx, current, requiredG(ctx, false)) ?? 'no ground authority'}`;
  if (missing === null) {
    for (const st of s.stations) send(s, ctx, me.id, st, 'request', { sat: me.id, op, urgent: false });
    return;
  }
  me.queued.push({ op, since: ctx.now_ms });
  s.stats.routineQueuedPeak = Math.max(s.stats.routineQueuedPeak, totalQueued(s));
  ctx.evidence('write-refused', me.group, me.id, {
    detail: { reason: 'routine command needs ground authority: queued until contact (CP)', op, check: 'guarantee', check_no: CHECK_NO.guarantee, why: missing, queued: me.queued.length },
  });
}

export function totalQueued(s: SmrState): number {
  return s.satIds.reduce((a, id) => a + s.sats[id]!.queued.length, 0);
}

/** An anomaly: in contact the ground commands the fix; out of contact, an autonomous emergency. */
export function anomaly(s: SmrState, ctx: Ctx, me: Sat, op: string): void {
  if (me.contact) {
    for (const st of s.stations) send(s, ctx, me.id, st, 'request', { sat: me.id, op, urgent: true });
    return;
  }
  const cmd = makeCommand(s, { kind: 'emergency', op, gseq: 0, origin: me.id, ts: Math.round(localClock(s, ctx, me.id)), epoch: me.epoch });
  s.stats.emergencies.push({ id: cmd.id, op, origin: me.id, slot: -1, epoch: me.epoch, raised: ctx.now_ms, executed: null });
  addPending(s, me, cmd);
  for (const p of members(s, me)) if (p !== me.id) ctx.send(me.id, p, 'relay', { command: cmd, cert: [] });
  if (leaderOf(s, me) === me.id) tryPropose(s, ctx, me);
}

/** A ground command arriving straight from a station: checks 1–2 at the edge, then relayed to the others. */
export function onUplink(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { command: Command; cert: string[] }): void {
  const c = body.command;
  const auth = commandAuthentic(s, c, body.cert);
  if (!auth.ok) return reject(s, ctx, me, 'authentication', auth.reason, { via: 'uplink', station: from, op: c.op });
  const age = localClock(s, ctx, me.id) - c.ts;
  const bound = num(ctx, P.staleness);
  if (Math.abs(age) > bound) return reject(s, ctx, me, 'freshness', `uplinked command is ${Math.round(age)}ms ${age > 0 ? 'old' : 'in my future'}, bound ±${bound}ms`, { via: 'uplink', station: from, op: c.op });
  me.lagSamples.push(Math.max(0, age));
  if (me.lagSamples.length > LAG_SAMPLES) me.lagSamples.shift();
  noteGroundWord(s, ctx, me, c.ts);
  if (c.gseq <= me.lastGseq) {
    // Already executed (a retry whose ack was lost): Idem(seq) — acknowledge again, do not execute twice.
    me.dedup += 1;
    send(s, ctx, me.id, from, 'ack', { sat: me.id, gseq: c.gseq, slot: -1, ts: localClock(s, ctx, me.id), duplicate: true });
    return;
  }
  addPending(s, me, c);
  for (const p of members(s, me)) if (p !== me.id) ctx.send(me.id, p, 'relay', body);
  if (leaderOf(s, me) === me.id) tryPropose(s, ctx, me);
}

export function onRelay(s: SmrState, ctx: Ctx, me: Sat, from: string, body: { command: Command; cert: string[] }): void {
  if (s.protocol === 'bft' && !commandAuthentic(s, body.command, body.cert.length ? body.cert : null).ok) {
    return reject(s, ctx, me, 'authentication', `relayed "${body.command.op}" from ${from} does not verify`);
  }
  addPending(s, me, body.command);
  if (leaderOf(s, me) === me.id) tryPropose(s, ctx, me);
}

// =========================================================================================
// Ground side
// =========================================================================================

const OPS = ['adjust orbit +10m', 'capture image of region X', 'rotate solar array', 'downlink telemetry', 'adjust orbit +2m', 'calibrate star tracker', 'update ephemeris', 'switch to backup transponder'];

export function missionControl(s: SmrState, ctx: Ctx): string | undefined {
  return s.stations.find((st) => ctx.isUp(st));
}

export function issueCommand(s: SmrState, ctx: Ctx, op: string, source: string): GroundCmd {
  const g = s.ground;
  const cmd: GroundCmd = { gseq: g.nextGseq++, op, created: ctx.now_ms, source, signed: null, sentAt: -Infinity, firstUplink: null, acked: false, measured: false };
  g.log.push(cmd);
  return cmd;
}

export function routineOp(s: SmrState, ctx: Ctx): string {
  return OPS[ctx.rng.int(0, OPS.length - 1)]!;
}

/** A station's beacon period: beacons to the satellites it sees, uplink of unacknowledged commands. */
export function stationRound(s: SmrState, ctx: Ctx, station: string): void {
  const ts = ctx.clock(station);
  for (const sat of s.satIds) send(s, ctx, station, sat, 'beacon', { ts, station });
  uplink(s, ctx, station);
  if (missionControl(s, ctx) === station) groundRound(s, ctx);
}

function uplink(s: SmrState, ctx: Ctx, station: string): void {
  const g = s.ground;
  const retry = num(ctx, P.retry);
  // The station knows the ephemeris (who is in view), not who is alive or which links are cut.
  const visibleSats = s.satIds.filter((id) => linkInWindow(s, ctx, station, id));
  if (visibleSats.length === 0) return;
  let sent = 0;
  for (const gc of g.log) {
    if (gc.acked || sent >= 8) continue;
    if (ctx.now_ms - gc.sentAt < retry) continue;
    const c = makeCommand(s, { kind: 'ground', op: gc.op, gseq: gc.gseq, origin: station, ts: Math.round(ctx.clock(station)), epoch: -1 });
    g.known[c.id] = true;
    gc.signed = c.id;
    gc.sentAt = ctx.now_ms;
    gc.firstUplink ??= ctx.now_ms;
    for (const sat of visibleSats) send(s, ctx, station, sat, 'uplink', { command: c, cert: [s.keys.cert[station]!] });
    sent += 1;
  }
}

/** Ground-level contact tracking (one stream for the whole constellation). */
function groundRound(s: SmrState, ctx: Ctx): void {
  const g = s.ground;
  const misses = num(ctx, P.beaconMisses);
  g.round += 1;
  const heard = Object.keys(g.heard).length > 0;
  g.heard = {};
  if (heard) {
    if (!g.contact) {
      g.contact = true;
      g.contactEv = ctx.evidence('probe', 'ground', missionControl(s, ctx)!, { detail: { gauge: 'ground_contact', value: 1 } });
      ctx.evidence('heartbeat-seen', 'ground', missionControl(s, ctx)!, { detail: { link: 'ground', out_of_contact_ms: Math.round(ctx.now_ms - g.lastContact) } });
    }
    g.miss = 0;
    return;
  }
  g.miss += 1;
  if (g.contact && g.miss <= misses) ctx.evidence('heartbeat-missed', 'ground', missionControl(s, ctx)!, { detail: { link: 'ground', round: g.round, streak: g.miss } });
  if (g.contact && g.miss === misses) {
    g.contact = false;
    g.lagSamples = [];
    g.stalenessStep = 0;
    g.contactProbeAt = ctx.now_ms;
    g.contactEv = ctx.evidence('probe', 'ground', missionControl(s, ctx)!, { detail: { gauge: 'ground_contact', value: 0 } });
    g.summaries = {};
    g.reconciled = {};
    g.rolledBack = {};
    g.diverged = {};
    g.passReconciled = false;
  }
  if (!g.contact) {
    const age = ctx.now_ms - g.lastContact;
    s.stats.stalenessMax.ground = Math.max(s.stats.stalenessMax.ground ?? 0, age);
    const step = ladder(age);
    if (age >= STALENESS_PROBE_FROM_MS && step > g.stalenessStep) {
      g.stalenessStep = step;
      g.contactEv = ctx.evidence('probe', 'ground', missionControl(s, ctx)!, { detail: { gauge: 'staleness_bound_ms', value: step, measured_ms: Math.round(age) } });
    }
    if (ctx.now_ms - g.contactProbeAt >= CONTACT_REPEAT_MS) {
      g.contactProbeAt = ctx.now_ms;
      ctx.evidence('probe', 'ground', missionControl(s, ctx)!, { detail: { gauge: 'ground_contact', value: 0, out_of_contact_ms: Math.round(age) } });
    }
  }
}

function heardFrom(s: SmrState, ctx: Ctx, station: string, sat: string, satTs?: number): void {
  const g = s.ground;
  const since = g.lastContact;
  g.heard[sat] = true;
  g.lastContact = ctx.now_ms;
  if (satTs !== undefined) {
    g.lagSamples.push(Math.max(0, ctx.now_ms - satTs));
    if (g.lagSamples.length > LAG_SAMPLES) g.lagSamples.shift();
  }
  if (!g.contact) {
    // A new pass (state first, so the mode change observes it): the gauge, then the heartbeat that moves the mode.
    g.contact = true;
    g.miss = 0;
    g.passReconciled = false;
    g.contactEv = ctx.evidence('probe', 'ground', station, { detail: { gauge: 'ground_contact', value: 1, first: sat } });
    ctx.evidence('heartbeat-seen', 'ground', station, { peer: groupOf(ctx, sat), detail: { link: 'ground', out_of_contact_ms: Math.round(ctx.now_ms - since) } });
  }
}

export function onGroundMessage(s: SmrState, ctx: Ctx, station: string, from: string, kind: string, body: unknown): void {
  const g = s.ground;
  switch (kind) {
    case 'pong': {
      heardFrom(s, ctx, station, from, (body as { ts: number }).ts);
      return;
    }
    case 'ack': {
      heardFrom(s, ctx, station, from);
      const { gseq } = body as { gseq: number };
      const gc = g.log.find((x) => x.gseq === gseq);
      if (gc && !gc.acked) {
        gc.acked = true;
        g.ackedMax = Math.max(g.ackedMax, gseq);
        if (!gc.measured) {
          gc.measured = true;
          if (gc.firstUplink !== null) s.stats.latencies.push(ctx.now_ms - gc.firstUplink);
          s.stats.waits.push(ctx.now_ms - gc.created);
        }
      }
      return;
    }
    case 'request': {
      heardFrom(s, ctx, station, from);
      const { op, urgent } = body as { op: string; urgent: boolean };
      issueCommand(s, ctx, urgent ? `${op} (anomaly on ${from})` : op, from);
      return;
    }
    case 'accuse': {
      heardFrom(s, ctx, station, from);
      groundAccusation(s, ctx, station, body as Summary['accusations'][number]);
      return;
    }
    case 'summary': {
      heardFrom(s, ctx, station, from);
      onSummary(s, ctx, station, body as Summary);
      return;
    }
  }
}

function groundAccusation(s: SmrState, ctx: Ctx, station: string, acc: Summary['accusations'][number]): void {
  const g = s.ground;
  if (g.excluded.includes(acc.accused) || g.cleared.includes(acc.a.sig)) return;
  if (!accusationValid(s, acc)) {
    ctx.evidence('sig-failed', 'ground', station, { detail: { check: 'authentication', check_no: 1, reason: `accusation against ${acc.accused} does not verify` } });
    return;
  }
  g.excluded.push(acc.accused);
  g.accusationEv = ctx.evidence('accusation', 'ground', station, { peer: groupOf(ctx, acc.accused), detail: { accused: acc.accused, how: 'certificate received', view: acc.a.view, slot: acc.a.slot } });
}

/** Index of the first entry the ground cannot vouch for (unknown or forged), or null. */
function firstInvalid(s: SmrState, leaves: string[], emergencies: Record<string, Command>): number | null {
  for (let i = 0; i < leaves.length; i++) {
    const id = leaves[i]!;
    if (s.ground.known[id]) continue;
    // Emergencies are signed by the satellite that raised them (both strategies): the ground can check them.
    const e = emergencies[id];
    if (e && e.kind === 'emergency' && commandAuthentic(s, e, null).ok) continue;
    return i;
  }
  return null;
}

function onSummary(s: SmrState, ctx: Ctx, station: string, sum: Summary): void {
  const g = s.ground;
  if (s.protocol === 'bft' && !verifyAs(s, sum.sat, summaryBody(sum.sat, sum.root, sum.leaves.length, sum.lastGseq), sum.sig)) {
    ctx.evidence('sig-failed', 'ground', station, { detail: { check: 'authentication', check_no: 1, reason: `summary of ${sum.sat} does not verify` } });
    return;
  }
  if (merkleRoot(sum.leaves) !== sum.root) {
    ctx.evidence('sig-failed', 'ground', station, { detail: { check: 'merkle-proof', check_no: 5, reason: `${sum.sat}'s leaves do not hash to its claimed root ${sum.root.slice(0, 8)}` } });
    return;
  }
  for (const acc of sum.accusations) groundAccusation(s, ctx, station, acc);
  if (sum.reset && g.excluded.includes(sum.sat)) reinstate(s, ctx, station, sum.sat);
  const prev = g.summaries[sum.sat];
  g.summaries[sum.sat] = sum;
  if (prev?.root === sum.root) return; // nothing new to compare
  g.verifiedEv = ctx.evidence('version', 'ground', station, {
    peer: groupOf(ctx, sum.sat),
    detail: { sat: sum.sat, merkle_root: sum.root.slice(0, 12), length: sum.leaves.length, last_gseq: sum.lastGseq, ...(g.excluded.includes(sum.sat) ? { excluded: true } : {}) },
  });
  reconcile(s, ctx, station);
}

/**
 * Compare this pass's summaries (seed NT-3 §3, Recovery): locate where roots diverge, take
 * the longest history prefix the ground can vouch for as the reference, roll back what
 * differs from it, confirm what matches (approving autonomous emergencies), wait for
 * what is merely behind. Ground commands that fell off the reference are uplinked again.
 */
function reconcile(s: SmrState, ctx: Ctx, station: string): void {
  const g = s.ground;
  const emergencies: Record<string, Command> = {};
  for (const sum of Object.values(g.summaries)) for (const e of sum.emergencies) emergencies[e.id] = e;
  const sums = Object.values(g.summaries)
    .filter((x) => !g.excluded.includes(x.sat))
    .sort((a, b) => (a.sat < b.sat ? -1 : 1));
  const validLen = (x: Summary) => firstInvalid(s, x.leaves, emergencies) ?? x.leaves.length;
  // Reference: the longest vouched-for prefix (ties: the root most satellites share, then id).
  let ref: Summary | null = null;
  for (const c of sums) {
    if (!ref || validLen(c) > validLen(ref) || (validLen(c) === validLen(ref) && count(sums, c.root) > count(sums, ref.root))) ref = c;
  }
  if (!ref) return;
  const refLeaves = ref.leaves.slice(0, validLen(ref));
  for (const sum of sums) {
    if (g.reconciled[sum.sat] === sum.root) continue;
    let at = firstDifference(sum.leaves, refLeaves);
    if (at === null && sum.leaves.length > refLeaves.length) at = refLeaves.length;
    if (at !== null) {
      s.stats.divergenceLocated = Math.min(s.stats.divergenceLocated ?? Infinity, at);
      g.divergenceAt = at;
      g.passReconciled = false;
      const key = `${sum.sat}|${at}`;
      if (!g.diverged[key]) {
        g.diverged[key] = true;
        g.versionEv = ctx.evidence('version', 'ground', station, {
          peer: groupOf(ctx, sum.sat),
          detail: {
            divergence: true,
            sat: sum.sat,
            divergence_at: at,
            reference: ref.sat,
            sat_root: sum.root.slice(0, 12),
            reference_root: merkleRoot(refLeaves).slice(0, 12),
            sat_entry: describe(s, emergencies, sum.leaves[at]),
            reference_entry: describe(s, emergencies, refLeaves[at]),
            ...(firstInvalid(s, sum.leaves, emergencies) === at ? { unauthenticated: true } : {}),
          },
        });
      }
      // One rollback per satellite and pass: if the constellation re-imports what was rolled
      // back (a faulty leader still in charge), recovery cannot complete — the recovery-bound
      // invariant reports it instead of the ground fighting the constellation all pass.
      if (g.rolledBack[sum.sat]) continue;
      g.rolledBack[sum.sat] = true;
      requeueDropped(s, refLeaves);
      const entries = refLeaves.slice(at).map((id) => s.cmds[id] ?? emergencies[id]).filter((c): c is Command => c !== undefined);
      const sig = signAs(s, station, rollbackBody(sum.sat, at, entries.map((c) => c.id)));
      send(s, ctx, station, sum.sat, 'rollback', { sat: sum.sat, from: at, entries, station, sig });
      continue;
    }
    // Behind the reference, or behind what the ground has seen executed: it will catch up over ISL and report again.
    if (sum.leaves.length < refLeaves.length || sum.lastGseq < g.ackedMax) continue;
    g.reconciled[sum.sat] = sum.root;
    const approved = sum.emergencies.map((e) => e.id);
    const sig = signAs(s, station, reconciledBody(sum.sat, sum.root, sum.leaves.length));
    send(s, ctx, station, sum.sat, 'reconciled', { sat: sum.sat, root: sum.root, len: sum.leaves.length, approved, station, sig });
  }
  if (!g.passReconciled && sums.length > 0 && sums.every((x) => g.reconciled[x.sat] === x.root)) {
    g.passReconciled = true;
    g.versionEv = ctx.evidence('version', 'ground', station, { detail: { reconciled: true, satellites: sums.map((x) => x.sat), merkle_root: ref.root.slice(0, 12), length: ref.leaves.length } });
  }
}

/** Ground commands after the reference's last one were executed only in histories that are being rolled back: send them again. */
function requeueDropped(s: SmrState, refLeaves: string[]): void {
  let last = 0;
  for (const id of refLeaves) {
    const c = s.cmds[id];
    if (c?.kind === 'ground') last = Math.max(last, c.gseq);
  }
  for (const gc of s.ground.log) {
    if (gc.gseq > last && gc.acked) {
      gc.acked = false;
      gc.sentAt = -Infinity;
    }
  }
  s.ground.ackedMax = last;
}

function count(list: Summary[], root: string): number {
  return list.filter((x) => x.root === root).length;
}

function describe(s: SmrState, emergencies: Record<string, Command>, id: string | undefined): string {
  if (id === undefined) return '(none)';
  const c = s.cmds[id] ?? emergencies[id];
  return c ? `${c.op} [${c.kind === 'ground' ? `gseq ${c.gseq}` : `emergency by ${c.origin}`}] ${id.slice(0, 8)}` : id.slice(0, 8);
}

function reinstate(s: SmrState, ctx: Ctx, station: string, sat: string): void {
  const g = s.ground;
  g.excluded = g.excluded.filter((x) => x !== sat);
  for (const sum of Object.values(g.summaries)) for (const acc of sum.accusations) if (acc.accused === sat && !g.cleared.includes(acc.a.sig)) g.cleared.push(acc.a.sig);
  const sig = signAs(s, station, reinstateBody(sat));
  ctx.evidence('version', 'ground', station, { peer: groupOf(ctx, sat), detail: { reinstated: true, sat, reason: 'firmware reset reported in its summary' } });
  for (const x of s.satIds) send(s, ctx, station, x, 'reinstate', { sat, station, sig });
  delete g.reconciled[sat];
}

