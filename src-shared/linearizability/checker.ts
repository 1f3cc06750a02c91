/**
 * Linearizability checking by the Wing–Gong / Lowe search, in the style of Porcupine.
 *
 * The history becomes a doubly linked list of call and return entries in time order. The
 * search walks the list from the front: at a call entry it tries to linearize that operation
 * next (apply it to the model; if legal and the pair (set of linearized ops, model state) has
 * not been seen before, remove ("lift") its call and return entries from the list, push it on
 * a stack and restart from the front). Reaching a return entry means the operation it belongs
 * to must already have been linearized, so the search backtracks: pop the last choice, put
 * its entries back, and continue after its call entry. The memo of (linearized bitset, state)
 * pairs (Lowe's improvement) is what makes this practical.
 *
 * Indeterminate (`info`) operations get return time +Infinity, so they can be linearized at
 * any point after their call. The search succeeds as soon as every definite operation is
 * linearized: indeterminate ones left over are the ones that never took effect.
 *
 * The checker is P-compositional: the model's partition() splits the history (e.g. per key)
 * and each part is checked on its own; the history is linearizable iff every part is.
 *
 * Hot loop details: the list lives in Int32Arrays; the linearized set is a Uint32Array bitset
 * with an incremental Zobrist hash; the memo is an open hash table of chained Int32Arrays with
 * the bitsets packed in one Uint32Array pool; the model's `next` returns the next state or
 * REJECT, so a step allocates nothing beyond what the model itself allocates.
 */
import {
  combineVerdicts,
  isIndeterminate,
  validateHistory,
  type CheckOptions,
  type CheckResult,
  type Operation,
  type PartitionResult,
  type Status,
  type Verdict,
} from './history';
import { REJECT, type Model } from './models';

export type SearchStatus = 'running' | 'linearizable' | 'not-linearizable';

const NIL = -1;
const HEAD = 0;
/** Steps between two polls of `deadline`, and the per-call slice of a budget. */
const CHUNK = 8192;

/** Deterministic Zobrist keys (splitmix32), so runs are reproducible. */
function zobristKeys(n: number): Int32Array {
  const z = new Int32Array(n);
  let s = 0x9e3779b9 | 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x9e3779b9) | 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
    x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
    z[i] = x ^ (x >>> 15);
  }
  return z;
}

/**
 * The memo of visited (linearized set, state) configurations: a chained hash table whose
 * chains, hashes and bitsets live in typed arrays (states in a plain array).
 *
 * Bitsets are stored trimmed: operations are numbered in call order, so a linearized set is
 * mostly a run of full words, a few mixed words, then zero words. Only the mixed middle
 * [lo, hi) is kept, which keeps memory roughly linear in the number of configurations
 * instead of configurations × history length.
 */
class ConfigCache<S> {
  /** Bucket heads (entry index or NIL); grown when there are more entries than buckets. */
  private heads: Int32Array;
  private mask: number;
  /** Per entry: next entry in the same bucket, full hash, trimmed bitset [lo, hi) at off. */
  private chain: Int32Array;
  private hashes: Int32Array;
  private los: Int32Array;
  private his: Int32Array;
  private offs: Int32Array;
  private pool: Uint32Array;
  private poolUsed = 0;
  private readonly states: S[] = [];
  size = 0;

  constructor(
    private readonly words: number,
    private readonly equal: (a: S, b: S) => boolean,
  ) {
    const cap = 1 << 10;
    this.heads = new Int32Array(cap).fill(NIL);
    this.mask = cap - 1;
    this.chain = new Int32Array(cap);
    this.hashes = new Int32Array(cap);
    this.los = new Int32Array(cap);
    this.his = new Int32Array(cap);
    this.offs = new Int32Array(cap);
    this.pool = new Uint32Array(cap * 2);
  }

