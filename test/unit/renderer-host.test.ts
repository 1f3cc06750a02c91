import { describe, expect, it } from 'vitest';
import { callHost } from '../../src-renderer/lib/host-call';
import { FrameRouter } from '../../src-renderer/lib/frame-router';
import type { LabApi } from '../../src-shared/ipc/contract';
import type { Frame } from '../../src-shared/ipc/frames';

function api(invoke: (channel: string, payload: unknown) => Promise<unknown>): LabApi {
  return { invoke: invoke as LabApi['invoke'], onFrame: () => () => {} };
}

describe('callHost', () => {
  it('passes a value through', async () => {
    const r = await callHost(api(async () => ({ ok: true, value: { applied: 'cut us-east–eu-west' } })), 'lab:act', { run_id: 'run-1', action: { do: 'cut', link: ['us-east', 'eu-west'] } }, 'cut');
    expect(r).toEqual({ ok: true, value: { applied: 'cut us-east–eu-west' } });
  });
  it('turns an error envelope into a message naming what failed', async () => {
    const r = await callHost(api(async () => ({ ok: false, error: 'lab:act: unknown node "zz"' })), 'lab:act', { run_id: 'run-1', action: { do: 'kill', node: 'zz' } }, 'kill zz');
    expect(r).toEqual({ ok: false, message: 'Could not kill zz: lab:act: unknown node "zz"' });
  });
  it('never throws: rejections, junk answers and no connection become messages', async () => {
    const rejected = await callHost(api(async () => Promise.reject(new Error('the lab bridge connection closed'))), 'lab:scenarios', {}, 'list the scenarios');
    expect(rejected).toEqual({ ok: false, message: 'Could not list the scenarios: the lab bridge connection closed' });
    expect(await callHost(api(async () => undefined), 'lab:scenarios', {}, 'list')).toEqual({ ok: false, message: 'Could not list: the host sent no answer' });
    expect(await callHost(api(async () => ({ ok: false })), 'lab:scenarios', {}, 'list')).toEqual({ ok: false, message: 'Could not list: unknown error' });
    expect(await callHost(null, 'lab:scenarios', {}, 'list')).toEqual({ ok: false, message: 'Could not list: not connected to the lab host' });
  });
});

const frame = (run_id: string, t_ms: number): Frame => ({
  run_id,
  t_ms,
  until_ms: 1000,
  playing: true,
  speed: 1,
  strategy: 's',
  nodes: [],
  links: [],
  messages: [],
  scopes: [],
  records: [],
  reset: false,
  metrics: {},
  extras: {},
  requirements: [],
  digest: '',
});

describe('FrameRouter', () => {
  it('delivers frames of the open run only', () => {
    const got: number[] = [];
    const r = new FrameRouter((f) => got.push(f.t_ms));
    r.open('run-1');
    r.receive(frame('run-1', 1));
    r.receive(frame('run-9', 2));
    r.receive(frame('run-1', 3));
    expect(got).toEqual([1, 3]);
  });
  it('holds frames that beat the open-run reply and replays them in order', () => {
    const got: string[] = [];
    const r = new FrameRouter((f) => got.push(`${f.run_id}@${f.t_ms}`));
    r.open('run-1');
    r.receive(frame('run-2', 0));
    r.receive(frame('run-2', 50));
    r.receive(frame('run-1', 900));
    r.open('run-2');
    expect(got).toEqual(['run-1@900', 'run-2@0', 'run-2@50']);
    expect(r.heldCount()).toBe(0);
    r.receive(frame('run-1', 950));
    expect(got).toHaveLength(3);
  });
  it('bounds what it holds', () => {
    const r = new FrameRouter(() => {});
    for (let i = 0; i < 500; i++) r.receive(frame('run-3', i));
    expect(r.heldCount()).toBe(200);
    for (let k = 0; k < 10; k++) r.receive(frame(`run-${10 + k}`, 0));
    expect(r.heldCount()).toBeLessThanOrEqual(4);
  });
});
