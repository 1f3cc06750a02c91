/**
 * Autosave: every change schedules a save; saves are debounced (a burst of changes is one
 * write) but never postponed by more than `maxWaitMs`, so a crash or a forced quit loses
 * at most that much work (one second by default). `flush()` saves now (page hide, window
 * close, before opening another session). One save runs at a time; a change during a
 * save schedules the next one.
 */

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

export interface AutosaveOptions {
  debounceMs?: number;
  maxWaitMs?: number;
  timers?: Timers;
  onState?: (state: SaveState, error?: unknown) => void;
}

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export const AUTOSAVE_DEBOUNCE_MS = 250;
export const AUTOSAVE_MAX_WAIT_MS = 1000;

export class Autosaver {
  readonly debounceMs: number;
  readonly maxWaitMs: number;
  #timers: Timers;
  #save: () => Promise<void>;
  #onState: (state: SaveState, error?: unknown) => void;
  #timer: unknown = null;
  /** When the oldest unsaved change was made (null: nothing unsaved). */
  #dirtySince: number | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #disposed = false;

  constructor(save: () => Promise<void>, opts: AutosaveOptions = {}) {
    this.#save = save;
    this.debounceMs = opts.debounceMs ?? AUTOSAVE_DEBOUNCE_MS;
    this.maxWaitMs = opts.maxWaitMs ?? AUTOSAVE_MAX_WAIT_MS;
    this.#timers = opts.timers ?? realTimers;
    this.#onState = opts.onState ?? (() => {});
  }

  get dirty(): boolean {
    return this.#dirtySince !== null;
  }

  /** Something changed: save within debounceMs of the last change, and within maxWaitMs of the first. */
  schedule(): void {
    if (this.#disposed) return;
    const now = this.#timers.now();
    if (this.#dirtySince === null) {
      this.#dirtySince = now;
      this.#onState('pending');
    }
    if (this.#running) {
      this.#again = true;
      return;
    }
    const wait = Math.max(0, Math.min(this.debounceMs, this.#dirtySince + this.maxWaitMs - now));
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, wait);
  }

  /** Saves now if anything is unsaved (and waits for a save already running). */
  async flush(): Promise<void> {
    if (this.#timer !== null) {
      this.#timers.clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#running) {
      this.#again = this.#again || this.#dirtySince !== null;
      await this.#running;
      if (this.#dirtySince !== null && !this.#running) return this.flush();
      return;
    }
    if (this.#dirtySince === null) return;
    this.#dirtySince = null;
    this.#again = false;
    this.#onState('saving');
    this.#running = (async () => {
      try {
        await this.#save();
        this.#onState(this.#again ? 'pending' : 'saved');
      } catch (e) {
        // Keep the change: the next schedule or flush tries again.
        this.#dirtySince ??= this.#timers.now();
        this.#onState('error', e);
      } finally {
        this.#running = null;
      }
    })();
    await this.#running;
    if (this.#again && !this.#disposed) {
      this.#again = false;
      this.#dirtySince ??= this.#timers.now();
      this.schedule();
    }
  }

  /** Forgets unsaved changes (e.g. the session was deleted) and stops. */
  dispose(): void {
    this.#disposed = true;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#dirtySince = null;
  }

  /** Drops pending changes without saving (switching to another session after a flush). */
  reset(): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#dirtySince = null;
    this.#again = false;
  }
}
