/**
 * The future-event list: a binary heap (tinyqueue) ordered by simulated time, with ties
 * broken by insertion sequence so that two events at the same instant always fire in
 * the order they were scheduled — the basis of "same seed ⇒ same timeline".
 */
import TinyQueue from 'tinyqueue';

export interface QueuedEvent {
  t_ms: number;
  /** Insertion order; unique per run. */
  seq: number;
  type: 'msg' | 'timer' | 'action' | 'tick';
  /** Index into the owner's payload table (messages, timers, actions). */
  ref: number;
}

export function compareEvents(a: QueuedEvent, b: QueuedEvent): number {
  return a.t_ms - b.t_ms || a.seq - b.seq;
}

export class EventQueue {
  private heap = new TinyQueue<QueuedEvent>([], compareEvents);
  private nextSeq = 0;

  push(t_ms: number, type: QueuedEvent['type'], ref: number): void {
    this.heap.push({ t_ms, seq: this.nextSeq++, type, ref });
  }

  peekTime(): number {
    return this.heap.peek()?.t_ms ?? Infinity;
  }

  pop(): QueuedEvent | undefined {
    return this.heap.pop();
  }

  get size(): number {
    return this.heap.length;
  }

  /** Plain copy for checkpoints. */
  snapshot(): { items: QueuedEvent[]; nextSeq: number } {
    return { items: this.heap.data.slice(0, this.heap.length).map((e) => ({ ...e })), nextSeq: this.nextSeq };
  }

  restore(snap: { items: QueuedEvent[]; nextSeq: number }): void {
    // The snapshot is a valid heap array already; TinyQueue re-heapifies it, which keeps
    // the same pop order because the comparator is a total order (seq is unique).
    this.heap = new TinyQueue<QueuedEvent>(snap.items.map((e) => ({ ...e })), compareEvents);
    this.nextSeq = snap.nextSeq;
  }
}
