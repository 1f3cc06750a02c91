/**
 * Crashes contained: an exception inside a scenario's protocol code stops that run with a
 * clear message and keeps the evidence recorded so far; the host, the other runs and the
 * session checks carry on. The model is the real NT-1 model with one handler made to throw
 * (for the armed run only), driven through LabHost exactly as the renderer drives it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabHost } from '../../src-main/host/lab-host';
import { logReplicationModel } from '../../src-main/engine/models/log-replication';
import type { Frame } from '../../src-shared/ipc/frames';
import type { RunLog } from '../../src-shared/ipc/contract';

const NT1 = 'nt1-log-replication';
const manualClock = { setInterval: () => 1, clearInterval: () => {} };

async function call<T>(host: LabHost, channel: string, payload: unknown): Promise<T> {
  const res = await host.handle(channel, payload);
  if (!res.ok) throw new Error(res.error);
  return res.value as T;
}

/** Makes the model throw `thrown` on its next timer while `armed` is true. */
function sabotage(thrown: () => unknown) {
  const state = { armed: false, fired: 0 };
  const original = logReplicationModel.onTimer.bind(logReplicationModel);
  vi.spyOn(logReplicationModel, 'onTimer').mockImplementation((...args) => {
    if (state.armed) {
      state.fired++;
      throw thrown();
    }
    return original(...args);
  });
  return state;
}

afterEach(() => vi.restoreAllMocks());

describe('a protocol exception stops only its own run', () => {
  for (const [label, thrown] of [
    ['an Error', () => new TypeError("Cannot read properties of undefined (reading 'term')")],
    ['a non-Error value', () => 'leader exploded'],
  ] as const) {
    it(`${label}: the run stops with a clear message and its evidence; other runs, sessions and the host carry on`, async () => {
      const host = new LabHost({ scenarioDir: 'scenarios', clock: manualClock });
      const frames: Frame[] = [];
      host.subscribe((f) => frames.push(f));
      const sab = sabotage(thrown);
      const victim = await call<{ run_id: string }>(host, 'lab:open-run', { scenario: NT1, seed: 5 });
      const bystander = await call<{ run_id: string }>(host, 'lab:open-run', { scenario: NT1, seed: 6 });
      await call(host, 'lab:control', { run_id: victim.run_id, cmd: 'step', value: 3000 });
      await call(host, 'lab:act', { run_id: victim.run_id, action: { do: 'cut', link: ['apac', 'us-east'] } });
      const evidenceBefore = (await call<RunLog>(host, 'lab:run-log', { run_id: victim.run_id })).t_ms;
      expect(evidenceBefore).toBeGreaterThan(3000);

      // The victim's protocol code throws while it plays.
      sab.armed = true;
      await call(host, 'lab:control', { run_id: victim.run_id, cmd: 'play' });
      host.playbackTick();
      sab.armed = false;
      expect(sab.fired).toBe(1);

      const last = frames.filter((f) => f.run_id === victim.run_id).at(-1)!;
      expect(last.error).toMatch(/^log-replication model failed at t=\d+\.\d{3}s: /);
      expect(last.error).toContain(label === 'an Error' ? "Cannot read properties of undefined (reading 'term')" : 'leader exploded');
      expect(last.error).not.toMatch(/undefined$/);
      expect(last.playing).toBe(false);
      // The evidence so far is kept: the timeline up to the failure, with the cut in it.
      const log = await call<RunLog>(host, 'lab:run-log', { run_id: victim.run_id });
      expect(log.actions.map((a) => a.action.do)).toEqual(['cut']);
      expect(log.digest).toMatch(/^[0-9a-f]{64}$/);
      const report = await call<{ text: string }>(host, 'lab:report', { run_id: victim.run_id, format: 'json' });
      expect(JSON.parse(report.text).timeline.length).toBeGreaterThan(0);
      // Acting on the stopped run is refused, saying why.
      const act = await host.handle('lab:act', { run_id: victim.run_id, action: { do: 'heal-all' } });
      expect(act).toEqual({ ok: false, error: expect.stringMatching(/^this run has stopped: log-replication model failed/) });

      // Another run carries on, undisturbed.
      await call(host, 'lab:control', { run_id: bystander.run_id, cmd: 'step', value: 20_000 });
      const other = frames.filter((f) => f.run_id === bystander.run_id).at(-1)!;
      expect(other.error).toBeUndefined();
      expect(other.t_ms).toBe(20_000);
      // Sessions are still checked, new runs still open, and Restart revives the victim.
      expect((await host.handle('lab:check-session', { scenario: NT1, strategy: 'async-cp', actions: [] })).ok).toBe(true);
      expect((await host.handle('lab:open-run', { scenario: NT1, seed: 7 })).ok).toBe(true);
      await call(host, 'lab:control', { run_id: victim.run_id, cmd: 'restart' });
      await call(host, 'lab:control', { run_id: victim.run_id, cmd: 'step', value: 5000 });
      expect(frames.filter((f) => f.run_id === victim.run_id).at(-1)!.error).toBeUndefined();
      host.dispose();
    });
  }

  it('a model that throws while the run opens gives a precise error, not a crash', async () => {
    const host = new LabHost({ scenarioDir: 'scenarios', clock: manualClock });
    vi.spyOn(logReplicationModel, 'init').mockImplementation(() => {
      throw 42;
    });
    const res = await host.handle('lab:open-run', { scenario: NT1 });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error).toMatch(/42/);
    vi.restoreAllMocks();
    expect((await host.handle('lab:open-run', { scenario: NT1 })).ok).toBe(true);
    host.dispose();
  });
});
