/**
 * The side panels follow a playing run at most four times a second, and at once when the
 * run is paused or changes: a lecturer pausing sees the panels agree with the canvas.
 */
import { describe, expect, it } from 'vitest';
import { PANEL_MS, PanelCadence, type CadenceClock } from '../../src-renderer/lib/panel-cadence';

/** A hand-driven clock: `advance` runs the timers that come due, in order. */
function manualClock() {
  let now = 1000;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: CadenceClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      timers = timers.filter((t) => t.id !== h);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = end;
  };
  return { clock, advance, pending: () => timers.length };
}

function setup() {
  const c = manualClock();
  let state = 0;
  const shown: { state: number; at: number }[] = [];
  const cadence = new PanelCadence(() => shown.push({ state, at: c.clock.now() }), PANEL_MS, c.clock);
  /** A frame arrives every 33 ms while playing (the host's playback rate). */
  const frame = (playing = true, now = false) => {
    state++;
    cadence.update(now, playing);
  };
  return { ...c, cadence, frame, shown, state: () => state };
}

describe('panel cadence', () => {
  it('shows a playing run at most every 250 ms, always the newest state', () => {
    const s = setup();
    for (let i = 0; i < 60; i++) {
      s.frame();
      s.advance(33);
    }
    // 60 frames over ~2 s: 60 updates for the canvas, about 8 for the panels.
    expect(s.shown.length).toBeGreaterThanOrEqual(7);
    expect(s.shown.length).toBeLessThanOrEqual(10);
    for (let i = 1; i < s.shown.length; i++) expect(s.shown[i]!.at - s.shown[i - 1]!.at).toBeGreaterThanOrEqual(PANEL_MS);
    // A timer presents what is newest when it fires, not the frame that armed it.
    s.advance(PANEL_MS);
    expect(s.shown.at(-1)!.state).toBe(s.state());
  });

  it('shows the first frame at once, and every frame while paused', () => {
    const s = setup();
    s.frame();
    expect(s.shown).toHaveLength(1);
    s.frame(false);
    s.frame(false);
    expect(s.shown.map((x) => x.state)).toEqual([1, 2, 3]);
    expect(s.pending()).toBe(0);
  });

  it('a change to the run (pause, seek, reset) reaches the panels at once, cancelling the waiting update', () => {
    const s = setup();
    s.frame();
    s.advance(33);
    s.frame(); // within 250 ms: deferred
    expect(s.shown).toHaveLength(1);
    expect(s.pending()).toBe(1);
    s.frame(true, true); // e.g. paused: at once
    expect(s.shown.map((x) => x.state)).toEqual([1, 3]);
    expect(s.pending()).toBe(0);
    s.advance(1000);
    expect(s.shown).toHaveLength(2);
  });

  it('dispose cancels a waiting update', () => {
    const s = setup();
    s.frame();
    s.frame();
    s.cadence.dispose();
    s.advance(1000);
    expect(s.shown).toHaveLength(1);
  });
});
