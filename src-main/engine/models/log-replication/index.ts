/**
 * NT-1 "Log replication across continents" — the protocol model (see ./state.ts for the
 * design). Evidence it records: local and inter-region heartbeats seen/missed, votes and
 * quorum certificates of the sequencer election, lease expiries, refused writes, merges,
 * and periodic replication-lag probes. Invariants it monitors: no acknowledged event
 * lost, happens-before preserved, committed positions immutable, completeness. Client
 * reads and writes on per-key registers go into the engine's client history, whose
 * linearizability verdicts decide the observed Order (see ./state.ts).
 */
import type { ModelContext, ModelDefinition, ScopeObservation } from '../../model-api';
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import { quantizeBound } from '../../services/gvector-observer';
import { newHistogram, quantile, record } from '../../histogram';
import type { Entry, LogState, PendingRead, PendingWrite, Policy, RegionState, Replication } from './state';

type Ctx = ModelContext;

const P = {
  rate: 'write_rate_per_region_per_s',
  lhb: 'local_heartbeat_ms',
  rhb: 'region_heartbeat_ms',
  misses: 'heartbeat_misses',
  fsync: 'fsync_ms',
  eps: 'clock_uncertainty_ms',
  lease: 'lease_ms',
  batch: 'replication_batch_ms',
  timeout: 'write_timeout_ms',
  deadline: 'completeness_deadline_ms',
  bound: 'lag_bound_ms',
  readRate: 'read_rate_per_region_per_s',
  keys: 'register_keys',
  readTimeout: 'read_timeout_ms',
} as const;

function num(ctx: Ctx, name: string): number {
  return ctx.param<number>(name);
}

function regionOf(ctx: Ctx, node: string): string {
  return ctx.topo.groupOf.get(node)!;
}

/** The node that believes itself the region's leader: up, with every lower-index mate suspected. */
function regionLeader(s: LogState, ctx: Ctx, region: string): string | null {
  const nodes = s.regions[region]!.nodes;
  const misses = num(ctx, P.misses);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (!ctx.isUp(n)) continue;
    const local = s.nodes[n]!;
    for (let j = 0; j < i; j++) {
      // A lower node is down but not yet suspected: no leader until detection.
      if ((local.missStreak[nodes[j]!] ?? 0) < misses) return null;
    }
    return n;
  }
  return null;
}

function isLeader(s: LogState, ctx: Ctx, node: string): boolean {
  return regionLeader(s, ctx, regionOf(ctx, node)) === node;
}

function reachableRegions(s: LogState, ctx: Ctx, r: RegionState): string[] {
  const misses = num(ctx, P.misses);
  return ctx.topo.groups.filter((g) => g === r.id || (r.missStreak[g] ?? 0) < misses);
}

function hasGlobalQuorum(s: LogState, ctx: Ctx, r: RegionState): boolean {
  return reachableRegions(s, ctx, r).length >= Math.floor(ctx.topo.groups.length / 2) + 1;
}

function leaseValid(ctx: Ctx, r: RegionState, node: string): boolean {
  return ctx.clock(node) < r.lease_expires_ms;
}

function sendToRegion(ctx: Ctx, from: string, region: string, kind: string, body: unknown): void {
  for (const n of ctx.topo.nodesOf.get(region)!) ctx.send(from, n, kind, body);
}

function copyEntry(e: Entry): Entry {
  return { ...e, deps: { ...e.deps } };
}

function entryKey(e: Entry): [number, string, number] {
  return [e.gts ?? Infinity, e.origin, e.rseq];
}

function keyLess(a: [number, string, number], b: [number, string, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));
}

// ---- applying entries (causal delivery) ------------------------------------------------

function applyEntry(s: LogState, r: RegionState, e: Entry): void {
  r.entries[e.id] = e;
  r.applied[e.origin] = e.rseq;
  r.latest[e.key] = e.value;
  r.lamport = Math.max(r.lamport, e.lamport) + 1;
  if (e.gts === null && e.origin === r.id) r.localOnly.push(e.id);
  if (e.gts !== null) r.unfinal.push(e.id);
}

function deliverable(r: RegionState, e: Entry): boolean {
  if ((r.applied[e.origin] ?? 0) !== e.rseq - 1) return false;
  for (const [o, k] of Object.entries(e.deps)) if (o !== e.origin && (r.applied[o] ?? 0) < k) return false;
  return true;
}

function receiveEntries(s: LogState, r: RegionState, incoming: Entry[]): void {
  for (const raw of incoming) {
    const have = r.entries[raw.id];
    if (have || (r.applied[raw.origin] ?? 0) >= raw.rseq) {
      r.dedupHits += 1;
      // A region-ordered entry that has since been merged into the global order.
      if (have && have.gts === null && raw.gts !== null) {
        have.gts = raw.gts;
        r.unfinal.push(have.id);
      }
      continue;
    }
    if (r.buffered.some((b) => b.id === raw.id)) continue;
    r.buffered.push(copyEntry(raw));
  }
  let progress = true;
  while (progress && r.buffered.length > 0) {
    progress = false;
    for (let i = 0; i < r.buffered.length; i++) {
      const e = r.buffered[i]!;
      if (deliverable(r, e)) {
        r.buffered.splice(i, 1);
        applyEntry(s, r, e);
        progress = true;
        break;
      }
    }
  }
}

// ---- finalising the global log (closed timestamp) -----------------------------------------

function ownFrontier(ctx: Ctx, r: RegionState, leader: string): number {
  let f = ctx.clock(leader) - num(ctx, P.eps);
  for (const p of Object.values(r.pending)) if (p.entry.gts !== null) f = Math.min(f, p.entry.gts);
  return f;
}

