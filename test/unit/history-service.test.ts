import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, emptyHistory, HistoryService, type HistoryLimits, type HistoryState } from '../../src-main/engine/services/history';
import { checkWindow, INITIAL_STATE, type WindowOp } from '../../src-main/engine/services/history-window';
import { checkHistory, registerModel, type Operation, type RegisterInput, type RegValue } from '../../src-shared/linearizability';

/** A service on a fake clock that records evidence in a list. */
function harness(limits: Partial<HistoryLimits> = {}) {
  let now = 0;
  const evidence: { seq: number; type: string; scope: string; node: string; detail: Record<string, unknown> }[] = [];
  const svc = new HistoryService(
    {
      now_ms: () => now,
      evidence: (type, scope, node, detail) => {
        evidence.push({ seq: evidence.length, type, scope, node, detail });
        return evidence.length - 1;
      },
    },
    { ...DEFAULT_LIMITS, minOps: 2, maxAge_ms: 1000, ...limits },
  );
  const st: HistoryState = emptyHistory();
  const at = (t: number) => {
    now = t;
  };
  const w = (client: string, key: string, value: string) => svc.invoke(st, client, client.split('/')[0]!, key, { f: 'write', value });
  const r = (client: string, key: string) => svc.invoke(st, client, client.split('/')[0]!, key, { f: 'read' });
  const done = (id: number, status: 'ok' | 'fail' | 'info' = 'ok', out?: RegValue) => svc.complete(st, id, status, out);
  const tick = () => svc.tick(st);
  const windows = (key: string) => st.keys[key]!.windows;
  return { svc, st, at, w, r, done, tick, windows, evidence };
}

const PROTOCOL_SS = { value: 'SS', basis: 'sequencer lease', evidence: [7] };

