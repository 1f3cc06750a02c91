/**
 * MT-1 "Distributed cache invalidation" — model state, parameters and topology lookups.
 *
 * Shape of the simulation (see ./index.ts for the protocol):
 * - The primary database (`primary-db`) holds the price version of every simulated product;
 *   the durable queue (`mq-broker`) relays its invalidation stream (push, hybrid). For
 *   quorum invalidation the database sends the stream itself and waits for acks.
 * - Each data centre (a group of 50 cache servers) shards the products over its servers:
 *   one cache entry per (data centre, product). The entries are flat typed arrays of
 *   D × H (data centres × hot products) so that 1000 servers stay cheap to checkpoint.
 * - Only the data centre's consumer / read proxy (its first live server, the "agent")
 *   exchanges engine messages with the primary, in batches: invalidation batches + acks,
 *   heartbeats + acks, polls, and batched database fetches for cache misses.
 * - Reads are generated per data centre every 100 ms and served one by one; the staleness
 *   of every served read is measured against the database's ground truth (the commit time
 *   of the first version after the one served).
 */
import type { Histogram } from '../../histogram';
import type { ModelContext } from '../../model-api';
import type { Topology } from '../../network';

export type Ctx = ModelContext;
export type StrategyId = 'push' | 'pull' | 'lease' | 'quorum' | 'hybrid';
const STRATEGIES: readonly StrategyId[] = ['push', 'pull', 'lease', 'quorum', 'hybrid'];

export interface Params {
  strategy: StrategyId;
  /** Strategy features. */
  stream: boolean; // invalidations are pushed (queue or database) with acks and replay
  lease: boolean; // entries carry a lease (TTL) from the database
  poll: boolean;
  quorum: boolean;
  bypass: boolean; // checkout reads go to the database
  catalogue: number;
  H: number;
  zipfS: number;
  updatesPerS: number;
  hotShare: number;
  readsPerS: number;
  readBatchMs: number;
  tailFraction: number;
  checkoutFraction: number;
  dbWriteMs: number;
  dbReadMs: number;
  hitMs: number;
  fetchTimeoutMs: number;
  batchMs: number;
  retryMs: number;
  replayRate: number;
  hbMs: number;
  pollMs: number;
  ttlMs: number;
  ttlJitter: number;
  fenceMs: number;
  maxBlocked: number;
  boundMs: number;
  deadlineMs: number;
  /** How far behind the primary's head a caught-up data centre may be (backlog gauge). */
  allowMs: number;
  conv: number;
  refundP: number;
  refundUsd: number;
  orderUsd: number;
  dropPer100: number;
  budgetMs: number;
}