  /** Adds the configuration; returns false if it was already there. */
  add(bits: Uint32Array, hash: number, state: S): boolean {
    const W = this.words;
    let lo = 0;
    while (lo < W && bits[lo] === 0xffffffff) lo++;
    let hi = W;
    while (hi > lo && bits[hi - 1] === 0) hi--;
    const pool = this.pool;
    const b = (hash ^ (hash >>> 15)) & this.mask;
    let k = this.heads[b];
    while (k !== NIL) {
      if (this.hashes[k] === hash && this.los[k] === lo && this.his[k] === hi) {
        const d = this.offs[k] - lo;
        let w = lo;
        while (w < hi && pool[d + w] === bits[w]) w++;
        if (w === hi && this.equal(this.states[k], state)) return false;
      }
      k = this.chain[k];
    }
    const idx = this.size;
    if (idx === this.hashes.length) this.growEntries();
    const len = hi - lo;
    if (this.poolUsed + len > this.pool.length) this.growPool(this.poolUsed + len);
    this.hashes[idx] = hash;
    this.chain[idx] = this.heads[b];
    this.heads[b] = idx;
    this.los[idx] = lo;
    this.his[idx] = hi;
    const off = this.poolUsed;
    this.offs[idx] = off;
    const dst = this.pool;
    for (let w = lo; w < hi; w++) dst[off + w - lo] = bits[w];
    this.poolUsed = off + len;
    this.states.push(state);
    this.size = idx + 1;
    if (this.size > this.heads.length) this.growHeads();
    return true;
  }

  private growEntries(): void {
    const cap = this.hashes.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes);
    this.chain = grow(this.chain);
    this.los = grow(this.los);
    this.his = grow(this.his);
    this.offs = grow(this.offs);
  }

  private growPool(need: number): void {
    let cap = this.pool.length * 2;
    while (cap < need) cap *= 2;
    const pool = new Uint32Array(cap);
    pool.set(this.pool.subarray(0, this.poolUsed));
    this.pool = pool;
  }

  private growHeads(): void {
    const cap = this.heads.length * 4;
    const heads = new Int32Array(cap).fill(NIL);
    const mask = cap - 1;
    const hashes = this.hashes;
    const chain = this.chain;
    for (let i = 0; i < this.size; i++) {
      const h = hashes[i];
      const b = (h ^ (h >>> 15)) & mask;
      chain[i] = heads[b];
      heads[b] = i;
    }
    this.heads = heads;
    this.mask = mask;
  }
}

/**
 * A resumable search over one (sub-)history: call run(steps) until it stops returning
 * 'running'. Operations are referred to by their position in `ops` internally and by their
 * `id` in results.
 */
export class LinearizabilitySearch<S, I, O> {
  status: SearchStatus = 'running';
  /** Search steps taken so far. */
  explored = 0;

  private readonly n: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** For a call entry, its return entry; NIL for a return entry. */
  private readonly match: Int32Array;
  private readonly entOp: Int32Array;
  private readonly inputs: I[];
  private readonly outputs: (O | undefined)[];
  private readonly statuses: Status[];
  private readonly definite: Uint8Array;
  private readonly zob: Int32Array;
  private readonly bits: Uint32Array;
  private readonly cache: ConfigCache<S>;
  private readonly stackE: Int32Array;
  private readonly stackSH: Int32Array;
  private readonly stackState: (S | undefined)[];
  private readonly hashNext: (h: number, prev: S, input: I, output: O | undefined, status: Status, next: S) => number;

  private cursor: number;
  private state: S;
  private stateHash: number;
  private zhash = 0;
  private sp = 0;
  private defDone = 0;
  private readonly defTotal: number;

  private bestDepth = -1;
  /** Lowest stack depth since bestOps was last written: bestOps[0..low) is still current. */
  private low = 0;
  private readonly bestOps: Int32Array;
  private bestState: S;

  /** The operations in call order (internal op numbers index this). */
  private readonly ops: readonly Operation<I, O>[];

  constructor(
    history: readonly Operation<I, O>[],
    private readonly model: Model<S, I, O>,
  ) {
    const ops = history
      .map((op, i) => ({ op, i }))
      .sort((a, b) => a.op.call - b.op.call || a.i - b.i)
      .map((x) => x.op);
    this.ops = ops;
    const n = ops.length;
    this.n = n;
    const E = 2 * n + 1;
    this.next = new Int32Array(E);
    this.prev = new Int32Array(E);
    this.match = new Int32Array(E).fill(NIL);
    this.entOp = new Int32Array(E).fill(NIL);
    this.inputs = ops.map((o) => o.input);
    this.outputs = ops.map((o) => o.output);
    this.statuses = ops.map((o) => o.status);
    this.definite = new Uint8Array(n);
    let defTotal = 0;
    for (let i = 0; i < n; i++) {
      if (!isIndeterminate(ops[i])) {
        this.definite[i] = 1;
        defTotal++;
      }
    }
    this.defTotal = defTotal;

    // Events sorted by time; at equal times calls come first (equal times overlap).
    const ev = new Float64Array(2 * n);
    const order = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      ev[2 * i] = ops[i].call;
      ev[2 * i + 1] = this.definite[i] ? ops[i].ret : Infinity;
      order[2 * i] = 2 * i;
      order[2 * i + 1] = 2 * i + 1;
    }
    order.sort((a, b) => ev[a] - ev[b] || (a & 1) - (b & 1) || a - b);
    const entryOf = new Int32Array(2 * n);
    for (let k = 0; k < 2 * n; k++) {
      const e = k + 1;
      entryOf[order[k]] = e;
      this.entOp[e] = order[k] >> 1;
      this.prev[e] = e - 1;
      this.next[e] = k + 1 < 2 * n ? e + 1 : NIL;
    }
    this.next[HEAD] = n > 0 ? 1 : NIL;
    this.prev[HEAD] = NIL;
    for (let i = 0; i < n; i++) this.match[entryOf[2 * i]] = entryOf[2 * i + 1];

