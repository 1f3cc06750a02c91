/**
 * Electron's side of the IPC contract: one ipcMain.handle per channel. The sender is
 * checked first (the app's own top-level document only), then the host validates the
 * payload. Frames go to the main window on FRAME_CHANNEL.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, FRAME_CHANNEL, type Envelope } from '../../src-shared/ipc/contract';
import type { HostLike } from '../host/host-api';
import { NodeDeltaEncoder } from '../../src-shared/ipc/node-delta';

/**
 * Whether `url` is the app's own renderer document. For a file:// app URL the path must
 * be identical (query and hash may differ); for the dev server (http) the origin must be.
 */
export function isTrustedSender(url: string | null | undefined, appUrl: string): boolean {
  if (!url) return false;
  let sender: URL;
  let app: URL;
  try {
    sender = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (sender.protocol !== app.protocol) return false;
  if (app.protocol === 'file:') {
    return sender.host === app.host && decodeURIComponent(sender.pathname) === decodeURIComponent(app.pathname);
  }
  if (app.protocol === 'http:' || app.protocol === 'https:') {
    return sender.origin === app.origin && sender.username === '' && sender.password === '';
  }
  return false;
}

type SenderInfo = { senderFrame: { url: string; parent: unknown } | null };

/** The event must come from the top-level frame showing the app's own document. */
export function isTrustedEvent(event: SenderInfo, appUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent) return false;
  return isTrustedSender(frame.url, appUrl);
}

export const UNTRUSTED_SENDER_ERROR = 'rejected: the request did not come from the app window';

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  host: HostLike;
  appUrl: string;
}

/** Registers one handler per channel; returns a function that removes them. */
export function registerIpcHandlers({ ipcMain, host, appUrl }: IpcDeps): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedEvent(event, appUrl)) return { ok: false, error: UNTRUSTED_SENDER_ERROR };
      try {
        return await host.handle(channel, payload);
      } catch (err) {
        return { ok: false, error: `internal error: ${err instanceof Error ? err.message : String(err)}` };
      }
    });
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** Streams every host frame to the window's webContents (while it lives). */
export function forwardFrames(host: HostLike, target: () => Pick<WebContents, 'send' | 'isDestroyed'> | null): () => void {
  // This window's node baseline: full node list on its first frame of a run, then deltas (src-shared/ipc/node-delta.ts).
  const nodes = new NodeDeltaEncoder();
  return host.subscribe((frame) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(FRAME_CHANNEL, nodes.encode(frame));
  });
}