describe('history service: recording and windows', () => {
  it('checks a sequential window and carries its end state into the next one', () => {
    const h = harness();
    h.at(0);
    const a = h.w('us/writer', 'k', 'a');
    h.at(5);
    h.done(a);
    h.at(10);
    const x = h.r('eu/reader', 'k');
    h.at(12);
    h.done(x, 'ok', 'a');
    h.at(20);
    h.tick();
    const [w1] = h.windows('k');
    expect(w1!.verdict).toBe('linearizable');
    expect(w1!.end).toEqual({ any: false, values: ['a'], exact: true });
    expect(w1!.linearization).toEqual([a, x]);
    // A later read of the initial value is stale: the start state carried over proves it.
    h.at(30);
    const y = h.r('ap/reader', 'k');
    h.at(31);
    h.done(y, 'ok', null);
    h.at(32);
    const z = h.r('ap/reader', 'k');
    h.at(33);
    h.done(z, 'ok', 'a');
    h.at(40);
    h.tick();
    const w2 = h.windows('k')[1]!;
    expect(w2.start).toEqual({ any: false, values: ['a'], exact: true });
    expect(w2.verdict).toBe('not-linearizable');
    expect(w2.offending).toEqual([y]);
    expect(h.st.stats).toMatchObject({ windows: 2, linearizable: 1, not_linearizable: 1 });
  });

  it('a stale read: the verdict cites a minimal set of offending operations as evidence', () => {
    const h = harness({ minOps: 100, maxAge_ms: 100 });
    const ops: number[] = [];
    h.at(0);
    const wa = h.w('us/writer', 'k', 'a');
    h.at(1);
    h.done(wa);
    h.at(2);
    const wb = h.w('us/writer', 'k', 'b');
    h.at(3);
    h.done(wb);
    // unrelated reads that are fine
    for (let i = 0; i < 5; i++) {
      h.at(4 + i);
      const q = h.r('eu/reader', 'k');
      ops.push(q);
      h.done(q, 'ok', 'b');
    }
    h.at(20);
    const stale = h.r('ap/reader', 'k');
    h.at(21);
    h.done(stale, 'ok', 'a');
    h.at(200);
    h.tick();
    const w = h.windows('k')[0]!;
    expect(w.verdict).toBe('not-linearizable');
    expect(w.minimal).toBe(true);
    // The proof: a written, then b written, then a read of a. Nothing else is needed.
    expect(w.offending).toEqual([wa, wb, stale]);
    expect(w.stuck).toBe(stale);
    expect(w.fail_at).toBe(21);
    const opRecords = h.evidence.filter((e) => e.type === 'history-op');
    expect(opRecords.map((e) => e.detail.op)).toEqual([wa, wb, stale]);
    const verdict = h.evidence.filter((e) => e.type === 'linearizability');
    // Only apac observed the inconsistent state.
    expect(verdict.map((e) => e.scope)).toEqual(['ap']);
    expect(verdict[0]!.detail).toMatchObject({ verdict: 'not-linearizable', key: 'k', offending: [wa, wb, stale] });
    expect(w.evidence).toEqual([verdict[0]!.seq, ...opRecords.map((e) => e.seq)]);
  });

  it('does not cut while a write is in flight, and cuts at a quiescent point', () => {
    const h = harness();
    h.at(0);
    const a = h.w('us/writer', 'k', 'a');
    const q = h.r('eu/reader', 'k');
    h.at(1);
    h.done(q, 'ok', null);
    h.at(2000);
    h.tick();
    expect(h.windows('k')).toHaveLength(0);
    h.done(a);
    h.at(2001);
    h.tick();
    expect(h.windows('k')).toHaveLength(1);
    expect(h.windows('k')[0]!.verdict).toBe('linearizable');
  });

  it('keys are independent windows (P-compositional)', () => {
    const h = harness();
    h.at(0);
    const a = h.w('us/writer', 'k1', 'a');
    const b = h.w('us/writer', 'k2', 'b');
    h.at(1);
    h.done(a);
    h.done(b);
    const r1 = h.r('eu/reader', 'k1');
    const r2 = h.r('eu/reader', 'k2');
    h.at(2);
    h.done(r1, 'ok', 'a');
    h.done(r2, 'ok', 'b');
    h.at(10);
    h.tick();
    expect(h.windows('k1')[0]!.verdict).toBe('linearizable');
    expect(h.windows('k2')[0]!.verdict).toBe('linearizable');
  });

  it('a read of an indeterminate write from an earlier window is checked together with it', () => {
    const h = harness();
    h.at(0);
    const a = h.w('us/writer', 'k', 'a');
    h.at(1);
    h.done(a, 'info');
    const x = h.r('eu/reader', 'k');
    h.at(2);
    h.done(x, 'ok', null);
    h.at(10);
    h.tick();
    expect(h.windows('k')[0]!.verdict).toBe('linearizable');
    // Much later, somebody reads a: the indeterminate write took effect late. Linearizable.
    h.at(100);
    const y = h.r('eu/reader', 'k');
    h.at(101);
    h.done(y, 'ok', 'a');
    const z = h.r('ap/reader', 'k');
    h.at(102);
    h.done(z, 'ok', 'a');
    h.at(200);
    h.tick();
    const w2 = h.windows('k')[1]!;
    expect(w2.verdict).toBe('linearizable');
    expect(w2.spanFrom).toBe(h.windows('k')[0]!.id);
    expect(h.st.stats.merged).toBe(1);
  });

  it('a read still in flight at a forced cut joins the next window and is checked across the cut', () => {
    const h = harness({ minOps: 3, forceOps: 2, maxAge_ms: 1e9, forceAge_ms: 1e9 });
    h.at(0);
    const slow = h.r('ap/reader', 'k'); // in flight across the cut
    const a = h.w('us/writer', 'k', 'a');
    h.at(1);
    h.done(a);
    const b = h.w('us/writer', 'k', 'b');
    h.at(2);
    h.done(b);
    h.at(3);
    h.tick(); // cut with the read in flight
    expect(h.windows('k')).toHaveLength(1);
    expect(h.windows('k')[0]!.ops).not.toContain(slow);
    h.at(4);
    h.done(slow, 'ok', 'a'); // it read a: it must have linearized between a and b, in the first window
    const c = h.w('us/writer', 'k', 'c');
    h.at(5);
    h.done(c);
    const d = h.r('eu/reader', 'k');
    h.at(5.5);
    h.done(d, 'ok', 'c');
    h.at(6);
    h.tick();
    const w2 = h.windows('k')[1]!;
    expect(w2.ops).toContain(slow);
    expect(w2.verdict).toBe('linearizable');
    expect(w2.spanFrom).toBe(h.windows('k')[0]!.id);
  });

  it('out of budget is unknown, never a violation, and the next window starts from any value', () => {
    const h = harness({ windowBudget: 1, minOps: 100, maxAge_ms: 50 });
    h.at(0);
    const ids = ['a', 'b', 'c', 'd'].map((v) => h.w('us/writer', 'k', v));
    h.at(1);
    for (const id of ids) h.done(id);
    const q = h.r('eu/reader', 'k');
    h.at(2);
    h.done(q, 'ok', 'zzz');
    h.at(100);
    h.tick();
    const w = h.windows('k')[0]!;
    expect(w.verdict).toBe('unknown');
    expect(h.st.keys.k!.lastEnd.any).toBe(true);
    expect(h.svc.order(h.st, 'eu', PROTOCOL_SS).value).toBe('SS');
    expect(h.svc.order(h.st, 'eu', PROTOCOL_SS).basis).toMatch(/NOT verified/);
  });

  it('an operation pending too long becomes indeterminate; its late completion is ignored', () => {
    const h = harness({ pendingTimeout_ms: 1000 });
    h.at(0);
    const a = h.w('us/writer', 'k', 'a');
    h.at(1500);
    h.tick();
    expect(h.st.ops[a]!.status).toBe('info');
    expect(() => h.done(a)).not.toThrow();
    expect(h.st.ops[a]!.status).toBe('info');
  });

  it('rejects duplicate write values, double completion and unknown ops', () => {
    const h = harness();
    const a = h.w('us/writer', 'k', 'a');
    expect(() => h.w('eu/writer', 'k', 'a')).toThrow(/unique/);
    h.done(a);
    expect(() => h.done(a)).toThrow(/twice/);
    expect(() => h.done(999)).toThrow(/no such operation/);
  });

  it('the state is plain data (checkpoints clone it)', () => {
    const h = harness();
    const a = h.w('us/writer', 'k', 'a');
    h.at(3);
    h.done(a);
    h.at(10);
    h.tick();
    expect(structuredClone(h.st)).toEqual(h.st);
    expect(JSON.parse(JSON.stringify(h.st))).toEqual(h.st);
  });
});

