import { describe, expect, it } from 'vitest';
import type { Frame, NodeView } from '../../src-shared/ipc/frames';
import { NodeDeltaDecoder, NodeDeltaEncoder, sameNode } from '../../src-shared/ipc/node-delta';
import { FrameRouter } from '../../src-renderer/lib/frame-router';

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROLES = ['edge', 'edge-stale', 'hub', 'leader', 'follower', 'down'];

function makeNodes(n: number, prefix = 'n'): NodeView[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, group: `g${i % 7}`, up: true, role: 'edge', byzantine: false }));
}

/** A fresh node list where about `rate` of the records changed (new objects, as the host builds them). */
function mutate(nodes: NodeView[], r: () => number, rate: number): NodeView[] {
  return nodes.map((n) => {
    const copy = { ...n };
    if (r() < rate) {
      const what = Math.floor(r() * 3);
      if (what === 0) copy.up = !copy.up;
      else if (what === 1) copy.role = ROLES[Math.floor(r() * ROLES.length)]!;
      else copy.byzantine = !copy.byzantine;
    }
    return copy;
  });
}

function frame(run_id: string, t_ms: number, nodes: NodeView[], reset = false): Frame {
  return {
    run_id,
    t_ms,
    until_ms: 1_800_000,
    playing: true,
    speed: 1,
    strategy: 's',
    nodes,
    links: [],
    messages: [],
    scopes: [],
    records: [],
    reset,
    metrics: {},
    extras: { x: t_ms },
    requirements: [],
    digest: `d${t_ms}`,
  };
}

/** Through the wire: what the renderer actually receives. */
const wire = (f: Frame): Frame => JSON.parse(JSON.stringify(f)) as Frame;

