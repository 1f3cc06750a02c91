import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src-main/engine/event-queue';
import { Rng } from '../../src-main/engine/rng';
import { canonicalJson } from '../../src-main/engine/canonical-json';
import { Recorder } from '../../src-main/engine/recorder';
import { Network, buildTopology, emptyNetworkState } from '../../src-main/engine/network';
import type { ScenarioSpec } from '../../src-shared/scenario/types';

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

describe('network faults', () => {
  const link = { latency_ms: 10, jitter_ms: 0, loss: 0 };
  const spec = {
    groups: [
      { id: 'ga', label: 'a', nodes: ['a1', 'a2'] },
      { id: 'gb', label: 'b', nodes: ['b1'] },
    ],
    network: { intra_group: link, inter_group: { ...link, latency_ms: 100 }, pairs: [] },
  } as unknown as ScenarioSpec;

  it('set-link on a group paired with itself changes only the links inside it, and a later setting replaces the earlier', () => {
    const net = new Network(spec, buildTopology(spec), emptyNetworkState());
    net.setLink(['ga', 'ga'], undefined, 1);
    const rng = new Rng(1);
    expect(net.delay('a1', 'a2', rng)).toBeNull();
    expect(net.delay('a1', 'b1', rng)).toBe(100);
    net.setLink(['ga', 'ga'], undefined, 0);
    expect(net.state.overrides).toHaveLength(1);
    expect(net.delay('a1', 'a2', rng)).toBe(10);
  });

  it('cuts and partitions by group name apply to every node of the group; heal-all lifts them', () => {
    const net = new Network(spec, buildTopology(spec), emptyNetworkState());
    net.cut(['ga', 'gb']);
    expect(net.isCut('a2', 'b1')).toBe(true);
    expect(net.isCut('a1', 'a2')).toBe(false);
    net.heal(['gb', 'ga']);
    expect(net.isCut('a2', 'b1')).toBe(false);
    net.partition([['a1'], ['a2', 'gb']]);
    expect(net.isCut('a1', 'a2')).toBe(true);
    expect(net.isCut('a2', 'b1')).toBe(false);
    net.healAll();
    expect(net.isCut('a1', 'a2')).toBe(false);
  });
});
