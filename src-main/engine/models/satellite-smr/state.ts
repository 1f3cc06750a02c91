/**
 * NT-3 model state: plain data only (checkpoints clone it). Keys and signatures are hex
 * strings; command bodies live once in a content-addressed store (`cmds`, keyed by the
 * hash of the signed body), and histories hold ids only.
 *
 * Design in one paragraph. Ground stations sign commands (ECDSA secp256k1, station keys
 * certified by a ground root key) and uplink them to the satellites they can see — the
 * model's visibility function drops ground↔satellite traffic outside a pass. Satellites
 * relay what they receive over inter-satellite links, and a primary (BFT) or leader
 * (crash-tolerant) orders it into a log. BFT: the primary sends a signed context capsule,
 * each satellite runs the seed's seven checks and broadcasts a signed vote; 2f+1 matching
 * votes are the quorum certificate that executes the command; two conflicting signed
 * statements from one satellite are an accusation certificate. Crash-tolerant: the leader's
 * word is trusted (unsigned appends, commit on a majority of acks). Out of ground contact
 * routine requests queue (CP) and emergencies are decided by local consensus (AP). At the
 * next pass each satellite sends a summary with the Merkle root of its history; the ground
 * compares, locates divergence, rolls back and confirms.
 */
export type Protocol = 'bft' | 'cft';

export interface Command {
  /** sha-256 of the signed body, hex (first 32 characters). */
  id: string;
  kind: 'ground' | 'emergency';
  op: string;
  /** Ground sequence number (Idem(seq)); 0 for emergencies. */
  gseq: number;
  /** The signer: a ground station, or the satellite that raised the emergency. */
  origin: string;
  /** Signer's clock when it signed (ms). */
  ts: number;
  /** Partition epoch of an autonomous emergency (ms at which ground contact was lost); -1 otherwise. */
  epoch: number;
  /** ECDSA signature over the body, hex. */
  sig: string;
}

/** A signed statement: a primary's proposal or a replica's vote for (view, slot, command). */
export interface Stmt {
  kind: 'proposal' | 'vote';
  signer: string;
  view: number;
  slot: number;
  cmd: string;
  /** Extra fields the signer vouched for (a proposal: timestamp and previous Merkle root). */
  extra: string;
  sig: string;
}

/** The seed's context capsule (NT-3 §4): a command plus the evidence to verify it. */
export interface Capsule {
  current_G: string;
  required_G: string;
  command: Command;
  slot: number;
  view: number;
  timestamp: number;
  sender: string;
  /** BFT: the sender's signed proposal (sender_signature); crash-tolerant: null (trusted). */
  proposal: Stmt | null;
  /** Station certificate (signed by the ground root key) for ground commands. */
  cert_chain: string[];
  /** Quorum certificate, when the capsule carries a committed entry (catch-up, commit). */
  qc: Stmt[] | null;
  /** Merkle root of the sender's history before `slot` (the proof that the command extends it). */
  prev_root: string;
  mode: string;
  partition_epoch: number;
  emergency: boolean;
  last_ground_contact: number;
  staleness_bound: number;
  gps_uncertainty: number;
}

export interface Accusation {
  accused: string;
  a: Stmt;
  b: Stmt;
}

export interface Round {
  view: number;
  slot: number;
  /** Command id proposed in this round (as this satellite saw it). */
  cmd: string;
  proposal: Stmt | null;
  /** Votes per voter (any command: conflicting ones are kept for the accusation). */
  votes: Record<string, Stmt>;
  started_ms: number;
  executed: boolean;
  commitSent: boolean;
  /** crash-tolerant leader: who acknowledged the append. */
  acks: string[];
}

export interface ViewChange {
  view: number;
  /** Senders of view-change messages for `view` (BFT: signed). */
  from: Record<string, { executed: number; sig: string }>;
  started_ms: number;
  certified: boolean;
}

export interface Peak {
  h: number;
  hash: string;
}