/** Finalises entries up to the closed timestamp; returns it (-Infinity if some frontier is unknown). */
function finalize(s: LogState, ctx: Ctx, r: RegionState, leader: string): number {
  let closed = ownFrontier(ctx, r, leader);
  for (const g of ctx.topo.groups) if (g !== r.id) closed = Math.min(closed, r.frontier[g] ?? -Infinity);
  const lag = Math.max(0, ctx.clock(leader) - closed);
  r.lagSamples.push(lag);
  if (r.lagSamples.length > 20) r.lagSamples.shift();
  r.lag_ms = Math.max(...r.lagSamples);
  const over = r.lag_ms > num(ctx, P.bound);
  if (over !== r.lagOver) {
    r.lagOver = over;
    r.lagProbe = ctx.evidence('probe', r.id, leader, { detail: { gauge: 'replication_lag_ms', value: Math.round(r.lag_ms), bound: num(ctx, P.bound) } });
  }
  if (!Number.isFinite(closed)) return closed;
  const fresh: Entry[] = [];
  const keep: string[] = [];
  for (const id of r.unfinal) {
    const e = r.entries[id]!;
    if (e.gts !== null && e.gts <= closed) fresh.push(e);
    else keep.push(id);
  }
  r.unfinal = keep;
  if (fresh.length === 0) return closed;
  fresh.sort((a, b) => (keyLess(entryKey(a), entryKey(b)) ? -1 : 1));
  for (const e of fresh) {
    if (r.lastFinalKey && keyLess(entryKey(e), r.lastFinalKey)) {
      ctx.violation(
        'immutability',
        `${r.id}: entry ${e.id} belongs before committed position ${r.finalCount - 1} (${r.finalTail[r.finalTail.length - 1]}); committing it would change a committed position`,
        [],
      );
    }
    for (const [o, k] of Object.entries(e.deps)) {
      if (k <= 0 || isFinal(r, o, k)) continue;
      const dep = r.entries[`${o}:${k}`];
      if (dep && dep.gts !== null) ctx.violation('happens-before', `${r.id}: ${e.id} was committed before ${dep.id}, which happened before it`, []);
    }
    markFinal(r, e.origin, e.rseq);
    appendFinal(r, e.id);
    r.final[e.key] = e.value;
    r.lastFinalKey = entryKey(e);
  }
  return closed;
}

const FINAL_HASH_EVERY = 256;
const FINAL_TAIL = 64;

function appendFinal(r: RegionState, id: string): void {
  let h = r.finalHash;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  r.finalHash = Math.imul(h ^ 10, 16777619) >>> 0;
  r.finalCount += 1;
  if (r.finalCount % FINAL_HASH_EVERY === 0) r.finalHashes.push(r.finalHash);
  r.finalTail.push(id);
  if (r.finalTail.length > FINAL_TAIL) r.finalTail.shift();
}

function isFinal(r: RegionState, origin: string, rseq: number): boolean {
  return rseq <= (r.finalWM[origin] ?? 0) || (r.finalExtra[origin]?.includes(rseq) ?? false);
}

function markFinal(r: RegionState, origin: string, rseq: number): void {
  const extra = (r.finalExtra[origin] ??= []);
  extra.push(rseq);
  let wm = r.finalWM[origin] ?? 0;
  while (extra.includes(wm + 1)) {
    wm += 1;
    extra.splice(extra.indexOf(wm), 1);
  }
  r.finalWM[origin] = wm;
}

/** Drops entries every peer has applied and (when timestamped) this region has finalised. */
function compact(s: LogState, ctx: Ctx, r: RegionState): void {
  for (const o of ctx.topo.groups) {
    let minApplied = r.applied[o] ?? 0;
    for (const g of ctx.topo.groups) if (g !== r.id) minApplied = Math.min(minApplied, r.peerApplied[g]?.[o] ?? 0);
    let k = r.settled[o] ?? 0;
    while (k < minApplied) {
      const id = `${o}:${k + 1}`;
      const e = r.entries[id];
      if (e && e.gts === null && s.replication !== 'region') break; // awaiting its merge into the global order
      if (e && e.gts !== null && !isFinal(r, o, k + 1)) break;
      delete r.entries[id];
      k += 1;
    }
    r.settled[o] = k;
  }
}

// ---- writes --------------------------------------------------------------------------------

/**
 * A refused write: evidence on the timeline, and its client operation completes as `fail`
 * (refused up front, no effect) or `info` (timed out: it may have taken effect).
 */
function refuse(s: LogState, ctx: Ctx, region: string, node: string, reason: string, op: number, status: 'fail' | 'info' = 'fail'): void {
  s.stats.refused += 1;
  s.stats.refusedBy[reason] = (s.stats.refusedBy[reason] ?? 0) + 1;
  s.regions[region]!.refusalEvidence = ctx.evidence('write-refused', region, node, { detail: { reason } });
  ctx.complete(op, status);
}

/** The register keys: shared by every region, or the region's own range (leader per region). */
function registerKey(s: LogState, ctx: Ctx, r: RegionState, which: 'writeKey' | 'readKey'): string {
  const n = Math.max(1, Math.floor(num(ctx, P.keys)));
  const i = (r[which] = (r[which] + 1) % n);
  return s.replication === 'region' ? `${r.id}/k${i + 1}` : `k${i + 1}`;
}