    this.hashNext = model.hashNext ? model.hashNext.bind(model) : (_h, _p, _i, _o, _s, next) => model.hash(next);
    this.zob = zobristKeys(n);
    const words = Math.max(1, Math.ceil(n / 32));
    this.bits = new Uint32Array(words);
    this.cache = new ConfigCache<S>(words, model.equal);
    this.stackE = new Int32Array(n);
    this.stackSH = new Int32Array(n);
    this.stackState = new Array<S | undefined>(n);
    this.bestOps = new Int32Array(n);

    this.cursor = this.next[HEAD];
    this.state = model.init();
    this.stateHash = model.hash(this.state) | 0;
    this.bestState = this.state;
    this.recordDepth(0, 0, this.state);
    if (this.defTotal === 0) this.status = 'linearizable';
  }

  /** Runs at most maxSteps search steps; returns the status afterwards. */
  run(maxSteps: number): SearchStatus {
    if (this.status !== 'running') return this.status;
    const next = this.next;
    const prev = this.prev;
    const match = this.match;
    const entOp = this.entOp;
    const inputs = this.inputs;
    const outputs = this.outputs;
    const statuses = this.statuses;
    const definite = this.definite;
    const zob = this.zob;
    const bits = this.bits;
    const cache = this.cache;
    const stackE = this.stackE;
    const stackSH = this.stackSH;
    const stackState = this.stackState;
    const model = this.model;
    const hashNext = this.hashNext;
    const defTotal = this.defTotal;

    let e = this.cursor;
    let state = this.state;
    let sh = this.stateHash;
    let zh = this.zhash;
    let sp = this.sp;
    let defDone = this.defDone;
    let low = this.low;
    let steps = 0;
    let result: SearchStatus = 'running';

    while (steps < maxSteps) {
      steps++;
      if (e === NIL) throw new Error('linearizability search: walked off the end of the history (internal error)');
      const m = match[e];
      if (m !== NIL) {
        // A call entry: try to linearize its operation now.
        const op = entOp[e];
        const ns = model.next(state, inputs[op], outputs[op], statuses[op]);
        if (ns !== REJECT) {
          const w = op >>> 5;
          const bit = 1 << (op & 31);
          bits[w] |= bit;
          const nzh = zh ^ zob[op];
          const nsh = ns === state ? sh : hashNext(sh, state, inputs[op], outputs[op], statuses[op], ns) | 0;
          if (cache.add(bits, nzh ^ Math.imul(nsh, 0x9e3779b1), ns)) {
            stackE[sp] = e;
            stackSH[sp] = sh;
            stackState[sp] = state;
            sp++;
            state = ns;
            sh = nsh;
            zh = nzh;
            // lift the call entry and its return entry out of the list
            let p = prev[e];
            let q = next[e];
            next[p] = q;
            if (q !== NIL) prev[q] = p;
            p = prev[m];
            q = next[m];
            next[p] = q;
            if (q !== NIL) prev[q] = p;
            if (definite[op] === 1 && ++defDone === defTotal) {
              result = 'linearizable';
              break;
            }
            if (sp > this.bestDepth) {
              this.recordDepth(low, sp, state);
              low = sp;
            }
            e = next[HEAD];
            continue;
          }
          bits[w] &= ~bit;
        }
        e = next[e];
      } else {
        // A return entry: its operation should have been linearized already. Backtrack.
        if (sp === 0) {
          result = 'not-linearizable';
          break;
        }
        sp--;
        if (sp < low) low = sp;
        const ce = stackE[sp];
        const op = entOp[ce];
        state = stackState[sp] as S;
        stackState[sp] = undefined;
        sh = stackSH[sp];
        bits[op >>> 5] &= ~(1 << (op & 31));
        zh ^= zob[op];
        if (definite[op] === 1) defDone--;
        // unlift in reverse order: return entry first, then call entry
        const r = match[ce];
        next[prev[r]] = r;
        if (next[r] !== NIL) prev[next[r]] = r;
        next[prev[ce]] = ce;
        if (next[ce] !== NIL) prev[next[ce]] = ce;
        e = next[ce];
      }
    }

    this.explored += steps;
    this.cursor = e;
    this.state = state;
    this.stateHash = sh;
    this.zhash = zh;
    this.sp = sp;
    this.defDone = defDone;
    this.status = result;
    if (result === 'linearizable') {
      this.recordDepth(low, sp, state);
      low = sp;
    }
    this.low = low;
    return result;
  }

  /** Records the current stack (depth entries, of which the first `from` are already recorded). */
  private recordDepth(from: number, depth: number, state: S): void {
    this.bestDepth = depth;
    for (let i = from; i < depth; i++) this.bestOps[i] = this.entOp[this.stackE[i]];
    this.bestState = state;
  }

  get verdict(): Verdict {
    return this.status === 'running' ? 'unknown' : this.status;
  }

  /** Op ids, in linearization order, of the deepest partial linearization found so far. */
  longestPrefix(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.bestDepth; i++) out.push(this.ops[this.bestOps[i]].id);
    return out;
  }

  /**
   * The operations involved where the search got stuck (meaningful once not linearizable):
   * the last operation of the longest prefix that changed the state, the definite operation
   * whose return could not be passed, and the concurrent definite operations that the model
   * rejects in the state reached by the longest prefix. Ids in time order.
   */
  failingOps(): number[] {
    const n = this.n;
    const lin = new Uint8Array(n);
    for (let i = 0; i < this.bestDepth; i++) lin[this.bestOps[i]] = 1;
    const involved = new Set<number>();

    // The last state-changing operation of the prefix (replayed from the initial state).
    let s = this.model.init();
    let writer = -1;
    for (let i = 0; i < this.bestDepth; i++) {
      const op = this.bestOps[i];
      const ns = this.model.next(s, this.inputs[op], this.outputs[op], this.statuses[op]);
      if (ns === REJECT) break; // cannot happen for a recorded prefix
      if (!this.model.equal(ns, s)) writer = op;
      s = ns;
    }
    if (writer >= 0) involved.add(writer);

    // Walk the time-ordered entries, skipping linearized ops, up to the first return entry.
    for (let e = 1; e <= 2 * n; e++) {
      const op = this.entOp[e];
      if (lin[op]) continue;
      if (this.match[e] === NIL) {
        involved.add(op); // its return could not be passed
        break;
      }
      if (!this.definite[op]) continue;
      if (this.model.next(this.bestState, this.inputs[op], this.outputs[op], this.statuses[op]) === REJECT) involved.add(op);
    }
    return [...involved].sort((a, b) => this.ops[a].call - this.ops[b].call || a - b).map((i) => this.ops[i].id);
  }

  result(key: string): PartitionResult {
    const r: PartitionResult = { key, verdict: this.verdict, ops: this.n, explored: this.explored };
    if (this.status === 'not-linearizable') {
      r.longestPrefix = this.longestPrefix();
      r.failingOps = this.failingOps();
    }
    return r;
  }
}

