/**
 * NT-2 model state: plain data only (checkpoints clone it; typed arrays clone as one
 * buffer each). Sensors are addressed by their slot among the deployed sensors
 * (`names[i]`), zones by their index in the group list. The static floor (positions,
 * radio neighbours) is a pure function of the scenario and is memoised outside the
 * state (layout.ts), so checkpoints carry only what changes.
 *
 * Design in one paragraph: sensors sit on a factory floor split into zones (vertical
 * strips, the scenario's groups). Radio links join sensors within `radio_range`; every
 * protocol message travels hop by hop through the engine (so walls = partitions and
 * set-link loss act on each hop). Heartbeats and vote requests are floods (each sensor
 * relays a flood once, with a TTL); votes and heartbeat acknowledgements are unicast
 * along the reverse path of the flood they answer, with link-layer retransmission
 * (ARQ). Acknowledgements are aggregated up the heartbeat tree (TinyDB-style slots by
 * depth), so the coordinator learns, every `ack_every` heartbeats, which sensors and
 * zones it still reaches: that is its evidence for Scope and for check-quorum.
 */

export type TimeoutPolicy = 'fixed' | 'random' | 'priority';
export type QuorumRule = 'majority' | 'responders';

export interface Params {
  hb_ms: number;
  misses: number;
  jitter_ms: number;
  cand_ms: number;
  cand_jitter_ms: number;
  prio_window_ms: number;
  vote_window_ms: number;
  naive_window_ms: number;
  ack_every: number;
  ack_slot_ms: number;
  ttl: number;
  arq_wait_ms: number;
  arq_retries: number;
  interference: number;
  frame_uAh: number;
  drift_ppm: number;
  deadline_ms: number;
  regather: number;
  /** How long a coordinator may act after the send time of its last quorum-acknowledged heartbeat. */
  lease_ms: number;
  timeouts: TimeoutPolicy;
  quorum: QuorumRule;
}

export const FOLLOWER = 0;
export const CANDIDATE = 1;
export const COORDINATOR = 2;
export const ROLE_NAMES = ['follower', 'candidate', 'coordinator'] as const;

/**
 * Per-sensor state as struct-of-arrays indexed by slot (see layout.ts Floor): typed arrays
 * clone as one copy each, so a checkpoint of 500 sensors costs a few dozen buffers, not
 * thousands of objects. What only some sensors hold (a candidacy, a leadership, the
 * reverse paths of an election in progress) lives in the sparse maps of IotState.
 */
export interface SensorArrays {
  zone: Uint8Array;
  /** Fractional rate error of the sensor's timer (+0.01 = runs 1% fast). */
  drift: Float64Array;
  /** battery × connectivity, in (0, 1]. */
  prio: Float64Array;
  used_uAh: Float64Array;
  // --- Raft-like persistent state
  term: Int32Array;
  votedFor: Int32Array;
  role: Uint8Array;
  // --- the coordinator followed in the current term (-1: none) and its certificate
  coord: Int32Array;
  coordVotes: Int32Array;
  coordNaive: Uint8Array;
  coordCertSeq: Int32Array;
  /** Simulated time of the last heartbeat received from `coord`. */
  lastHb: Float64Array;
  // --- election timer (lazily re-armed; see protocol.ts)
  timeout: Float64Array;
  deadline: Float64Array;
  armedAt: Float64Array;
  gen: Int32Array;
  // --- flood deduplication in the current term: the heartbeat source seen first and its seq
  hbFrom: Int32Array;
  hbSeq: Int32Array;
  relayed: Int32Array;
  relayedPrio: Float64Array;
  /** Highest term whose resignation flood this sensor relayed. */
  resignTerm: Int32Array;
  /** Priority strategy: best candidate heard during the vote window (-1: window closed). */
  pending: Int32Array;
  pendingPrio: Float64Array;
  // --- heartbeat tree and acknowledgement aggregation
  parent: Int32Array;
  ackSeq: Int32Array;
  ackSent: Uint8Array;
  /** Link-layer duplicate filter: the last FRAME_RING unicast frame ids received. */
  frames: Int32Array;
  framePos: Uint8Array;
}