describe('history service: Order earned from evidence', () => {
  it('a violation caps Order at Causal and cites the checker evidence; a later verified window restores it', () => {
    const h = harness();
    h.at(0);
    expect(h.svc.order(h.st, 'ap', PROTOCOL_SS)).toEqual(PROTOCOL_SS); // nothing recorded: untouched
    const a = h.w('us/writer', 'k', 'a');
    h.at(1);
    h.done(a);
    h.at(1.5);
    const q = h.r('ap/reader', 'k');
    h.at(2);
    h.done(q, 'ok', null);
    h.at(10);
    h.tick();
    const bad = h.svc.order(h.st, 'ap', PROTOCOL_SS);
    expect(bad.value).toBe('Causal');
    expect(bad.basis).toMatch(/not linearizable/);
    expect(bad.evidence!.length).toBeGreaterThanOrEqual(2);
    expect(h.svc.order(h.st, 'us', PROTOCOL_SS).value).toBe('SS');
    // A None protocol order stays None.
    expect(h.svc.order(h.st, 'ap', { value: 'None', basis: 'no lease' }).value).toBe('None');

    h.at(20);
    const q2 = h.r('ap/reader', 'k');
    h.at(21);
    h.done(q2, 'ok', 'a');
    h.at(1100); // one op only: the window is cut once it is old enough
    h.tick();
    const good = h.svc.order(h.st, 'ap', PROTOCOL_SS);
    expect(good.value).toBe('SS');
    expect(good.basis).toMatch(/verified linearizable/);
    expect(good.basis).toMatch(/from any start state/); // relative: after the violation
  });

  it('an unverified scope keeps the protocol Order but says it is not verified', () => {
    const h = harness();
    h.w('us/writer', 'k', 'a');
    const o = h.svc.order(h.st, 'eu', PROTOCOL_SS);
    expect(o.value).toBe('SS');
    expect(o.basis).toMatch(/not verified by the history checker yet/);
  });
});

// ---- windows vs whole history: soundness and exactness ------------------------------------

/** A seeded PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ev {
  t: number;
  kind: 'call' | 'ret';
  i: number;
}

/**
 * A random single-key history of a register: each op has a linearization point inside its
 * interval (so the history is linearizable) unless `stale` makes a read return an older value.
 */
