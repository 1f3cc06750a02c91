import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  casRegisterModel,
  checkHistory,
  detectFormat,
  HistoryParseError,
  IncrementalChecker,
  kvModel,
  kvWholeModel,
  parseJepsenRegisterLog,
  parseKvHistory,
  registerModel,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
  type RegValue,
} from '../../src-shared/linearizability/index';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = resolve(REPO, '../shared/external/porcupine-histories');

// The recorded histories are required: without them these tests must fail, not skip.
if (!existsSync(join(DATA, 'etcd')) || !existsSync(join(DATA, 'kv'))) {
  throw new Error(`porcupine-histories data not found at ${DATA} (expected ../shared/external/porcupine-histories next to the repo)`);
}

function readVerdicts(file: string): [string, string][] {
  const rows = readFileSync(join(DATA, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t') as [string, string]);
  for (const [name, verdict] of rows) {
    if (!name || (verdict !== 'linearizable' && verdict !== 'not-linearizable')) throw new Error(`${file}: bad row '${name}\t${verdict}'`);
  }
  return rows;
}

const etcdVerdicts = readVerdicts('etcd-verdicts-sample.tsv');
const kvVerdicts = readVerdicts('kv-verdicts.tsv');
const etcd = (name: string) => parseJepsenRegisterLog(readFileSync(join(DATA, 'etcd', name), 'utf8'));
const kv = (name: string) => parseKvHistory(readFileSync(join(DATA, 'kv', name), 'utf8'));

// --- small history builders -------------------------------------------------------------
type RegOp = Operation<RegisterInput, RegisterOutput>;
let nextId = 0;
function op(call: number, ret: number, input: RegisterInput, status: 'ok' | 'fail' | 'info' = 'ok', output?: RegValue): RegOp {
  const o: RegOp = { id: nextId++, client: nextId, input, call, ret: status === 'info' ? Infinity : ret, status };
  if (output !== undefined) o.output = output;
  return o;
}
const write = (call: number, ret: number, value: number, status: 'ok' | 'fail' | 'info' = 'ok') => op(call, ret, { f: 'write', value }, status);
const read = (call: number, ret: number, value: RegValue, status: 'ok' | 'fail' | 'info' = 'ok') => op(call, ret, { f: 'read' }, status, value);
const cas = (call: number, ret: number, from: number, to: number, status: 'ok' | 'fail' | 'info' = 'ok') => op(call, ret, { f: 'cas', from, to }, status);
const verdictOf = (ops: RegOp[]) => checkHistory(ops, casRegisterModel()).verdict;

describe('known verdicts (Porcupine test data)', () => {
  it('has the verdict files', () => {
    expect(etcdVerdicts.length).toBeGreaterThanOrEqual(30);
    expect(kvVerdicts.length).toBe(6);
  });

  it.each(etcdVerdicts)('%s is %s', (name, expected) => {
    const res = checkHistory(etcd(name), casRegisterModel());
    expect(res.verdict).toBe(expected);
  });

  it.each(kvVerdicts)('kv %s is %s', (name, expected) => {
    const res = checkHistory(kv(name), kvModel());
    expect(res.verdict).toBe(expected);
    expect(res.partitions.length).toBeGreaterThan(1);
  });

  it('all 103 etcd logs parse and get a definite verdict', () => {
    const files = readdirSync(join(DATA, 'etcd')).filter((f) => f.endsWith('.log'));
    expect(files).toHaveLength(103);
    for (const f of files) {
      const res = checkHistory(etcd(f), casRegisterModel(), { budgetSteps: 20_000_000 });
      expect(res.verdict, f).not.toBe('unknown');
    }
  });

  it('etcd_095 (cluster never started) is empty, hence vacuously linearizable', () => {
    expect(readFileSync(join(DATA, 'etcd/etcd_095.log'), 'utf8')).toBe('');
    const ops = etcd('etcd_095.log');
    expect(ops).toEqual([]);
    const res = checkHistory(ops, casRegisterModel());
    expect(res).toEqual({ verdict: 'linearizable', partitions: [{ key: '', verdict: 'linearizable', ops: 0, explored: 0 }], explored: 0 });
  });

  it('exhaustive mode decides every partition of c10 (ok and bad)', () => {
    const ok = checkHistory(kv('c10-ok.txt'), kvModel(), { exhaustive: true });
    expect(ok.partitions.every((p) => p.verdict === 'linearizable')).toBe(true);
    const bad = checkHistory(kv('c10-bad.txt'), kvModel(), { exhaustive: true });
    expect(bad.partitions.every((p) => p.verdict !== 'unknown')).toBe(true);
    expect(bad.partitions.filter((p) => p.verdict === 'not-linearizable').length).toBeGreaterThan(1);
  });

  it('the partitioned and the whole-store kv models agree on c01', () => {
    // (c10 agrees too, but unpartitioned it takes ~1.6M search steps against ~1.5K:
    // P-compositionality at work; too slow for a unit test.)
    for (const f of ['c01-ok.txt', 'c01-bad.txt']) {
      const ops = kv(f);
      expect(checkHistory(ops, kvWholeModel()).verdict, f).toBe(checkHistory(ops, kvModel()).verdict);
    }
  });

  it('reports a failing spot inside the bad kv history', () => {
    const ops = kv('c01-bad.txt');
    const res = checkHistory(ops, kvModel());
    const bad = res.partitions.find((p) => p.verdict === 'not-linearizable')!;
    expect(bad.failingOps!.length).toBeGreaterThan(0);
    expect(bad.failingOps!.length).toBeLessThanOrEqual(5);
    const ids = new Set(ops.filter((o) => o.key === bad.key).map((o) => o.id));
    for (const id of [...bad.failingOps!, ...bad.longestPrefix!]) expect(ids.has(id)).toBe(true);
    // the longest prefix really is linearizable: replay it sequentially
    const model = kvModel();
    let s = model.init();
    for (const id of bad.longestPrefix!) {
      const o = ops.find((x) => x.id === id)!;
      const r = model.step(s, o.input, o.output, o.status);
      expect(r.ok).toBe(true);
      s = r.newState;
    }
  });
});

describe('checker basics', () => {
  it('textbook register examples', () => {
    // w(100) spans [0,100]; r->100 at [25,75]; r->null(0) at [30,60]: fine (read before the write takes effect)
    expect(verdictOf([write(0, 100, 100), read(25, 75, 100), read(30, 60, null)])).toBe('linearizable');
    // r->200 at [10,30] then r->null at [40,90]: the write was visible, cannot vanish
    expect(verdictOf([write(0, 100, 200), read(10, 30, 200), read(40, 90, null)])).toBe('not-linearizable');
  });

  it('equal timestamps count as overlapping', () => {
    expect(verdictOf([write(0, 5, 1), read(5, 6, null)])).toBe('linearizable');
    expect(verdictOf([write(0, 5, 1), read(6, 7, null)])).toBe('not-linearizable');
  });

  it('a stale read reports the prefix and the ops where it got stuck', () => {
    const w1 = write(0, 1, 1);
    const w2 = write(2, 3, 2);
    const r = read(4, 5, 1);
    const res = checkHistory([w1, w2, r], casRegisterModel());
    expect(res.verdict).toBe('not-linearizable');
    expect(res.partitions[0].longestPrefix).toEqual([w1.id, w2.id]);
    expect(res.partitions[0].failingOps).toEqual([w2.id, r.id]);
  });

  it('cas ok/fail semantics', () => {
    expect(verdictOf([write(0, 1, 1), cas(2, 3, 1, 5), read(4, 5, 5)])).toBe('linearizable');
    expect(verdictOf([write(0, 1, 1), cas(2, 3, 2, 5), read(4, 5, 5)])).toBe('not-linearizable');
    // a failed cas observes that the value was not `from`
    expect(verdictOf([write(0, 1, 1), cas(2, 3, 2, 5, 'fail'), read(4, 5, 1)])).toBe('linearizable');
    expect(verdictOf([write(0, 1, 1), cas(2, 3, 1, 5, 'fail')])).toBe('not-linearizable');
    // ... unless a concurrent write changed it in between
    expect(verdictOf([write(0, 1, 1), cas(2, 5, 1, 5, 'fail'), write(3, 4, 7)])).toBe('linearizable');
  });

  it('a failed read or write has no effect', () => {
    expect(verdictOf([read(0, 1, 42, 'fail'), write(2, 3, 1, 'fail'), read(4, 5, null)])).toBe('linearizable');
  });

  it('the plain register model refuses cas', () => {
    expect(() => checkHistory([cas(0, 1, 1, 2)], registerModel())).toThrow(/cas/);
    expect(checkHistory([write(0, 1, 3), read(2, 3, 3)], registerModel()).verdict).toBe('linearizable');
  });

  it('rejects invalid histories', () => {
    const a = write(0, 1, 1);
    expect(() => checkHistory([a, a], casRegisterModel())).toThrow(/more than once/);
    expect(() => checkHistory([write(5, 1, 1)], casRegisterModel())).toThrow(/before it is called/);
    expect(() => checkHistory([{ ...write(0, 1, 1), ret: Infinity }], casRegisterModel())).toThrow(/info/);
  });

  it('an empty history and a history of only indeterminate ops are linearizable', () => {
    expect(verdictOf([])).toBe('linearizable');
    expect(verdictOf([write(0, 0, 1, 'info'), cas(1, 0, 3, 4, 'info')])).toBe('linearizable');
  });
});

describe('indeterminate (:info) operations', () => {
  it('may have taken effect', () => {
    expect(verdictOf([write(0, 0, 1, 'info'), read(5, 6, 1)])).toBe('linearizable');
  });
  it('may not have taken effect', () => {
    expect(verdictOf([write(0, 0, 1, 'info'), read(5, 6, null)])).toBe('linearizable');
  });
  it('may take effect long after the client gave up', () => {
    expect(verdictOf([write(0, 0, 1, 'info'), read(5, 6, null), read(7, 8, 1), read(9, 10, 1)])).toBe('linearizable');
  });
  it('take effect at most once, at one point', () => {
    expect(verdictOf([write(0, 0, 1, 'info'), read(5, 6, 1), read(7, 8, null)])).toBe('not-linearizable');
    expect(verdictOf([write(0, 1, 0), write(2, 0, 1, 'info'), read(5, 6, 1), write(7, 8, 2), read(9, 10, 1)])).toBe('not-linearizable');
  });
  it('cannot take effect before they are called', () => {
    expect(verdictOf([read(0, 1, 1), write(2, 0, 1, 'info')])).toBe('not-linearizable');
  });
  it('an indeterminate cas applies only if the compare holds at its linearization point', () => {
    const base = () => [write(0, 1, 0), cas(2, 0, 0, 5, 'info')];
    expect(verdictOf([...base(), read(5, 6, 5)])).toBe('linearizable');
    expect(verdictOf([...base(), read(5, 6, 0)])).toBe('linearizable');
    expect(verdictOf([write(0, 1, 3), cas(2, 0, 0, 5, 'info'), read(5, 6, 5)])).toBe('not-linearizable');
  });
  it('their return time is ignored (treated as never returning)', () => {
    const w = { ...write(0, 1, 1, 'info'), ret: 1 };
    expect(verdictOf([w, read(5, 6, null), read(7, 8, 1)])).toBe('linearizable');
  });
  it('on real data: :info ops in etcd logs never complete', () => {
    const ops = etcd('etcd_000.log');
    const info = ops.filter((o) => o.status === 'info');
    expect(info.length).toBeGreaterThan(0);
    expect(info.every((o) => o.ret === Infinity && o.output === undefined)).toBe(true);
  });
});

describe('budgets', () => {
  const hard = () => etcd('etcd_002.log');
  it('a step budget too small gives unknown, never a wrong verdict', () => {
    for (const budget of [1, 10, 1000, 50_000]) {
      const res = checkHistory(hard(), casRegisterModel(), { budgetSteps: budget });
      expect(res.verdict).toBe('unknown');
      expect(res.explored).toBeLessThanOrEqual(budget);
    }
  });
  it('a passed deadline gives unknown', () => {
    expect(checkHistory(hard(), casRegisterModel(), { deadline: () => true }).verdict).toBe('unknown');
  });
  it('a budget on a failing history is unknown or the right verdict', () => {
    const ops = etcd('etcd_000.log');
    for (const budget of [1, 100, 1000, 10_000, 1_000_000]) {
      const v = checkHistory(ops, casRegisterModel(), { budgetSteps: budget }).verdict;
      expect(['unknown', 'not-linearizable']).toContain(v);
    }
  });
});

describe('IncrementalChecker', () => {
  it('reaches the same verdict as checkHistory, a little work per frame', () => {
    for (const name of ['etcd_000.log', 'etcd_005.log']) {
      const ops = etcd(name);
      const inc = new IncrementalChecker(casRegisterModel());
      // Feed in arrival order; ops still in flight are fed as indeterminate first.
      for (const o of ops) {
        inc.add({ ...o, status: 'info', ret: Infinity });
        inc.add(o);
        inc.step(50);
      }
      let frames = 0;
      let res = inc.step(1000);
      while (!inc.done) {
        expect(res.verdict === 'unknown' || res.verdict === 'not-linearizable').toBe(true);
        res = inc.step(1000);
        frames++;
        expect(frames).toBeLessThan(100_000);
      }
      expect(res.verdict).toBe(checkHistory(ops, casRegisterModel()).verdict);
    }
  });

  it('reports unknown until done, and keeps finished partitions when another changes', () => {
    const ops = kv('c10-ok.txt');
    const inc = new IncrementalChecker(kvModel());
    inc.add(...ops);
    expect(inc.result().verdict).toBe('unknown');
    let res = inc.step(10);
    expect(res.verdict).toBe('unknown');
    while (!inc.done) res = inc.step(100);
    expect(res.verdict).toBe('linearizable');
    const before = res.partitions.map((p) => p.explored);
    // a get of a value never written, on key "0" only
    const last = Math.max(...ops.map((o) => o.ret));
    inc.add({ id: 10_000, client: 99, input: { f: 'get', key: '0' }, output: 'nope', call: last + 1, ret: last + 2, status: 'ok', key: '0' });
    while (!inc.done) res = inc.step(100);
    expect(res.verdict).toBe('not-linearizable');
    const changed = res.partitions.filter((p, i) => p.explored !== before[i] || p.verdict !== 'linearizable');
    expect(changed.map((p) => p.key)).toEqual(['0']);
    inc.clear();
    expect(inc.step(10).verdict).toBe('linearizable');
  });
});

describe('parsers', () => {
  const line = (p: number, type: string, f: string, v: string) => `INFO  jepsen.util - ${p}\t:${type}\t:${f}\t${v}`;

  it('reads every line shape of the etcd logs', () => {
    const text = [
      line(0, 'invoke', 'read', 'nil'),
      'INFO  jepsen.util - 1   :invoke :write  3', // space-separated variant
      line(2, 'invoke', 'cas', '[3 4]'),
      line(3, 'invoke', 'read', 'nil'),
      line(4, 'invoke', 'cas', '[1 2]'),
      line(0, 'ok', 'read', 'nil'),
      line(1, 'ok', 'write', '3'),
      line(2, 'ok', 'cas', '[3 4]'),
      line(3, 'fail', 'read', ':timed-out'),
      line(4, 'info', 'cas', ':timed-out'),
      '',
      line(0, 'invoke', 'write', '7'),
      line(1, 'invoke', 'cas', '[4 9]'),
      line(1, 'fail', 'cas', '[4 9]') + '\r',
    ].join('\n');
    const ops = parseJepsenRegisterLog(text);
    expect(ops.map((o) => [o.id, o.client, o.input.f, o.status, o.output, o.call, o.ret])).toEqual([
      [0, 0, 'read', 'ok', null, 1, 6],
      [1, 1, 'write', 'ok', undefined, 2, 7],
      [2, 2, 'cas', 'ok', undefined, 3, 8],
      [3, 3, 'read', 'fail', undefined, 4, 9],
      [4, 4, 'cas', 'info', undefined, 5, Infinity],
      [5, 0, 'write', 'info', undefined, 12, Infinity], // pending at the end: indeterminate
      [6, 1, 'cas', 'fail', undefined, 13, 14],
    ]);
    expect(ops[2].input).toEqual({ f: 'cas', from: 3, to: 4 });
    expect(detectFormat(text)).toBe('jepsen-register');
  });

  const etcdError = (text: string) => {
    try {
      parseJepsenRegisterLog(text);
    } catch (e) {
      expect(e).toBeInstanceOf(HistoryParseError);
      return { line: (e as HistoryParseError).line, message: (e as Error).message };
    }
    throw new Error('expected a parse error');
  };

  it('names the line and the problem in malformed etcd logs', () => {
    const ok = line(0, 'invoke', 'read', 'nil');
    expect(etcdError([ok, 'garbage here'].join('\n'))).toMatchObject({ line: 2, message: expect.stringMatching(/^line 2: not a Jepsen history line/) });
    expect(etcdError([ok, line(0, 'done', 'read', '1')].join('\n'))).toMatchObject({ line: 2, message: expect.stringMatching(/unknown type ':done'/) });
    expect(etcdError([line(0, 'invoke', 'frob', 'nil')].join('\n'))).toMatchObject({ line: 1, message: expect.stringMatching(/unknown function ':frob'/) });
    expect(etcdError(['', line(0, 'invoke', 'write', 'x')].join('\n'))).toMatchObject({ line: 2, message: expect.stringMatching(/integer/) });
    expect(etcdError([line(0, 'invoke', 'cas', '[1]')].join('\n'))).toMatchObject({ line: 1, message: expect.stringMatching(/\[from to\]/) });
    expect(etcdError([line(0, 'ok', 'read', '1')].join('\n'))).toMatchObject({ line: 1, message: expect.stringMatching(/no pending invocation/) });
    expect(etcdError([ok, line(0, 'invoke', 'read', 'nil')].join('\n'))).toMatchObject({ line: 2, message: expect.stringMatching(/still pending/) });
    expect(etcdError([ok, line(0, 'ok', 'write', '1')].join('\n'))).toMatchObject({ line: 2, message: expect.stringMatching(/pending invocation \(line 1\) is :read/) });
    expect(etcdError([line(0, 'invoke', 'write', '1'), line(0, 'ok', 'write', '2')].join('\n'))).toMatchObject({ line: 2, message: expect.stringMatching(/invoked :write 1/) });
    expect(etcdError([ok, line(0, 'ok', 'read', 'maybe')].join('\n'))).toMatchObject({ line: 2 });
    expect(etcdError(['INFO  jepsen.util - x\t:invoke\t:read\tnil'].join('\n'))).toMatchObject({ line: 1, message: expect.stringMatching(/process 'x'/) });
  });

  it('reads EDN-like kv lines', () => {
    const text = [
      '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}',
      '{:process 1, :type :invoke, :f :get, :key "0", :value nil}',
      '{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}',
      '{:process 1, :type :ok, :f :get, :key "0", :value ""}',
      '{:process 2 :type :invoke :f :put :key 7 :value "a \\"q\\""}',
      '{:process 2, :type :info, :f :put, :key "7", :value "a \\"q\\""}',
      '{:process 3, :type :invoke, :f :get, :key "0", :value nil}',
      '{:process 3, :type :ok, :f :get, :key "0", :value "x 0 0 y"}',
    ].join('\n');
    const ops = parseKvHistory(text);
    expect(ops.map((o) => [o.id, o.key, o.input, o.status, o.output, o.call, o.ret])).toEqual([
      [0, '0', { f: 'append', key: '0', value: 'x 0 0 y' }, 'ok', undefined, 1, 3],
      [1, '0', { f: 'get', key: '0' }, 'ok', '', 2, 4],
      [2, '7', { f: 'put', key: '7', value: 'a "q"' }, 'info', undefined, 5, Infinity],
      [3, '0', { f: 'get', key: '0' }, 'ok', 'x 0 0 y', 7, 8],
    ]);
    expect(detectFormat(text)).toBe('kv-edn');
    expect(checkHistory(ops, kvModel()).verdict).toBe('linearizable');
  });

  it('names the line and the problem in malformed kv histories', () => {
    const err = (text: string) => {
      try {
        parseKvHistory(text);
      } catch (e) {
        return e as HistoryParseError;
      }
      throw new Error('expected a parse error');
    };
    const inv = '{:process 0, :type :invoke, :f :get, :key "0", :value nil}';
    expect(err([inv, '{:process 0, :type :ok, :f :get, :key "0", :value "x}'].join('\n'))).toMatchObject({ line: 2, message: expect.stringMatching(/unterminated string/) });
    expect(err(['', '', '{:process 0, :f :get, :key "0"}'].join('\n'))).toMatchObject({ line: 3, message: expect.stringMatching(/missing :type/) });
    expect(err(['{:process 0, :type :invoke, :f :incr, :key "0"}'].join('\n'))).toMatchObject({ line: 1, message: expect.stringMatching(/:f should be/) });
    expect(err([inv, '{:process 0, :type :ok, :f :get, :key "1", :value ""}'].join('\n'))).toMatchObject({ line: 2, message: expect.stringMatching(/key "1"/) });
    expect(err(['{:process 0, :type :invoke, :f :put, :key "0"}'].join('\n'))).toMatchObject({ line: 1, message: expect.stringMatching(/string :value/) });
    expect(err(['{:process 0 :type}'].join('\n'))).toMatchObject({ line: 1, message: expect.stringMatching(/expected a value/) });
    expect(err(['(:process 0)'].join('\n'))).toMatchObject({ line: 1, message: expect.stringMatching(/expected '\{'/) });
    expect(err([inv, inv].join('\n'))).toMatchObject({ line: 2, message: expect.stringMatching(/still pending/) });
  });

  it('every recorded kv history parses with all operations completed', () => {
    for (const f of readdirSync(join(DATA, 'kv'))) {
      const ops = kv(f);
      expect(ops.length, f).toBeGreaterThan(0);
      expect(ops.every((o) => o.status === 'ok'), f).toBe(true);
    }
  });
});
