/**
 * NT-1 model state: plain data only (checkpoints clone it).
 *
 * Regions (groups) each keep a durable log replicated to a local quorum. Global order
 * comes from timestamps assigned under a time lease granted by a Raft-style elected
 * sequencer (TrueTime/Spanner-like: assign, then wait out the clock uncertainty), and
 * a region finalises positions in its global log only up to its closed timestamp: the
 * minimum frontier it has heard from every region. Strategies differ in when a write is
 * acknowledged (sync: all regions; async: local quorum; region: local order only) and in
 * what a region does without a lease (cp: refuse; ap: accept with region-prefixed ids).
 *
 * Clients write and read per-key registers (keys k1..kN shared by every region; with
 * leader-per-region each region has its own keys: that is its Range). A write puts a unique
 * value (`us-east#17`); a read returns the value the region's replica holds. Every read and
 * write is recorded in the engine's client history (ctx.invoke / ctx.complete), which the
 * engine checks for linearizability: Order is earned from that evidence.
 * - A strong read (lease held) is served at the region's closed timestamp: it waits until
 *   the closed timestamp passes the read's own timestamp, then returns the finalised
 *   register value (linearizable: reads and writes are ordered by global timestamps).
 * - Without a lease, or when the closed timestamp does not come in time (a partition stalls
 *   it), CP refuses the read; AP serves the replica's latest applied value (available, stale).
 */
import type { Histogram } from '../../histogram';

export type Replication = 'sync' | 'async' | 'region';
export type Policy = 'cp' | 'ap';

export interface Entry {
  id: string;
  origin: string;
  /** Per-origin sequence number (the region-prefixed id "APAC:6203"). */
  rseq: number;
  /** Global timestamp; null while only region-ordered (AP during a partition). */
  gts: number | null;
  lamport: number;
  /** Causal past: highest rseq of each origin that the writer had applied. */
  deps: Record<string, number>;
  written_ms: number;
  partition_epoch: number | null;
  /** The register written and the (unique) value put. */
  key: string;
  value: string;
}

/** A strong read waiting for the closed timestamp to pass its timestamp. */
export interface PendingRead {
  /** History op id. */
  op: number;
  key: string;
  t_read: number;
  started_ms: number;
}

export interface PendingWrite {
  id: string;
  region: string;
  started_ms: number;
  entry: Entry;
  localAcks: string[];
  localDone: boolean;
  /** sync: regions that have durably stored the entry. */
  regionAcks: string[];
  timer_gen: number;
  /** History op id of the client's write. */
  op: number;
}

export interface RegionState {
  id: string;
  nodes: string[];
  /** Entries this region has stored and still needs (unsettled), by id; settled ones are compacted. */
  entries: Record<string, Entry>;
  /** Highest contiguous rseq applied per origin (its vector clock). */
  applied: Record<string, number>;
  /** Entries waiting for their causal past (out-of-order arrival). */
  buffered: Entry[];
  nextRseq: number;
  lamport: number;
  /** Finalised global log, compacted: its length, the last ids, and a rolling hash of the
   *  ids at every FINAL_HASH_EVERY positions (to check that regions agree on the order). */
  finalCount: number;
  finalTail: string[];
  finalHash: number;
  finalHashes: number[];
  /** Finalised rseqs per origin: all ≤ watermark, plus the sparse ones above it. */
  finalWM: Record<string, number>;
  finalExtra: Record<string, number[]>;
  lastFinalKey: [number, string, number] | null;
  /** Per origin: entries up to this rseq are finalised here (if timestamped) and applied by
   *  every peer, so nobody can need them from us again: compacted away. */
  settled: Record<string, number>;
  /** Ids of timestamped entries not yet finalised (closed timestamp not past them). */
  unfinal: string[];
  /** Recent lag samples (last ~2 s): the staleness bound is their maximum. */
  lagSamples: number[];
  /** Per origin region: the timestamp below which it promises no new entries, and how many
   *  of its entries that promise covers (valid here once we have applied that many). */
  frontier: Record<string, number>;
  frontierUpTo: Record<string, number>;
  /** Per peer region: its applied vector as it last told us (anti-entropy: we send it any
   *  entry we hold beyond that, whoever wrote it, so a region cut off from an origin still
   *  receives that origin's entries through a third region). */
  peerApplied: Record<string, Record<string, number>>;
  /** Time-lease (the right to assign global timestamps) granted by the sequencer. */
  lease_expires_ms: number;
  lease_term: number;
  lease_evidence: number | null;
  leaseExpiredRecorded: boolean;
  /** Raft state of this region's leader in the inter-region group. */
  term: number;
  votedFor: string | null;
  sequencer: string | null;
  votes: string[];
  electionDue_ms: number | null;
  /** Heartbeats between regions: when each peer was last heard; streak of missed rounds. */
  lastHeard: Record<string, number>;
  missStreak: Record<string, number>;
  /** Sequencer only: time of the last majority of acks. */
  seqAcks: Record<string, number>;
  partition_epoch: number | null;
  localOnly: string[];
  lag_ms: number;
  /** Whether lag is above lag_bound_ms, and the probe record that said so last. */
  lagOver: boolean;
  lagProbe: number | null;
  /** Per peer region: seq of the missed-heartbeat records in the current streak. */
  missEvidence: Record<string, number[]>;
  /** seq of the latest refused write, if the region is refusing. */
  refusalEvidence: number | null;
  pending: Record<string, PendingWrite>;
  dedupHits: number;
  /** Registers: value per key as of the closed timestamp (finalised), and the latest applied here. */
  final: Record<string, string>;
  latest: Record<string, string>;
  /** Strong reads waiting for the closed timestamp. */
  reads: PendingRead[];
  /** Round-robin key choice of the region's writer and reader, and its value counter. */
  writeKey: number;
  readKey: number;
  nextValue: number;
}

export interface NodeLocal {
  /** When each group-mate's heartbeat last arrived. */
  lastHeard: Record<string, number>;
  missStreak: Record<string, number>;
}

export interface Stats {
  latencies: Histogram;
  acked: number;
  refused: number;
  refusedBy: Record<string, number>;
  /** Per origin: the most recent acknowledged rseqs (for the no-acked-loss monitor). */
  ackedRseqs: Record<string, number[]>;
  lostReported: number;
  merges: number;
  elections: number;
  /** Reads: staleness of each served read (ms), and reads served with a warning header. */
  readStaleness: Histogram;
  readsWarned: Record<string, number>;
  /** Client reads: latency of served reads, how many served and refused (and why). */
  readLatencies: Histogram;
  readsServed: number;
  readsRefused: number;
  readsRefusedBy: Record<string, number>;
}

export interface LogState {
  replication: Replication;
  policy: Policy;
  regions: Record<string, RegionState>;
  nodes: Record<string, NodeLocal>;
  stats: Stats;
  nextWrite: number;
  /** Monitors: (region|entry) pairs already reported missing, to report once. */
  reportedMissing: Record<string, true>;
  /** Monitors: first time each region became connected to each origin (for completeness). */
  connectedSince: Record<string, number>;
  timerGen: number;
  /** Per origin: ack times and rseqs of acknowledged entries not yet past the completeness deadline. */
  dueT: Record<string, number[]>;
  dueR: Record<string, number[]>;
  /** Per origin: highest rseq whose completeness deadline has passed. */
  dueMax: Record<string, number>;
  lastCheck_ms: number;
}