function startWrite(s: LogState, ctx: Ctx, gateway: string): void {
  const region = regionOf(ctx, gateway);
  const r = s.regions[region]!;
  const key = registerKey(s, ctx, r, 'writeKey');
  const value = `${region}#${r.nextValue++}`;
  const op = ctx.invoke(`${region}/writer`, key, { f: 'write', value }, region);
  const leader = regionLeader(s, ctx, region);
  if (!leader) return refuse(s, ctx, region, gateway, 'no region leader', op);
  const followers = r.nodes.filter((n) => n !== leader && ctx.isUp(n) && ctx.linkUp(leader, n));
  if (followers.length + 1 < Math.floor(r.nodes.length / 2) + 1) return refuse(s, ctx, region, leader, 'no local quorum', op);
  let gts: number | null = null;
  let epoch: number | null = null;
  if (s.replication !== 'region') {
    if (leaseValid(ctx, r, leader)) gts = ctx.clock(leader);
    else if (s.policy === 'ap') {
      if (r.partition_epoch === null) {
        r.partition_epoch = Math.floor(ctx.now_ms);
        ctx.evidence('version', region, leader, { detail: { partition_start_ms: r.partition_epoch, note: 'accepting region-prefixed writes' } });
      }
      epoch = r.partition_epoch;
    } else return refuse(s, ctx, region, leader, 'no sequencer lease (partition)', op);
  }
  const id = `w${s.nextWrite++}`;
  const entry: Entry = { id: '', origin: region, rseq: 0, gts, lamport: 0, deps: { ...r.applied }, written_ms: ctx.now_ms, partition_epoch: epoch, key, value };
  const pw: PendingWrite = { id, region, started_ms: ctx.now_ms, entry, localAcks: [], localDone: false, regionAcks: [region], timer_gen: s.timerGen++, op };
  r.pending[id] = pw;
  for (const f of followers) ctx.send(leader, f, 'lrep', { id });
  ctx.setTimer(leader, num(ctx, P.fsync), 'fsync', { id });
  ctx.setTimer(gateway, num(ctx, P.timeout), 'write-timeout', { id, region });
}

function tryLocalCommit(s: LogState, ctx: Ctx, r: RegionState, pw: PendingWrite, leader: string): void {
  if (pw.localDone || pw.localAcks.length < 2) return; // own fsync + one follower = 2 of 3
  pw.localDone = true;
  const e = pw.entry;
  e.rseq = r.nextRseq++;
  e.id = `${r.id}:${e.rseq}`;
  e.lamport = r.lamport + 1;
  applyEntry(s, r, e);
  if (s.replication === 'sync') {
    for (const g of ctx.topo.groups) if (g !== r.id) sendToRegion(ctx, leader, g, 'srep', { id: pw.id, entry: copyEntry(e) });
    return;
  }
  // async / region: acknowledge after the clock-uncertainty wait (commit wait) if timestamped.
  ctx.setTimer(leader, e.gts !== null ? num(ctx, P.eps) : 0, 'ack', { id: pw.id });
}

function ack(s: LogState, ctx: Ctx, r: RegionState, id: string): void {
  const pw = r.pending[id];
  if (!pw) return;
  delete r.pending[id];
  ctx.complete(pw.op, 'ok');
  s.stats.acked += 1;
  record(s.stats.latencies, ctx.now_ms - pw.started_ms);
  const acked = (s.stats.ackedRseqs[pw.entry.origin] ??= []);
  acked.push(pw.entry.rseq);
  if (acked.length > 1000) acked.shift();
  (s.dueT[pw.entry.origin] ??= []).push(ctx.now_ms);
  (s.dueR[pw.entry.origin] ??= []).push(pw.entry.rseq);
}

/**
 * A client read of one register, with the seed's response metadata: the staleness bound
 * (X-Replication-Lag) or a warning when the region is isolated ("isolated since T") or has
 * no quorum ("NO QUORUM - DATA MAY BE INCOMPLETE").
 * - With a lease: a strong read at the closed timestamp (served by finalize, or refused by
 *   CP / served from the replica by AP when it does not come within read_timeout_ms). AP
 *   does not even wait when the replication lag is above its bound (lag_bound_ms).
 * - Leader per region: the region's own keys, served at once from its replica.
 * - No lease or no local quorum: CP refuses; AP serves the replica's latest value.
 */
function startRead(s: LogState, ctx: Ctx, r: RegionState, gateway: string): void {
  const key = registerKey(s, ctx, r, 'readKey');
  const op = ctx.invoke(`${r.id}/reader`, key, { f: 'read' }, r.id);
  const leader = regionLeader(s, ctx, r.id);
  const localQuorum = leader !== null && r.nodes.filter((n) => ctx.isUp(n) && ctx.linkUp(leader, n)).length >= 2;
  if (!localQuorum) return s.policy === 'ap' ? serveLocal(s, ctx, r, op, key, 'NO QUORUM - DATA MAY BE INCOMPLETE') : refuseRead(s, ctx, op, 'no local quorum');
  if (s.replication === 'region') return serveLocal(s, ctx, r, op, key, null);
  if (!leaseValid(ctx, r, leader!)) return s.policy === 'ap' ? serveLocal(s, ctx, r, op, key, 'isolated') : refuseRead(s, ctx, op, 'no sequencer lease (partition)');
  // AP does not wait for a closed timestamp that lags past its bound: it answers from the replica.
  if (s.policy === 'ap' && r.lagOver) return serveLocal(s, ctx, r, op, key, 'replication lag above bound');
  r.reads.push({ op, key, t_read: ctx.clock(leader!), started_ms: ctx.now_ms });
  ctx.setTimer(gateway, num(ctx, P.readTimeout), 'read-timeout', { op });
}

/** Serves a read from the replica's latest applied value (a warning marks it as possibly stale). */
function serveLocal(s: LogState, ctx: Ctx, r: RegionState, op: number, key: string, warning: string | null, started_ms = ctx.now_ms): void {
  if (warning) s.stats.readsWarned[warning] = (s.stats.readsWarned[warning] ?? 0) + 1;
  else record(s.stats.readStaleness, r.lag_ms);
  s.stats.readsServed += 1;
  record(s.stats.readLatencies, ctx.now_ms - started_ms);
  ctx.complete(op, 'ok', r.latest[key] ?? null);
}

function refuseRead(s: LogState, ctx: Ctx, op: number, reason: string): void {
  s.stats.readsRefused += 1;
  s.stats.readsRefusedBy[reason] = (s.stats.readsRefusedBy[reason] ?? 0) + 1;
  ctx.complete(op, 'fail');
}

/** Strong reads whose timestamp the closed timestamp has passed: the finalised value. */
function serveStrongReads(s: LogState, ctx: Ctx, r: RegionState, closed: number): void {
  if (r.reads.length === 0 || !Number.isFinite(closed)) return;
  const waiting: PendingRead[] = [];
  for (const rd of r.reads) {
    if (rd.t_read > closed) {
      waiting.push(rd);
      continue;
    }
    record(s.stats.readStaleness, r.lag_ms);
    s.stats.readsServed += 1;
    record(s.stats.readLatencies, ctx.now_ms - rd.started_ms);
    ctx.complete(rd.op, 'ok', r.final[rd.key] ?? null);
  }
  r.reads = waiting;
}

