/**
 * Messages in flight, shared by the floor and Earth views: how each kind is drawn, where
 * a message is at simulated time t (straight hop between two points) and a short fading
 * trail of recent hops, so a flood that lasts 100 ms of simulated time still reads as a
 * wave on a projector. Pure apart from HopBuffer's own small cache.
 */
import type { MessageView } from '../../../src-shared/ipc/frames';
import { messageProgress } from '../clock';
import type { XY } from './extras';

export type MessageStyle = 'routine' | 'ack' | 'request' | 'vote' | 'cert' | 'accuse' | 'other' | 'hidden';

/** Drawing class of a message kind (order matters: link-ack before ack, vote after request-vote). */
const styleCache = new Map<string, MessageStyle>();

export function messageStyle(kind: string): MessageStyle {
  let s = styleCache.get(kind);
  if (s === undefined) {
    s = classify(kind);
    if (styleCache.size < 500) styleCache.set(kind, s);
  }
  return s;
}

function classify(kind: string): MessageStyle {
  const k = kind.toLowerCase();
  if (/link-ack/.test(k)) return 'hidden';
  if (/accus|equivoc/.test(k)) return 'accuse';
  if (/cert|commit/.test(k)) return 'cert';
  if (/request-vote|^request$|propose|view-change|new-view|elect/.test(k)) return 'request';
  if (/vote/.test(k)) return 'vote';
  if (/ack/.test(k)) return 'ack';
  if (/heartbeat|^hb$|beacon|pong|ping|probe/.test(k)) return 'routine';
  return 'other';
}

/** Position of a message at simulated time t on the straight hop from → to, or null. */
export function hopPosition(m: Pick<MessageView, 'sent_ms' | 'arrive_ms'>, t_ms: number, from: XY, to: XY): XY | null {
  const f = messageProgress(m, t_ms);
  if (f === null) return null;
  return [from[0] + (to[0] - from[0]) * f, from[1] + (to[1] - from[1]) * f];
}

/**
 * Opacity of a hop's trail at time t: full while in flight, fading to 0 over `fade_ms`
 * of simulated time after arrival; 0 before it was sent or once faded.
 */
export function trailAlpha(m: Pick<MessageView, 'sent_ms' | 'arrive_ms'>, t_ms: number, fade_ms: number): number {
  if (t_ms < m.sent_ms) return 0;
  if (t_ms <= m.arrive_ms) return 1;
  if (fade_ms <= 0) return 0;
  const a = 1 - (t_ms - m.arrive_ms) / fade_ms;
  return a > 0 ? a : 0;
}

/**
 * How long (simulated ms) a hop's trail stays visible: about 0.7 s of wall time at the
 * current speed, capped so ×10 does not smear five heartbeat rounds into one.
 */
export function trailWindow(speed: number): number {
  return Math.min(2500, Math.max(250, 700 * Math.max(0.1, speed)));
}

/**
 * The hops seen in recent frames, by message id (frames are snapshots: a 8 ms radio hop
 * is in at most one of them). Keeps only hops whose trail can still be visible.
 */
export class HopBuffer {
  #by = new Map<number, MessageView>();
  #last_t = -Infinity;

  constructor(readonly cap = 3000) {}

  /** Adds a frame's messages; a reset (seek, restart, another run) or time going back clears. */
  #maxArrive = -Infinity;

  update(messages: readonly MessageView[], t_ms: number, fade_ms: number, reset = false): void {
    if (reset || t_ms < this.#last_t) this.#by.clear();
    this.#last_t = t_ms;
    for (const m of messages) this.#by.set(m.id, m);
    this.#maxArrive = -Infinity;
    for (const [id, m] of this.#by) {
      if (m.arrive_ms + fade_ms < t_ms) this.#by.delete(id);
      else if (m.arrive_ms > this.#maxArrive) this.#maxArrive = m.arrive_ms;
    }
    if (this.#by.size > this.cap) {
      const drop = [...this.#by.values()].sort((a, b) => a.arrive_ms - b.arrive_ms).slice(0, this.#by.size - this.cap);
      for (const m of drop) this.#by.delete(m.id);
    }
  }

  clear(): void {
    this.#by.clear();
    this.#last_t = -Infinity;
    this.#maxArrive = -Infinity;
  }

  /**
   * Is any hop still in flight at simulated time t? Only then does drawing between frames
   * show anything new (at ×10 a radio hop is over within one animation frame).
   */
  inFlightAt(t_ms: number): boolean {
    return this.#maxArrive > t_ms;
  }

  get size(): number {
    return this.#by.size;
  }

  values(): IterableIterator<MessageView> {
    return this.#by.values();
  }
}
