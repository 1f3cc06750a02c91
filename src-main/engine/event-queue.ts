/**
 * The future-event list: a binary heap (tinyqueue) ordered by simulated time, with ties
 * broken by insertion sequence so that two events at the same instant always fire in
 * the order they were scheduled — the basis of "same seed ⇒ same timeline".
 * Each event carries its payload directly (no side table), which keeps the hot path to
 * one allocation per event.
 */
import TinyQueue from 'tinyqueue';

export interface QueuedEvent<P> {
  t_ms: number;
  /** Insertion order; unique per run. */
  seq: number;
  payload: P;
}

export function compareEvents(a: QueuedEvent<unknown>, b: QueuedEvent<unknown>): number {
  return a.t_ms - b.t_ms || a.seq - b.seq;
}

export interface QueueSnapshot<P> {
  items: QueuedEvent<P>[];
  nextSeq: number;
}

export class EventQueue<P> {
  private heap = new TinyQueue<QueuedEvent<P>>([], compareEvents);
  private nextSeq = 0;

  push(t_ms: number, payload: P): void {
    this.heap.push({ t_ms, seq: this.nextSeq++, payload });
  }

  peekTime(): number {
    const top = this.heap.peek();
    return top === undefined ? Infinity : top.t_ms;
  }

  pop(): QueuedEvent<P> | undefined {
    return this.heap.pop();
  }

  get size(): number {
    return this.heap.length;
  }

  /** The pending events in heap order (not time order), for views. */
  pending(): readonly QueuedEvent<P>[] {
    return this.heap.data.length === this.heap.length ? this.heap.data : this.heap.data.slice(0, this.heap.length);
  }

  /** The heap's items for a checkpoint; the caller deep-copies them (structuredClone). */
  snapshot(): QueueSnapshot<P> {
    return { items: this.heap.data.slice(0, this.heap.length), nextSeq: this.nextSeq };
  }

  /** Restores from items the caller owns. A valid heap array re-heapifies to the same pop
   *  order because the comparator is a total order (seq is unique). */
  restore(snap: QueueSnapshot<P>): void {
    this.heap = new TinyQueue<QueuedEvent<P>>(snap.items, compareEvents);
    this.nextSeq = snap.nextSeq;
  }
}