function randomHistory(rand: () => number, n: number, stale: number, infoRate: number) {
  const ops: { f: 'read' | 'write'; value?: string; out?: RegValue; call: number; ret: number; status: 'ok' | 'fail' | 'info'; lin: number }[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rand() * 3;
    const len = 0.2 + rand() * (rand() < 0.2 ? 12 : 3);
    const f = rand() < 0.4 ? 'write' : 'read';
    const r = rand();
    const status = f === 'write' && r < infoRate ? 'info' : r > 0.97 ? 'fail' : 'ok';
    ops.push({ f, value: f === 'write' ? `v${i}` : undefined, call: t, ret: t + len, status, lin: t + rand() * len });
  }
  // Linearize by lin point: writes that are ok or (info and lucky) take effect.
  const order = ops.map((_, i) => i).sort((a, b) => ops[a]!.lin - ops[b]!.lin);
  let state: RegValue = null;
  const past: RegValue[] = [null];
  for (const i of order) {
    const o = ops[i]!;
    if (o.f === 'write') {
      if (o.status === 'ok' || (o.status === 'info' && rand() < 0.5)) {
        state = o.value!;
        past.push(state);
      }
    } else if (o.status === 'ok') {
      o.out = rand() < stale ? past[Math.floor(rand() * past.length)]! : state;
    }
  }
  return ops;
}

describe('history service: windowed verdicts agree with whole-history checking', () => {
  it('never claims a violation the whole history does not have, and finds the ones it has (200 random histories)', () => {
    let violationsFound = 0;
    let wholeBad = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const rand = prng(seed);
      const hist = randomHistory(rand, 40 + Math.floor(rand() * 40), seed % 3 === 0 ? 0.15 : 0, 0.1);
      // Whole-history reference (info ops never return).
      const whole: Operation<RegisterInput, RegValue>[] = hist.map((o, id) => ({
        id,
        client: 0,
        input: o.f === 'write' ? { f: 'write', value: o.value! } : { f: 'read' },
        ...(o.f === 'read' && o.status === 'ok' ? { output: o.out ?? null } : {}),
        call: o.call,
        ret: o.status === 'info' ? Infinity : o.ret,
        status: o.status,
      }));
      const ref = checkHistory(whole, registerModel()).verdict;
      if (ref === 'not-linearizable') wholeBad++;

      // Replay through the service in time order, ticking every 0.5 time units.
      const h = harness({ minOps: 4 + (seed % 5), maxAge_ms: 8, forceOps: 10, forceAge_ms: 20 });
      const evs: Ev[] = [];
      hist.forEach((o, i) => {
        evs.push({ t: o.call, kind: 'call', i });
        if (o.status !== 'info') evs.push({ t: o.ret, kind: 'ret', i });
      });
      evs.sort((a, b) => a.t - b.t || (a.kind === 'call' ? -1 : 1));
      const ids: number[] = [];
      let nextTick = 0;
      const tickUntil = (t: number) => {
        while (nextTick <= t) {
          h.at(nextTick);
          h.tick();
          nextTick += 0.5;
        }
      };
      for (const e of evs) {
        tickUntil(e.t);
        h.at(e.t);
        const o = hist[e.i]!;
        if (e.kind === 'call') {
          ids[e.i] = o.f === 'write' ? h.w(`c${e.i % 5}/x`, 'k', o.value!) : h.r(`c${e.i % 5}/x`, 'k');
          if (o.status === 'info') h.done(ids[e.i]!, 'info');
        } else h.done(ids[e.i]!, o.status, o.out ?? null);
      }
      tickUntil(evs[evs.length - 1]!.t + 100);
      const s = h.st.stats;
      // Soundness: a windowed violation is a real one.
      if (s.not_linearizable > 0) {
        expect(ref, `seed ${seed}`).toBe('not-linearizable');
        violationsFound++;
      }
      // Exactness: when every window was decided linearizable, the whole history is linearizable.
      if (s.unknown === 0 && s.not_linearizable === 0) expect(ref, `seed ${seed}`).toBe('linearizable');
    }
    expect(wholeBad).toBeGreaterThan(20);
    // With ample budget every real violation is found.
    expect(violationsFound).toBe(wholeBad);
  });

  it('checkWindow: a window plus its minimal proof, directly', () => {
    const op = (id: number, f: 'read' | 'write', v: RegValue, call: number, ret: number): WindowOp =>
      f === 'write' ? { id, client: 0, input: { f: 'write', value: v }, call, ret, status: 'ok' } : { id, client: 0, input: { f: 'read' }, output: v, call, ret, status: 'ok' };
    const res = checkWindow([op(1, 'write', 'a', 0, 1), op(2, 'read', 'a', 2, 3), op(3, 'write', 'b', 4, 5), op(4, 'read', 'b', 6, 7), op(5, 'read', 'a', 8, 9)], INITIAL_STATE, 10_000);
    expect(res.verdict).toBe('not-linearizable');
    expect(res.offending).toEqual([1, 3, 5]);
    expect(res.linearization).toEqual([1, 2, 3, 4]);
    expect(res.stuck).toBe(5);
  });
});