function readTimeout(s: LogState, ctx: Ctx, r: RegionState, op: number): void {
  const i = r.reads.findIndex((rd) => rd.op === op);
  if (i < 0) return; // already served
  const [rd] = r.reads.splice(i, 1);
  // The closed timestamp did not come (a partition stalls it): CP refuses, AP serves what it has.
  if (s.policy === 'ap') serveLocal(s, ctx, r, op, rd!.key, 'closed timestamp stalled', rd!.started_ms);
  else refuseRead(s, ctx, op, 'closed timestamp stalled (partition)');
}

// ---- heartbeats ----------------------------------------------------------------------------

function localHeartbeatRound(s: LogState, ctx: Ctx, node: string): void {
  const region = regionOf(ctx, node);
  const mates = s.regions[region]!.nodes.filter((m) => m !== node);
  const local = s.nodes[node]!;
  const round = Math.round(ctx.now_ms / num(ctx, P.lhb));
  for (const m of mates) {
    // Missed = nothing for 1.5 intervals, so jitter around a round boundary is not a miss.
    if (ctx.now_ms - (local.lastHeard[m] ?? 0) <= 1.5 * num(ctx, P.lhb)) {
      if ((local.missStreak[m] ?? 0) > 0) ctx.evidence('heartbeat-seen', region, node, { peer: m, detail: { round, level: 'local' } });
      local.missStreak[m] = 0;
    } else {
      local.missStreak[m] = (local.missStreak[m] ?? 0) + 1;
      ctx.evidence('heartbeat-missed', region, node, { peer: m, detail: { round, level: 'local', in_a_row: local.missStreak[m]! } });
    }
    ctx.send(node, m, 'lhb', {});
  }
}

function regionHeartbeatRound(s: LogState, ctx: Ctx, node: string): void {
  if (!isLeader(s, ctx, node)) return;
  const region = regionOf(ctx, node);
  const r = s.regions[region]!;
  const round = Math.round(ctx.now_ms / num(ctx, P.rhb));
  // The lag probe comes first so that a mode entered on this round's heartbeats waits
  // for the next probe before it can declare itself caught up.
  ctx.evidence('probe', region, node, { detail: { gauge: 'replication_lag_ms', value: Math.round(r.lag_ms) } });
  for (const g of ctx.topo.groups) {
    if (g === region) continue;
    if (ctx.now_ms - (r.lastHeard[g] ?? 0) <= 1.5 * num(ctx, P.rhb)) {
      if ((r.missStreak[g] ?? 0) > 0) ctx.evidence('heartbeat-seen', region, node, { peer: g, detail: { round, level: 'region' } });
      r.missStreak[g] = 0;
      r.missEvidence[g] = [];
    } else {
      r.missStreak[g] = (r.missStreak[g] ?? 0) + 1;
      const seq = ctx.evidence('heartbeat-missed', region, node, { peer: g, detail: { round, level: 'region', in_a_row: r.missStreak[g]! } });
      r.missEvidence[g] = [...(r.missEvidence[g] ?? []), seq].slice(-num(ctx, P.misses));
    }
    sendToRegion(ctx, node, g, 'rhb', { region, term: r.term });
  }
  sequencerRound(s, ctx, r, node);
}

// ---- the Raft-style sequencer: elections and time leases ------------------------------------

function sequencerRound(s: LogState, ctx: Ctx, r: RegionState, node: string): void {
  const misses = num(ctx, P.misses);
  const seqLost = r.sequencer === null || (r.sequencer !== r.id && (r.missStreak[r.sequencer] ?? 0) >= misses);
  if (r.sequencer === r.id) {
    const window = 2 * num(ctx, P.rhb) + 1;
    const backing = ctx.topo.groups.filter((g) => g === r.id || ctx.now_ms - (r.seqAcks[g] ?? -Infinity) <= window);
    if (backing.length >= Math.floor(ctx.topo.groups.length / 2) + 1) grantLeases(s, ctx, r, node, backing);
  } else if (seqLost && hasGlobalQuorum(s, ctx, r) && r.electionDue_ms === null) {
    const delay = ctx.rng.next() * (num(ctx, P.rhb) / 2);
    r.electionDue_ms = ctx.now_ms + delay;
    ctx.setTimer(node, delay, 'elect', {});
  }
}

function grantLeases(s: LogState, ctx: Ctx, r: RegionState, node: string, backing: string[]): void {
  const lease = num(ctx, P.lease);
  const cert = ctx.evidence('quorum-cert', r.id, node, { detail: { term: r.term, purpose: 'lease', backing } });
  for (const g of ctx.topo.groups) {
    if (g === r.id) {
      r.lease_expires_ms = ctx.clock(node) + lease;
      r.lease_term = r.term;
      r.lease_evidence = cert;
      noteLeaseRegained(s, ctx, r, node);
    } else sendToRegion(ctx, node, g, 'lease', { term: r.term, sequencer: r.id, cert });
  }
}

function noteLeaseRegained(s: LogState, ctx: Ctx, r: RegionState, node: string): void {
  r.leaseExpiredRecorded = false;
  if (r.partition_epoch === null) return;
  // AP merge: region-ordered entries written during the partition join the global order,
  // sorted by Lamport clock (ties: region id), after everything already finalised.
  const ids = r.localOnly.filter((id) => r.entries[id]?.gts === null);
  const ents = ids.map((id) => r.entries[id]!).sort((a, b) => a.lamport - b.lamport || (a.origin < b.origin ? -1 : 1));
  const base = ctx.clock(node);
  ents.forEach((e, i) => (e.gts = base + i * 0.001));
  r.localOnly = [];
  s.stats.merges += 1;
  ctx.evidence('merge', r.id, node, {
    detail: { partition_start_ms: r.partition_epoch, merged: ents.length, first: ents[0]?.id ?? '', last: ents[ents.length - 1]?.id ?? '' },
  });
  r.partition_epoch = null;
}

