import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  casRegisterModel,
  checkHistory,
  IncrementalChecker,
  kvModel,
  kvWholeModel,
  type KvInput,
  type KvOutput,
  type Model,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
  type RegValue,
  type Status,
} from '../../src-shared/linearizability/index';

const SEED = 0x11ab;
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

type RegOp = Operation<RegisterInput, RegisterOutput>;
type KvOp = Operation<KvInput, KvOutput>;

/** Exhaustive reference: tries every order consistent with real time (no memo, tiny inputs only). */
function bruteForce<S, I, O>(ops: readonly Operation<I, O>[], model: Model<S, I, O>): boolean {
  const n = ops.length;
  const done = new Array<boolean>(n).fill(false);
  const ret = ops.map((o) => (o.status === 'info' ? Infinity : o.ret));
  const rec = (state: S, definiteLeft: number): boolean => {
    if (definiteLeft === 0) return true; // indeterminate leftovers never took effect
    let minRet = Infinity;
    for (let i = 0; i < n; i++) if (!done[i]) minRet = Math.min(minRet, ret[i]);
    for (let i = 0; i < n; i++) {
      if (done[i] || ops[i].call > minRet) continue;
      const r = model.step(state, ops[i].input, ops[i].output, ops[i].status);
      if (!r.ok) continue;
      done[i] = true;
      const ok = rec(r.newState, definiteLeft - (ops[i].status === 'info' ? 0 : 1));
      done[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return rec(model.init(), ops.filter((o) => o.status !== 'info').length);
}

// --- generators ---------------------------------------------------------------------------

const regInput: fc.Arbitrary<RegisterInput> = fc.oneof(
  fc.constant<RegisterInput>({ f: 'read' }),
  fc.integer({ min: 0, max: 3 }).map((value): RegisterInput => ({ f: 'write', value })),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([from, to]): RegisterInput => ({ f: 'cas', from, to })),
);

/** Outcome of running an input against a real register: output, status and next state. */
function runReg(state: RegValue, input: RegisterInput): { status: Status; output?: RegValue; next: RegValue } {
  if (input.f === 'read') return { status: 'ok', output: state, next: state };
  if (input.f === 'write') return { status: 'ok', next: input.value };
  return state === input.from ? { status: 'ok', next: input.to } : { status: 'fail', next: state };
}

/**
 * A history produced by actually running a register: every op gets an interval and a
 * linearization point inside it; applying ops in linearization-point order produces the
 * outputs. Some ops become indeterminate (their effect kept or dropped). `sequential`
 * makes the intervals disjoint.
 */
function executedRegisterHistory(sequential: boolean): fc.Arbitrary<RegOp[]> {
  const opArb = fc.record({
    input: regInput,
    start: fc.integer({ min: 0, max: 40 }),
    len: fc.integer({ min: 0, max: 12 }),
    lpFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    client: fc.integer({ min: 0, max: 4 }),
    fate: fc.constantFrom('definite', 'definite', 'definite', 'definite', 'info-applied', 'info-dropped'),
  });
  return fc.array(opArb, { minLength: 0, maxLength: 14 }).map((raw) => {
    const items = raw.map((r, i) => {
      const call = sequential ? i * 10 : r.start;
      const ret = sequential ? i * 10 + Math.min(r.len, 9) : r.start + r.len;
      const lp = call + r.lpFrac * (ret - call) + i * 1e-6; // unique points
      return { ...r, call, ret, lp, i };
    });
    const ops: RegOp[] = items.map((it) => ({ id: it.i, client: it.client, input: it.input, call: it.call, ret: it.ret, status: 'ok' as Status }));
    let state: RegValue = null;
    for (const it of [...items].sort((a, b) => a.lp - b.lp)) {
      const out = runReg(state, it.input);
      const op = ops[it.i];
      if (it.fate === 'info-dropped') {
        op.status = 'info';
        op.ret = Infinity;
        continue; // never took effect
      }
      state = out.next;
      if (it.fate === 'info-applied') {
        op.status = 'info';
        op.ret = Infinity;
        continue;
      }
      op.status = out.status;
      if (out.output !== undefined) op.output = out.output;
    }
    return ops;
  });
}

/** Arbitrary small register histories (outputs random, so often not linearizable). */
const randomRegisterHistory: fc.Arbitrary<RegOp[]> = fc
  .array(
    fc.record({
      input: regInput,
      start: fc.integer({ min: 0, max: 20 }),
      len: fc.integer({ min: 0, max: 8 }),
      status: fc.constantFrom<Status>('ok', 'ok', 'ok', 'fail', 'info'),
      read: fc.constantFrom<RegValue>(null, 0, 1, 2, 3),
    }),
    { maxLength: 7 },
  )
  .map((raw) =>
    raw.map((r, i): RegOp => {
      const op: RegOp = { id: i, client: i, input: r.input, call: r.start, ret: r.status === 'info' ? Infinity : r.start + r.len, status: r.status };
      if (r.input.f === 'read' && r.status === 'ok') op.output = r.read;
      return op;
    }),
  );

const KEYS = ['a', 'b', 'c'];
const kvInput: fc.Arbitrary<KvInput> = fc.oneof(
  fc.constantFrom(...KEYS).map((key): KvInput => ({ f: 'get', key })),
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('x', 'y')).map(([key, value]): KvInput => ({ f: 'put', key, value })),
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('x', 'y')).map(([key, value]): KvInput => ({ f: 'append', key, value })),
);

