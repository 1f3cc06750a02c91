/**
 * MT-3 model state: plain data only (checkpoints clone it); per-edge data in typed arrays
 * (structuredClone copies them as one block each).
 *
 * Topology: group `store` (node config-store) and 10 region groups of 501 nodes: node 0
 * of a region is its hub, nodes 1…500 its edges. Edge e (0…4999) is node 1 + e % 500 of
 * region ⌊e / 500⌋. Only store↔hub traffic goes through the engine's network as
 * messages; edges are driven in batches (push waves, hub fan-outs, gossip rounds) and
 * each delivery that succeeds becomes one `land` timer on the edge's node (so a killed
 * edge loses it, exactly as the engine drops a crashed node's timers).
 *
 * Who knows what:
 *  - ground truth (physics): `ver` (the version an edge enforces), `dead`;
 *  - a hub: `hubAcked` (acks its edges sent it), `hubVer` (the version it holds);
 *  - the store (the proof engine): `proven` (highest version PROVEN per edge, from signed
 *    hub attestations, direct acks or probes), `provenVia`, `silent` (edges a hub reported
 *    silent or a probe could not reach), `lastHeard` per region.
 */
import type { Histogram } from '../../histogram';
import type { KeyPair } from './crypto';

export type StrategyId = 'push' | 'gossip' | 'hierarchical' | 'hybrid';
export type RoutingPolicy = 'by-criticality' | 'always-block' | 'always-warn';

export interface Params {
  strategy: StrategyId;
  changes: { kind: string; critical: boolean }[];
  firstChangeMs: number;
  changeIntervalMs: number;
  routing: RoutingPolicy;
  requestsPerEdge: number;
  applyMs: number;
  slowFraction: number;
  slowApplyMs: number;
  edgeLoss: number;
  retryMs: number;
  pushRate: number;
  hubPushRate: number;
  bypassAfterMs: number;
  gossipRoundMs: number;
  fanout: number;
  gossipSeeds: number;
  attestMs: number;
  hbMs: number;
  hbMisses: number;
  probeMs: number;
  probeSample: number;
  suspectMs: number;
  darkMs: number;
  deadlineMs: number;
  intraLat: number;
  intraJit: number;
  interLat: number;
  interJit: number;
}

export interface Version {
  v: number;
  kind: string;
  critical: boolean;
  issued_ms: number;
  hash: string;
  /** The signed text (configMessage) and its Ed25519 signature by the store. */
  msg: string;
  sig: string;
  /** Edges that enforce it (or a later version) — ground truth, for coverage. */
  landed: number;
  /** When 99% / 100% of the edges enforced it (ground truth), null until then. */
  t99_ms: number | null;
  t100_ms: number | null;
  /** The store's evidence: evidence seq of the "version issued" record. */
  evidence: number;
}

/** Direct acks (edge → store, bypassing a dead hub) waiting to be ingested, and acks waiting at a hub. */
export interface AckQueue {
  e: number[];
  v: number[];
  at: number[];
}

export interface GaugeTrack {
  gaugeSeq: Record<string, number>;
  gaugeBand: Record<string, number>;
  gaugeMode: string;
}

export interface RegionProof extends GaugeTrack {
  /** Edges PROVEN on the latest version (store's view). */
  provenLatest: number;
  /** When the store last heard anything from the region (heartbeat, attestation, ack, probe answer). */
  lastHeard_ms: number;
  hbLast_ms: number;
  hbMisses: number;
  missSeqs: number[];
  /** Time to 99% PROVEN for the latest version that got there (the measured Recency bound). */
  t99_ms: number | null;
  /** When the latest version reached 99% proven in this region (null while below). */
  quorumAt_ms: number | null;
  /** Version the hub last reported holding (heartbeat), and when the store last sent it the config. */
  hubVer: number;
  configSent_ms: number;
  lastAttestSeq: number;
  /** Evidence seqs for the observer. */
  ackEvidence: number | null;
  sigEvidence: number | null;
  sigVersion: number;
  /** Latest version whose "fully proven" ack evidence was recorded. */
  ackRecorded: number;
  /** Eventual-propagation monitor: version reported stalled (report once). */
  stallReported: number;
  connectedSince_ms: number | null;
}

export interface HubState {
  ver: number;
  /** Next fan-out position and the version being fanned out (hierarchical / hybrid). */
  fanVer: number;
  fanNext: number;
  pending: AckQueue;
  /** Highest version any of its edges acknowledged. */
  maxSeen: number;
  /** Attestation bookkeeping. */
  attestSeq: number;
  lastAttest_ms: number;
  dirty: boolean;
  dirtySince_ms: number;
  /** Latest version for which the 99% attestation was sent. */
  quorumVer: number;
  silentKey: string;
  /** The last signed attestation until the store confirms it (resent as is, not re-signed). */
  unconfirmed: Attestation | null;
  lastSent_ms: number;
}

export interface Attestation {
  region: number;
  seq: number;
  version: number;
  /** The hub's ack vector: highest version acknowledged by each of its edges. */
  acked: Uint16Array;
  /** Edges (index within the region) the hub finds silent (keepalive failing). */
  silent: number[];
  sig: string;
}

export interface CdnState {
  p: Params;
  R: number;
  E: number;
  N: number;
  regions: string[];
  hubs: string[];
  storeKey: KeyPair;
  hubKeys: KeyPair[];
  versions: Version[];
  latest: number;
  nextChange: number;
  // ---- ground truth per edge
  ver: Uint16Array;
  /** Highest version scheduled to land (a `land` timer is pending). */
  landVer: Uint16Array;
  gotMs: Float64Array;
  dead: Uint8Array;
  /** Dead edges per region. */
  deadCount: number[];
  deadSince: Float64Array;
  slow: Uint8Array;
  /** An ack the edge could not deliver yet (hub and store unreachable): the version owed. */
  ackOwed: Uint16Array;
  // ---- hubs
  hubAcked: Uint16Array;
  hub: HubState[];
  // ---- the store (proof engine)
  proven: Uint16Array;
  /** 1 signed hub attestation, 2 direct ack, 3 probe. */
  provenVia: Uint8Array;
  /** 1 reported silent by its hub, 2 a probe could not reach it. */
  silent: Uint8Array;
  directAcks: AckQueue;
  region: RegionProof[];
  storeGauges: GaugeTrack;
  /** Gossip round owner (a live edge) and time of the next round. */
  gossipOwner: number;
  gossipNext_ms: number;
  // ---- measurements
  propagation: Histogram;
  duplicates: number;
  sigChecks: number;
  attestations: number;
  attestSigFailed: number;
  onLatest: number;
  series: number[];
  curve: number[];
  curveVersion: number;
  edgeSecondsBlocked: number;
  edgeSecondsWarned: number;
  lastRouting: { blocked: number; warned: number; serving: number };
  lastSample_ms: number;
  monotonicReported: number;
  coherenceReported: number;
  criticalReported: number;
}