function startElection(s: LogState, ctx: Ctx, node: string): void {
  const r = s.regions[regionOf(ctx, node)]!;
  r.electionDue_ms = null;
  const misses = num(ctx, P.misses);
  const seqLost = r.sequencer === null || (r.sequencer !== r.id && (r.missStreak[r.sequencer] ?? 0) >= misses);
  if (!seqLost || !hasGlobalQuorum(s, ctx, r) || !isLeader(s, ctx, node)) return;
  r.term += 1;
  r.votedFor = r.id;
  r.votes = [r.id];
  s.stats.elections += 1;
  for (const g of ctx.topo.groups) if (g !== r.id) sendToRegion(ctx, node, g, 'vote-req', { term: r.term, candidate: r.id });
}

// ---- monitors ------------------------------------------------------------------------------

function checkCompleteness(s: LogState, ctx: Ctx): void {
  const deadline = num(ctx, P.deadline);
  for (const origin of ctx.topo.groups) {
    const ts = s.dueT[origin] ?? [];
    const rs = s.dueR[origin] ?? [];
    let n = 0;
    while (n < ts.length && ts[n]! <= ctx.now_ms - deadline) {
      s.dueMax[origin] = Math.max(s.dueMax[origin] ?? 0, rs[n]!);
      n++;
    }
    if (n > 0) {
      ts.splice(0, n);
      rs.splice(0, n);
    }
    const maxDue = s.dueMax[origin] ?? 0;
    if (maxDue === 0) continue;
    for (const g of ctx.topo.groups) {
      if (g === origin) continue;
      const key = `${g}|${origin}`;
      const a = ctx.topo.nodesOf.get(g)![0]!;
      const b = ctx.topo.nodesOf.get(origin)![0]!;
      if (!ctx.linkUp(a, b)) {
        delete s.connectedSince[key];
        continue;
      }
      s.connectedSince[key] ??= ctx.now_ms;
      if (ctx.now_ms - s.connectedSince[key]! < deadline) continue;
      const have = s.regions[g]!.applied[origin] ?? 0;
      // One violation per stall: reported when it starts, re-armed once the region catches up.
      if (have >= maxDue) delete s.reportedMissing[key];
      else if (!s.reportedMissing[key]) {
        s.reportedMissing[key] = true;
        ctx.violation('completeness', `${g} still lacks ${origin}:${have + 1}..${maxDue}, acknowledged over ${deadline / 1000}s ago while connected`, []);
      }
    }
  }
}

/** Acknowledged writes that their own region no longer holds (its applied prefix fell below them). */
function lostAcked(s: LogState): number {
  let lost = 0;
  for (const [origin, rseqs] of Object.entries(s.stats.ackedRseqs)) {
    const have = s.regions[origin]!.applied[origin] ?? 0;
    for (const k of rseqs) if (k > have) lost += 1;
  }
  return lost;
}

function checkNoAckedLoss(s: LogState, ctx: Ctx): void {
  const lost = lostAcked(s);
  if (lost > s.stats.lostReported) {
    ctx.violation('no-acked-loss', `${lost - s.stats.lostReported} acknowledged event(s) missing from their own region's log`, []);
    s.stats.lostReported = lost;
  }
}

// ---- the model -----------------------------------------------------------------------------

export type LogModelState = LogState;

