/** Electron IPC glue: sender validation, one handler per channel, frames to the window. */
import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, FRAME_CHANNEL, type Envelope } from '../../src-shared/ipc/contract';
import type { Frame } from '../../src-shared/ipc/frames';
import type { HostLike } from '../../src-main/host/host-api';

vi.mock('electron', () => {
  throw new Error('src-main/electron/ipc.ts must not load electron at runtime');
});

const { UNTRUSTED_SENDER_ERROR, forwardFrames, isTrustedEvent, isTrustedSender, registerIpcHandlers } = await import(
  '../../src-main/electron/ipc'
);

const APP_FILE = 'file:///opt/lab/out/renderer/index.html';
const APP_DEV = 'http://localhost:5173/';

function hostDouble() {
  const listeners = new Set<(frame: Frame) => void>();
  const host = {
    handle: vi.fn(async (channel: unknown): Promise<Envelope<unknown>> => ({ ok: true, value: { channel } })),
    subscribe: vi.fn((listener: (frame: Frame) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    dispose: vi.fn(),
  } satisfies HostLike;
  return { host, listeners };
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<Envelope<unknown>>>();
  return {
    handlers,
    handle: vi.fn((channel: string, handler: (event: unknown, payload: unknown) => Promise<Envelope<unknown>>) => {
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  };
}

const eventFrom = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('isTrustedSender', () => {
  it('accepts the app document (file://), with any query or hash', () => {
    expect(isTrustedSender(APP_FILE, APP_FILE)).toBe(true);
    expect(isTrustedSender(`${APP_FILE}?bridge=x#t=1`, APP_FILE)).toBe(true);
  });

  it('rejects foreign URLs', () => {
    for (const url of [
      'file:///opt/lab/out/renderer/other.html',
      'file:///tmp/index.html',
      'file:///opt/lab/out/renderer/index.html/../../../tmp/x.html',
      'https://evil.example/index.html',
      'http://localhost:5173/',
      'about:blank',
      'data:text/html,<script>1</script>',
      'devtools://devtools/bundled/inspector.html',
      'chrome-extension://abc/index.html',
      '',
      'not a url',
    ]) {
      expect(isTrustedSender(url, APP_FILE), url).toBe(false);
    }
    expect(isTrustedSender(null, APP_FILE)).toBe(false);
    expect(isTrustedSender(undefined, APP_FILE)).toBe(false);
  });

  it('accepts only the dev server origin in development', () => {
    expect(isTrustedSender('http://localhost:5173/index.html', APP_DEV)).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', APP_DEV)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5173/', APP_DEV)).toBe(false);
    expect(isTrustedSender('https://localhost:5173/', APP_DEV)).toBe(false);
    expect(isTrustedSender('http://user:pw@localhost:5173/', APP_DEV)).toBe(false);
  });

  it('rejects subframes and destroyed frames', () => {
    expect(isTrustedEvent(eventFrom(APP_FILE), APP_FILE)).toBe(true);
    expect(isTrustedEvent(eventFrom(APP_FILE, { url: APP_FILE }), APP_FILE)).toBe(false);
    expect(isTrustedEvent({ senderFrame: null }, APP_FILE)).toBe(false);
  });
});

describe('registerIpcHandlers', () => {
  it('registers exactly one handler per contract channel, and removes them', () => {
    const ipcMain = fakeIpcMain();
    const remove = registerIpcHandlers({ ipcMain, host: hostDouble().host, appUrl: APP_FILE });
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    remove();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('answers a foreign sender with an error envelope and never reaches the host', async () => {
    const ipcMain = fakeIpcMain();
    const { host } = hostDouble();
    registerIpcHandlers({ ipcMain, host, appUrl: APP_FILE });
    for (const channel of CHANNELS) {
      const handler = ipcMain.handlers.get(channel)!;
      await expect(handler(eventFrom('https://evil.example/'), {})).resolves.toEqual({ ok: false, error: UNTRUSTED_SENDER_ERROR });
      await expect(handler(eventFrom(APP_FILE, {}), {})).resolves.toEqual({ ok: false, error: UNTRUSTED_SENDER_ERROR });
      await expect(handler({ senderFrame: null }, {})).resolves.toEqual({ ok: false, error: UNTRUSTED_SENDER_ERROR });
    }
    expect(host.handle).not.toHaveBeenCalled();
  });

  it('passes trusted requests to the host (which validates them) and contains host failures', async () => {
    const ipcMain = fakeIpcMain();
    const { host } = hostDouble();
    registerIpcHandlers({ ipcMain, host, appUrl: APP_FILE });
    const handler = ipcMain.handlers.get('lab:scenarios')!;
    await expect(handler(eventFrom(APP_FILE), {})).resolves.toEqual({ ok: true, value: { channel: 'lab:scenarios' } });
    expect(host.handle).toHaveBeenCalledWith('lab:scenarios', {});

    host.handle.mockRejectedValueOnce(new Error('boom'));
    await expect(handler(eventFrom(APP_FILE), {})).resolves.toEqual({ ok: false, error: 'internal error: boom' });
  });
});

describe('forwardFrames', () => {
  it('sends every frame on the frame channel to the live window only', () => {
    const { host, listeners } = hostDouble();
    const contents = { send: vi.fn(), isDestroyed: vi.fn(() => false) };
    let target: typeof contents | null = contents;
    const stop = forwardFrames(host, () => target);
    const frame = { run_id: 'run-1', t_ms: 5 } as Frame;
    for (const listener of listeners) listener(frame);
    expect(contents.send).toHaveBeenCalledWith(FRAME_CHANNEL, frame);

    contents.isDestroyed.mockReturnValue(true);
    for (const listener of listeners) listener(frame);
    target = null;
    for (const listener of listeners) listener(frame);
    expect(contents.send).toHaveBeenCalledTimes(1);

    stop();
    expect(listeners.size).toBe(0);
  });
});
