/**
 * How often the side panels follow a playing run. The canvas views draw every animation
 * frame; the metrics, timeline, path and scope panels show numbers and rows that nobody
 * can read at 60 changes a second, and their style, layout and paint then cost the canvas
 * its smoothness. So panels get the latest state at most every `interval_ms` while the
 * run plays, and at once when it does not (paused, stepped, seeked) or when something
 * changes the run itself (open, reset, play/pause, speed, strategy, error).
 */
export const PANEL_MS = 250;

export interface CadenceClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: CadenceClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class PanelCadence {
  #last = -Infinity;
  #timer: unknown = null;

  /** `present` hands the newest state to the panels (it reads the state when called). */
  constructor(
    private readonly present: () => void,
    private readonly interval_ms = PANEL_MS,
    private readonly clock: CadenceClock = realClock,
  ) {}

  /** New state arrived: present it now (`now`, or not playing, or the interval has passed) or once the interval has. */
  update(now: boolean, playing: boolean): void {
    const t = this.clock.now();
    const due = this.#last + this.interval_ms;
    if (now || !playing || t >= due) {
      this.#presentNow(t);
      return;
    }
    // One timer at a time; when it fires it presents whatever is newest by then.
    this.#timer ??= this.clock.setTimeout(() => {
      this.#timer = null;
      this.#presentNow(this.clock.now());
    }, due - t);
  }

  dispose(): void {
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #presentNow(t: number): void {
    this.dispose();
    this.#last = t;
    this.present();
  }
}
