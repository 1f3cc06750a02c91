/**
 * Checking one window of a live register history (see ./history.ts for how windows are cut).
 *
 * A window is checked against a read/write register whose state at the window's start cut
 * is one of a SET of values (the possible end states of the window before), or any value
 * (after a violation or an undecided window). Three results:
 *
 * - the verdict, within a step budget (out of budget ⇒ `unknown`, never a guess);
 * - when linearizable, the set of states the window can END in (the start of the next
 *   window): a value v is possible iff the window plus a final "sentinel" read of v (after
 *   every definite return) is linearizable; indeterminate writes may linearize after it;
 * - when not linearizable, a MINIMAL PROOF: a sub-history that is itself not linearizable
 *   from the same start and that is read-closed (every kept read of v keeps v's writer).
 *   With unique write values that proves the whole window — hence the whole history — not
 *   linearizable: restrict any linearization of the window to the sub-history; each kept
 *   read still follows its own writer with no write in between, so the restriction would
 *   linearize the sub-history. Reads can always be dropped (they change nothing); a write
 *   can be dropped together with its readers. Greedy removal gives a 1-minimal proof.
 *
 * Requirement: write values are unique per key (the service enforces it on what it keeps).
 */
import { LinearizabilitySearch } from '../../../src-shared/linearizability/checker';
import type { Operation, Status, Verdict } from '../../../src-shared/linearizability/history';
import { defineModel, fmix32, hashString, REJECT, type Model } from '../../../src-shared/linearizability/models';
import { stuckOp } from '../../../src-shared/history/witness';

export type RegValue = string | number | null;

export type WindowInput = { f: 'read' } | { f: 'write'; value: RegValue } | { f: 'end'; value: RegValue; unpinned?: boolean };

export type WindowOp = Operation<WindowInput, RegValue>;

/** Possible register states at a cut: any value, or one of `values`. */
export interface StateSet {
  any: boolean;
  values: RegValue[];
  /**
   * False when the set is a superset of what the history allows (it starts from `any`
   * somewhere before): a linearizable verdict from it is relative to that start.
   */
  exact: boolean;
}

export const INITIAL_STATE: StateSet = { any: false, values: [null], exact: true };
export const ANY_STATE: StateSet = { any: true, values: [], exact: false };

/** The register before any read has pinned it: one of the start values, not yet observed. */
const UNPINNED = Object.freeze({ unpinned: true });
type WState = RegValue | typeof UNPINNED;
const isUnpinned = (s: WState): s is typeof UNPINNED => s === UNPINNED;

export function valueKey(v: RegValue | undefined): string {
  if (v === undefined) return 'u';
  if (v === null) return 'n';
  return typeof v === 'number' ? `d${v}` : `s${v}`;
}

