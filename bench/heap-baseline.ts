/**
 * The reference for DESIGN §7's engine budget: a bare binary-heap push/pop loop. It uses
 * the engine's own heap (tinyqueue) and comparator (compareEvents from event-queue.ts)
 * and events of the engine's shape {t_ms, seq, payload}, allocated fresh per push as
 * the engine does. The queue is pre-filled to a steady-state size; every pop is followed
 * by one push at a later time, so the size stays constant. Result: pops per second.
 */
import TinyQueue from 'tinyqueue';
import { compareEvents, type QueuedEvent } from '../src-main/engine/event-queue';
import { seededRandom } from './util';

const PAYLOADS: { ref: number }[] = Array.from({ length: 8 }, (_, i) => ({ ref: i }));

/** Delays drawn once (outside the timed loop): mostly short (LAN/WAN hops, fsync), some long (heartbeats). */
function delayTable(n: number): Float64Array {
  const rnd = seededRandom(7);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rnd();
    d[i] = u < 0.5 ? 3 + rnd() * 4 : u < 0.8 ? 115 + rnd() * 20 : u < 0.95 ? 40 + rnd() * 60 : 1000 + rnd() * 9000;
  }
  return d;
}

export interface HeapRun {
  size: number;
  pops: number;
  wall_ms: number;
  cpu_ms: number;
  pops_per_s: number;
  /** Consumed so the loop cannot be optimised away. */
  checksum: number;
}

export function heapLoop(size: number, pops: number): HeapRun {
  const delays = delayTable(4096);
  const q = new TinyQueue<QueuedEvent<{ ref: number }>>([], compareEvents);
  let seq = 0;
  for (let i = 0; i < size; i++) q.push({ t_ms: delays[i & 4095]!, seq: seq++, payload: PAYLOADS[i & 7]! });
  let checksum = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < pops; i++) {
    const ev = q.pop()!;
    checksum += ev.payload.ref;
    q.push({ t_ms: ev.t_ms + delays[i & 4095]!, seq: seq++, payload: PAYLOADS[i & 7]! });
  }
  const wall_ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { size, pops, wall_ms, cpu_ms: (c.user + c.system) / 1000, pops_per_s: (pops / wall_ms) * 1000, checksum };
}