export interface Sat {
  id: string;
  idx: number;
  group: string;
  view: number;
  /** Crash-tolerant: the leader this satellite accepted (by its word); BFT: unused (rotation). */
  leader: string | null;
  /** History (the replicated state machine's log): command ids by slot. */
  leaves: string[];
  /** Merkle mountain range over `leaves` (the incremental Merkle tree). */
  peaks: Peak[];
  lastGseq: number;
  /** Command ids waiting to be ordered. */
  pending: string[];
  round: Round | null;
  /** Signatures checked for the current round's capsule (reported with the execution). */
  roundSigs: number;
  /** After a view change: the history length the new view starts from (catch up first). */
  catchUpTo: number;
  fetchAt: number;
  /** Last execution or view change (stall detection). */
  progressAt: number;
  /** Since when a proposable command has been waiting (stall detection), or null. */
  waitingSince: number | null;
  /** Signed statements seen, key `${signer}|${view}|${slot}` (recent slots only). */
  held: Record<string, Stmt>;
  excluded: string[];
  /** Accusations this satellite has verified (by accused). */
  accusations: Record<string, Accusation>;
  vc: ViewChange | null;
  /** The time a primary/leader was last heard from (local failure detection of the leader). */
  isl: { heard: Record<string, boolean>; miss: Record<string, number>; round: number };
  /** Per peer: its reported uplink lag when in direct ground contact (null: not in contact). */
  peerContact: Record<string, number | null>;
  /** Per peer: measured inter-satellite lag (ms, max of recent heartbeats). */
  islLag: Record<string, number>;
  /** BFT: views that peers report in heartbeats (f+1 of them move a satellite that missed a new-view). */
  viewHints: Record<string, number>;
  quorumOk: boolean;
  quorumFailedAt: number;
  // ---- ground contact ----
  contact: boolean;
  beaconHeard: boolean;
  beaconMiss: number;
  beaconRound: number;
  missSeqs: number[];
  /** Ground clock of the freshest ground word known (beacon, command, relayed contact). */
  lastGroundTs: number;
  /** Sim time at which the freshest ground-signed word arrived, and its lag then (relayed contact). */
  wordAt: number;
  wordLag: number;
  lagSamples: number[];
  contactLostAt: number | null;
  /** The partition epoch (ms contact was lost) while out of contact. */
  epoch: number;
  stalenessStep: number;
  contactProbeAt: number;
  contactEv: number | null;
  stalenessEv: number | null;
  // ---- recovery ----
  recovering: boolean;
  recoveryStart: number;
  reconciled: boolean;
  summaryLen: number;
  summaryAt: number;
  recoveryReported: boolean;
  /** Set by a restart after byzantine behaviour (firmware reset), reported to the ground. */
  reset: boolean;
  // ---- routine / emergency ----
  queued: { op: string; since: number }[];
  // ---- clock ----
  driftPpm: number;
  /** Model drift applies until the engine's clock-drift fault takes over; then frozen (ms). */
  driftFrozen: number | null;
  correction: number;
  offset: number;
  offsetOver: boolean;
  offsetEv: number | null;
  lastDiscipline: number;
  // ---- byzantine ----
  byz: string | null;
  // ---- evidence for observe ----
  verifiedEv: number | null;
  verifiedLabel: string;
  quorumEv: number | null;
  accusationEv: number | null;
  quorumFailedEv: number | null;
  dedup: number;
}

export interface GroundCmd {
  gseq: number;
  op: string;
  created: number;
  source: string;
  /** The id of the signed version currently in flight (re-signed on retry). */
  signed: string | null;
  sentAt: number;
  firstUplink: number | null;
  acked: boolean;
  /** Latency already measured (a re-uplink after a rollback is not measured again). */
  measured: boolean;
}

export interface Summary {
  sat: string;
  leaves: string[];
  root: string;
  lastGseq: number;
  emergencies: Command[];
  accusations: Accusation[];
  reset: boolean;
  sig: string;
}

export interface Ground {
  nextGseq: number;
  log: GroundCmd[];
  /** Every signed version of a ground command ever uplinked (validity of histories). */
  known: Record<string, true>;
  /** Satellites heard since the last ground round. */
  heard: Record<string, boolean>;
  /** Rounds in a row without hearing any satellite. */
  miss: number;
  round: number;
  contact: boolean;
  contactEv: number | null;
  lastContact: number;
  stalenessStep: number;
  contactProbeAt: number;
  lagSamples: number[];
  excluded: string[];
  /** Accusations (by the first statement's signature) cleared by a reinstatement. */
  cleared: string[];
  accusationEv: number | null;
  /** This pass: the latest summary of each satellite and whether it is reconciled. */
  summaries: Record<string, Summary>;
  reconciled: Record<string, string>;
  /** Satellites sent a rollback this pass (the divergence is recorded once per satellite and pass). */
  rolledBack: Record<string, boolean>;
  /** Divergences already recorded this pass, key `${sat}|${index}`. */
  diverged: Record<string, boolean>;
  passReconciled: boolean;
  /** Highest ground seq acknowledged as executed. */
  ackedMax: number;
  divergenceAt: number | null;
  versionEv: number | null;
  verifiedEv: number | null;
}

export interface Stats {
  /** Uplink → first execution ack at the ground (ms). */
  latencies: number[];
  /** Issue → executed (includes waiting for a pass). */
  waits: number[];
  /** Routine requests queued on board: time until they reached the ground. */
  queueWaits: number[];
  signed: number;
  verified: number;
  rejected: Record<string, number>;
  emergencies: { id: string; op: string; origin: string; slot: number; epoch: number; raised: number; executed: number | null }[];
  routineQueuedPeak: number;
  divergentPeak: number;
  divergenceLocated: number | null;
  byzantineAt: number | null;
  accusedAt: number | null;
  recoveries: number[];
  viewChanges: number;
  rollbacks: number;
  stalenessMax: Record<string, number>;
  droppedOutOfWindow: number;
}

export interface Keys {
  sk: Record<string, string>;
  pk: Record<string, string>;
  /** Station certificates signed by the ground root key. */
  cert: Record<string, string>;
}

export interface SmrState {
  protocol: Protocol;
  sats: Record<string, Sat>;
  satIds: string[];
  stations: string[];
  ground: Ground;
  keys: Keys;
  cmds: Record<string, Command>;
  /** Quorum certificates of executed entries, key `${slot}|${command id}` (served for catch-up). */
  qcs: Record<string, Stmt[]>;
  /** Every non-excluded satellite has executed the slots below this: their certificates are compacted. */
  qcFloor: number;
  /** Satellites ever made byzantine (excluded from the honest-history monitors). */
  everByz: string[];
  stats: Stats;
  anomalies: { at: number; sat: string; op: string }[];
  /** Monitors: violations already reported (report once). */
  reported: Record<string, true>;
  accusedFirstAt: Record<string, number>;
  opCounter: number;
}