export function showValue(v: RegValue | undefined): string {
  if (v === undefined) return '?';
  if (v === null) return 'nil';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export function describeStateSet(s: StateSet): string {
  if (s.any) return 'any value';
  if (s.values.length === 1) return showValue(s.values[0]);
  return `one of ${s.values.map(showValue).join(', ')}`;
}

export function describeWindowOp(input: WindowInput, output: RegValue | undefined, status: Status): string {
  if (input.f === 'write') return `write(${showValue(input.value)})${status === 'fail' ? ' → failed' : status === 'info' ? ' → ? (indeterminate)' : ''}`;
  if (input.f === 'read') return status === 'ok' ? `read() → ${showValue(output)}` : status === 'fail' ? 'read() → failed' : 'read() → ? (indeterminate)';
  return input.unpinned ? 'end: start value unobserved' : `end: state ${showValue(input.value)}`;
}

function hashValue(v: RegValue): number {
  if (v === null) return 0x2f0b3c1d;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 0x7fffffff ? fmix32(v ^ 0x5bd1e995) : hashString('n' + String(v));
  return hashString('s' + v);
}

/** The register model for a window starting in one of `start`'s states. */
export function windowModel(start: StateSet): Model<WState, WindowInput, RegValue> {
  const allowed = new Set(start.values.map(valueKey));
  const admissible = (v: RegValue) => start.any || allowed.has(valueKey(v));
  return defineModel<WState, WindowInput, RegValue>({
    name: 'register-window',
    init: () => UNPINNED,
    next(state, input, output, status) {
      switch (input.f) {
        case 'read': {
          if (status !== 'ok') return state;
          const v = output ?? null;
          if (state === UNPINNED) return admissible(v) ? v : REJECT;
          return state === v ? state : REJECT;
        }
        case 'write':
          return status === 'fail' ? state : input.value;
        case 'end':
          if (input.unpinned) return state === UNPINNED ? state : REJECT;
          if (state === UNPINNED) return admissible(input.value) ? input.value : REJECT;
          return state === input.value ? state : REJECT;
      }
    },
    hash: (s) => (isUnpinned(s) ? 0x5f3759df : hashValue(s)),
    describe: describeWindowOp,
    describeState: (s) => (isUnpinned(s) ? 'unobserved start value' : showValue(s)),
  });
}

export interface WindowResult {
  verdict: Verdict;
  explored: number;
  /** Linearization (linearizable) or longest linearizable prefix (otherwise), op ids. */
  linearization: number[];
  /** Not linearizable: the minimal proof's op ids, in call order. */
  offending: number[];
  /** True when `offending` is 1-minimal (the budget allowed the whole reduction). */
  minimal: boolean;
  stuck?: number;
  fail_at?: number;
  /** States the window can end in (ANY after a violation or when undecided). */
  end: StateSet;
  note?: string;
}

type Outcome = 'linearizable' | 'not-linearizable' | 'unknown';

class Budget {
  constructor(public left: number) {}
  spent = 0;
  run(ops: readonly WindowOp[], model: Model<WState, WindowInput, RegValue>): { outcome: Outcome; search: LinearizabilitySearch<WState, WindowInput, RegValue> } {
    const search = new LinearizabilitySearch(ops, model);
    if (this.left > 0) search.run(this.left);
    this.left -= search.explored;
    this.spent += search.explored;
    const outcome: Outcome = search.status === 'running' ? 'unknown' : search.status;
    return { outcome, search };
  }
}

const SENTINEL_ID = -1;

/** End states of a window already known to be linearizable from `start`; ANY if the budget runs out. */
function endStates(ops: readonly WindowOp[], start: StateSet, model: Model<WState, WindowInput, RegValue>, budget: Budget): StateSet {
  let tEnd = -Infinity;
  for (const o of ops) tEnd = Math.max(tEnd, o.call, o.status === 'info' ? o.call : o.ret);
  const sentinel = (input: WindowInput): WindowOp => ({ id: SENTINEL_ID, client: -1, input, output: 'value' in input ? input.value : null, call: tEnd + 1, ret: tEnd + 2, status: 'ok' });
  const passes = (input: WindowInput): Outcome => budget.run([...ops, sentinel(input)], model).outcome;

  const okWrites = ops.filter((o) => o.input.f === 'write' && o.status === 'ok');
  const candidates = new Map<string, RegValue>();
  for (const o of ops) {
    if (o.input.f !== 'write' || o.status === 'fail') continue;
    // An ok write that another ok write definitely follows cannot be the last one.
    if (o.status === 'ok' && okWrites.some((w) => w.call > o.ret)) continue;
    candidates.set(valueKey(o.input.value), o.input.value);
  }
  // The window is linearizable, so some end state is possible; with a definite write in it the
  // end is a written value, and a single candidate needs no search.
  if (okWrites.length > 0 && candidates.size === 1) return { any: false, values: [...candidates.values()], exact: start.exact };
  let unpinned = false;
  if (okWrites.length === 0) {
    const u = passes({ f: 'end', value: null, unpinned: true });
    if (u === 'unknown') return ANY_STATE;
    unpinned = u === 'linearizable';
    if (start.any) {
      for (const o of ops) if (o.input.f === 'read' && o.status === 'ok') candidates.set(valueKey(o.output ?? null), o.output ?? null);
    } else if (!unpinned) {
      for (const v of start.values) candidates.set(valueKey(v), v);
    }
  }
  if (unpinned && start.any) return ANY_STATE;
  const out = new Map<string, RegValue>();
  if (unpinned) for (const v of start.values) out.set(valueKey(v), v);
  for (const [k, v] of candidates) {
    if (out.has(k)) continue;
    const r = passes({ f: 'end', value: v });
    if (r === 'unknown') return ANY_STATE;
    if (r === 'linearizable') out.set(k, v);
  }
  return { any: false, values: [...out.values()], exact: start.exact };
}

/** Writers (ok or indeterminate) of the values that the ok reads in `set` returned. */
function readClosure(set: readonly WindowOp[], all: readonly WindowOp[]): WindowOp[] {
  const writerOf = writers(all);
  const ids = new Set(set.map((o) => o.id));
  const out = [...set];
  for (const o of set) {
    if (o.input.f !== 'read' || o.status !== 'ok') continue;
    const w = writerOf.get(valueKey(o.output ?? null));
    if (w && !ids.has(w.id)) {
      ids.add(w.id);
      out.push(w);
    }
  }
  return out;
}

function writers(ops: readonly WindowOp[]): Map<string, WindowOp> {
  const m = new Map<string, WindowOp>();
  for (const o of ops) if (o.input.f === 'write' && o.status !== 'fail') m.set(valueKey(o.input.value), o);
  return m;
}

/**
 * Reduces a non-linearizable window to a small read-closed sub-history that is still not
 * linearizable: delta debugging over removal units (a read; a write with its readers),
 * removing chunks of halving size, down to single units (then the result is 1-minimal).
 */
function minimalProof(ops: readonly WindowOp[], seed: number[], model: Model<WState, WindowInput, RegValue>, budget: Budget): { proof: WindowOp[]; minimal: boolean } {
  let base: readonly WindowOp[] = ops;
  const seedIds = new Set(seed);
  const seeded = readClosure(
    ops.filter((o) => seedIds.has(o.id)),
    ops,
  );
  if (seeded.length < ops.length) {
    const r = budget.run(seeded, model).outcome;
    if (r === 'unknown') return { proof: [...ops], minimal: false };
    if (r === 'not-linearizable') base = seeded;
  }
  const writerOf = writers(base);
  // Units in time order: removing a chunk of them removes a stretch of the history.
  let units = [...base].sort((a, b) => a.call - b.call || a.id - b.id);
  /** The ops that remain when only `keep` units are kept: a read goes when its writer goes. */
  const restrict = (keep: readonly WindowOp[]): WindowOp[] => {
    const ids = new Set(keep.map((o) => o.id));
    return keep.filter((o) => {
      if (o.input.f !== 'read' || o.status !== 'ok') return true;
      const w = writerOf.get(valueKey(o.output ?? null));
      return !w || ids.has(w.id);
    });
  };
  for (let chunk = Math.max(1, Math.floor(units.length / 2)); ; chunk = Math.floor(chunk / 2)) {
    for (let i = 0; i < units.length; ) {
      const trial = restrict([...units.slice(0, i), ...units.slice(i + chunk)]);
      if (trial.length === 0) {
        i += chunk;
        continue;
      }
      const r = budget.run(trial, model).outcome;
      if (r === 'unknown') return { proof: restrict(units), minimal: false };
      if (r === 'not-linearizable') units = trial;
      else i += chunk;
    }
    if (chunk <= 1) break;
  }
  return { proof: restrict(units), minimal: true };
}

/**
 * Checks one window (or a merged span of windows) from `start`: the verdict within
 * `budgetSteps` search steps, then the end states or the minimal proof within `proofSteps`.
 */
export function checkWindow(ops: readonly WindowOp[], start: StateSet, budgetSteps: number, proofSteps = 2 * budgetSteps): WindowResult & { explored: number } {
  const model = windowModel(start);
  const budget = new Budget(budgetSteps);
  const { outcome, search } = budget.run(ops, model);
  budget.left = proofSteps;
  const linearization = search.longestPrefix();
  if (outcome === 'unknown') {
    return { verdict: 'unknown', explored: budget.spent, linearization, offending: [], minimal: false, end: ANY_STATE, note: `search budget (${budgetSteps} steps) exhausted` };
  }
  if (outcome === 'linearizable') {
    const end = endStates(ops, start, model, budget);
    const res: WindowResult = { verdict: 'linearizable', explored: budget.spent, linearization, offending: [], minimal: true, end };
    if (end.any && !start.any) res.note = 'end states undecided within the budget: the next window starts from any value';
    return res;
  }
  const stuck = stuckOp(ops, linearization);
  const { proof, minimal } = minimalProof(ops, search.failingOps(), model, budget);
  const res: WindowResult = {
    verdict: 'not-linearizable',
    explored: budget.spent,
    linearization,
    offending: proof.sort((a, b) => a.call - b.call || a.id - b.id).map((o) => o.id),
    minimal,
    end: ANY_STATE,
  };
  if (stuck) {
    res.stuck = stuck.id;
    res.fail_at = stuck.ret;
  }
  if (!minimal) res.note = 'offending set not reduced to a minimum within the budget (still a proof)';
  return res;
}
