/**
 * MT-1 "Distributed cache invalidation" — the protocol model (state and shape: ./state.ts).
 *
 * Strategies (scenario parameter `strategy`):
 * - push    — the database commits and publishes to the durable queue (fire and forget for
 *             the writer); the queue streams batches to every data centre's consumer, which
 *             deletes superseded entries and acknowledges; unacknowledged batches are resent
 *             (go-back) and the backlog is replayed at replay_rate_per_s after a heal.
 * - pull    — every cache server polls the database for the changes since its last poll.
 * - lease   — no invalidation; the database grants each cached price a jittered TTL.
 * - quorum  — the database streams invalidations itself and acknowledges a write only when
 *             a majority of all cache servers applied it; a data centre that has not caught up
 *             with the primary for fence_ms stops serving cached prices.
 * - hybrid  — push + lease (and `checkout_bypass`: checkout reads go to the database).
 *
 * Evidence it records: heartbeats missed/seen (both sides), write-refused, catch-up after a
 * backlog replay, and gauges (`probe`: missed_heartbeats, backlog, unavailable_pct) that move
 * the modes. Staleness of every served read is measured against the database's ground truth.
 */
import type { MetricValue } from '../../../../src-shared/ipc/frames';
import { gaugeThresholds } from '../../../../src-shared/scenario/predicate';
import { newHistogram, quantile, record } from '../../histogram';
import type { ModelDefinition, ScopeObservation } from '../../model-api';
import { quantizeBound } from '../../services/gvector-observer';
import { layout, readParams, type CacheState, type Ctx, type DcState, type Layout, type PendingRead, type ReadMeta } from './state';

export type { CacheState } from './state';

const RING = 4;
const RECENT = 8;
const GAUGES = ['backlog', 'unavailable_pct', 'missed_heartbeats'] as const;

const L = (s: CacheState, ctx: Ctx): Layout => layout(ctx, s.H, s.p.zipfS);
const agentNode = (s: CacheState, ctx: Ctx, d: number): string | null => {
  const a = s.dc[d]!.agent;
  return a < 0 ? null : L(s, ctx).servers[d]![a]!;
};
const senderNode = (s: CacheState, ctx: Ctx): string => (s.p.quorum ? L(s, ctx).db : L(s, ctx).broker);
/** Rounded to 0.1 ms; the histogram's lowest bucket (≤ 0.1 ms) reads as 0 (a fresh price). */
const r1 = (x: number | null) => (x === null ? null : x <= 0.1 ? 0 : Math.round(x * 10) / 10);
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

// ---- gauge thresholds (read from the scenario's transitions) ---------------------------------

function band(x: number, ts: number[] | undefined): number {
  let b = 0;
  for (const t of ts ?? []) b += (x >= t ? 1 : 0) + (x > t ? 1 : 0);
  return b;
}

// ---- database ground truth -------------------------------------------------------------------

/** Commit time of version v of hot product p (v ≤ the current version). */
function commitOf(s: CacheState, p: number, v: number): number {
  const cur = s.dbVer[p]!;
  const w = cur - v >= RING ? cur - RING + 1 : v;
  return s.dbCommit[p * RING + (w % RING)]!;
}

/** How long the value `v` of product p has been superseded at the database (0 if current). */
function trueStaleness(s: CacheState, p: number, v: number, now: number): number {
  return v < s.dbVer[p]! ? Math.max(0, now - commitOf(s, p, v + 1)) : 0;
}

/** The head of the invalidation stream `ago_ms` ago (at least), from the per-second ring. */
function headAgo(s: CacheState, now: number, ago_ms: number): number {
  const sec = Math.floor((now - ago_ms) / 1000) - 1;
  if (sec < 0) return 0;
  return s.headRing[sec % 64]!;
}

function dbWrites(s: CacheState, ctx: Ctx): void {
  const p = s.p;
  const now = ctx.now_ms;
  s.writeCarry += (p.updatesPerS * p.batchMs) / 1000;
  const n = Math.floor(s.writeCarry);
  s.writeCarry -= n;
  if (n > 0) {
    s.winWrites += n;
    if (p.quorum && s.blockedWrites + n > p.maxBlocked) {
      s.writesRefused += n;
      s.winRefusedWrites += n;
      if (now - s.lastRefusedEv_ms >= 1000) {
        s.lastRefusedEv_ms = now;
        ctx.evidence('write-refused', 'primary', L(s, ctx).db, { detail: { blocked_writes: s.blockedWrites, reason: 'no quorum of cache servers acknowledges invalidations' } });
      }
    } else {
      const log = p.stream || p.poll;
      for (let i = 0; i < n; i++) {
        s.head += 1;
        if (!ctx.rng.chance(p.hotShare)) continue;
        const prod = ctx.rng.int(0, s.H - 1);
        const old = s.dbVer[prod]!;
        const v = old + 1;
        s.dbVer[prod] = v;
        s.dbCommit[prod * RING + (v % RING)] = now;
        for (let d = 0; d < s.D; d++) {
          const idx = d * s.H + prod;
          if (s.eVer[idx] === old) s.eStale[idx] = now;
        }
        if (log) {
          s.logSeq.push(s.head);
          s.logP.push(prod);
          s.logV.push(v);
        }
      }
      s.writes += n;
      if (p.quorum) {
        s.blocked.push({ seqTo: s.head, n, t: now, servers: 0, dcMask: 0 });
        s.blockedWrites += n;
      } else {
        s.writesAcked += n;
        for (let i = 0; i < n; i++) record(s.writeLatency, p.dbWriteMs);
      }
    }
  }
  s.headRing[Math.floor(now / 1000) % 64] = s.head;
  ctx.setTimer(L(s, ctx).db, p.batchMs, 'writes');
}