export const logReplicationModel: ModelDefinition<LogModelState> = {
  id: 'log-replication',

  init(ctx) {
    const replication = ctx.param<string>('replication') as Replication;
    const policy = ctx.param<string>('policy') as Policy;
    const regions: Record<string, RegionState> = {};
    const first = ctx.topo.groups[0]!;
    for (const g of ctx.topo.groups) {
      regions[g] = {
        id: g,
        nodes: ctx.topo.nodesOf.get(g)!,
        entries: {},
        applied: Object.fromEntries(ctx.topo.groups.map((o) => [o, 0])),
        buffered: [],
        nextRseq: 1,
        lamport: 0,
        finalCount: 0,
        finalTail: [],
        finalHash: 2166136261,
        finalHashes: [],
        finalWM: {},
        finalExtra: {},
        lastFinalKey: null,
        settled: {},
        unfinal: [],
        lagSamples: [],
        frontier: Object.fromEntries(ctx.topo.groups.map((o) => [o, 0])),
        frontierUpTo: Object.fromEntries(ctx.topo.groups.map((o) => [o, 0])),
        peerApplied: {},
        lease_expires_ms: replication === 'region' ? -Infinity : num(ctx, P.lease),
        lease_term: 1,
        lease_evidence: null,
        leaseExpiredRecorded: false,
        term: 1,
        votedFor: first,
        sequencer: first,
        votes: [],
        electionDue_ms: null,
        lastHeard: {},
        missStreak: {},
        seqAcks: Object.fromEntries(ctx.topo.groups.map((o) => [o, 0])),
        partition_epoch: null,
        localOnly: [],
        lag_ms: 0,
        lagOver: false,
        lagProbe: null,
        missEvidence: {},
        refusalEvidence: null,
        pending: {},
        dedupHits: 0,
        final: {},
        latest: {},
        reads: [],
        writeKey: ctx.topo.groups.indexOf(g) - 1,
        readKey: ctx.topo.groups.indexOf(g) - 1,
        nextValue: 1,
      };
    }
    const nodes: LogState['nodes'] = {};
    for (const n of ctx.topo.nodes) nodes[n] = { lastHeard: {}, missStreak: {} };
    return {
      replication,
      policy,
      regions,
      nodes,
      stats: { latencies: newHistogram(), acked: 0, refused: 0, refusedBy: {}, ackedRseqs: {}, lostReported: 0, merges: 0, elections: 0, readStaleness: newHistogram(), readsWarned: {}, readLatencies: newHistogram(), readsServed: 0, readsRefused: 0, readsRefusedBy: {} },
      nextWrite: 1,
      reportedMissing: {},
      connectedSince: {},
      timerGen: 0,
      dueT: {},
      dueR: {},
      dueMax: {},
      lastCheck_ms: 0,
    };
  },

  start(s, ctx) {
    for (const n of ctx.topo.nodes) startNodeTimers(ctx, n);
  },

  onRestart(s, ctx, node) {
    // A restarted node gives its mates one grace period before it suspects them.
    s.nodes[node] = { lastHeard: Object.fromEntries(s.regions[regionOf(ctx, node)]!.nodes.map((m) => [m, ctx.now_ms])), missStreak: {} };
    startNodeTimers(ctx, node);
  },

  onTimer(s, ctx, node, name, data) {
    const region = regionOf(ctx, node);
    const r = s.regions[region]!;
    switch (name) {
      case 'lhb':
        localHeartbeatRound(s, ctx, node);
        ctx.setTimer(node, num(ctx, P.lhb), 'lhb');
        return;
      case 'rhb':
        regionHeartbeatRound(s, ctx, node);
        ctx.setTimer(node, num(ctx, P.rhb), 'rhb');
        return;
      case 'batch':
        replicationRound(s, ctx, node);
        ctx.setTimer(node, num(ctx, P.batch), 'batch');
        return;
      case 'client': {
        // The workload: one client per region, writing through the lowest live node (its gateway).
        const gateway = r.nodes.find((n) => ctx.isUp(n));
        if (gateway === node) startWrite(s, ctx, node);
        ctx.setTimer(node, ctx.rng.exponential(1000 / num(ctx, P.rate)), 'client');
        return;
      }
      case 'reader': {
        const gateway = r.nodes.find((n) => ctx.isUp(n));
        if (gateway === node) startRead(s, ctx, r, node);
        ctx.setTimer(node, ctx.rng.exponential(1000 / num(ctx, P.readRate)), 'reader');
        return;
      }
      case 'fsync': {
        const pw = r.pending[(data as { id: string }).id];
        if (pw && !pw.localAcks.includes(node)) pw.localAcks.push(node);
        if (pw) tryLocalCommit(s, ctx, r, pw, node);
        return;
      }
      case 'follower-fsync': {
        const { id, leader } = data as { id: string; leader: string };
        ctx.send(node, leader, 'lack', { id });
        return;
      }
      case 'ack':
        ack(s, ctx, r, (data as { id: string }).id);
        return;
      case 'write-timeout': {
        const { id } = data as { id: string };
        const pw = r.pending[id];
        if (!pw) return;
        if (s.replication === 'sync' && pw.localDone && s.policy === 'ap') {
          ack(s, ctx, r, id); // AP: fall back to the local commit
          return;
        }
        delete r.pending[id];
        // The client only sees a timeout: the write may or may not have taken effect.
        refuse(s, ctx, region, node, pw.localDone ? 'timed out waiting for other regions' : 'timed out waiting for local quorum', pw.op, 'info');
        return;
      }
      case 'read-timeout':
        readTimeout(s, ctx, r, (data as { op: number }).op);
        return;
      case 'elect':
        startElection(s, ctx, node);
        return;
      case 'sync-store': {
        const { id, from } = data as { id: string; from: string };
        ctx.send(node, from, 'sack', { id, region });
        return;
      }
    }
  },

  onMessage(s, ctx, to, from, kind, body) {
    const region = regionOf(ctx, to);
    const r = s.regions[region]!;
    switch (kind) {
      case 'lhb':
        s.nodes[to]!.lastHeard[from] = ctx.now_ms;
        return;
      case 'lrep':
        ctx.setTimer(to, num(ctx, P.fsync), 'follower-fsync', { id: (body as { id: string }).id, leader: from });
        return;
      case 'lack': {
        const pw = r.pending[(body as { id: string }).id];
        if (pw && !pw.localAcks.includes(from)) {
          pw.localAcks.push(from);
          tryLocalCommit(s, ctx, r, pw, to);
        }
        return;
      }
      case 'rhb': {
        if (!isLeader(s, ctx, to)) return;
        r.lastHeard[(body as { region: string }).region] = ctx.now_ms;
        return;
      }
      case 'rep': {
        if (!isLeader(s, ctx, to)) return;
        const { entries, frontiers } = body as { entries: Entry[]; frontiers: Record<string, [number, number]> };
        receiveEntries(s, r, entries);
        // An origin's frontier promises no new entries below it; it is usable here once we
        // hold every entry it covered. Frontiers are relayed like entries.
        for (const [o, [f, upTo]] of Object.entries(frontiers)) {
          if (o === region || f <= (r.frontier[o] ?? -Infinity) || (r.applied[o] ?? 0) < upTo) continue;
          r.frontier[o] = f;
          r.frontierUpTo[o] = upTo;
        }
        ctx.send(to, from, 'rack', { region, applied: { ...r.applied } });
        return;
      }
      case 'rack': {
        const { region: peer, applied } = body as { region: string; applied: Record<string, number> };
        const known = (r.peerApplied[peer] ??= {});
        for (const [o, k] of Object.entries(applied)) known[o] = Math.max(known[o] ?? 0, k);
        return;
      }
      case 'srep': {
        if (!isLeader(s, ctx, to)) return;
        const { id, entry } = body as { id: string; entry: Entry };
        receiveEntries(s, r, [entry]);
        ctx.setTimer(to, num(ctx, P.fsync), 'sync-store', { id, from });
        return;
      }
      case 'sack': {
        const { id, region: peer } = body as { id: string; region: string };
        const pw = r.pending[id];
        if (!pw) return;
        if (!pw.regionAcks.includes(peer)) pw.regionAcks.push(peer);
        if (pw.regionAcks.length === ctx.topo.groups.length) ack(s, ctx, r, id);
        return;
      }
      case 'lease': {
        if (!isLeader(s, ctx, to)) return;
        const { term, sequencer } = body as { term: number; sequencer: string };
        if (term < r.term) return;
        r.term = term;
        r.sequencer = sequencer;
        r.lease_expires_ms = ctx.clock(to) + num(ctx, P.lease) - num(ctx, P.rhb) / 10;
        r.lease_term = term;
        noteLeaseRegained(s, ctx, r, to);
        sendToRegion(ctx, to, sequencer, 'lease-ack', { term, region });
        return;
      }
      case 'lease-ack': {
        const { term, region: peer } = body as { term: number; region: string };
        if (term === r.term && r.sequencer === region) r.seqAcks[peer] = ctx.now_ms;
        return;
      }
      case 'vote-req': {
        if (!isLeader(s, ctx, to)) return;
        const { term, candidate } = body as { term: number; candidate: string };
        const misses = num(ctx, P.misses);
        const seqLost = r.sequencer === null || r.sequencer === candidate || (r.sequencer !== region && (r.missStreak[r.sequencer] ?? 0) >= misses);
        const granted = term > r.term && seqLost;
        if (granted) {
          r.term = term;
          r.votedFor = candidate;
        }
        ctx.evidence('vote', region, to, { peer: candidate, detail: { term, granted } });
        sendToRegion(ctx, to, candidate, 'vote', { term, granted, voter: region });
        return;
      }
      case 'vote': {
        const { term, granted, voter } = body as { term: number; granted: boolean; voter: string };
        if (!granted || term !== r.term || r.votedFor !== region || r.sequencer === region) return;
        if (!r.votes.includes(voter)) r.votes.push(voter);
        if (r.votes.length >= Math.floor(ctx.topo.groups.length / 2) + 1) {
          r.sequencer = region;
          r.seqAcks = Object.fromEntries(r.votes.map((v) => [v, ctx.now_ms]));
          ctx.evidence('quorum-cert', region, to, { detail: { term, purpose: 'election', voters: [...r.votes] } });
          grantLeases(s, ctx, r, to, [...r.votes]);
        }
        return;
      }
    }
  },

  tick(s, ctx) {
    for (const g of ctx.topo.groups) {
      const r = s.regions[g]!;
      const leader = regionLeader(s, ctx, g);
      if (!leader) continue;
      if (s.replication !== 'region' && !leaseValid(ctx, r, leader) && !r.leaseExpiredRecorded) {
        r.leaseExpiredRecorded = true;
        r.lease_evidence = ctx.evidence('lease-expiry', g, leader, { detail: { term: r.lease_term } });
      }
    }
    if (ctx.now_ms - s.lastCheck_ms >= 1000) {
      s.lastCheck_ms = ctx.now_ms;
      checkCompleteness(s, ctx);
      checkNoAckedLoss(s, ctx);
    }
  },

  leader(s, ctx) {
    // "@leader" is the sequencer: the leader of the region that holds the role in the highest term.
    const seq = currentSequencer(s, ctx);
    return (seq && regionLeader(s, ctx, seq)) ?? undefined;
  },

  roles(s, ctx) {
    const roles: Record<string, string> = {};
    for (const g of ctx.topo.groups) {
      const l = regionLeader(s, ctx, g);
      const seq = currentSequencer(s, ctx);
      for (const n of ctx.topo.nodesOf.get(g)!) roles[n] = n === l ? (seq === g ? 'sequencer' : 'leader') : 'follower';
    }
    return roles;
  },

  observe(s, ctx, scope): ScopeObservation {
    return observeRegion(s, ctx, scope);
  },

  metrics(s, ctx) {
    const lat = s.stats.latencies;
    const rs = s.stats.readStaleness;
    const m: Record<string, MetricValue> = {
      write_latency_ms: { p50: round1(quantile(lat, 50)), p99: round1(quantile(lat, 99)), count: lat.n },
      lost_acked_events: lostAcked(s),
      read_staleness_ms: { p50: round1(quantile(rs, 50)), p99: round1(quantile(rs, 99)), count: rs.n },
      reads_with_warning: { ...s.stats.readsWarned },
      read_latency_ms: { p50: round1(quantile(s.stats.readLatencies, 50)), p99: round1(quantile(s.stats.readLatencies, 99)), count: s.stats.readLatencies.n },
      reads_served: s.stats.readsServed,
      reads_refused: s.stats.readsRefused,
      reads_refused_by_reason: { ...s.stats.readsRefusedBy },
      writes_acked: s.stats.acked,
      writes_refused: s.stats.refused,
      refused_by_reason: { ...s.stats.refusedBy },
      replication_lag_ms: Object.fromEntries(ctx.topo.groups.map((g) => [g, Math.round(s.regions[g]!.lag_ms)])),
      global_log_length: Object.fromEntries(ctx.topo.groups.map((g) => [g, s.regions[g]!.finalCount])),
      global_logs_agree: logsAgree(s, ctx),
      sequencer: currentSequencer(s, ctx),
      elections: s.stats.elections,
      merges: s.stats.merges,
      duplicates_dropped: ctx.topo.groups.reduce((a, g) => a + s.regions[g]!.dedupHits, 0),
    };
    return m;
  },
};