export function readParams(ctx: Ctx): Params {
  const num = (n: string, min = 0) => {
    const v = ctx.param<number>(n);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new Error(`parameter ${n} must be a number ≥ ${min} (got ${String(v)})`);
    return v;
  };
  const strategy = ctx.param<string>('strategy') as StrategyId;
  if (!STRATEGIES.includes(strategy)) throw new Error(`parameter strategy must be one of ${STRATEGIES.join(', ')} (got ${strategy})`);
  const bypass = ctx.param<boolean | string>('checkout_bypass');
  const pollMs = num('poll_ms', 100);
  const stream = strategy === 'push' || strategy === 'hybrid' || strategy === 'quorum';
  return {
    strategy,
    stream,
    lease: strategy === 'lease' || strategy === 'hybrid',
    poll: strategy === 'pull',
    quorum: strategy === 'quorum',
    bypass: bypass === true || bypass === 'true',
    catalogue: num('catalogue_products', 1),
    H: Math.max(1, Math.min(100_000, Math.round(num('hot_products', 1)))),
    zipfS: num('zipf_s'),
    updatesPerS: num('updates_per_s'),
    hotShare: Math.min(1, num('hot_update_share')),
    readsPerS: num('reads_per_dc_per_s'),
    readBatchMs: num('read_batch_ms', 10),
    tailFraction: Math.min(1, num('long_tail_fraction')),
    checkoutFraction: Math.min(1, num('checkout_fraction')),
    dbWriteMs: num('db_write_ms'),
    dbReadMs: num('db_read_ms'),
    hitMs: num('cache_hit_ms'),
    fetchTimeoutMs: num('fetch_timeout_ms', 10),
    batchMs: num('batch_ms', 10),
    retryMs: num('retry_ms', 100),
    replayRate: num('replay_rate_per_s', 1),
    hbMs: num('heartbeat_ms', 100),
    pollMs,
    ttlMs: num('ttl_ms', 100),
    ttlJitter: Math.min(0.9, num('ttl_jitter')),
    fenceMs: num('fence_ms', 100),
    maxBlocked: num('max_blocked_writes', 1),
    boundMs: num('staleness_bound_ms', 1),
    deadlineMs: num('propagation_deadline_ms', 1000),
    allowMs: strategy === 'pull' ? pollMs + 1000 : 1000,
    conv: num('conversion_rate'),
    refundP: num('refund_probability'),
    refundUsd: num('avg_refund_usd'),
    orderUsd: num('avg_order_usd'),
    dropPer100: num('conversion_drop_per_100ms'),
    budgetMs: num('latency_budget_ms'),
  };
}

/** Derived, immutable lookups (a pure function of the scenario, not state). */
export interface Layout {
  db: string;
  broker: string;
  dcs: string[];
  servers: string[][];
  /** node id → [dc index, server index] for cache servers. */
  serverIndex: Map<string, [number, number]>;
  S: number;
  /** Zipf popularity CDF over the hot products (exponent zipfS). */
  cdf: Float64Array;
  zipfS: number;
}

const layouts = new WeakMap<Topology, Layout>();

let lastTopo: Topology | null = null;
let lastLayout: Layout | null = null;

export function layout(ctx: Ctx, H: number, zipfS: number): Layout {
  if (ctx.topo === lastTopo && lastLayout!.cdf.length === H && lastLayout!.zipfS === zipfS) return lastLayout!;
  let l = layouts.get(ctx.topo);
  if (l && l.cdf.length === H && l.zipfS === zipfS) {
    lastTopo = ctx.topo;
    lastLayout = l;
    return l;
  }
  const prim = ctx.topo.nodesOf.get('primary');
  if (!prim || prim.length < 1) throw new Error('the scenario needs a group "primary" with the database (and the queue) nodes');
  const db = prim[0]!;
  const broker = prim[1] ?? db;
  const dcs = ctx.topo.groups.filter((g) => g !== 'primary');
  if (dcs.length === 0 || dcs.length > 31) throw new Error('the scenario needs 1 to 31 data-centre groups');
  const servers = dcs.map((d) => ctx.topo.nodesOf.get(d)!);
  const S = servers[0]!.length;
  if (servers.some((x) => x.length !== S)) throw new Error('every data centre needs the same number of cache servers');
  const serverIndex = new Map<string, [number, number]>();
  servers.forEach((list, d) => list.forEach((n, k) => serverIndex.set(n, [d, k])));
  const cdf = new Float64Array(H);
  let acc = 0;
  for (let i = 0; i < H; i++) {
    acc += 1 / Math.pow(i + 1, zipfS);
    cdf[i] = acc;
  }
  for (let i = 0; i < H; i++) cdf[i] = cdf[i]! / acc;
  l = { db, broker, dcs, servers, serverIndex, S, cdf, zipfS };
  layouts.set(ctx.topo, l);
  lastTopo = ctx.topo;
  lastLayout = l;
  return l;
}

/** The seed's response metadata of one read (shared with the renderer's reads panel). */
import type { ServedRead } from '../../../../src-shared/views/served-read';
export type ReadMeta = ServedRead;

