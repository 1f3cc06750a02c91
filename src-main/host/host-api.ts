/**
 * The shape of the main-process host as its adapters see it. Two adapters drive the same
 * host: Electron's ipcMain (src-main/electron) and the loopback WebSocket bridge used to
 * test the real renderer in Chromium without Electron (src-main/bridge).
 */
import type { Envelope } from '../../src-shared/ipc/contract';
import type { Frame } from '../../src-shared/ipc/frames';

export interface HostLike {
  /** Validates the untrusted request and answers in an envelope; never throws. */
  handle(channel: unknown, payload: unknown): Promise<Envelope<unknown>>;
  /** Frames for every open run; returns an unsubscribe function. */
  subscribe(listener: (frame: Frame) => void): () => void;
  dispose(): void;
}