/**
 * True when every region's finalised global log is a prefix of every longer one (audit
 * consistency): the rolling hashes agree at every common checkpoint position, and the
 * retained tails agree where they overlap.
 */
function logsAgree(s: LogState, ctx: Ctx): boolean {
  const rs = ctx.topo.groups.map((g) => s.regions[g]!);
  const common = Math.min(...rs.map((r) => r.finalHashes.length));
  for (let i = 0; i < common; i++) if (rs.some((r) => r.finalHashes[i] !== rs[0]!.finalHashes[i])) return false;
  const shortest = Math.min(...rs.map((r) => r.finalCount));
  for (let pos = Math.max(0, shortest - FINAL_TAIL); pos < shortest; pos++) {
    const ids = rs.map((r) => r.finalTail[r.finalTail.length - (r.finalCount - pos)]);
    if (ids.some((id) => id !== undefined && id !== ids.find((x) => x !== undefined))) return false;
  }
  return true;
}

/** The region that believes it is the sequencer in the highest term (a deposed one may not know yet). */
function currentSequencer(s: LogState, ctx: Ctx): string | null {
  let best: string | null = null;
  for (const g of ctx.topo.groups) {
    const r = s.regions[g]!;
    if (r.sequencer === g && (best === null || r.term > s.regions[best]!.term)) best = g;
  }
  return best;
}

