/**
 * Delta encoding of `Frame.nodes` on the wire. A 5000-node scenario sends ~420 KB of
 * node records per frame although only a few change between two frames, so each
 * subscriber (one renderer window, one bridge socket) gets the full list only on a key
 * frame — its first frame of a run, a reset (open, seek, strategy switch, restart), a
 * change of the node list's shape, every `keyEvery` frames as insurance — and otherwise
 * just the records that changed, with their positions (`Frame.nodes_delta`).
 *
 * The decoder (renderer side) merges them back, so every consumer after it sees a
 * frame with the full `nodes` and no `nodes_delta`, exactly as if nothing was encoded.
 * Frames without `nodes_delta` pass through both unchanged. Pure: no I/O, no timers.
 *
 * Gaps: a delta whose `base` is not the last frame the decoder applied means frames
 * were lost. The decoder still applies it (each node is then either current or an older
 * value of itself, never garbage) and reports the frame unsynced until the next key
 * frame; a frame older than the last applied one keeps the current nodes.
 */
import type { Frame, NodeView } from './frames';

export interface NodesDelta {
  /** This frame's number in the subscriber's stream for this run (1, 2, …). */
  seq: number;
  /** The seq this frame's nodes apply on top of; 0 on a key frame (`nodes` is the full list). */
  base: number;
  /** Length of the full node list. */
  count: number;
  /** On a delta: positions in the full list of the records in `nodes`, ascending. */
  index?: number[];
}

/** Frames between two key frames (at 30 frames/s, about four seconds). */
export const DEFAULT_KEY_EVERY = 120;
/** Runs a coder remembers (a renderer has one open run; the host keeps at most 8). */
const MAX_RUNS = 16;

/** Shallow equality of two node records (every field is a primitive). */
export function sameNode(a: NodeView, b: NodeView): boolean {
  if (a === b) return true;
  let n = 0;
  for (const k in b) {
    if ((a as unknown as Record<string, unknown>)[k] !== (b as unknown as Record<string, unknown>)[k]) return false;
    n++;
  }
  for (const _ in a) n--;
  return n === 0;
}

interface EncState {
  seq: number;
  nodes: NodeView[];
  sinceKey: number;
}

/** One per subscriber: remembers, per run, the node list that subscriber last received. */
export class NodeDeltaEncoder {
  readonly #runs = new Map<string, EncState>();

  constructor(private readonly keyEvery = DEFAULT_KEY_EVERY) {}

  encode(f: Frame): Frame {
    if (!Array.isArray(f.nodes)) return f;
    const nodes = f.nodes;
    const prev = this.#runs.get(f.run_id);
    const seq = (prev?.seq ?? 0) + 1;
    let index: number[] | null = null;
    if (prev && !f.reset && prev.nodes.length === nodes.length && prev.sinceKey + 1 < this.keyEvery) {
      index = [];
      const half = nodes.length >> 1;
      for (let i = 0; i < nodes.length; i++) {
        const a = prev.nodes[i]!;
        const b = nodes[i]!;
        if (a.id !== b.id) {
          index = null; // reordered: send the list
          break;
        }
        if (!sameNode(a, b)) {
          index.push(i);
          if (index.length > half) {
            index = null; // the list is cheaper than positions
            break;
          }
        }
      }
    }
    this.#runs.delete(f.run_id); // re-insert: the map is in least-recently-used order
    this.#runs.set(f.run_id, { seq, nodes, sinceKey: index ? prev!.sinceKey + 1 : 0 });
    if (this.#runs.size > MAX_RUNS) this.#runs.delete(this.#runs.keys().next().value!);
    if (!index) return { ...f, nodes_delta: { seq, base: 0, count: nodes.length } };
    return { ...f, nodes: index.map((i) => nodes[i]!), nodes_delta: { seq, base: seq - 1, count: nodes.length, index } };
  }

  /** Drops a run's baseline (its next frame is a key frame). */
  forget(run_id: string): void {
    this.#runs.delete(run_id);
  }
}

interface DecState {
  seq: number;
  nodes: NodeView[];
  synced: boolean;
}

/** One per receiving end: rebuilds full node lists from key frames and deltas. */
export class NodeDeltaDecoder {
  readonly #runs = new Map<string, DecState>();

  /** The frame with its full node list and without `nodes_delta`. */
  decode(f: Frame): Frame {
    const d = f.nodes_delta;
    if (!d) return f;
    const { nodes_delta: _, ...rest } = f;
    const st = this.#runs.get(f.run_id);
    let nodes: NodeView[];
    if (d.base === 0) {
      nodes = f.nodes;
      this.#set(f.run_id, { seq: d.seq, nodes, synced: true });
    } else if (!st) {
      nodes = []; // a delta without its key frame: nothing to merge into yet
    } else if (d.seq <= st.seq) {
      nodes = st.nodes; // older than what we have: keep the newer nodes
    } else {
      if (st.nodes.length !== d.count) {
        // The list changed shape in frames we never got: keep what we have until a key frame.
        nodes = st.nodes;
        this.#set(f.run_id, { seq: d.seq, nodes, synced: false });
      } else {
        const synced = st.synced && d.base === st.seq;
        nodes = st.nodes.slice();
        const index = d.index ?? [];
        for (let j = 0; j < index.length && j < f.nodes.length; j++) {
          const i = index[j]!;
          if (i >= 0 && i < nodes.length) nodes[i] = f.nodes[j]!;
        }
        this.#set(f.run_id, { seq: d.seq, nodes, synced });
      }
    }
    return { ...rest, nodes };
  }

  /** False after a gap until the next key frame (the nodes may be partly stale). */
  synced(run_id: string): boolean {
    return this.#runs.get(run_id)?.synced ?? false;
  }

  #set(run_id: string, s: DecState): void {
    this.#runs.delete(run_id);
    this.#runs.set(run_id, s);
    if (this.#runs.size > MAX_RUNS) this.#runs.delete(this.#runs.keys().next().value!);
  }
}
