/**
 * The canonical timeline: what happened in a run, in order. Every record has a `seq`
 * (its position, unique in the run) so that mode changes, broken claims and invariant
 * verdicts can cite the evidence behind them by number. The digest of a run is the
 * sha-256 of these records serialised canonically (see src-main/engine/recorder.ts).
 *
 * Field names carry units (`t_ms`). Records are plain JSON: they cross IPC and go
 * into reports unchanged (DESIGN §6).
 */
import type { ComponentName } from '../gvector';
import type { FaultAction } from '../actions/fault-actions';

export type EvidenceType =
  | 'heartbeat-seen'
  | 'heartbeat-missed'
  | 'ack'
  | 'vote'
  | 'quorum-cert'
  | 'quorum-failed'
  | 'fsync'
  | 'lease-expiry'
  | 'probe'
  | 'sig-verified'
  | 'sig-failed'
  | 'version'
  | 'catch-up'
  | 'write-refused'
  | 'merge'
  | 'accusation'
  /** A checked window of the recorded client history: detail.verdict, key, window, offending op ids. */
  | 'linearizability'
  /** One client operation cited as evidence (e.g. an offending op): detail.op, key, f, value, status, call_ms, ret_ms. */
  | 'history-op'
  /** FT-2: a counter's reported tally of a vote (detail: counter, round, yes, no, abstain). */
  | 'tally'
  /** FT-2: an audit sample of residents interviewed (detail: n, yes, no, ci_low, ci_high, decision). */
  | 'audit-sample'
  /** FT-2: ballot commitments posted / opened and checked against the public board. */
  | 'commitment'
  /** FT-1: a handoff sheet signed at the bedside (detail: patient, signers, alerts, cover). */
  | 'handoff-sheet'
  /** FT-1: a nurse at a bedside found the patient unattended or already signed to another nurse. */
  | 'bedside';

interface RecordBase {
  seq: number;
  t_ms: number;
}

export interface FaultRecord extends RecordBase {
  kind: 'fault';
  /** The action as applied, with selectors such as `@leader` resolved. */
  action: FaultAction;
  source: 'script' | 'user';
  /** Human summary, e.g. "cut us-east–eu-west". */
  text: string;
}

export interface EvidenceRecord extends RecordBase {
  kind: 'evidence';
  type: EvidenceType;
  /** The scope (group) whose view this evidence informs. */
  scope: string;
  node: string;
  peer?: string;
  /** Small, JSON-only detail (term, index, lag_ms, quorum members…). */
  detail?: Record<string, string | number | boolean | string[] | number[]>;
}

export interface ModeRecord extends RecordBase {
  kind: 'mode';
  scope: string;
  from: string;
  to: string;
  /** seq numbers of the evidence records that satisfied the trigger. */
  evidence: number[];
  /** The trigger that fired, in words. */
  reason: string;
}

export interface GVectorRecord extends RecordBase {
  kind: 'gvector';
  scope: string;
  observed: string;
  claimed: string;
  /** Components whose observed value changed with this record. */
  changed: ComponentName[];
  evidence: number[];
}

export interface ClaimRecord extends RecordBase {
  kind: 'claim';
  scope: string;
  status: 'broken' | 'restored';
  components: ComponentName[];
  observed: string;
  claimed: string;
  evidence: number[];
}

export interface InvariantRecord extends RecordBase {
  kind: 'invariant';
  invariant: string;
  status: 'violated';
  text: string;
  evidence: number[];
}

export type TimelineRecord = FaultRecord | EvidenceRecord | ModeRecord | GVectorRecord | ClaimRecord | InvariantRecord;
export type TimelineKind = TimelineRecord['kind'];
