/**
 * NT-2 model state: plain data only (checkpoints clone it). Sensors are addressed by
 * their index in the scenario's node list (`names[i]`), zones by their index in the
 * group list; the static floor layout (positions, radio neighbours) lives here too so
 * that a checkpoint is self-contained.
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
export type Role = 'follower' | 'candidate' | 'coordinator';

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
  battery_mAh: number;
  drift_ppm: number;
  deadline_ms: number;
  regather: number;
  timeouts: TimeoutPolicy;
  quorum: QuorumRule;
}

export interface Sensor {
  i: number;
  zone: number;
  active: boolean;
  /** Fractional rate error of the sensor's timer (+0.01 = runs 1% fast). */
  drift: number;
  battery0_uAh: number;
  used_uAh: number;
  tx: number;
  rx: number;
  degree: number;
  /** battery × connectivity, in (0, 1]. */
  prio: number;

  // --- Raft-like persistent state
  term: number;
  votedFor: number;
  role: Role;

  // --- the coordinator this sensor follows in its current term (-1: none)
  coord: number;
  /** `${coord}@${term}` while following, '' otherwise (the zone's tally key). */
  followKey: string;
  coordVotes: number;
  coordNaive: boolean;
  coordCertSeq: number;
  /** Simulated time of the last heartbeat received from `coord`. */
  lastHb: number;

  // --- election timer (lazily re-armed; see protocol.ts)
  timeout_ms: number;
  deadline: number;
  armedAt: number;
  gen: number;

  // --- floods seen in the current term
  hbSeen: Record<number, number>;
  /** Candidate → neighbour its vote request was first heard from (reverse path). */
  rv: Record<number, number>;
  relayed: number;
  relayedPrio: number;
  /** Priority strategy: best candidate heard during the vote window (-1: window closed). */
  pending: number;
  pendingPrio: number;

  // --- heartbeat tree and acknowledgement aggregation
  parent: number;
  ackSeq: number;
  ackSent: boolean;
  ackBuf: number[];

  // --- candidate
  votes: Record<number, boolean>;
  nVotes: number;
  nRefusals: number;

  // --- coordinator
  hbSeq: number;
  certSeq: number;
  certVotes: number;
  members: number;
  roundSeq: number;
  roundIds: Record<number, true> | null;
  roundCount: number;
  backing: number;
  reachMask: number;
  reachSeq: number;

  /** Last term in which this sensor saw two certificates (recorded once). */
  conflictTerm: number;
  /** Recently received unicast frame ids (link-layer duplicate filter). */
  frames: number[];
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
  adoptNaive: boolean;
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
  conflictSeq: number;
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
  names: string[];
  idx: Record<string, number>;
  sensors: Sensor[];
  zones: Zone[];
  /** Active sensors (the configured membership N) and the quorum ⌊N/2⌋+1. */
  n: number;
  quorum: number;
  fullMask: number;
  x: number[];
  y: number[];
  nbr: number[][];
  radioRange: number;
  positions: Record<string, [number, number]>;

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
