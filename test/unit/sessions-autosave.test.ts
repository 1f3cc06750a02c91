/**
 * Autosave: debounced, never more than a second behind (so a crash or a forced quit
 * loses at most the last second of work), flushed on demand, one save at a time.
 * Also: a "crash" in the middle of a stream of changes, with a real Dexie database —
 * what is stored is at most one second older than the last change.
 */
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { Autosaver, AUTOSAVE_MAX_WAIT_MS, type Timers } from '../../src-renderer/lib/sessions/autosave';
import { createSessionDb } from '../../src-renderer/lib/sessions/db';
import { SessionRepo } from '../../src-renderer/lib/sessions/repo';
import { session } from '../helpers/sessions';

/** A clock and timers the test advances by hand (promises settle between steps). */
function fakeTimers(realIo = false): Timers & { advance(ms: number): Promise<void>; t: number } {
  // With a real IndexedDB behind the saves, let its (real) I/O run between steps.
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    if (realIo) for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
  };
  let t = 0;
  let seq = 0;
  const queue = new Map<number, { at: number; fn: () => void }>();
  return {
    get t() {
      return t;
    },
    now: () => t,
    setTimeout(fn, ms) {
      const id = ++seq;
      queue.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimeout(h) {
      queue.delete(h as number);
    },
    async advance(ms) {
      const end = t + ms;
      for (;;) {
        const next = [...queue.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        queue.delete(next[0]);
        t = next[1].at;
        next[1].fn();
        await settle();
      }
      t = end;
      await settle();
    },
  };
}

describe('Autosaver', () => {
  it('debounces a burst of changes into one save', async () => {
    const timers = fakeTimers();
    let saves = 0;
    const a = new Autosaver(async () => void saves++, { timers, debounceMs: 250, maxWaitMs: 1000 });
    a.schedule();
    await timers.advance(100);
    a.schedule();
    await timers.advance(100);
    a.schedule();
    expect(saves).toBe(0);
    await timers.advance(250);
    expect(saves).toBe(1);
    expect(a.dirty).toBe(false);
  });

  it('never lets a change wait more than maxWait, even while changes keep coming (playing)', async () => {
    const timers = fakeTimers();
    const savedAt: number[] = [];
    const a = new Autosaver(async () => void savedAt.push(timers.t), { timers, debounceMs: 250, maxWaitMs: 1000 });
    for (let i = 0; i < 100; i++) {
      a.schedule(); // a frame every 33 ms
      await timers.advance(33);
    }
    expect(savedAt.length).toBeGreaterThanOrEqual(3);
    let prev = 0;
    for (const at of savedAt) {
      expect(at - prev).toBeLessThanOrEqual(1000 + 33);
      prev = at;
    }
  });

  it('flush saves now; a change during a save is saved afterwards; states are reported', async () => {
    const timers = fakeTimers();
    const states: string[] = [];
    let release: (() => void) | null = null;
    let saves = 0;
    const a = new Autosaver(
      () =>
        new Promise<void>((r) => {
          saves++;
          release = r;
        }),
      { timers, onState: (s) => states.push(s) },
    );
    a.schedule();
    const f = a.flush();
    expect(saves).toBe(1);
    a.schedule(); // while saving
    release!();
    await f;
    await timers.advance(300);
    expect(saves).toBe(2);
    release!();
    await timers.advance(10);
    expect(states[0]).toBe('pending');
    expect(states).toContain('saving');
    expect(states[states.length - 1]).toBe('saved');
    await a.flush(); // nothing to do
    expect(saves).toBe(2);
  });

  it('keeps the change after a failed save and tries again', async () => {
    const timers = fakeTimers();
    let fail = true;
    let saves = 0;
    const errors: unknown[] = [];
    const a = new Autosaver(
      async () => {
        saves++;
        if (fail) throw new Error('disk full');
      },
      { timers, onState: (s, e) => s === 'error' && errors.push(e) },
    );
    a.schedule();
    await timers.advance(300);
    expect(errors).toHaveLength(1);
    expect(a.dirty).toBe(true);
    fail = false;
    a.schedule();
    await timers.advance(300);
    expect(saves).toBe(2);
    expect(a.dirty).toBe(false);
  });

  it('reset and dispose drop pending changes', async () => {
    const timers = fakeTimers();
    let saves = 0;
    const a = new Autosaver(async () => void saves++, { timers });
    a.schedule();
    a.reset();
    await timers.advance(2000);
    expect(saves).toBe(0);
    a.dispose();
    a.schedule();
    await timers.advance(2000);
    expect(saves).toBe(0);
  });
});

describe('a crash loses at most the last second of work', () => {
  afterEach(async () => {
    await Dexie.delete('lab-crash-test');
  });
  // (each database is closed before it is deleted)

  it('notes typed continuously are in IndexedDB at most maxWait behind when the page dies', async () => {
    const timers = fakeTimers(true);
    const db = createSessionDb('lab-crash-test');
    const repo = new SessionRepo(db);
    let notes = '';
    const typedAt: number[] = [];
    const a = new Autosaver(() => repo.put(session({ notes })), { timers });
    // Type one character every 80 ms for 3.3 s, then "crash" (no flush, no pagehide).
    for (let i = 0; i < 41; i++) {
      notes += String.fromCharCode(97 + (i % 26));
      typedAt.push(timers.t);
      a.schedule();
      await timers.advance(80);
    }
    const crashAt = timers.t;
    a.dispose(); // the page is gone: no flush
    // Let IndexedDB finish what it had already been asked to write.
    await new Promise((r) => setTimeout(r, 50));
    db.close();

    const again = new SessionRepo(createSessionDb('lab-crash-test'));
    const stored = await again.get(session().id);
    expect(stored).toBeDefined();
    const keptChars = stored!.notes.length;
    expect(notes.startsWith(stored!.notes)).toBe(true);
    // The last character kept was typed within maxWait (+ one keystroke) of the crash.
    const lastKeptAt = typedAt[keptChars - 1]!;
    expect(crashAt - lastKeptAt).toBeLessThanOrEqual(AUTOSAVE_MAX_WAIT_MS + 80);
    expect(keptChars).toBeGreaterThan(20);
    again.db.close();
  });
});