/**
 * Checks a whole history against a model, partition by partition.
 *
 * Partitions are searched round-robin, a slice of steps each (as if in parallel, like
 * Porcupine's goroutines), and the check stops at the first partition found not
 * linearizable, since that decides the verdict: partitions left unfinished then report
 * 'unknown'. Pass `exhaustive: true` to search every partition to the end (subject to the
 * budget) when every per-partition verdict is wanted; beware that refuting a partition can
 * cost far more than finding a linearization of one.
 *
 * With a step budget or a deadline, partitions the search could not finish are 'unknown'
 * (never a guessed verdict). Overall: 'not-linearizable' if any partition is, else
 * 'unknown' if any is, else 'linearizable'.
 */
export function checkHistory<S, I, O>(
  ops: readonly Operation<I, O>[],
  model: Model<S, I, O>,
  opts: CheckOptions = {},
): CheckResult {
  validateHistory(ops);
  const parts = model.partition(ops);
  const searches = parts.map((p) => new LinearizabilitySearch(p.ops, model));
  let budget = opts.budgetSteps ?? Infinity;
  const deadline = opts.deadline;
  let running = searches.filter((s) => s.status === 'running');
  let failed = searches.some((s) => s.status === 'not-linearizable');
  while (running.length > 0 && !(failed && !opts.exhaustive)) {
    if (budget <= 0 || (deadline !== undefined && deadline())) break;
    for (const s of running) {
      if (budget <= 0) break;
      const before = s.explored;
      if (s.run(Math.min(CHUNK, budget)) === 'not-linearizable') failed = true;
      budget -= s.explored - before;
      if (failed && !opts.exhaustive) break;
    }
    running = running.filter((s) => s.status === 'running');
  }
  const results = searches.map((s, i) => s.result(parts[i].key));
  return {
    verdict: combineVerdicts(results.map((r) => r.verdict)),
    partitions: results,
    explored: results.reduce((a, r) => a + r.explored, 0),
  };
}