/** Small kv histories: executed for real, then some get outputs perturbed. */
const kvHistory: fc.Arbitrary<KvOp[]> = fc
  .array(
    fc.record({
      input: kvInput,
      start: fc.integer({ min: 0, max: 30 }),
      len: fc.integer({ min: 0, max: 10 }),
      lpFrac: fc.double({ min: 0, max: 1, noNaN: true }),
      status: fc.constantFrom<Status>('ok', 'ok', 'ok', 'ok', 'info', 'fail'),
      perturb: fc.option(fc.constantFrom('', 'x', 'y', 'xy', 'yx'), { freq: 4 }),
    }),
    { maxLength: 10 },
  )
  .map((raw) => {
    const items = raw.map((r, i) => ({ ...r, i, lp: r.start + r.lpFrac * r.len + i * 1e-6 }));
    const store = new Map<string, string>();
    const ops: KvOp[] = items.map((it) => ({
      id: it.i,
      client: it.i,
      input: it.input,
      key: it.input.key,
      call: it.start,
      ret: it.status === 'info' ? Infinity : it.start + it.len,
      status: it.status,
    }));
    for (const it of [...items].sort((a, b) => a.lp - b.lp)) {
      if (it.status === 'fail') continue;
      const cur = store.get(it.input.key) ?? '';
      if (it.input.f === 'get') {
        if (it.status === 'ok') ops[it.i].output = it.perturb ?? cur;
      } else {
        store.set(it.input.key, it.input.f === 'put' ? it.input.value : cur + it.input.value);
      }
    }
    return ops;
  });

// --- properties ---------------------------------------------------------------------------

