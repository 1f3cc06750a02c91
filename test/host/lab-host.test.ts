import { describe, expect, it } from 'vitest';
import { LabHost, type PlaybackClock } from '../../src-main/host/lab-host';
import type { Frame } from '../../src-shared/ipc/frames';

/** A playback clock the test advances by hand. */
function manualClock(): PlaybackClock & { tick(): void; active: boolean } {
  let fn: (() => void) | null = null;
  return {
    setInterval(f) {
      fn = f;
      return 1;
    },
    clearInterval() {
      fn = null;
    },
    tick() {
      fn?.();
    },
    get active() {
      return fn !== null;
    },
  };
}

async function open(host: LabHost, extra: Record<string, unknown> = {}) {
  const res = await host.handle('lab:open-run', { scenario: 'nt1-log-replication', seed: 4, ...extra });
  if (!res.ok) throw new Error(res.error);
  return res.value as { run_id: string };
}

describe('LabHost (Electron-free main-process host)', () => {
  it('lists scenarios and rejects malformed or hostile requests with a precise error', async () => {
    const host = new LabHost({ scenarioDir: 'scenarios' });
    const list = await host.handle('lab:scenarios', {});
    expect(list.ok && (list.value as { id: string }[]).map((s) => s.id)).toContain('nt1-log-replication');
    expect(await host.handle('lab:nuke', {})).toEqual({ ok: false, error: 'unknown channel "lab:nuke"' });
    const bad = await host.handle('lab:open-run', { scenario: 42 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^lab:open-run: scenario: /);
    const extra = await host.handle('lab:open-run', { scenario: 'nt1-log-replication', evil: true });
    expect(!extra.ok && extra.error).toMatch(/evil/);
    const huge = await host.handle('lab:open-run', { scenario: 'x'.repeat(400_000) });
    expect(!huge.ok && huge.error).toMatch(/too large/);
    const unknown = await host.handle('lab:open-run', { scenario: 'nope' });
    expect(!unknown.ok && unknown.error).toMatch(/unknown scenario "nope"/);
    const badScript = await host.handle('lab:open-run', { scenario: 'nt1-log-replication', script: 'actions: [{at: 1s, do: kill, node: zz}]' });
    expect(!badScript.ok && badScript.error).toMatch(/actions\[0\]\.node: unknown node "zz"/);
  });

  it('plays, takes a cut from the UI and streams frames whose mode changes with evidence', async () => {
    const clock = manualClock();
    const host = new LabHost({ scenarioDir: 'scenarios', clock, frame_ms: 100, sim_ms_per_s: 1000 });
    const frames: Frame[] = [];
    host.subscribe((f) => frames.push(f));
    const { run_id } = await open(host);
    expect(frames[0]!.reset).toBe(true);
    expect(frames[0]!.scopes.map((s) => s.mode)).toEqual(['Target', 'Target', 'Target']);

    const cut1 = await host.handle('lab:act', { run_id, action: { do: 'cut', link: ['apac', 'us-east'] } });
    expect(cut1).toEqual({ ok: true, value: { applied: 'cut apac–us-east' } });
    await host.handle('lab:act', { run_id, action: { do: 'cut', link: ['apac', 'eu-west'] } });
    const badAct = await host.handle('lab:act', { run_id, action: { do: 'cut', link: ['apac', 'mars'] } });
    expect(!badAct.ok && badAct.error).toBe('action.link[1]: unknown node or group "mars"');

    await host.handle('lab:control', { run_id, cmd: 'speed', value: 100 });
    await host.handle('lab:control', { run_id, cmd: 'play' });
    expect(clock.active).toBe(true);
    for (let i = 0; i < 8; i++) clock.tick(); // 8 × 0.1 s × 100 = 80 s simulated
    const last = frames[frames.length - 1]!;
    expect(last.t_ms).toBeGreaterThanOrEqual(80_000);
    expect(last.scopes.find((s) => s.id === 'apac')!.mode).toBe('Degraded');
    const modeRec = frames.flatMap((f) => f.records).find((r) => r.kind === 'mode');
    expect(modeRec && modeRec.kind === 'mode' && modeRec.evidence.length).toBeGreaterThan(0);
    expect(last.links.find((l) => l.a === 'us-east' && l.b === 'apac')?.state ?? last.links.find((l) => l.b === 'us-east' && l.a === 'apac')?.state).toBe('cut');

    await host.handle('lab:control', { run_id, cmd: 'pause' });
    expect(clock.active).toBe(false);
  });

  it('seeks back, switches strategy on the same seed and actions, and keeps digests reproducible', async () => {
    const host = new LabHost({ scenarioDir: 'scenarios', clock: manualClock() });
    let frame: Frame | null = null;
    host.subscribe((f) => (frame = f));
    const { run_id } = await open(host);
    await host.handle('lab:control', { run_id, cmd: 'step', value: 30_000 });
    const at30 = frame!.digest;
    await host.handle('lab:control', { run_id, cmd: 'step', value: 30_000 });
    await host.handle('lab:control', { run_id, cmd: 'seek', value: 30_000 });
    expect(frame!.digest).toBe(at30);
    expect(frame!.reset).toBe(true);
    const sw = await host.handle('lab:control', { run_id, cmd: 'strategy', value: 'sync-cp' });
    expect(sw.ok && (sw.value as { strategy: string }).strategy).toBe('sync-cp');
    expect(frame!.t_ms).toBe(30_000);
    const other = new LabHost({ scenarioDir: 'scenarios', clock: manualClock() });
    let f2: Frame | null = null;
    other.subscribe((f) => (f2 = f));
    const r2 = await open(other, { strategy: 'sync-cp' });
    await other.handle('lab:control', { run_id: r2.run_id, cmd: 'step', value: 30_000 });
    expect(f2!.digest).toBe(frame!.digest);
    const bad = await host.handle('lab:control', { run_id, cmd: 'strategy', value: 'warp' });
    expect(!bad.ok && bad.error).toMatch(/unknown strategy "warp"/);
    const gone = await host.handle('lab:control', { run_id: 'run-999', cmd: 'play' });
    expect(!gone.ok && gone.error).toBe('no open run "run-999"');
  });
});
