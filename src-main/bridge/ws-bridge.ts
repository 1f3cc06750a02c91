/**
 * The Electron-free loopback harness: the same host the Electron app uses, reachable from
 * a plain Chromium through one HTTP server on 127.0.0.1 that
 *   - serves the built renderer (out/renderer) with the app's CSP, and
 *   - speaks the IPC contract over a WebSocket at /lab?token=<per-run random token>.
 * Protocol: client → {id, channel, payload}; server → {id, response} (an Envelope);
 * server → {frame} for every host frame.
 * Loopback only, Host header checked (DNS rebinding), Origin checked, bounded messages.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Envelope } from '../../src-shared/ipc/contract';
import type { HostLike } from '../host/host-api';
import { NodeDeltaEncoder } from '../../src-shared/ipc/node-delta';
import { CSP } from '../electron/csp';
import { createStaticHandler } from './static-files';

export const BRIDGE_PATH = '/lab';
/** Largest accepted client message (the contract caps payloads at 300 000 characters). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface BridgeOptions {
  host: HostLike;
  /** The built renderer, normally out/renderer. */
  staticDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Fixed token (tests only); default: 32 random bytes. */
  token?: string;
  maxMessageBytes?: number;
}

export interface Bridge {
  /** Page URL that makes the renderer connect to this bridge (includes the token). */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** ws://127.0.0.1:PORT/lab (without the token). */
  wsUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The page URL for a bridge: the renderer reads `bridge` and `token` from its location. */
export function bridgePageUrl(origin: string, wsUrl: string, token: string): string {
  return `${origin}/index.html?bridge=${wsUrl}&token=${encodeURIComponent(token)}`;
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { host, staticDir } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const maxPayload = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const serveStatic = await createStaticHandler(staticDir, SECURITY_HEADERS);

  let port = 0;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('misdirected request\n');
      return;
    }
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    serveStatic(req, res, pathname).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://bridge.invalid');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(socket, 421, 'Misdirected Request');
    if (url.pathname !== BRIDGE_PATH) return refuse(socket, 404, 'Not Found');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return refuse(socket, 403, 'Forbidden');
    if (!sameToken(url.searchParams.get('token'), token)) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const send = (message: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    // Each socket has its own node baseline: full node list on its first frame of a run, then deltas.
    const nodes = new NodeDeltaEncoder();
    const unsubscribe = host.subscribe((frame) => {
      if (ws.readyState === ws.OPEN) send({ frame: nodes.encode(frame) });
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text messages only');
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return ws.close(1007, 'not JSON');
      }
      if (typeof message !== 'object' || message === null) return ws.close(1008, 'not a request');
      const { id, channel, payload } = message as { id?: unknown; channel?: unknown; payload?: unknown };
      if (typeof id !== 'number' && typeof id !== 'string') return ws.close(1008, 'request without id');
      void Promise.resolve()
        .then(() => host.handle(channel, payload))
        .catch((err: unknown): Envelope<unknown> => ({ ok: false, error: `internal error: ${err instanceof Error ? err.message : String(err)}` }))
        .then((response) => send({ id, response }));
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}${BRIDGE_PATH}`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((done) => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.close(() => done());
      server.closeAllConnections();
    });
    return closing;
  };

  return { url: bridgePageUrl(origin, wsUrl, token), origin, wsUrl, token, port, close };
}