export const FRAME_RING = 8;

export interface Candidacy {
  /** Voter → granted (false: refused, naive variant). */
  votes: Record<number, boolean>;
  nVotes: number;
  nRefusals: number;
  /** When the vote request went out (the lease of a fresh coordinator starts there). */
  since: number;
}

export interface Leadership {
  hbSeq: number;
  certSeq: number;
  certVotes: number;
  /** The membership the certificate was counted against (naive: those who answered). */
  members: number;
  roundSeq: number;
  roundIds: Record<number, true> | null;
  roundCount: number;
  /** Send time of the current ack round's heartbeat, and whether it is a retry round. */
  roundSentAt: number;
  roundRetry: boolean;
  backing: number;
  reachMask: number;
  reachSeq: number;
  /** Lease: send time of the last heartbeat (or vote request) a quorum answered. */
  leaseFrom: number;
  /** Term in which this coordinator already resolved a split-brain. */
  conflictTerm: number;
}

export interface Zone {
  id: string;
  index: number;
  /** Active sensors of the zone (indices). */
  nodes: number[];
  live: number;
  /** `${coordinator}@${term}` → sensors of this zone following that coordinator. */
  counts: Record<string, number>;
  adopted: string | null;
  adoptSeq: number;
  adoptTerm: number;
  adoptCoord: number;
  adoptVotes: number;
  /** Latest reach report heard in the adopted coordinator's heartbeats. */
  reachMask: number;
  reachBacking: number;
  reachSeq: number;
  /** Highest term any sensor of the zone has seen (for `version` evidence). */
  maxTerm: number;
  versionSeq: number;
  /** Zone-level heartbeat rounds: missed in a row, their evidence, last heartbeat time. */
  miss: number;
  missSeqs: number[];
  round: number;
  lastHeard: number;
  /** Per-term dedup of sparse evidence. */
  voteTerm: number;
  failTerm: number;
  ackTerm: number;
  conflictTerm: number;
}

export interface UnicastFrame {
  from: number;
  to: number;
  kind: string;
  payload: unknown;
  tries: number;
}

export interface Stats {
  tx: number;
  rx: number;
  electionFrames: number;
  arqDropped: number;
  attempts: number;
  splitVotes: number;
  completed: number;
  electionMs: number[];
  electionFramesPer: number[];
  failoverMs: number[];
  splitBrainTerms: number;
  maxCoordinators: number;
}

export interface IotState {
  p: Params;
  /** Deployed sensors' node ids by slot (static; kept here for readable messages). */
  names: string[];
  v: SensorArrays;
  /** Sparse per-sensor state, keyed by slot. */
  cand: Record<number, Candidacy>;
  lead: Record<number, Leadership>;
  /** Candidate → neighbour its vote request was first heard from (reverse paths, current term). */
  rv: Record<number, Record<number, number>>;
  /** Heartbeat seqs seen from coordinators other than hbFrom (split-brain only). */
  hbOther: Record<number, Record<number, number>>;
  ackBuf: Record<number, number[]>;
  zones: Zone[];
  /** Active sensors (the configured membership N) and the quorum ⌊N/2⌋+1. */
  n: number;
  quorum: number;
  fullMask: number;

  nextFrame: number;
  frames: Record<number, UnicastFrame>;
  nextRound: number;

  // --- monitors
  /** Sensors acting as coordinator right now (up, role coordinator). */
  acting: number[];
  /** term → certificates issued in it: [sensor, evidence seq]. Recent terms only. */
  certs: Record<number, [number, number][]>;
  maxCertTerm: number;
  /** The running election: since when, frames spent so far, evidence to cite. */
  election: { since: number; frames0: number } | null;
  /** No coordinator since (a crash or a step-down), and whether the deadline was reported. */
  outage: { since: number; reported: boolean; evidence: number[] } | null;
  stats: Stats;
}
