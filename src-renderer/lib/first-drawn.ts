/**
 * DESIGN §7: "first scenario drawn ≤ 1.5 s after the window opens". The renderer sets a
 * User Timing mark after the paint that first shows a run's frame; its startTime is
 * milliseconds since the page's time origin (navigation start, i.e. the window opening).
 * `npm run bench` reads it in Chromium (bench/ui-frames.ts).
 */
export const FIRST_DRAWN_MARK = 'lab:first-scenario-drawn';

let marked = false;

export function markFirstScenarioDrawn(): void {
  if (marked || typeof performance === 'undefined' || typeof performance.mark !== 'function' || typeof requestAnimationFrame !== 'function') return;
  marked = true;
  // The frame is state now; the DOM follows in a microtask and is painted before the next
  // animation frame runs: the second animation frame comes after that paint.
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark(FIRST_DRAWN_MARK)));
}
