import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src-main/engine/event-queue';
import { Rng } from '../../src-main/engine/rng';
import { canonicalJson } from '../../src-main/engine/canonical-json';
import { Recorder } from '../../src-main/engine/recorder';

describe('event queue', () => {
  it('pops by time, and same-time events in the order they were pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue<number>();
        times.forEach((t, i) => q.push(t, i));
        const out: { t: number; ref: number }[] = [];
        for (let e = q.pop(); e; e = q.pop()) out.push({ t: e.t_ms, ref: e.payload });
        const expected = times.map((t, i) => ({ t, ref: i })).sort((a, b) => a.t - b.t || a.ref - b.ref);
        expect(out).toEqual(expected);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('restores a snapshot to the same pop order', () => {
    const q = new EventQueue<number>();
    for (let i = 0; i < 50; i++) q.push((i * 7) % 13, i);
    const snap = structuredClone(q.snapshot());
    const a: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) a.push(e.payload);
    q.restore(snap);
    const b: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) b.push(e.payload);
    expect(b).toEqual(a);
  });
});

describe('seeded PRNG', () => {
  it('is a function of the seed, and its state round-trips', () => {
    const a = new Rng(9);
    const b = new Rng(9);
    const c = new Rng(10);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    const state = a.getState();
    const next = [a.next(), a.next()];
    a.setState(state);
    expect([a.next(), a.next()]).toEqual(next);
  });
});

describe('recorder digest', () => {
  it('is independent of key order and restores exactly from a mark', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    const r = new Recorder();
    r.append({ t_ms: 0, kind: 'fault', action: { do: 'heal-all' }, source: 'user', text: 'heal all links' });
    const mark = r.mark();
    const d1 = r.digest();
    r.append({ t_ms: 5, kind: 'fault', action: { do: 'heal-all' }, source: 'user', text: 'heal all links' });
    expect(r.digest()).not.toBe(d1);
    r.restore(mark);
    expect(r.length).toBe(1);
    expect(r.digest()).toBe(d1);
  });
});
