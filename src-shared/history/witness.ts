/**
 * Checking with a witness: the verdict plus what the history view draws — the
 * linearization found (whole, or the longest linearizable prefix), the operations where the
 * search got stuck, and the operation whose return could not be passed (the point where
 * every linearization fails). Built on LinearizabilitySearch, partition by partition, with
 * the same budget rules as checkHistory: out of budget ⇒ `unknown`, never a guessed verdict.
 */
import { LinearizabilitySearch } from '../linearizability/checker';
import { combineVerdicts, isIndeterminate, validateHistory, type Operation, type Verdict } from '../linearizability/history';
import type { Model } from '../linearizability/models';

export interface PartitionWitness {
  key: string;
  verdict: Verdict;
  /** Number of operations in the partition. */
  ops: number;
  explored: number;
  /** Op ids in linearization order: all of them when linearizable, else the longest prefix found. */
  linearization: number[];
  /** Not linearizable: the checker's failing operations (where the search got stuck). */
  failing: number[];
  /** Not linearizable: the definite operation whose return could not be passed. */
  stuck?: number;
}

export interface WitnessResult {
  verdict: Verdict;
  partitions: PartitionWitness[];
  explored: number;
}

export interface WitnessOptions {
  /** Total search steps over all partitions (default: unbounded). */
  budgetSteps?: number;
  /** Polled between slices; true stops the search (unfinished partitions are `unknown`). */
  deadline?: () => boolean;
  /** Keep searching the other partitions after one is found not linearizable (default true: every key gets a verdict when the budget allows). */
  exhaustive?: boolean;
}

const SLICE = 8192;

/**
 * The definite operation, not in the prefix, with the earliest return: the search cannot
 * pass that return without having linearized it.
 */
export function stuckOp<I, O>(ops: readonly Operation<I, O>[], prefix: readonly number[]): Operation<I, O> | undefined {
  const done = new Set(prefix);
  let best: Operation<I, O> | undefined;
  for (const op of ops) {
    if (done.has(op.id) || isIndeterminate(op)) continue;
    if (!best || op.ret < best.ret || (op.ret === best.ret && op.call < best.call)) best = op;
  }
  return best;
}

export function witnessOf<S, I, O>(key: string, ops: readonly Operation<I, O>[], search: LinearizabilitySearch<S, I, O>): PartitionWitness {
  const verdict = search.verdict;
  const linearization = search.longestPrefix();
  const w: PartitionWitness = { key, verdict, ops: ops.length, explored: search.explored, linearization, failing: [] };
  if (verdict === 'not-linearizable') {
    w.failing = search.failingOps();
    const s = stuckOp(ops, linearization);
    if (s) w.stuck = s.id;
  }
  return w;
}

/** Checks a history against a model, partition by partition, keeping a witness for each. */
export function checkWithWitness<S, I, O>(ops: readonly Operation<I, O>[], model: Model<S, I, O>, opts: WitnessOptions = {}): WitnessResult {
  validateHistory(ops);
  const parts = model.partition(ops);
  const searches = parts.map((p) => new LinearizabilitySearch(p.ops, model));
  const exhaustive = opts.exhaustive ?? true;
  let budget = opts.budgetSteps ?? Infinity;
  let running = searches.filter((s) => s.status === 'running');
  let failed = searches.some((s) => s.status === 'not-linearizable');
  while (running.length > 0 && budget > 0 && !(failed && !exhaustive)) {
    if (opts.deadline?.()) break;
    // Round-robin slices, as if in parallel: a hard partition cannot starve the others.
    const slice = Math.max(1, Math.min(SLICE, Math.ceil(budget / running.length)));
    for (const s of running) {
      if (budget <= 0) break;
      const before = s.explored;
      if (s.run(Math.min(slice, budget)) === 'not-linearizable') failed = true;
      budget -= s.explored - before;
      if (failed && !exhaustive) break;
    }
    running = running.filter((s) => s.status === 'running');
  }
  const partitions = searches.map((s, i) => witnessOf(parts[i]!.key, parts[i]!.ops, s));
  return {
    verdict: combineVerdicts(partitions.map((p) => p.verdict)),
    partitions,
    explored: partitions.reduce((a, p) => a + p.explored, 0),
  };
}