describe('linearizability properties', () => {
  it('a sequential history produced by running the register is linearizable', () => {
    fc.assert(
      fc.property(executedRegisterHistory(true), (ops) => {
        expect(checkHistory(ops, casRegisterModel()).verdict).toBe('linearizable');
      }),
      runs(300),
    );
  });

  it('a concurrent history produced by running the register is linearizable', () => {
    fc.assert(
      fc.property(executedRegisterHistory(false), (ops) => {
        expect(checkHistory(ops, casRegisterModel()).verdict).toBe('linearizable');
      }),
      runs(300),
    );
  });

  it('a sequential kv history produced by running the store is linearizable', () => {
    const sequentialKv = kvHistory.map((ops) =>
      ops.map((o, i) => ({ ...o, call: i * 10, ret: o.status === 'info' ? Infinity : i * 10 + 5 })),
    );
    // re-run sequentially so outputs match the new order
    fc.assert(
      fc.property(sequentialKv, (ops) => {
        const store = new Map<string, string>();
        for (const o of ops) {
          if (o.status === 'fail') continue;
          const cur = store.get(o.input.key) ?? '';
          if (o.input.f === 'get') {
            if (o.status === 'ok') o.output = cur;
          } else store.set(o.input.key, o.input.f === 'put' ? o.input.value : cur + o.input.value);
        }
        expect(checkHistory(ops, kvModel()).verdict).toBe('linearizable');
        expect(checkHistory(ops, kvWholeModel()).verdict).toBe('linearizable');
      }),
      runs(200),
    );
  });

  it('a read of a value that was never written is never linearizable', () => {
    const arb = fc.tuple(
      fc.oneof(executedRegisterHistory(false), randomRegisterHistory),
      fc.integer({ min: 0, max: 50 }),
      fc.integer({ min: 0, max: 10 }),
      fc.constantFrom<RegValue>(99, 'never', -1),
    );
    fc.assert(
      fc.property(arb, ([ops, start, len, ghost]) => {
        const bad: RegOp = { id: 1000, client: 99, input: { f: 'read' }, output: ghost, call: start, ret: start + len, status: 'ok' };
        const res = checkHistory([...ops, bad], casRegisterModel());
        expect(res.verdict).toBe('not-linearizable');
        expect(res.partitions[0].failingOps!.length).toBeGreaterThan(0);
      }),
      runs(300),
    );
  });

  it('agrees with a brute-force search on small arbitrary register histories', () => {
    let seen = { lin: 0, not: 0 };
    fc.assert(
      fc.property(randomRegisterHistory, (ops) => {
        const expected = bruteForce(ops, casRegisterModel());
        const res = checkHistory(ops, casRegisterModel());
        expect(res.verdict).toBe(expected ? 'linearizable' : 'not-linearizable');
        seen = expected ? { ...seen, lin: seen.lin + 1 } : { ...seen, not: seen.not + 1 };
      }),
      runs(1000),
    );
    // the generator exercises both outcomes
    expect(seen.lin).toBeGreaterThan(100);
    expect(seen.not).toBeGreaterThan(100);
  });

  it('partitioning by key never changes the verdict (and both match brute force)', () => {
    let both = { lin: 0, not: 0 };
    fc.assert(
      fc.property(kvHistory, (ops) => {
        const partitioned = checkHistory(ops, kvModel()).verdict;
        const whole = checkHistory(ops, kvWholeModel()).verdict;
        expect(partitioned).toBe(whole);
        expect(whole).toBe(bruteForce(ops, kvWholeModel()) ? 'linearizable' : 'not-linearizable');
        both = whole === 'linearizable' ? { ...both, lin: both.lin + 1 } : { ...both, not: both.not + 1 };
      }),
      runs(400),
    );
    expect(both.lin).toBeGreaterThan(40);
    expect(both.not).toBeGreaterThan(40);
  });

  it('longestPrefix is a legal sequential run and failingOps belong to the history', () => {
    fc.assert(
      fc.property(randomRegisterHistory, (ops) => {
        const model = casRegisterModel();
        const res = checkHistory(ops, model);
        fc.pre(res.verdict === 'not-linearizable');
        const p = res.partitions[0];
        const byId = new Map(ops.map((o) => [o.id, o]));
        let s = model.init();
        for (const id of p.longestPrefix!) {
          const o = byId.get(id)!;
          const r = model.step(s, o.input, o.output, o.status);
          expect(r.ok).toBe(true);
          s = r.newState;
        }
        expect(p.failingOps!.length).toBeGreaterThan(0);
        for (const id of p.failingOps!) expect(byId.has(id)).toBe(true);
      }),
      runs(300),
    );
  });

  it('a budget only ever turns a verdict into unknown', () => {
    fc.assert(
      fc.property(fc.oneof(randomRegisterHistory, executedRegisterHistory(false)), fc.integer({ min: 1, max: 200 }), (ops, budget) => {
        const full = checkHistory(ops, casRegisterModel()).verdict;
        const limited = checkHistory(ops, casRegisterModel(), { budgetSteps: budget }).verdict;
        expect([full, 'unknown']).toContain(limited);
      }),
      runs(300),
    );
  });

  it('the incremental checker ends where checkHistory does, whatever the feeding order and budget', () => {
    fc.assert(
      fc.property(kvHistory, fc.integer({ min: 1, max: 50 }), fc.integer(), (ops, budget, salt) => {
        const inc = new IncrementalChecker(kvModel());
        const order = ops.map((o, i) => ({ o, k: Math.imul(i + 1, salt | 1) >>> 0 })).sort((a, b) => a.k - b.k);
        for (const { o } of order) {
          inc.add(o);
          inc.step(budget);
        }
        let guard = 0;
        while (!inc.done && guard++ < 1e5) inc.step(budget);
        expect(inc.result().verdict).toBe(checkHistory(ops, kvModel(), { exhaustive: true }).verdict);
      }),
      runs(200),
    );
  });
});
