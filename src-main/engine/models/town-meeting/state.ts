/**
 * FT-2 town meeting — model state (plain data, cloned for checkpoints).
 *
 * The hall: `rows` × `seats` residents (row 0 at the front, by the counters' table),
 * in three sections (front / middle / back: the scenario's resident groups). Each
 * resident has a true vote (yes / no / abstain), drawn once from the seeded PRNG.
 * A hand vote is three calls (yes, no, abstain); in each call every counter sweeps the
 * rows and counts the hands it sees: hands at the back are harder to see, some hands
 * come up late (after the counter passed the row), some are half-raised (ambiguous).
 * Counters walk their tallies to the chair, who decides by the strategy's method.
 */
import type { Choice, Tally } from './stats';

export type Method = 'median' | 'revote' | 'audit' | 'commit';

export interface Params {
  method: Method;
  rows: number;
  seats: number;
  counters: number;
  yes_share: number;
  no_share: number;
  motion_at_ms: number;
  settle_ms: number;
  row_ms: number;
  row_jitter_ms: number;
  late_hand_p: number;
  late_hand_ms: number;
  ambiguous_p: number;
  back_row_miss: number;
  side_miss: number;
  double_count_p: number;
  tally_timeout_ms: number;
  revote_threshold_pct: number;
  max_rounds: number;
  revote_pause_ms: number;
  audit_sample: number;
  audit_interviewers: number;
  audit_interview_ms: number;
  audit_tolerance: number;
  audit_z: number;
  audit_confidence: number;
  commit_window_ms: number;
  commit_late_p: number;
  count_board_ms: number;
  rig_extra: number;
  deadline_ms: number;
}

export interface CounterState {
  id: string;
  /** Position along the front of the hall, 0..1 (left → right). */
  x: number;
  active: boolean;
  /** Byzantine behaviour ('rig'), from the fault action. */
  rig: boolean;
  /** Excluded by an audit or the commitment board (accused with evidence). */
  excluded: boolean;
  /** Running count of the current call per section, and the finished calls of the round. */
  running: number[];
  counts: Record<Choice, number[]>;
  /** Row being looked at (-1 idle): the sight line in the view. */
  row: number;
  call: Choice | null;
  /** Sweep direction: +1 front → back, −1 back → front. */
  dir: number;
  /** Last report sent to the chair (totals) and the round it belongs to. */
  reported: Tally | null;
  reportedRound: number;
  sweepStart: number;
  sweepMs: number;
}

export interface Report {
  counter: string;
  round: number;
  total: Tally;
  sections: Tally[];
  /** seq of the 'tally' evidence (counters scope). */
  seq: number;
  sectionSeqs: number[];
}

export interface Declaration {
  outcome: 'yes' | 'no';
  tally: Tally;
  method: string;
  round: number;
  certified: boolean;
  contested: boolean;
  t_ms: number;
  seq: number;
}

export interface AuditState {
  order: number[];
  asked: number;
  answered: number;
  answers: Tally;
  stage: number;
  stages: number[];
  low: number;
  high: number;
  share: number;
  halfwidth: number;
  decision: 'yes' | 'no' | 'escalate' | null;
  provisional: 'yes' | 'no';
  done: boolean;
}

export interface MeetingState {
  p: Params;
  n: number;
  /** Section index per resident (0 front, 1 middle, 2 back) and section sizes. */
  sectionOf: number[];
  sectionSize: number[];
  sectionIds: string[];
  names: string[];
  truth: Choice[];
  trueTally: Tally;
  /** Per round: when the resident's hand comes up (ms after the call) and whether it is half-raised. */
  raiseAfter: number[];
  ambiguous: boolean[];
  counters: CounterState[];
  round: number;
  call: Choice | null;
  callAt: number;
  phase: string;
  reports: Report[];
  disagreement: number | null;
  sectionDisagreement: (number | null)[];
  gaugeSeqs: number[];
  declared: Declaration | null;
  decidedMs: number | null;
  audit: AuditState | null;
  /** Commitment variant: per resident 0 none, 1 committed, 2 late (rejected), 3 opened. */
  board: number[];
  commitments: { posted: number; late: number; opened: number; verified: number; failed: number; boardTally: Tally | null; hash: string };
  /** Residents interviewed by the audit: 0 no, 1 asked, 2 answered. */
  interviewed: number[];
  rounds: number;
  /** The last round the chair decided on (tallies in, or the timeout). */
  decidedRound: number;
  sweepMs: number[];
  violated: Record<string, boolean>;
  events: string[];
}
