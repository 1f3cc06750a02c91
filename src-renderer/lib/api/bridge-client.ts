/**
 * LabApi over the loopback WebSocket bridge (src-main/bridge/ws-bridge.ts), used when the
 * renderer runs in a plain browser (end-to-end tests) instead of Electron.
 * Protocol: → {id, channel, payload}; ← {id, response}; ← {frame}.
 */
import { CHANNELS, type Channel, type Envelope, type LabApi, type Request, type Responses } from '../../../src-shared/ipc/contract';
import type { Frame } from '../../../src-shared/ipc/frames';

const KNOWN = new Set<string>(CHANNELS);

/** The part of a WebSocket the client uses (a test double is easy). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: { data?: unknown }) => void): void;
}

const OPEN = 1;

export interface BridgeClient extends LabApi {
  close(): void;
}

export function createBridgeClient(socket: SocketLike): BridgeClient {
  let nextId = 1;
  let closedReason: string | null = null;
  const pending = new Map<number, (response: Envelope<unknown>) => void>();
  const listeners = new Set<(frame: Frame) => void>();

  socket.addEventListener('message', (event) => {
    let message: { id?: unknown; response?: unknown; frame?: unknown };
    try {
      message = JSON.parse(String(event.data)) as typeof message;
    } catch {
      console.error('lab bridge: ignored a message that is not JSON');
      return;
    }
    if (message.frame !== undefined) {
      for (const listener of [...listeners]) {
        try {
          listener(message.frame as Frame);
        } catch (err) {
          console.error('lab bridge: frame listener failed', err);
        }
      }
      return;
    }
    if (typeof message.id === 'number') {
      const resolve = pending.get(message.id);
      if (!resolve) return;
      pending.delete(message.id);
      resolve(message.response as Envelope<unknown>);
    }
  });

  socket.addEventListener('close', () => {
    closedReason ??= 'the lab bridge connection closed';
    for (const resolve of pending.values()) resolve({ ok: false, error: closedReason });
    pending.clear();
  });

  return {
    invoke<C extends Channel>(channel: C, payload: Request<C>): Promise<Envelope<Responses[C]>> {
      if (typeof channel !== 'string' || !KNOWN.has(channel)) {
        return Promise.resolve({ ok: false, error: `unknown channel ${JSON.stringify(String(channel).slice(0, 40))}` });
      }
      if (closedReason !== null || socket.readyState !== OPEN) {
        return Promise.resolve({ ok: false, error: closedReason ?? 'the lab bridge is not connected' });
      }
      const id = nextId++;
      return new Promise<Envelope<Responses[C]>>((resolve) => {
        pending.set(id, resolve as (response: Envelope<unknown>) => void);
        try {
          socket.send(JSON.stringify({ id, channel, payload }));
        } catch (err) {
          pending.delete(id);
          resolve({ ok: false, error: `could not send to the lab bridge: ${err instanceof Error ? err.message : String(err)}` });
        }
      });
    },
    onFrame(listener: (frame: Frame) => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close(): void {
      closedReason = 'the lab bridge connection was closed by the app';
      socket.close(1000, 'bye');
    },
  };
}

/** Only loopback bridges are accepted: a crafted link cannot point the app elsewhere. */
export function isLoopbackBridgeUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === 'ws:' || parsed.protocol === 'wss:') &&
      ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname) &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

/** Opens the socket and resolves once it is connected (rejects with a clear message). */
export function connectBridge(
  bridgeUrl: string,
  token: string,
  makeSocket: (url: string) => SocketLike = (url) => new WebSocket(url),
  timeoutMs = 10_000,
): Promise<BridgeClient> {
  if (!isLoopbackBridgeUrl(bridgeUrl)) {
    return Promise.reject(new Error(`lab bridge: refusing non-loopback bridge URL ${JSON.stringify(bridgeUrl)}`));
  }
  const url = new URL(bridgeUrl);
  url.searchParams.set('token', token);
  return new Promise<BridgeClient>((resolve, reject) => {
    let settled = false;
    const socket = makeSocket(url.href);
    const client = createBridgeClient(socket);
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.close();
      reject(new Error(`lab bridge: no connection to ${bridgeUrl} after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.addEventListener('open', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(client);
    });
    socket.addEventListener('close', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`lab bridge: connection to ${bridgeUrl} refused (wrong or expired token, or the bridge is not running)`));
    });
  });
}