describe('node delta encoding', () => {
  it('sends every node on the first frame and after a reset, then only the changed records', () => {
    const enc = new NodeDeltaEncoder();
    const a = makeNodes(5000);
    const f1 = enc.encode(frame('run-1', 0, a, true));
    expect(f1.nodes).toHaveLength(5000);
    expect(f1.nodes_delta).toEqual({ seq: 1, base: 0, count: 5000 });

    const b = a.map((n) => ({ ...n }));
    b[3] = { ...b[3]!, role: 'edge-stale' };
    b[4999] = { ...b[4999]!, up: false };
    const f2 = enc.encode(frame('run-1', 100, b));
    expect(f2.nodes_delta).toEqual({ seq: 2, base: 1, count: 5000, index: [3, 4999] });
    expect(f2.nodes).toEqual([b[3], b[4999]]);
    expect(JSON.stringify(f2).length).toBeLessThan(JSON.stringify(f1).length / 50);

    const f3 = enc.encode(frame('run-1', 200, b.map((n) => ({ ...n }))));
    expect(f3.nodes).toEqual([]);
    expect(f3.nodes_delta?.index).toEqual([]);

    const f4 = enc.encode(frame('run-1', 0, b, true));
    expect(f4.nodes).toHaveLength(5000);
    expect(f4.nodes_delta?.base).toBe(0);
  });

  it('does not touch the frame it encodes (the host sends the same object to every subscriber)', () => {
    const enc = new NodeDeltaEncoder();
    const a = makeNodes(10);
    enc.encode(frame('run-1', 0, a, true));
    const b = a.map((n, i) => (i === 2 ? { ...n, up: false } : n));
    const f = frame('run-1', 1, b);
    const before = JSON.stringify(f);
    enc.encode(f);
    expect(JSON.stringify(f)).toBe(before);
  });

  it('encode → decode gives back every frame under random changes, resets, several runs and resized lists', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = rng(seed);
      const enc = new NodeDeltaEncoder(25);
      const dec = new NodeDeltaDecoder();
      const lists: Record<string, NodeView[]> = { 'run-1': makeNodes(300, 'a'), 'run-2': makeNodes(40, 'b') };
      for (let t = 0; t < 400; t++) {
        const run = r() < 0.7 ? 'run-1' : 'run-2';
        let nodes = mutate(lists[run]!, r, [0, 0.01, 0.1, 0.8][Math.floor(r() * 4)]!);
        if (r() < 0.02) nodes = makeNodes(Math.floor(r() * 300) + 1, run === 'run-1' ? 'a' : 'b'); // another topology
        if (r() < 0.01) nodes = [...nodes].reverse(); // reordered
        lists[run] = nodes;
        const original = frame(run, t, nodes, r() < 0.05);
        const out = dec.decode(wire(enc.encode(original)));
        expect(out).toEqual(original);
        expect(out.nodes_delta).toBeUndefined();
        expect(dec.synced(run)).toBe(true);
      }
    }
  });

  it('keeps one baseline per subscriber: a late subscriber starts from a key frame', () => {
    const r = rng(7);
    const early = { enc: new NodeDeltaEncoder(), dec: new NodeDeltaDecoder() };
    const late = { enc: new NodeDeltaEncoder(), dec: new NodeDeltaDecoder() };
    let nodes = makeNodes(200);
    for (let t = 0; t < 60; t++) {
      nodes = mutate(nodes, r, 0.05);
      const f = frame('run-1', t, nodes, t === 0);
      expect(early.dec.decode(wire(early.enc.encode(f)))).toEqual(f);
      if (t >= 20) {
        const e = late.enc.encode(f);
        if (t === 20) expect(e.nodes_delta?.base).toBe(0);
        expect(late.dec.decode(wire(e))).toEqual(f);
      }
    }
  });

  it('sends a key frame every keyEvery frames and when most records changed', () => {
    const enc = new NodeDeltaEncoder(4);
    const nodes = makeNodes(20);
    const bases = [0, 1, 2, 3].map((t) => enc.encode(frame('run-1', t, nodes, t === 0)).nodes_delta!.base);
    expect(bases).toEqual([0, 1, 2, 3]);
    expect(enc.encode(frame('run-1', 4, nodes)).nodes_delta!.base).toBe(0);
    const most = nodes.map((n) => ({ ...n, up: false }));
    expect(enc.encode(frame('run-1', 5, most)).nodes_delta!.base).toBe(0);
  });

  it('recovers from dropped frames at the next key frame, never producing a malformed list', () => {
    const r = rng(11);
    const enc = new NodeDeltaEncoder(10);
    const dec = new NodeDeltaDecoder();
    let nodes = makeNodes(100);
    for (let t = 0; t < 200; t++) {
      nodes = mutate(nodes, r, 0.1);
      const f = frame('run-1', t, nodes, t === 0);
      const e = enc.encode(f);
      if (t > 0 && r() < 0.2) continue; // lost on the way
      const out = dec.decode(wire(e));
      expect(out.nodes).toHaveLength(100);
      expect(out.nodes.map((n) => n.id)).toEqual(nodes.map((n) => n.id));
      if (e.nodes_delta!.base === 0) {
        expect(out).toEqual(f);
        expect(dec.synced('run-1')).toBe(true);
      }
      if (dec.synced('run-1')) expect(out.nodes).toEqual(nodes);
    }
  });

  it('ignores the nodes of a frame older than the last one applied (out of order)', () => {
    const enc = new NodeDeltaEncoder();
    const dec = new NodeDeltaDecoder();
    const n0 = makeNodes(5);
    const n1 = n0.map((n, i) => (i === 1 ? { ...n, role: 'leader' } : n));
    const n2 = n1.map((n, i) => (i === 2 ? { ...n, up: false } : n));
    const e0 = wire(enc.encode(frame('run-1', 0, n0, true)));
    const e1 = wire(enc.encode(frame('run-1', 1, n1)));
    const e2 = wire(enc.encode(frame('run-1', 2, n2)));
    dec.decode(e0);
    expect(dec.decode(e2).nodes).toEqual(n0.map((n, i) => (i === 2 ? n2[2] : n))); // gap: n1's change missing
    expect(dec.synced('run-1')).toBe(false);
    expect(dec.decode(e1).nodes[2]).toEqual(n2[2]); // late frame: the newer state stays
  });

  it('a delta before any key frame yields an empty list, and frames without a delta pass through', () => {
    const enc = new NodeDeltaEncoder();
    const dec = new NodeDeltaDecoder();
    const nodes = makeNodes(3);
    enc.encode(frame('run-1', 0, nodes, true));
    const d = wire(enc.encode(frame('run-1', 1, nodes)));
    expect(dec.decode(d).nodes).toEqual([]);
    const plain = frame('run-9', 0, nodes);
    expect(dec.decode(plain)).toBe(plain);
    const odd = { run_id: 'run-1', t_ms: 5 } as Frame;
    expect(enc.encode(odd)).toBe(odd);
  });

  it('compares records field by field', () => {
    const a: NodeView = { id: 'x', group: 'g', up: true, role: 'r', byzantine: false };
    expect(sameNode(a, { ...a })).toBe(true);
    expect(sameNode(a, { ...a, role: 's' })).toBe(false);
    expect(sameNode(a, { ...a, extra: 1 } as NodeView)).toBe(false);
  });

  it('the renderer router delivers full node lists, also for frames held before the run opened', () => {
    const r = rng(3);
    const enc = new NodeDeltaEncoder();
    const got: Frame[] = [];
    const router = new FrameRouter((f) => got.push(f));
    const sent: Frame[] = [];
    let a = makeNodes(50, 'a');
    let b = makeNodes(30, 'b');
    for (let t = 0; t < 40; t++) {
      a = mutate(a, r, 0.1);
      b = mutate(b, r, 0.1);
      const fa = frame('run-1', t, a, t === 0);
      const fb = frame('run-2', t, b, t === 0);
      sent.push(fb);
      router.receive(wire(enc.encode(fa))); // nobody has opened run-1: held
      router.receive(wire(enc.encode(fb)));
      if (t === 9) router.open('run-2');
    }
    expect(got).toEqual(sent);
    router.open('run-1');
    expect(got.at(-1)!.nodes).toEqual(a);
  });
});