export interface PendingRead {
  t: number;
  /** Hot product index, or -1 for a long-tail product. */
  p: number;
  server: number;
  /** Fill the cache with the answer. */
  fill: number;
  kind: number; // 0 miss, 1 bypass (checkout), 2 bypass (tail / down server / fenced)
}

export interface DcState {
  agent: number; // index of the server acting as consumer / read proxy
  applied: number; // invalidation stream: highest seq applied (in order)
  lastHeard_ms: number;
  hbSinceCheck: boolean;
  missed: number;
  missSeqs: number[];
  backlog: number;
  caughtUp_ms: number;
  /** The primary's stream head `allowMs` before its last heartbeat. */
  hbHeadLag: number;
  readCarry: number;
  nextFetch: number;
  pending: Record<string, PendingRead[]>;
  down: number[]; // 1 = cache server down
  // windows (per second)
  winReads: number;
  winRefused: number;
  winMaxStale: number;
  unavailPct: number;
  lastSecMaxStale: number;
  // totals
  reads: number;
  hits: number;
  misses: number;
  bypass: number;
  served: number;
  refused: number;
  stale: number;
  overBound: number;
  dbReads: number;
  staleness: Histogram;
  recent: ReadMeta[];
  lastStale: ReadMeta | null;
  lastRefused: ReadMeta | null;
  // gauges
  gaugeSeq: Record<string, number>;
  gaugeBand: Record<string, number>;
  gaugeMode: string;
  // backlog replay after a heal
  replayFrom_ms: number | null;
  replayItems: number;
  replays: { dc: string; healed_ms: number; caught_up_ms: number; duration_ms: number; invalidations: number }[];
  connectedSince_ms: number | null;
  /** The worst staleness bound it could vouch for, this 10 s window and the previous one. */
  vouchPrev: number;
  vouchCur: number;
  // invariant bookkeeping
  explicitReported: number;
  monotonicReported: number;
  liveReported: number;
}

/** The sender's (queue or database) view of one data centre's subscription. */
export interface SubState {
  acked: number;
  sentUpTo: number;
  lastAck_ms: number;
  lastSend_ms: number;
  hbMissed: number;
  hbAcked: boolean;
  polled: number;
}

export interface WriteBatch {
  seqTo: number;
  n: number;
  t: number;
  servers: number;
  dcMask: number;
}

export interface CacheState {
  p: Params;
  D: number;
  S: number;
  H: number;
  // database (ground truth)
  dbVer: Int32Array;
  dbCommit: Float64Array; // H × 4 ring of commit times by version % 4
  head: number; // invalidation seq (every committed update)
  headRing: Float64Array; // head at each second (ring of 64)
  logSeq: number[];
  logP: number[];
  logV: number[];
  writeCarry: number;
  // cache entries, D × H
  eVer: Int32Array;
  eStale: Float64Array;
  eFetched: Float64Array;
  eExp: Float64Array;
  eInv: Int32Array;
  eServed: Int32Array;
  dc: DcState[];
  sub: SubState[];
  // quorum writes
  blocked: WriteBatch[];
  blockedWrites: number;
  // primary-side windows
  winWrites: number;
  winRefusedWrites: number;
  primaryUnavailPct: number;
  primaryGauge: { gaugeSeq: Record<string, number>; gaugeBand: Record<string, number>; gaugeMode: string };
  lastRefusedEv_ms: number;
  // metrics
  writes: number;
  writesAcked: number;
  writesRefused: number;
  writeLatency: Histogram;
  allStaleness: Histogram;
  dbLoadWin: number;
  dbLoadLastSec: number;
  dbLoadPeak: number;
  dbLoadTotal: number;
  dbLoadSeries: number[];
  polls: number;
  invalidationsSent: number;
  cost: { refunds: number; lost: number; staleViews: number; refusedViews: number; slowViews: number };
  lastSec_ms: number;
  phantomReported: number;
}
