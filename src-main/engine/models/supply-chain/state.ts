/**
 * FT-3 supply chain — model state (plain data, cloned for checkpoints).
 *
 * Time scale: one simulated second is one day (`day_ms`); day 0 is 1 February, day 28
 * is 1 March (the screens are due), day 42 is 15 March (the customer's delivery date).
 * A message between partners takes hours (a few hundred ms).
 *
 * The supplier delivers 100K screens in `lots` lots, lot k due at the assembler on day
 * k·28/lots; it ships each lot `transit_days` before it is due — or later, without
 * notice (`delay_p`, seeded). The logistics provider scans the pickup, then sends
 * tracking updates daily over a lossy link. The assembler must answer the customer on
 * `commit_day`: commit to 15 March (a $5M penalty if late) or decline.
 */

export type Strategy = 'contract' | 'escrow' | 'ledger';

export interface Params {
  strategy: Strategy;
  day_ms: number;
  lots: number;
  units: number;
  transit_days: number;
  ship_slack_days: number;
  delay_p: number;
  delay_min_days: number;
  delay_max_days: number;
  lie_delay_days: number;
  commit_day: number;
  customer_deadline_day: number;
  assembly_days: number;
  handshake_start_day: number;
  ack_timeout_ms: number;
  status_interval_ms: number;
  tracking_interval_ms: number;
  prior_on_time: number;
  prior_late: number;
  silence_factor: number;
  confidence_target: number;
  confidence_floor: number;
  block_ms: number;
  customer_penalty_usd: number;
  supplier_penalty_usd: number;
  escrow_deposit_usd: number;
  order_margin_usd: number;
}

export interface Lot {
  k: number;
  units: number;
  due_ms: number;
  /** Ground truth: when the supplier really hands the lot to logistics (null: not yet / never). */
  shipped_ms: number | null;
  /** Planned ship time (including an unannounced delay). */
  ship_plan_ms: number;
  delayed_days: number;
  /** The supplier claimed "shipped" (its word), when the assembler received the claim. */
  claim_ms: number | null;
  /** The claim was false (byzantine supplier): claimed without handing the lot over. */
  claim_false: boolean;
  /** The supplier has sent the claim (repeated in its daily status reports). */
  claim_sent: boolean;
  /** Verification of the claim against logistics' signed pickup scan: null pending. */
  verified: 'yes' | 'no' | null;
  /** Last tracking scan the assembler has seen for this lot (scan time), null none. */
  track_seen_ms: number | null;
  arrived_ms: number | null;
  /** Outcome as the assembler recorded it: on time / late (arrived late or overdue). */
  outcome: 'on-time' | 'late' | null;
  claimCounted: boolean;
}

export interface Decision {
  t_ms: number;
  made: boolean;
  basis: string;
  /** Ground truth at the decision: was the supply really secured so far? */
  supply_ok: boolean;
  seq: number;
}

export interface ChainState {
  p: Params;
  lots: Lot[];
  /** Byzantine supplier: stops shipping, keeps claiming on-time shipments. */
  lying: boolean;
  /** Two Generals handshake supplier ⇄ assembler. */
  ack: {
    /** Highest depth received by each side (1 = the supplier's confirmation). */
    depth: number;
    exchanged: number;
    retries: number;
    sent_by: string | null;
    last_sent_depth: number;
    last_received_ms: number | null;
    stopped: boolean;
    confirmed: boolean;
    seqs: number[];
  };
  status_last_ms: number;
  status_missed: number;
  on_time: number;
  late: number;
  confidence: number;
  gaugeSeq: number;
  deposit_verified: boolean;
  depositSeq: number;
  decision: Decision | null;
  delivered_ms: number | null;
  penalty_usd: number;
  recovered_usd: number;
  penalty_claimed: boolean;
  penalty_answered: boolean;
  false_claims_accepted: number;
  false_claims_detected: number;
  accused: boolean;
  tracking_lost: number;
  tracking_received: number;
  staleness_max_ms: number;
  violated: Record<string, boolean>;
  lastSeq: Record<string, number>;
  phase: string;
}
