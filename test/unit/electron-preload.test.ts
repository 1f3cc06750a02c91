/** The sandboxed preload exposes exactly window.lab = { invoke, onFrame } and refuses unknown channels. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS, FRAME_CHANNEL, type LabApi } from '../../src-shared/ipc/contract';
import type { Frame } from '../../src-shared/ipc/frames';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    listeners,
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string) => ({ ok: true, value: channel })),
      on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      }),
      removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
        listeners.get(channel)?.delete(listener);
      }),
      send: vi.fn(),
      sendSync: vi.fn(),
    },
  };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

await import('../../src-main/preload/index');
const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
const lab = api as unknown as LabApi;

beforeEach(() => {
  electron.ipcRenderer.invoke.mockClear();
});

describe('preload', () => {
  it('exposes one object, window.lab, with only invoke and onFrame', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(name).toBe('lab');
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onFrame']);
    expect(typeof api['invoke']).toBe('function');
    expect(typeof api['onFrame']).toBe('function');
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.sendSync).not.toHaveBeenCalled();
  });

  it('invokes the contract channels', async () => {
    for (const channel of CHANNELS) {
      await expect(lab.invoke(channel, {} as never)).resolves.toEqual({ ok: true, value: channel });
    }
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledTimes(CHANNELS.length);
  });

  it('refuses unknown channels without sending anything', async () => {
    for (const channel of ['lab:frame', 'lab:evil', 'ELECTRON_BROWSER_REQUIRE', '', 'constructor', '__proto__']) {
      const response = await lab.invoke(channel as 'lab:scenarios', {});
      expect(response.ok, channel).toBe(false);
    }
    await expect(lab.invoke(42 as unknown as 'lab:scenarios', {})).resolves.toMatchObject({ ok: false });
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('onFrame delivers frames without the IPC event and unsubscribes', () => {
    const received: unknown[][] = [];
    const off = lab.onFrame((...args: unknown[]) => received.push(args));
    const frame = { run_id: 'run-1', t_ms: 10 } as Frame;
    const fakeEvent = { sender: { secret: true } };
    for (const listener of electron.listeners.get(FRAME_CHANNEL) ?? []) listener(fakeEvent, frame);
    expect(received).toEqual([[frame]]);
    off();
    expect(electron.listeners.get(FRAME_CHANNEL)?.size ?? 0).toBe(0);
    expect(() => lab.onFrame('nope' as never)).toThrow(TypeError);
  });
});
