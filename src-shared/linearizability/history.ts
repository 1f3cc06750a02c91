/**
 * Histories of concurrent operations, as a linearizability checker sees them.
 *
 * An operation is one call by one client (a Jepsen "process"): it was invoked at `call`,
 * and either completed at `ret` with a definite outcome (`ok` or `fail`), or never
 * completed in a way we can trust (`info`: timed out, crashed, still pending). An
 * indeterminate operation may or may not have taken effect, at any moment after its call;
 * the checker treats its return time as +Infinity whatever `ret` says.
 *
 * Times are plain numbers on one clock (nanoseconds, simulation ticks, or line numbers for
 * parsed logs: every parser in this folder uses the 1-based line number of the invoke and
 * of the completion). Two operations are concurrent unless one's `ret` is strictly before
 * the other's `call`; equal times count as overlapping (the permissive reading).
 */

export type Status = 'ok' | 'fail' | 'info';

export interface Operation<I = unknown, O = unknown> {
  /** Unique within a history. Results (prefixes, failing ops) refer to operations by id. */
  id: number;
  /** The client / Jepsen process that issued it. Informational: the checker does not use it. */
  client: number;
  input: I;
  /** What the operation returned; undefined when it returned nothing useful (and for `info`). */
  output?: O;
  call: number;
  /** Return time; Infinity (or anything) for an indeterminate (`info`) operation. */
  ret: number;
  status: Status;
  /** Partition key (e.g. the key of a key-value operation); models may partition on it. */
  key?: string;
}

export type Verdict = 'linearizable' | 'not-linearizable' | 'unknown';

export interface PartitionResult {
  key: string;
  verdict: Verdict;
  /** Number of operations in this partition. */
  ops: number;
  /** Search steps spent on this partition. */
  explored: number;
  /** Not linearizable only: op ids, in linearization order, of the longest linearizable prefix found. */
  longestPrefix?: number[];
  /**
   * Not linearizable only: a small set of op ids involved where the search got stuck: the
   * operation that produced the state at the end of the longest prefix, the operation
   * whose completion could not be passed, and the concurrent definite operations that the
   * model rejected from that state.
   */
  failingOps?: number[];
}

export interface CheckResult {
  verdict: Verdict;
  partitions: PartitionResult[];
  /** Total search steps over all partitions. */
  explored: number;
}

export interface CheckOptions {
  /** Stop after this many search steps in total; unfinished partitions are `unknown`. */
  budgetSteps?: number;
  /** Polled every few thousand steps; return true to stop (unfinished partitions are `unknown`). */
  deadline?: () => boolean;
  /**
   * Search every partition to the end instead of stopping at the first one found not
   * linearizable (which already decides the verdict). Default false.
   */
  exhaustive?: boolean;
}

/** True when the operation may or may not have taken effect. */
export function isIndeterminate(op: Operation<unknown, unknown>): boolean {
  return op.status === 'info';
}

/** Combine per-partition verdicts: one violation is a violation; otherwise any unknown is unknown. */
export function combineVerdicts(verdicts: Iterable<Verdict>): Verdict {
  let unknown = false;
  for (const v of verdicts) {
    if (v === 'not-linearizable') return 'not-linearizable';
    if (v === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'linearizable';
}

/**
 * Throws a descriptive Error when the history cannot be checked: duplicate ids, non-finite
 * call times, a definite operation without a finite return time, or a return before its call.
 */
export function validateHistory(ops: readonly Operation<unknown, unknown>[]): void {
  const seen = new Set<number>();
  for (const op of ops) {
    if (seen.has(op.id)) throw new Error(`operation id ${op.id} appears more than once`);
    seen.add(op.id);
    if (op.status !== 'ok' && op.status !== 'fail' && op.status !== 'info') {
      throw new Error(`operation ${op.id}: unknown status ${String(op.status)}`);
    }
    if (!Number.isFinite(op.call)) throw new Error(`operation ${op.id}: call time ${op.call} is not finite`);
    if (op.status === 'info') continue;
    if (!Number.isFinite(op.ret)) {
      throw new Error(`operation ${op.id}: status '${op.status}' needs a finite return time (use status 'info' for an operation that never completed)`);
    }
    if (op.ret < op.call) throw new Error(`operation ${op.id}: returns (${op.ret}) before it is called (${op.call})`);
  }
}
