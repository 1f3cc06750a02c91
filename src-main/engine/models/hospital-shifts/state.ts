/**
 * FT-1 hospital shift handoff during a communication blackout — model state (plain data,
 * cloned for checkpoints).
 *
 * The hospital: four clinical wards (scenario groups) and the nursing office (supervisor +
 * pharmacy). Patients are state, not nodes: each has a bed in a ward, an acuity (1..4), the
 * outgoing nurse who holds them when the blackout starts and the incoming nurse the posted
 * schedule names. Nurses and unit coordinators are nodes; every message between them is a
 * person walking (the scenario's latencies are walking times), so a restored phone line is
 * a `set-link` with a short latency.
 *
 * Responsibility (ground truth for the safety monitor): a patient is held by the outgoing
 * nurse until a handoff sheet is signed (or she leaves / is killed), and by each incoming
 * nurse who is on the ward and has claimed the patient (from the posted schedule, the
 * coordinator's assignment, a buddy take-over or a bedside cover). Exactly one holder is
 * safe; none is a gap; two of the incoming shift is double coverage.
 */

export type Coordination = 'posted' | 'coordinator' | 'buddy';

export interface Params {
  coordination: Coordination;
  hold_until_signed: boolean;
  shift_change_ms: number;
  arrive_earliest_ms: number;
  arrive_latest_ms: number;
  checkin_deadline_ms: number;
  checkin_timeout_ms: number;
  meet_timeout_ms: number;
  handoff_base_ms: number;
  handoff_per_acuity_ms: number;
  cover_ms: number;
  leave_grace_ms: number;
  hold_escalate_ms: number;
  rounds_after_ms: number;
  status_every_ms: number;
  phone_bound_ms: number;
  alerts: number;
  alert_window_ms: number;
  alert_pharmacy_share: number;
  alert_deadline_ms: number;
  alert_retry_ms: number;
  crisis_ms: number;
}

export interface Patient {
  id: string;
  ward: number;
  bed: number;
  acuity: number;
  /** Outgoing nurse of record (node id) and whether she still holds the patient. */
  out: string;
  outHeld: boolean;
  /** Incoming nurse on the posted schedule. */
  posted: string;
  /** Incoming nurses who have claimed the patient (present or not: the monitor filters). */
  claims: string[];
  /** The incoming nurse who signed the sheet (two signatures) or covered (one), if any. */
  signedBy: string | null;
  sheetSeq: number;
  /** Alert ids written on the bedside chart. */
  chart: number[];
  /** Open episodes (ms since) for the monitor; null when none. */
  gapSince: number | null;
  doubleSince: number | null;
  lastSeq: number;
  /** Taken over at the bedside on one signature (the outgoing nurse was gone). */
  cover: boolean;
}

export interface Nurse {
  id: string;
  ward: number;
  shift: 'out' | 'in';
  /** Index within the ward's shift (posted schedule column). */
  k: number;
  arrived: boolean;
  departed: boolean;
  arrivedAt: number | null;
  departedAt: number | null;
  /** Patients (indices) this nurse holds / claims. */
  holds: number[];
  /** Alert ids this nurse knows. */
  knows: number[];
  /** Outgoing: queue of incoming nurses waiting for a bedside handoff, with their patients. */
  queue: { nurse: string; patients: number[] }[];
  busy: boolean;
  /** Busy at a bedside crisis until this time. */
  pinnedUntil: number;
  /** Incoming: heard from the buddy / the coordinator; waiting for a meet reply. */
  heardBuddy: boolean;
  checkedIn: boolean;
  fellBack: boolean;
  waitingMeet: Record<string, number[]>;
  /** Patients of the nurse's own posted list (incoming) or held list at t=0 (outgoing). */
  list: number[];
}

export interface Alert {
  id: number;
  patient: number;
  kind: 'medication' | 'allergy';
  origin: 'pharmacy' | 'bedside';
  created: number;
  due: number;
  delivered: number | null;
  /** Runner attempts from the pharmacy (and who was tried last). */
  tries: number;
  acked: boolean;
  late: boolean;
  seq: number;
}

export interface Ward {
  id: string;
  uc: string;
  beds: number;
  firstPatient: number;
  outs: string[];
  ins: string[];
  /** Patients the ward's people know to be without a confirmed nurse (evidence, not truth). */
  known: number[];
  phoneUp: boolean;
  lastStatusSent: number;
  lastAnswered: number;
  lastDelayMs: number | null;
  /** Coordinator board: patient → incoming nurse it assigned. */
  board: Record<number, string>;
  ucDecided: boolean;
  gaugeSeq: number;
  lastMissSeq: number;
  roundsDone: boolean;
}

export interface HospitalState {
  p: Params;
  wards: Ward[];
  patients: Patient[];
  nurses: Record<string, Nurse>;
  alerts: Alert[];
  /** Totals for the metrics (closed episodes; open ones are added at read time). */
  gapMs: number;
  doubleMs: number;
  gapEpisodes: number;
  doubleEpisodes: number;
  maxUnassigned: number;
  handoffsSigned: number;
  covers: number;
  conflicts: number;
  overtimeMs: number;
  noShows: number;
  walks: number;
  alertDelays: number[];
  allSignedAt: number | null;
  officeKnown: Record<string, number>;
  /** Per ward: did its last report reach the office by phone? */
  officePhones: Record<string, boolean>;
  officePhoneUp: boolean;
  /** Per ward: when its newest report reaching the office was sent. */
  officeReportSent: Record<string, number>;
  violated: Record<string, boolean>;
  phase: string;
}