function round1(x: number | null): number | null {
  return x === null ? null : Math.round(x * 10) / 10;
}

function startNodeTimers(ctx: Ctx, n: string): void {
  const jitter = () => ctx.rng.next();
  ctx.setTimer(n, num(ctx, P.lhb) * (0.5 + jitter() * 0.5), 'lhb');
  ctx.setTimer(n, num(ctx, P.rhb) * (0.5 + jitter() * 0.1), 'rhb');
  ctx.setTimer(n, num(ctx, P.batch) * jitter(), 'batch');
  ctx.setTimer(n, ctx.rng.exponential(1000 / num(ctx, P.rate)), 'client');
  ctx.setTimer(n, ctx.rng.exponential(1000 / num(ctx, P.readRate)), 'reader');
}

function replicationRound(s: LogModelState, ctx: Ctx, node: string): void {
  if (!isLeader(s, ctx, node)) return;
  const r = s.regions[regionOf(ctx, node)]!;
  const frontier = ownFrontier(ctx, r, node);
  const MAX = 200;
  for (const g of ctx.topo.groups) {
    if (g === r.id) continue;
    // Anti-entropy: every entry we hold that the peer lacks, own entries first.
    const known = r.peerApplied[g] ?? {};
    const entries: Entry[] = [];
    const origins = [r.id, ...ctx.topo.groups.filter((o) => o !== r.id && o !== g)];
    for (const o of origins) {
      const upTo = r.applied[o] ?? 0;
      for (let k = (known[o] ?? 0) + 1; k <= upTo && entries.length < MAX; k++) {
        const e = r.entries[`${o}:${k}`];
        if (e) entries.push(copyEntry(e));
      }
    }
    const frontiers: Record<string, [number, number]> = { [r.id]: [frontier, r.applied[r.id] ?? 0] };
    for (const o of ctx.topo.groups) if (o !== r.id && o !== g) frontiers[o] = [r.frontier[o] ?? 0, r.frontierUpTo[o] ?? 0];
    sendToRegion(ctx, node, g, 'rep', { origin: r.id, entries, frontiers });
  }
  serveStrongReads(s, ctx, r, finalize(s, ctx, r, node));
  compact(s, ctx, r);
}

function observeRegion(s: LogModelState, ctx: Ctx, scope: string): ScopeObservation {
  const r = s.regions[scope]!;
  const leader = regionLeader(s, ctx, scope);
  const misses = num(ctx, P.misses);
  const lost = ctx.topo.groups.filter((g) => g !== scope && (r.missStreak[g] ?? 0) >= misses);
  const localQuorum = leader !== null && r.nodes.filter((n) => ctx.isUp(n) && ctx.linkUp(leader, n)).length >= 2;
  const lease = leader !== null && s.replication !== 'region' && leaseValid(ctx, r, leader);
  const leaseEv = r.lease_evidence === null ? [] : [r.lease_evidence];
  const refusalEv = r.refusalEvidence === null ? [] : [r.refusalEvidence];

  let scopeV: string;
  let scopeBasis: string;
  let order: string;
  if (!localQuorum) {
    scopeV = 'Local';
    order = 'None';
    scopeBasis = leader ? 'no local quorum: writes refused, reads from one node' : 'no region leader';
  } else if (s.replication === 'region') {
    scopeV = 'Range';
    order = 'SS';
    scopeBasis = 'each region orders its own events (leader-per-region)';
  } else if (lease) {
    scopeV = 'Global';
    order = 'SS';
    scopeBasis = `holds a sequencer lease (term ${r.lease_term}) backed by a majority of regions`;
  } else if (s.policy === 'ap') {
    scopeV = 'Range';
    order = 'Causal';
    scopeBasis = 'no lease: accepting region-prefixed writes ordered by vector clocks';
  } else {
    scopeV = 'Local';
    order = 'None';
    scopeBasis = 'no lease: writes refused (CP); local reads only';
  }
  // Cite what backs the scope: the lease certificate, or the lease expiry and refusals.
  const scopeEv = scopeV === 'Global' ? leaseEv : [...leaseEv, ...refusalEv];
  const visibility = order === 'SS' ? 'SER' : order === 'Causal' ? 'RA' : 'Fractured';
  let recency: string;
  let recencyBasis: string;
  if (lost.length > 0) {
    recency = 'EO';
    recencyBasis = `no heartbeat from ${lost.join(', ')} for ${misses} rounds: no staleness bound can be evidenced`;
  } else if (!Number.isFinite(r.lag_ms)) {
    recency = 'EO';
    recencyBasis = 'no replication frontier heard from some region yet';
  } else {
    const b = quantizeBound(Math.max(100, r.lag_ms));
    recency = `BS(${b}ms)`;
    recencyBasis = `closed timestamp lags ${Math.round(r.lag_ms)}ms behind the local clock`;
  }
  return {
    scope: { value: scopeV, basis: scopeBasis, evidence: scopeEv },
    order: { value: order, basis: scopeBasis, evidence: scopeEv },
    visibility: { value: visibility, basis: `follows from order ${order}`, evidence: scopeEv },
    recency: { value: recency, basis: recencyBasis, evidence: recency === 'EO' ? lost.flatMap((g) => r.missEvidence[g] ?? []) : r.lagProbe === null ? [] : [r.lagProbe] },
    idempotence: { value: 'Idem(event_id)', basis: `replicas drop duplicates by event id (${r.dedupHits} dropped)` },
    auth: { value: 'Auth(JWT)', basis: 'client writes carry a verified JWT' },
  };
}