/** Index of the first log entry with seq > x. */
function logFrom(s: CacheState, x: number): number {
  let lo = 0;
  let hi = s.logSeq.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (s.logSeq[m]! <= x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

function slice(s: CacheState, from: number, to: number): { q: number[]; p: number[]; v: number[] } {
  const a = logFrom(s, from);
  const b = logFrom(s, to);
  return { q: s.logSeq.slice(a, b), p: s.logP.slice(a, b), v: s.logV.slice(a, b) };
}

/** The queue (or, for quorum, the database) streams invalidation batches to each data centre. */
function streamSend(s: CacheState, ctx: Ctx): void {
  const p = s.p;
  const now = ctx.now_ms;
  const maxBatch = Math.max(1, Math.round((p.replayRate * p.batchMs) / 1000));
  const from = senderNode(s, ctx);
  for (let d = 0; d < s.D; d++) {
    const sub = s.sub[d]!;
    if (sub.sentUpTo <= sub.acked) {
      sub.sentUpTo = sub.acked;
      if (sub.lastSend_ms <= sub.lastAck_ms) sub.lastAck_ms = now; // idle: nothing sent since the last ack
    }
    const silent = now - sub.lastAck_ms > p.retryMs;
    if (silent && sub.sentUpTo > sub.acked) sub.sentUpTo = sub.acked; // go back: resend from the last ack
    if (sub.sentUpTo >= s.head) continue;
    if (silent && now - sub.lastSend_ms < p.retryMs) continue; // unacknowledged: probe once per retry period
    const to = node(s, ctx, d);
    if (!to) continue;
    const hi = Math.min(s.head, sub.sentUpTo + maxBatch);
    const items = slice(s, sub.sentUpTo, hi);
    ctx.send(from, to, 'inv', { d, from: sub.sentUpTo, to: hi, head: s.head, t: now, ...items });
    s.invalidationsSent += hi - sub.sentUpTo;
    sub.sentUpTo = hi;
    sub.lastSend_ms = now;
  }
  ctx.setTimer(from, p.batchMs, 'send');
}

function node(s: CacheState, ctx: Ctx, d: number): string | null {
  return agentNode(s, ctx, d);
}

function onInvAck(s: CacheState, ctx: Ctx, b: { d: number; applied: number; servers: number }): void {
  const sub = s.sub[b.d]!;
  if (b.applied > sub.acked) sub.acked = b.applied;
  sub.lastAck_ms = ctx.now_ms;
  if (!s.p.quorum) return;
  const bit = 1 << b.d;
  const majority = Math.floor((s.D * s.S) / 2) + 1;
  for (const w of s.blocked) {
    if (w.seqTo > b.applied) break;
    if (w.dcMask & bit) continue;
    w.dcMask |= bit;
    w.servers += b.servers;
  }
  while (s.blocked.length > 0 && s.blocked[0]!.servers >= majority) {
    const w = s.blocked.shift()!;
    const lat = s.p.dbWriteMs + (ctx.now_ms - w.t);
    for (let i = 0; i < w.n; i++) record(s.writeLatency, lat);
    s.writesAcked += w.n;
    s.blockedWrites -= w.n;
  }
}

function heartbeatRound(s: CacheState, ctx: Ctx): void {
  const now = ctx.now_ms;
  const lay = L(s, ctx);
  const headLag = s.p.stream || s.p.poll ? headAgo(s, now, s.p.allowMs) : 0;
  for (let d = 0; d < s.D; d++) {
    const sub = s.sub[d]!;
    if (now >= s.p.hbMs * 2) {
      if (!sub.hbAcked) {
        sub.hbMissed += 1;
        ctx.evidence('heartbeat-missed', 'primary', lay.db, { peer: lay.dcs[d]!, detail: { round: Math.round(now / s.p.hbMs) } });
      }
    }
    sub.hbAcked = false;
    const to = node(s, ctx, d);
    if (to) ctx.send(lay.db, to, 'hb', { d, t: now, head: s.p.stream || s.p.poll ? s.head : 0, headLag });
  }
  ctx.setTimer(lay.db, s.p.hbMs, 'hb');
}

function onPoll(s: CacheState, ctx: Ctx, b: { d: number; since: number }): void {
  s.polls += s.S;
  s.dbLoadWin += s.S;
  s.dbLoadTotal += s.S;
  const sub = s.sub[b.d]!;
  sub.polled = Math.max(sub.polled, b.since); // the log is kept from here (a reply may be lost)
  const hi = Math.min(s.head, b.since + Math.max(1, Math.round((s.p.replayRate * s.p.pollMs) / 1000)));
  sub.sentUpTo = Math.max(sub.sentUpTo, hi); // what the data centre has once this reply lands (backlog gauge)
  const to = node(s, ctx, b.d);
  if (to) ctx.send(L(s, ctx).db, to, 'poll-reply', { d: b.d, from: b.since, to: hi, head: s.head, t: ctx.now_ms, ...slice(s, b.since, hi) });
}

function onFetch(s: CacheState, ctx: Ctx, b: { d: number; id: number; ps: number[] }): void {
  s.dbLoadWin += b.ps.length;
  s.dbLoadTotal += b.ps.length;
  const vs = b.ps.map((p) => (p < 0 ? 0 : s.dbVer[p]!));
  const to = node(s, ctx, b.d);
  if (to) ctx.send(L(s, ctx).db, to, 'fetch-reply', { d: b.d, id: b.id, vs, t: ctx.now_ms });
}

// ---- data centre side ------------------------------------------------------------------------

function recomputeBacklog(s: CacheState, ctx: Ctx, dc: DcState, d: number): void {
  const prev = dc.backlog;
  dc.backlog = s.p.stream || s.p.poll ? Math.max(0, dc.hbHeadLag - dc.applied) : 0;
  if (dc.replayFrom_ms !== null && dc.backlog === 0 && prev >= 0) {
    const dur = ctx.now_ms - dc.replayFrom_ms;
    const dcId = L(s, ctx).dcs[d]!;
    dc.replays.push({ dc: dcId, healed_ms: Math.round(dc.replayFrom_ms), caught_up_ms: Math.round(ctx.now_ms), duration_ms: Math.round(dur), invalidations: dc.replayItems });
    if (dc.replays.length > 8) dc.replays.shift();
    ctx.evidence('catch-up', dcId, agentNode(s, ctx, d) ?? dcId, { detail: { invalidations: dc.replayItems, duration_ms: Math.round(dur) } });
    dc.replayFrom_ms = null;
    dc.replayItems = 0;
  }
}

/** Applies a batch of invalidations in stream order (duplicates and overlaps are idempotent by version). */
function applyBatch(s: CacheState, ctx: Ctx, d: number, b: { from: number; to: number; head: number; t: number; q: number[]; p: number[]; v: number[] }): void {
  const dc = s.dc[d]!;
  if (b.from > dc.applied) return; // a gap: an earlier batch was lost; the sender goes back
  const base = d * s.H;
  for (let i = 0; i < b.q.length; i++) {
    if (b.q[i]! <= dc.applied) continue;
    const idx = base + b.p[i]!;
    const v = b.v[i]!;
    if (v > s.eInv[idx]!) s.eInv[idx] = v;
    const cur = s.eVer[idx]!;
    if (cur >= 0 && cur < v) s.eVer[idx] = -1;
  }
  if (b.to > dc.applied) {
    if (dc.replayFrom_ms !== null) dc.replayItems += b.to - dc.applied;
    dc.applied = b.to;
  }
  if (dc.applied >= b.head) dc.caughtUp_ms = Math.max(dc.caughtUp_ms, b.t);
  recomputeBacklog(s, ctx, dc, d);
}

function heard(s: CacheState, ctx: Ctx, d: number): void {
  s.dc[d]!.lastHeard_ms = ctx.now_ms;
}

function onHeartbeat(s: CacheState, ctx: Ctx, d: number, b: { t: number; head: number; headLag: number }): void {
  const dc = s.dc[d]!;
  const lay = L(s, ctx);
  heard(s, ctx, d);
  dc.hbSinceCheck = true;
  if (dc.missed > 0) {
    ctx.evidence('heartbeat-seen', lay.dcs[d]!, agentNode(s, ctx, d)!, { peer: 'primary', detail: { after_missed: dc.missed } });
    if (dc.missed >= 3 && (s.p.stream || s.p.poll)) {
      dc.replayFrom_ms = ctx.now_ms;
      dc.replayItems = 0;
    }
    dc.missed = 0;
    dc.missSeqs = [];
  }
  dc.hbHeadLag = b.headLag;
  if (!(s.p.stream || s.p.poll) || dc.applied >= b.head) dc.caughtUp_ms = Math.max(dc.caughtUp_ms, b.t);
  recomputeBacklog(s, ctx, dc, d);
  ctx.send(agentNode(s, ctx, d)!, lay.db, 'hb-ack', { d });
}

function hbCheck(s: CacheState, ctx: Ctx, d: number): void {
  const dc = s.dc[d]!;
  const lay = L(s, ctx);
  const me = agentNode(s, ctx, d)!;
  if (!dc.hbSinceCheck) {
    dc.missed += 1;
    const seq = ctx.evidence('heartbeat-missed', lay.dcs[d]!, me, { peer: 'primary', detail: { round: dc.missed } });
    dc.missSeqs.push(seq);
    if (dc.missSeqs.length > 3) dc.missSeqs.shift();
  }
  dc.hbSinceCheck = false;
  ctx.setTimer(me, s.p.hbMs, 'hb-check');
}

/** The staleness bound a data centre can vouch for right now (ms), from what it has heard. */
function vouch(s: CacheState, ctx: Ctx, dc: DcState): number {
  let bound = Infinity;
  if (s.p.stream || s.p.poll) bound = Math.max(0, ctx.now_ms - dc.caughtUp_ms);
  if (s.p.lease) bound = Math.min(bound, s.p.ttlMs);
  return bound;
}

function fmtBound(ms: number): string {
  if (!Number.isFinite(ms)) return 'none';
  return ms < 10_000 ? `${Math.max(0.1, Math.ceil(ms / 100) / 10)}s` : `${Math.ceil(ms / 1000)}s`;
}

interface BatchCtx {
  d: number;
  dcId: string;
  mode: string;
  bound: number;
  boundText: string;
  sample: boolean;
}

function meta(s: CacheState, ctx: Ctx, bc: BatchCtx, r: ReadArgs): ReadMeta {
  const lay = L(s, ctx);
  const warning =
    r.http === 503
      ? 'Price temporarily unavailable (database unreachable)'
      : r.status === 'STALE'
        ? `WARNING - cached ${Math.round((r.age ?? 0) / 1000)} s ago; data may be up to ${bc.boundText} old`
        : r.status === 'RECOVERING'
          ? 'Cache updating, may be stale'
          : '';
  return {
    t_ms: Math.round(r.t),
    dc: bc.dcId,
    server: lay.servers[bc.d]![r.server]!,
    product: r.p < 0 ? 'tail' : `P${r.p}`,
    cache_status: r.status,
    http: r.http,
    cache_age_ms: r.age === null ? null : Math.round(r.age),
    version: r.v,
    mode: bc.mode,
    staleness_bound: r.http === 503 ? 'n/a' : r.age === null ? '0s (database)' : bc.boundText,
    true_staleness_ms: r.stale === null ? null : Math.round(r.stale),
    latency_ms: Math.round(r.latency * 10) / 10,
    warning,
  };
}

function keep(dc: DcState, m: ReadMeta): void {
  dc.recent.push(m);
  if (dc.recent.length > RECENT) dc.recent.shift();
}

/** The read being served (a scratch record, so that serving a read allocates nothing unless its metadata is kept). */
interface ReadArgs {
  server: number;
  p: number;
  status: string;
  http: number;
  age: number | null;
  v: number | null;
  stale: number | null;
  latency: number;
  t: number;
}
const R: ReadArgs = { server: 0, p: 0, status: '', http: 200, age: null, v: null, stale: null, latency: 0, t: 0 };
function setR(server: number, p: number, status: string, http: number, age: number | null, v: number | null, stale: number | null, latency: number, t: number): ReadArgs {
  R.server = server;
  R.p = p;
  R.status = status;
  R.http = http;
  R.age = age;
  R.v = v;
  R.stale = stale;
  R.latency = latency;
  R.t = t;
  return R;
}

function served(s: CacheState, ctx: Ctx, bc: BatchCtx, dc: DcState, stale: number, latency: number, bound: number, r: ReadArgs, sample: boolean): void {
  dc.served += 1;
  record(dc.staleness, stale);
  record(s.allStaleness, stale);
  if (stale > dc.winMaxStale) dc.winMaxStale = stale;
  const c = s.cost;
  const p = s.p;
  if (stale > 0) {
    dc.stale += 1;
    c.staleViews += 1;
    if (!p.bypass) c.refunds += p.conv * p.refundP * p.refundUsd;
  }
  if (latency > p.budgetMs) {
    c.slowViews += 1;
    c.lost += p.conv * p.orderUsd * p.dropPer100 * ((latency - p.budgetMs) / 100);
  }
  let mm: ReadMeta | null = null;
  if (stale > bound) {
    dc.overBound += 1;
    if (dc.explicitReported === 0) {
      dc.explicitReported = 1;
      mm = meta(s, ctx, bc, r);
      ctx.violation('explicit-staleness', `${bc.dcId}: served ${mm.product} ${Math.round(stale)} ms stale while its response stated a bound of ${bc.boundText}`, []);
    }
  }
  if (stale > 0 && (dc.lastStale === null || ctx.now_ms - dc.lastStale.t_ms >= 1000 || stale > (dc.lastStale.true_staleness_ms ?? 0))) dc.lastStale = mm ?? (mm = meta(s, ctx, bc, r));
  if (sample) keep(dc, mm ?? meta(s, ctx, bc, r));
}

function refused(s: CacheState, ctx: Ctx, bc: BatchCtx, dc: DcState, r: ReadArgs, sample: boolean): void {
  dc.refused += 1;
  dc.winRefused += 1;
  s.cost.refusedViews += 1;
  s.cost.lost += s.p.conv * s.p.orderUsd;
  const mm = meta(s, ctx, bc, r);
  dc.lastRefused = mm;
  if (sample) keep(dc, mm);
}

function checkServed(s: CacheState, ctx: Ctx, bc: BatchCtx, dc: DcState, p: number, v: number): void {
  const idx = bc.d * s.H + p;
  if (s.eServed[idx]! > v && dc.monotonicReported === 0) {
    dc.monotonicReported = 1;
    ctx.violation('monotonic-reads', `${bc.dcId}: served version ${v} of P${p} after version ${s.eServed[idx]}`, []);
  }
  if (v > s.eServed[idx]!) s.eServed[idx] = v;
  if (v > s.dbVer[p]! && s.phantomReported === 0) {
    s.phantomReported = 1;
    ctx.violation('no-phantom', `${bc.dcId}: served version ${v} of P${p}, never committed`, []);
  }
}

function zipf(s: CacheState, ctx: Ctx, u: number): number {
  const cdf = L(s, ctx).cdf;
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (cdf[m]! < u) lo = m + 1;
    else hi = m;
  }
  return lo;
}

function readBatch(s: CacheState, ctx: Ctx, d: number): void {
  const p = s.p;
  const dc = s.dc[d]!;
  const lay = L(s, ctx);
  const me = agentNode(s, ctx, d)!;
  const now = ctx.now_ms;
  ctx.setTimer(me, p.readBatchMs, 'reads');
  // Fetches the database has not answered within fetch_timeout_ms: refused (checked every batch).
  for (const id in dc.pending) if (now - dc.pending[id]![0]!.t >= p.fetchTimeoutMs) onFetchTimeout(s, ctx, d, Number(id));
  dc.readCarry += (p.readsPerS * p.readBatchMs) / 1000;
  const n = Math.floor(dc.readCarry);
  dc.readCarry -= n;
  if (n === 0) return;
  const mode = ctx.modeOf(lay.dcs[d]!);
  const bound = vouch(s, ctx, dc);
  const bc: BatchCtx = { d, dcId: lay.dcs[d]!, mode, bound, boundText: fmtBound(bound), sample: true };
  const fenced = p.quorum && now - dc.caughtUp_ms > p.fenceMs;
  const status = mode === 'Target' ? 'HIT' : mode === 'Recovery' ? 'RECOVERING' : 'STALE';
  const fetch: PendingRead[] = [];
  const base = d * s.H;
  for (let i = 0; i < n; i++) {
    dc.reads += 1;
    dc.winReads += 1;
    const checkout = ctx.rng.next() < p.checkoutFraction;
    const tail = ctx.rng.next() < p.tailFraction;
    const prod = tail ? -1 : zipf(s, ctx, ctx.rng.next());
    const server = prod < 0 ? ctx.rng.int(0, s.S - 1) : prod % s.S;
    if (checkout && p.bypass) {
      fetch.push({ t: now, p: prod, server, fill: 0, kind: 1 });
      continue;
    }
    if (prod < 0 || dc.down[server] || fenced) {
      fetch.push({ t: now, p: prod, server, fill: 0, kind: 2 });
      continue;
    }
    const idx = base + prod;
    const v = s.eVer[idx]!;
    if (v >= 0 && s.eExp[idx]! > now) {
      dc.hits += 1;
      const st = s.eStale[idx]! <= now ? now - s.eStale[idx]! : 0;
      checkServed(s, ctx, bc, dc, prod, v);
      const sample = i === 0;
      served(s, ctx, bc, dc, st, p.hitMs, bound, setR(server, prod, status, 200, now - s.eFetched[idx]!, v, st, p.hitMs, now), sample);
      continue;
    }
    fetch.push({ t: now, p: prod, server, fill: 1, kind: 0 });
  }
  if (fetch.length === 0) return;
  for (const f of fetch) {
    if (f.kind === 0) dc.misses += 1;
    else dc.bypass += 1;
  }
  const id = dc.nextFetch++;
  dc.pending[id] = fetch;
  dc.dbReads += fetch.length;
  ctx.send(me, lay.db, 'fetch', { d, id, ps: fetch.map((f) => f.p) });
}

function fetchStatus(f: PendingRead): string {
  return f.kind === 0 ? 'MISS' : 'BYPASS';
}

function onFetchReply(s: CacheState, ctx: Ctx, d: number, b: { id: number; vs: number[]; t: number }): void {
  const dc = s.dc[d]!;
  const list = dc.pending[b.id];
  if (!list) return; // timed out already
  delete dc.pending[b.id];
  heard(s, ctx, d);
  const p = s.p;
  const now = ctx.now_ms;
  const lay = L(s, ctx);
  const bc: BatchCtx = { d, dcId: lay.dcs[d]!, mode: ctx.modeOf(lay.dcs[d]!), bound: Infinity, boundText: '0s (database)', sample: true };
  for (let i = 0; i < list.length; i++) {
    const f = list[i]!;
    const v = b.vs[i]!;
    const latency = now - f.t + p.dbReadMs;
    let st = 0;
    if (f.p >= 0) {
      const idx = d * s.H + f.p;
      st = trueStaleness(s, f.p, v, now);
      if (f.fill && !dc.down[f.server] && v >= s.eInv[idx]! && v >= s.eVer[idx]!) {
        s.eVer[idx] = v;
        s.eFetched[idx] = now;
        s.eExp[idx] = p.lease ? b.t + p.ttlMs * (1 - p.ttlJitter * ctx.rng.next()) : Infinity;
        s.eStale[idx] = v < s.dbVer[f.p]! ? commitOf(s, f.p, v + 1) : Infinity;
      }
      if (f.kind === 0) checkServed(s, ctx, bc, dc, f.p, v); // a cache fill; database bypasses are not the cache's reads
    }
    const sample = i === 0;
    served(s, ctx, bc, dc, st, latency, Infinity, setR(f.server, f.p, fetchStatus(f), 200, null, f.p < 0 ? null : v, st, latency, f.t), sample);
  }
}

function onFetchTimeout(s: CacheState, ctx: Ctx, d: number, id: number): void {
  const dc = s.dc[d]!;
  const list = dc.pending[id];
  if (!list) return;
  delete dc.pending[id];
  const lay = L(s, ctx);
  const bc: BatchCtx = { d, dcId: lay.dcs[d]!, mode: ctx.modeOf(lay.dcs[d]!), bound: 0, boundText: 'n/a', sample: true };
  list.forEach((f, i) => refused(s, ctx, bc, dc, setR(f.server, f.p, 'REFUSED', 503, null, null, null, ctx.now_ms - f.t, f.t), i === 0));
}

function pollTimer(s: CacheState, ctx: Ctx, d: number): void {
  const me = agentNode(s, ctx, d)!;
  ctx.send(me, L(s, ctx).db, 'poll', { d, since: s.dc[d]!.applied });
  ctx.setTimer(me, s.p.pollMs, 'poll');
}

function armDc(s: CacheState, ctx: Ctx, d: number, first: boolean): void {
  const me = agentNode(s, ctx, d);
  if (!me) return;
  ctx.setTimer(me, first ? ctx.rng.next() * s.p.readBatchMs : s.p.readBatchMs, 'reads');
  ctx.setTimer(me, first ? s.p.hbMs * 1.5 + 150 : s.p.hbMs, 'hb-check');
  if (s.p.poll) ctx.setTimer(me, first ? ctx.rng.next() * s.p.pollMs : s.p.pollMs, 'poll');
}

// ---- per-second bookkeeping, gauges, liveness ---------------------------------------------

function gaugeValues(s: CacheState, ctx: Ctx, d: number | null): Record<string, number> {
  if (d !== null) {
    const dc = s.dc[d]!;
    return { missed_heartbeats: dc.missed, backlog: dc.backlog, unavailable_pct: dc.unavailPct };
  }
  let missed = 0;
  let backlog = 0;
  const lag = headAgo(s, ctx.now_ms, s.p.allowMs);
  for (const sub of s.sub) {
    missed = Math.max(missed, sub.hbMissed);
    if (s.p.stream) backlog += Math.max(0, lag - sub.acked);
    else if (s.p.poll) backlog += Math.max(0, lag - sub.sentUpTo);
  }
  return { missed_heartbeats: missed, backlog, unavailable_pct: s.primaryUnavailPct };
}

function recordGauges(s: CacheState, ctx: Ctx, force = false): void {
  const lay = L(s, ctx);
  const th = gaugeThresholds(ctx.spec.transitions);
  for (let i = -1; i < s.D; i++) {
    const scope = i < 0 ? 'primary' : lay.dcs[i]!;
    const g = i < 0 ? s.primaryGauge : s.dc[i]!;
    const nodeId = i < 0 ? lay.db : (agentNode(s, ctx, i) ?? lay.servers[i]![0]!);
    const vals = gaugeValues(s, ctx, i < 0 ? null : i);
    const before = ctx.modeOf(scope);
    const changed = g.gaugeMode !== before;
    for (const name of GAUGES) {
      const b = band(vals[name]!, th[name]);
      if (!force && !changed && g.gaugeBand[name] === b) continue;
      g.gaugeBand[name] = b;
      g.gaugeSeq[name] = ctx.evidence('probe', scope, nodeId, { detail: { gauge: name, value: vals[name]! } });
    }
    // A mode change (also one caused by these records) re-records every gauge next tick, so
    // that since_entry triggers see a value measured in the new mode.
    g.gaugeMode = ctx.modeOf(scope) === before ? before : '';
  }
}

function everySecond(s: CacheState, ctx: Ctx): void {
  const now = ctx.now_ms;
  const lay = L(s, ctx);
  for (let d = 0; d < s.D; d++) {
    const dc = s.dc[d]!;
    dc.unavailPct = dc.winReads > 0 ? Math.round((100 * dc.winRefused) / dc.winReads) : 0;
    dc.lastSecMaxStale = dc.winMaxStale;
    dc.winReads = 0;
    dc.winRefused = 0;
    dc.winMaxStale = 0;
    // Liveness (ground truth): a data centre connected to the primary for the deadline serves no price superseded longer ago than that.
    const a = agentNode(s, ctx, d);
    const connected = a !== null && ctx.isUp(lay.db) && ctx.linkUp(lay.db, a) && (s.p.quorum || s.p.poll || s.p.lease || ctx.isUp(lay.broker));
    if (!connected) {
      dc.connectedSince_ms = null;
      dc.liveReported = 0;
      continue;
    }
    dc.connectedSince_ms ??= now;
    // The scan is over every entry of the data centre: every 5 s is enough for a deadline of a minute.
    if (dc.liveReported || now - dc.connectedSince_ms < s.p.deadlineMs || Math.round(now / 1000) % 5 !== 0) continue;
    const limit = now - s.p.deadlineMs;
    let count = 0;
    for (let i = d * s.H; i < (d + 1) * s.H; i++) if (s.eVer[i]! >= 0 && s.eExp[i]! > now && s.eStale[i]! < limit) count += 1;
    if (count > 0) {
      dc.liveReported = 1;
      ctx.violation('eventual-invalidation', `${lay.dcs[d]}: ${count} cached price(s) superseded more than ${Math.round(s.p.deadlineMs / 1000)} s ago are still served, while connected to the primary`, []);
    }
  }
  s.primaryUnavailPct = s.winWrites > 0 ? Math.round((100 * s.winRefusedWrites) / s.winWrites) : 0;
  s.winWrites = 0;
  s.winRefusedWrites = 0;
  s.dbLoadLastSec = s.dbLoadWin;
  s.dbLoadPeak = Math.max(s.dbLoadPeak, s.dbLoadWin);
  s.dbLoadSeries.push(s.dbLoadWin);
  if (s.dbLoadSeries.length > 600) s.dbLoadSeries.shift();
  s.dbLoadWin = 0;
  // Compact the log below what every subscriber has.
  if (s.p.stream || s.p.poll) {
    let min = Infinity;
    for (const sub of s.sub) min = Math.min(min, s.p.stream ? sub.acked : sub.polled);
    const k = logFrom(s, min);
    if (k > 0) {
      s.logSeq.splice(0, k);
      s.logP.splice(0, k);
      s.logV.splice(0, k);
    }
  }
}

// ---- observed G-vectors ----------------------------------------------------------------------

/** A measured bound in G-vector notation: whole seconds under 10 s (at least 1 s), else the engine's 1-2-5 series. */
function boundNotation(ms: number, exact = false): string {
  if (ms < 10_000 || exact) return `${Math.max(1, Math.ceil(ms / 1000))}s`;
  return `${quantizeBound(ms)}ms`;
}

/** Tracks the worst bound a data centre could vouch for over the last 10–20 s (so the observed vector does not flicker). */
function trackVouch(s: CacheState, ctx: Ctx): void {
  const roll = Math.floor(ctx.now_ms / 10_000) !== Math.floor((ctx.now_ms - 100) / 10_000);
  for (const dc of s.dc) {
    const b = vouch(s, ctx, dc);
    if (roll) {
      dc.vouchPrev = dc.vouchCur;
      dc.vouchCur = 0;
    }
    if (Number.isFinite(b) && b > dc.vouchCur) dc.vouchCur = b;
  }
}

function observeScope(s: CacheState, ctx: Ctx, scope: string): ScopeObservation {
  const lay = L(s, ctx);
  const d = lay.dcs.indexOf(scope);
  const order =
    s.dc.every((x) => x.monotonicReported === 0)
      ? { value: 'Causal', basis: 'invalidations are applied in stream order and cache fills never go below an applied version (no time travel observed)' }
      : { value: 'None', basis: 'a data centre served an older version after a newer one' };
  const idem = { value: 'Idem(version)', basis: 'every invalidation and fill carries the price version; duplicates and overlaps are no-ops' };
  const auth = { value: 'Unauth', basis: 'internal system: invalidations are not authenticated' };
  if (d < 0) {
    let worst = 0;
    let unreachable = 0;
    for (const sub of s.sub) {
      worst = Math.max(worst, sub.hbMissed);
      if (sub.hbMissed >= 3) unreachable += 1;
    }
    const g = s.primaryGauge.gaugeSeq;
    const ev = [g.missed_heartbeats, g.backlog].filter((x): x is number => x !== undefined);
    let lagMs = 0;
    if (s.p.stream) for (const sub of s.sub) if (sub.sentUpTo > sub.acked) lagMs = Math.max(lagMs, ctx.now_ms - sub.lastAck_ms);
    return {
      scope: unreachable > 0 ? { value: 'Range', basis: `${unreachable} data centre(s) miss heartbeat acks: the primary reaches only part of the caches`, evidence: ev } : { value: 'Global', basis: 'every data centre acknowledges heartbeats', evidence: ev },
      order,
      visibility: { value: 'RA', basis: 'a price is one register; a read returns one committed version' },
      recency:
        unreachable > 0 && !s.p.lease
          ? { value: 'EO', basis: `${unreachable} data centre(s) unreachable for ${worst} heartbeats: no bound on what they serve`, evidence: ev }
          : unreachable > 0
            ? { value: `BS(${boundNotation(s.p.ttlMs, true)})`, basis: 'unreachable data centres hold leases of at most the TTL', evidence: ev }
            : { value: `BS(${boundNotation(lagMs + s.p.batchMs)})`, basis: 'invalidation acks from every data centre (measured lag, at 1 s resolution)', evidence: ev },
      idempotence: idem,
      auth,
    };
  }
  const dc = s.dc[d]!;
  const g = dc.gaugeSeq;
  const ev = [g.missed_heartbeats, g.backlog].filter((x): x is number => x !== undefined);
  const cut = dc.missed >= 3;
  const b = vouch(s, ctx, dc);
  const fenced = s.p.quorum && ctx.now_ms - dc.caughtUp_ms > s.p.fenceMs;
  let scopeObs: ScopeObservation['scope'];
  if (cut) scopeObs = { value: 'Local', basis: `${dc.missed} primary heartbeats missed: the data centre serves on its own`, evidence: dc.missSeqs };
  else if (s.p.quorum && !fenced) scopeObs = { value: 'Global', basis: 'caught up with the quorum-acknowledged invalidation stream', evidence: ev };
  else scopeObs = { value: 'Range', basis: 'connected to the primary: consistent with the database up to the measured lag', evidence: ev };
  let recency: ScopeObservation['recency'];
  if (fenced) recency = { value: 'Fresh(database)', basis: `fenced: not caught up for ${Math.round((ctx.now_ms - dc.caughtUp_ms) / 1000)} s, reads go to the database only`, evidence: dc.missSeqs };
  else if (!Number.isFinite(b)) recency = { value: 'EO', basis: 'no invalidation path and no lease', evidence: ev };
  else if (cut && !s.p.lease) recency = { value: 'EO', basis: `cut off from the primary for ${Math.round((ctx.now_ms - dc.lastHeard_ms) / 1000)} s: staleness grows without bound`, evidence: dc.missSeqs };
  else
    recency = {
      value: `BS(${boundNotation(Math.max(dc.vouchPrev, dc.vouchCur, b), s.p.lease && Math.max(dc.vouchPrev, dc.vouchCur, b) >= s.p.ttlMs)})`,
      basis: s.p.lease && b >= s.p.ttlMs ? `every cached price holds a database lease of at most ${Math.round(s.p.ttlMs / 1000)} s` : `caught up with the primary's invalidations ${Math.round(b)} ms ago (the worst over the last 10–20 s, in whole seconds)`,
      evidence: ev,
    };
  return {
    scope: scopeObs,
    order,
    visibility: { value: 'RA', basis: 'a price is one register; a read returns one committed version' },
    recency,
    idempotence: idem,
    auth,
  };
}

// ---- the model -------------------------------------------------------------------------------

function newDc(): DcState {
  return {
    agent: 0,
    applied: 0,
    lastHeard_ms: 0,
    hbSinceCheck: false,
    missed: 0,
    missSeqs: [],
    backlog: 0,
    hbHeadLag: 0,
    caughtUp_ms: 0,
    readCarry: 0,
    nextFetch: 1,
    pending: {},
    down: [],
    winReads: 0,
    winRefused: 0,
    winMaxStale: 0,
    unavailPct: 0,
    lastSecMaxStale: 0,
    reads: 0,
    hits: 0,
    misses: 0,
    bypass: 0,
    served: 0,
    refused: 0,
    stale: 0,
    overBound: 0,
    dbReads: 0,
    staleness: newHistogram(),
    recent: [],
    lastStale: null,
    lastRefused: null,
    gaugeSeq: {},
    gaugeBand: {},
    gaugeMode: '',
    replayFrom_ms: null,
    replayItems: 0,
    replays: [],
    connectedSince_ms: null,
    vouchPrev: 0,
    vouchCur: 0,
    explicitReported: 0,
    monotonicReported: 0,
    liveReported: 0,
  };
}

function pct(h: ReturnType<typeof newHistogram>): { p50: number | null; p99: number | null; max: number | null } {
  return { p50: r1(quantile(h, 50)), p99: r1(quantile(h, 99)), max: r1(h.n ? h.max : null) };
}

export const cacheInvalidationModel: ModelDefinition<CacheState> = {
  id: 'cache-invalidation',

  init(ctx) {
    const p = readParams(ctx);
    const lay = layout(ctx, p.H, p.zipfS);
    const D = lay.dcs.length;
    const S = lay.S;
    const H = p.H;
    const eExp = new Float64Array(D * H);
    // A warm cache; leases granted over the last TTL expire spread over the next one.
    for (let i = 0; i < D * H; i++) eExp[i] = p.lease ? ctx.rng.next() * p.ttlMs * (1 - p.ttlJitter * ctx.rng.next()) : Infinity;
    const dc = lay.dcs.map(() => {
      const x = newDc();
      x.down = new Array<number>(S).fill(0);
      return x;
    });
    return {
      p,
      D,
      S,
      H,
      dbVer: new Int32Array(H),
      dbCommit: new Float64Array(H * RING),
      head: 0,
      headRing: new Float64Array(64),
      logSeq: [],
      logP: [],
      logV: [],
      writeCarry: 0,
      eVer: new Int32Array(D * H),
      eStale: new Float64Array(D * H).fill(Infinity),
      eFetched: new Float64Array(D * H),
      eExp,
      eInv: new Int32Array(D * H),
      eServed: new Int32Array(D * H).fill(-1),
      dc,
      sub: lay.dcs.map(() => ({ acked: 0, sentUpTo: 0, lastAck_ms: 0, lastSend_ms: 0, hbMissed: 0, hbAcked: true, polled: 0 })),
      blocked: [],
      blockedWrites: 0,
      winWrites: 0,
      winRefusedWrites: 0,
      primaryUnavailPct: 0,
      primaryGauge: { gaugeSeq: {}, gaugeBand: {}, gaugeMode: '' },
      lastRefusedEv_ms: -Infinity,
      writes: 0,
      writesAcked: 0,
      writesRefused: 0,
      writeLatency: newHistogram(),
      allStaleness: newHistogram(),
      dbLoadWin: 0,
      dbLoadLastSec: 0,
      dbLoadPeak: 0,
      dbLoadTotal: 0,
      dbLoadSeries: [],
      polls: 0,
      invalidationsSent: 0,
      cost: { refunds: 0, lost: 0, staleViews: 0, refusedViews: 0, slowViews: 0 },
      lastSec_ms: 0,
      phantomReported: 0,
    };
  },

  start(s, ctx) {
    const lay = L(s, ctx);
    ctx.setTimer(lay.db, s.p.batchMs, 'writes');
    ctx.setTimer(lay.db, s.p.hbMs, 'hb');
    if (s.p.stream) ctx.setTimer(senderNode(s, ctx), s.p.batchMs / 2, 'send');
    for (let d = 0; d < s.D; d++) armDc(s, ctx, d, true);
    recordGauges(s, ctx, true);
  },

  onTimer(s, ctx, node_, name) {
    const lay = L(s, ctx);
    if (node_ === lay.db || node_ === lay.broker) {
      if (name === 'writes' && node_ === lay.db) return dbWrites(s, ctx);
      if (name === 'hb' && node_ === lay.db) return heartbeatRound(s, ctx);
      if (name === 'send' && s.p.stream && node_ === senderNode(s, ctx)) return streamSend(s, ctx);
      return;
    }
    const at = lay.serverIndex.get(node_);
    if (!at) return;
    const [d, k] = at;
    if (s.dc[d]!.agent !== k) return;
    switch (name) {
      case 'reads':
        return readBatch(s, ctx, d);
      case 'hb-check':
        return hbCheck(s, ctx, d);
      case 'poll':
        return pollTimer(s, ctx, d);
    }
  },

  onMessage(s, ctx, to, _from, kind, body) {
    const lay = L(s, ctx);
    if (to === lay.db || to === lay.broker) {
      switch (kind) {
        case 'inv-ack':
          return onInvAck(s, ctx, body as { d: number; applied: number; servers: number });
        case 'hb-ack': {
          const sub = s.sub[(body as { d: number }).d]!;
          sub.hbAcked = true;
          if (sub.hbMissed > 0) {
            ctx.evidence('heartbeat-seen', 'primary', lay.db, { peer: lay.dcs[(body as { d: number }).d]!, detail: { after_missed: sub.hbMissed } });
            sub.hbMissed = 0;
          }
          return;
        }
        case 'poll':
          return onPoll(s, ctx, body as { d: number; since: number });
        case 'fetch':
          return onFetch(s, ctx, body as { d: number; id: number; ps: number[] });
      }
      return;
    }
    const at = lay.serverIndex.get(to);
    if (!at) return;
    const d = at[0];
    if (s.dc[d]!.agent !== at[1]) return;
    switch (kind) {
      case 'inv': {
        const b = body as { d: number; from: number; to: number; head: number; t: number; q: number[]; p: number[]; v: number[] };
        heard(s, ctx, d);
        applyBatch(s, ctx, d, b);
        const live = s.dc[d]!.down.reduce((a, x) => a + (x ? 0 : 1), 0);
        ctx.send(to, senderNode(s, ctx), 'inv-ack', { d, applied: s.dc[d]!.applied, servers: live });
        return;
      }
      case 'poll-reply': {
        const b = body as { d: number; from: number; to: number; head: number; t: number; q: number[]; p: number[]; v: number[] };
        heard(s, ctx, d);
        applyBatch(s, ctx, d, b);
        return;
      }
      case 'hb':
        return onHeartbeat(s, ctx, d, body as { t: number; head: number; headLag: number });
      case 'fetch-reply':
        return onFetchReply(s, ctx, d, body as { id: number; vs: number[]; t: number });
    }
  },

  onCrash(s, ctx, node_) {
    const lay = L(s, ctx);
    const at = lay.serverIndex.get(node_);
    if (!at) return;
    const [d, k] = at;
    const dc = s.dc[d]!;
    dc.down[k] = 1;
    // Its shard goes cold.
    for (let p = k; p < s.H; p += s.S) s.eVer[d * s.H + p] = -1;
    if (dc.agent === k) {
      // The next live server takes over the consumer / read proxy; the reads in flight are lost (refused).
      for (const id of Object.keys(dc.pending)) {
        const list = dc.pending[id]!;
        delete dc.pending[id];
        for (const _ of list) {
          dc.refused += 1;
          dc.winRefused += 1;
          s.cost.refusedViews += 1;
          s.cost.lost += s.p.conv * s.p.orderUsd;
        }
      }
      dc.agent = dc.down.indexOf(0);
      armDc(s, ctx, d, false);
    }
  },

  onRestart(s, ctx, node_) {
    const lay = L(s, ctx);
    if (node_ === lay.db) {
      ctx.setTimer(lay.db, s.p.batchMs, 'writes');
      ctx.setTimer(lay.db, s.p.hbMs, 'hb');
      if (s.p.quorum) ctx.setTimer(lay.db, s.p.batchMs, 'send');
      return;
    }
    if (node_ === lay.broker) {
      if (s.p.stream && !s.p.quorum) ctx.setTimer(lay.broker, s.p.batchMs, 'send');
      return;
    }
    const at = lay.serverIndex.get(node_);
    if (!at) return;
    const [d, k] = at;
    const dc = s.dc[d]!;
    dc.down[k] = 0;
    if (dc.agent < 0) {
      dc.agent = k;
      armDc(s, ctx, d, false);
    }
  },

  tick(s, ctx) {
    const sec = Math.floor(ctx.now_ms / 1000);
    if (sec > s.lastSec_ms) {
      s.lastSec_ms = sec;
      everySecond(s, ctx);
    }
    trackVouch(s, ctx);
    recordGauges(s, ctx);
  },

  leader(s, ctx) {
    const db = L(s, ctx).db;
    return ctx.isUp(db) ? db : undefined;
  },

  roles(s, ctx) {
    const lay = L(s, ctx);
    const roles: Record<string, string> = { [lay.db]: 'database' };
    if (lay.broker !== lay.db) roles[lay.broker] = 'queue';
    for (let d = 0; d < s.D; d++) {
      const list = lay.servers[d]!;
      for (let k = 0; k < list.length; k++) roles[list[k]!] = k === s.dc[d]!.agent ? 'consumer' : 'cache';
    }
    return roles;
  },

  observe(s, ctx, scope) {
    return observeScope(s, ctx, scope);
  },

  metrics(s, ctx) {
    const lay = L(s, ctx);
    const staleness: Record<string, MetricValue> = {};
    const hitBy: Record<string, MetricValue> = {};
    const nowBy: Record<string, MetricValue> = {};
    let reads = 0;
    let hits = 0;
    let refusedN = 0;
    let servedN = 0;
    let staleN = 0;
    const backlog: Record<string, MetricValue> = {};
    const replays: MetricValue[] = [];
    lay.dcs.forEach((id, d) => {
      const dc = s.dc[d]!;
      staleness[id] = pct(dc.staleness);
      hitBy[id] = dc.reads ? r4(dc.hits / dc.reads) : null;
      nowBy[id] = Math.round(dc.lastSecMaxStale);
      reads += dc.reads;
      hits += dc.hits;
      refusedN += dc.refused;
      servedN += dc.served;
      staleN += dc.stale;
      if (dc.backlog > 0) backlog[id] = dc.backlog;
      for (const r of dc.replays) replays.push({ ...r });
    });
    const simS = Math.max(1, ctx.now_ms / 1000);
    const c = s.cost;
    const total = c.refunds + c.lost;
    return {
      staleness_ms: staleness,
      staleness_all_ms: { ...pct(s.allStaleness), count: s.allStaleness.n },
      staleness_now_ms: nowBy,
      hit_rate: reads ? r4(hits / reads) : null,
      hit_rate_by_dc: hitBy,
      db_load: { reads_per_s: s.dbLoadLastSec, peak_reads_per_s: s.dbLoadPeak, mean_reads_per_s: Math.round(s.dbLoadTotal / simS), total_reads: s.dbLoadTotal, polls: s.polls },
      write_latency_ms: { ...pct(s.writeLatency), acked: s.writesAcked, blocked: s.blockedWrites, refused: s.writesRefused, committed: s.writes },
      business_cost_usd: {
        refunds: Math.round(c.refunds),
        lost_conversions: Math.round(c.lost),
        total: Math.round(total),
        per_day_projection: Math.round((total / simS) * 86_400),
        stale_views: c.staleViews,
        refused_views: c.refusedViews,
        slow_views: c.slowViews,
      },
      availability: { reads, served: servedN, refused: refusedN, refused_fraction: reads ? r4(refusedN / reads) : 0, stale_served: staleN },
      invalidation: { strategy: s.p.strategy, head: s.head, sent: s.invalidationsSent, backlog_by_dc: backlog, replays },
    };
  },

  viewExtras(s, ctx) {
    const lay = L(s, ctx);
    const dcs: MetricValue[] = [];
    const recent: ReadMeta[] = [];
    lay.dcs.forEach((id, d) => {
      const dc = s.dc[d]!;
      const b = vouch(s, ctx, dc);
      dcs.push({
        id,
        mode: ctx.modeOf(id),
        hit_rate: dc.reads ? r4(dc.hits / dc.reads) : null,
        staleness_now_ms: Math.round(dc.lastSecMaxStale),
        ...pct(dc.staleness),
        served: dc.served,
        refused: dc.refused,
        unavailable_pct: dc.unavailPct,
        backlog: dc.backlog,
        missed_heartbeats: dc.missed,
        fenced: s.p.quorum && ctx.now_ms - dc.caughtUp_ms > s.p.fenceMs,
        staleness_bound: fmtBound(b),
        servers_down: dc.down.reduce((a, x) => a + x, 0),
        last_stale_read: dc.lastStale ? { ...dc.lastStale } : null,
        last_refused_read: dc.lastRefused ? { ...dc.lastRefused } : null,
      });
      for (const m of dc.recent) recent.push(m);
    });
    recent.sort((a, b) => b.t_ms - a.t_ms || (a.dc < b.dc ? -1 : 1));
    return {
      strategy: s.p.strategy,
      dcs,
      recent_reads: recent.slice(0, 40).map((m) => ({ ...m })),
      read_fields: 'cache_status (X-Cache-Status), cache_age_ms (X-Cache-Age), version (X-Cache-Version), mode (X-Mode), staleness_bound (X-Staleness-Bound), warning; true_staleness_ms is ground truth',
      business_cost_usd: { refunds: Math.round(s.cost.refunds), lost_conversions: Math.round(s.cost.lost), total: Math.round(s.cost.refunds + s.cost.lost) },
    };
  },
};
