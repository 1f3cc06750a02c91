/**
 * A recorded history of client operations and what the linearizability checker made of it,
 * as plain JSON: what the history view draws (in the app) and what a report embeds (as an
 * SVG string, see ./svg.ts). One shape for both sources:
 *
 * - a live run: operations recorded by the engine's history service (times in simulated
 *   ms), checked window by window (each window starts at a quiescent point of its key);
 * - a file: a Jepsen register log or an EDN key-value history (times are line numbers),
 *   checked whole, one "window" per partition (key).
 */
import type { Verdict } from '../linearizability/history';

/** `pending`: invoked, not completed yet (live runs only). */
export type OpStatus = 'ok' | 'fail' | 'info' | 'pending';

export interface HistoryOpView {
  /** Unique in the view. Windows, linearizations and offending sets refer to ops by id. */
  id: number;
  /** The client (Jepsen process) that issued it; the view draws one lane per client. */
  client: string;
  /** The object (register key, kv key; '' for a single register). */
  key: string;
  /** read, write, cas, get, put, append. */
  f: string;
  /** e.g. `write(3)`, `read() → 3`, `cas(1 → 4) → fail`, `write(7) → ? (indeterminate)`. */
  label: string;
  status: OpStatus;
  call: number;
  /** Return time; null when it never returned (indeterminate or still pending). */
  ret: number | null;
  /** Live runs: the scope (group) of the client. */
  scope?: string;
}

/** `open`: still collecting operations; `queued`: closed, waiting for its check. */
export type WindowVerdict = Verdict | 'open' | 'queued';

export interface HistoryWindowView {
  id: number;
  key: string;
  from: number;
  /** Where the window was cut (a quiescent point of its key); null while open. */
  to: number | null;
  /** Ids of its operations (for a merged check, the span's operations). */
  ops: number[];
  verdict: WindowVerdict;
  /** The state the window is checked from, in words (`nil`, `one of "w3", "w9"`, `any value`). */
  start?: string;
  /**
   * Op ids in linearization order: a full linearization when linearizable, the longest
   * linearizable prefix found otherwise (for `unknown`: found so far).
   */
  linearization: number[];
  /**
   * Not linearizable: the offending operations. For live runs a minimal sub-history that is
   * itself not linearizable (every op in it is needed for the proof); for files, the
   * operations where the search got stuck.
   */
  offending: number[];
  /** Not linearizable: the operation whose return could not be passed… */
  stuck?: number;
  /** …and its return time: the point where every linearization fails. */
  fail_at?: number;
  /** Search steps spent. */
  explored: number;
  /** Anything the verdict depends on (merged span, budget, evicted history). */
  note?: string;
}

export interface HistoryView {
  source: 'run' | 'file';
  /** File name, or the run's scenario and strategy. */
  title: string;
  /** The sequential model checked against, e.g. `cas-register`, `kv`, `register per key`. */
  model: string;
  time_unit: 'ms' | 'line';
  /** Overall: not-linearizable if any window is, else unknown if any window is, else linearizable; none = nothing checked yet. */
  verdict: Verdict | 'none';
  ops: HistoryOpView[];
  windows: HistoryWindowView[];
  /** Operations left out of `ops` (older than the kept history, or beyond the size limit). */
  truncated: number;
  /** Total search steps. */
  explored: number;
  /** Step budget: per check (files) or per window (runs). */
  budget: number;
  /** Files only: wall time of the check in ms. */
  elapsed_ms?: number;
  /** One line in words, e.g. `not linearizable: key "k2" window #14 (3 offending operations)`. */
  summary: string;
}
