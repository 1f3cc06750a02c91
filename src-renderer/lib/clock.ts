/**
 * Client-side interpolation between frames. Frames arrive at the host's pace; between
 * them the map keeps messages moving by estimating simulated time from wall time.
 */
import type { MessageView } from '../../src-shared/ipc/frames';

export interface FrameClock {
  /** Simulated time of the latest frame. */
  t_ms: number;
  /** Wall time (performance.now()) when that frame arrived. */
  recv_ms: number;
  playing: boolean;
  speed: number;
  until_ms: number;
}

/**
 * Estimated simulated time at wall time `now`. Never runs more than `maxAhead_ms` of
 * simulated time past the last frame, so a stalled host freezes the picture instead of
 * letting messages arrive that the host has not delivered.
 */
export function estimateSimTime(c: FrameClock, now: number, maxAhead_ms = 500): number {
  if (!c.playing) return c.t_ms;
  const ahead = Math.max(0, now - c.recv_ms) * c.speed;
  return Math.min(c.t_ms + Math.min(ahead, maxAhead_ms), c.until_ms);
}

/** Fraction of the way along its path, or null when the message is not in flight at t. */
export function messageProgress(m: Pick<MessageView, 'sent_ms' | 'arrive_ms'>, t_ms: number): number | null {
  if (t_ms < m.sent_ms || t_ms > m.arrive_ms) return null;
  const span = m.arrive_ms - m.sent_ms;
  if (span <= 0) return 1;
  return (t_ms - m.sent_ms) / span;
}