interface LivePartition<S, I, O> {
  key: string;
  ops: Operation<I, O>[];
  search: LinearizabilitySearch<S, I, O>;
}

/**
 * Checking for a live view: feed operations as they happen (an operation still in flight
 * should be added with status 'info'; add it again with the same id once it completes) and
 * call step(budget) once per frame. Each call spends at most `budget` search steps and
 * returns the current result, 'unknown' until every partition is decided.
 *
 * It always checks the whole history fed so far (a suffix window alone would be unsound,
 * since its starting state is unknown). What it saves: partitions whose operations did not
 * change keep their finished (or half-done) search; a changed partition is searched afresh.
 */
export class IncrementalChecker<S, I, O> {
  private readonly byId = new Map<number, Operation<I, O>>();
  private parts: LivePartition<S, I, O>[] = [];
  private dirty = false;

  constructor(private readonly model: Model<S, I, O>) {}

  /** Adds operations, or replaces the ones with the same id (e.g. a pending op that completed). */
  add(...ops: Operation<I, O>[]): void {
    for (const op of ops) this.byId.set(op.id, op);
    if (ops.length > 0) this.dirty = true;
  }

  /** Forgets everything (e.g. when the simulation restarts). */
  clear(): void {
    this.byId.clear();
    this.parts = [];
    this.dirty = false;
  }

  get size(): number {
    return this.byId.size;
  }

  /** True when every partition has a definite verdict for the current history. */
  get done(): boolean {
    this.refresh();
    return this.parts.every((p) => p.search.status !== 'running');
  }

  /**
   * Spends at most budgetSteps search steps, shared evenly among the undecided partitions
   * (so a hard partition cannot hide a violation in another), and stops early if deadline()
   * says so. Returns the current result.
   */
  step(budgetSteps: number, deadline?: () => boolean): CheckResult {
    this.refresh();
    let budget = Math.floor(budgetSteps);
    let running = this.parts.filter((p) => p.search.status === 'running');
    while (budget > 0 && running.length > 0) {
      const slice = Math.min(CHUNK, Math.max(1, Math.ceil(budget / running.length)));
      for (const p of running) {
        if (budget <= 0) break;
        if (deadline !== undefined && deadline()) return this.result();
        const before = p.search.explored;
        p.search.run(Math.min(slice, budget));
        budget -= p.search.explored - before;
      }
      running = running.filter((p) => p.search.status === 'running');
    }
    return this.result();
  }

  /** The current result without doing any work. */
  result(): CheckResult {
    this.refresh();
    const partitions = this.parts.map((p) => p.search.result(p.key));
    return {
      verdict: combineVerdicts(partitions.map((p) => p.verdict)),
      partitions,
      explored: partitions.reduce((a, p) => a + p.explored, 0),
    };
  }

  private refresh(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const all = [...this.byId.values()];
    validateHistory(all);
    const old = new Map(this.parts.map((p) => [p.key, p]));
    this.parts = this.model.partition(all).map(({ key, ops }) => {
      const prev = old.get(key);
      if (prev && prev.ops.length === ops.length && prev.ops.every((o, i) => o === ops[i])) return prev;
      return { key, ops, search: new LinearizabilitySearch(ops, this.model) };
    });
  }
}
