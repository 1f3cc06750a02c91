/**
 * The renderer's single way to reach the engine: `const lab = await connectLab()`.
 * - In Electron the sandboxed preload exposes `window.lab` (src-main/preload).
 * - In a plain browser (end-to-end tests) the page URL carries the loopback bridge:
 *   `index.html?bridge=ws://127.0.0.1:PORT/lab&token=…` (printed by src-main/bridge/serve.ts).
 * Both give the same LabApi: `invoke(channel, payload) → Envelope`, `onFrame(listener) → unsubscribe`.
 */
import type { LabApi } from '../../../src-shared/ipc/contract';
import { connectBridge } from './bridge-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    lab?: LabApi;
  }
}

export type { LabApi } from '../../../src-shared/ipc/contract';
export { connectBridge, createBridgeClient, isLoopbackBridgeUrl, type BridgeClient, type SocketLike } from './bridge-client';

export class LabUnavailableError extends Error {
  override name = 'LabUnavailableError';
}

/** Where the bridge is, from a page location's query string; null when not given. */
export function bridgeFromLocation(search: string): { url: string; token: string } | null {
  const params = new URLSearchParams(search);
  const url = params.get('bridge');
  const token = params.get('token');
  if (!url || !token) return null;
  return { url, token };
}

let connection: Promise<LabApi> | null = null;

/** Connects once and returns the same LabApi to every caller. */
export function connectLab(): Promise<LabApi> {
  connection ??= open().catch((err: unknown) => {
    connection = null;
    throw err;
  });
  return connection;
}

async function open(): Promise<LabApi> {
  if (typeof window !== 'undefined' && window.lab) return window.lab;
  const bridge = typeof location !== 'undefined' ? bridgeFromLocation(location.search) : null;
  if (!bridge) {
    throw new LabUnavailableError(
      'Impossibility Lab cannot reach its engine: there is no Electron preload (window.lab) and the page URL has no ' +
        '?bridge=ws://127.0.0.1:PORT/lab&token=… (start one with `npx tsx src-main/bridge/serve.ts` and open the URL it prints).',
    );
  }
  return connectBridge(bridge.url, bridge.token);
}
