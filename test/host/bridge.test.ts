/**
 * The loopback bridge (src-main/bridge/ws-bridge.ts) with a HostLike test double, and the
 * renderer's bridge client (src-renderer/lib/api) talking to it over a real socket.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { validateRequest, type Envelope } from '../../src-shared/ipc/contract';
import type { Frame } from '../../src-shared/ipc/frames';
import type { HostLike } from '../../src-main/host/host-api';
import { CSP } from '../../src-main/electron/csp';
import { resolveStaticPath } from '../../src-main/bridge/static-files';
import { startBridge, type Bridge } from '../../src-main/bridge/ws-bridge';
import { createBridgeClient, isLoopbackBridgeUrl, type SocketLike } from '../../src-renderer/lib/api/bridge-client';
import { bridgeFromLocation } from '../../src-renderer/lib/api/index';

class HostDouble implements HostLike {
  readonly calls: { channel: unknown; payload: unknown }[] = [];
  readonly listeners = new Set<(frame: Frame) => void>();
  disposed = false;

  async handle(channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
    this.calls.push({ channel, payload });
    try {
      const request = validateRequest(channel, payload);
      if (request.channel === 'lab:scenarios') {
        return { ok: true, value: [{ id: 'nt1-log-replication', title: 'Log replication across continents' }] };
      }
      return { ok: true, value: { echo: request } };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  subscribe(listener: (frame: Frame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(frame: Frame): void {
    for (const listener of this.listeners) listener(frame);
  }

  dispose(): void {
    this.disposed = true;
  }
}

function sampleFrame(t_ms = 1000): Frame {
  return {
    run_id: 'run-1',
    t_ms,
    until_ms: 120_000,
    playing: true,
    speed: 1,
    strategy: 'raft',
    nodes: [{ id: 'n1', group: 'us-east', up: true, role: 'leader', byzantine: false }],
    links: [],
    messages: [],
    scopes: [],
    records: [],
    reset: false,
    extras: {},
    metrics: {},
    requirements: [],
    digest: 'abc',
  };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (the path is sent exactly as given, no client-side normalisation). */
function raw(port: number, path: string, options: { method?: string; host?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Tries a WebSocket upgrade; resolves with the HTTP status of a refusal, or 101 when it opened. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => resolve(-1));
  });
}

function openSocket(bridge: Bridge, token = bridge.token): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${bridge.wsUrl}?token=${encodeURIComponent(token)}`, { headers: { origin: bridge.origin } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>)));
}

function closeEvent(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

let tmp: string;
let staticDir: string;
let host: HostDouble;
let bridge: Bridge;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'lab-bridge-'));
  staticDir = join(tmp, 'renderer');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Impossibility Lab</title><div id="app"></div>');
  await writeFile(join(staticDir, 'assets', 'app.js'), 'export const x = 1;');
  await writeFile(join(staticDir, 'assets', 'app.css'), 'body{}');
  await writeFile(join(tmp, 'secret.txt'), 'TOP SECRET');
  host = new HostDouble();
  bridge = await startBridge({ host, staticDir });
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  // The server sees the close a moment later; every connection must have unsubscribed.
  await expect.poll(() => host.listeners.size).toBe(0);
});

afterAll(async () => {
  await bridge.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('bridge: static files', () => {
  it('listens on 127.0.0.1 only and prints a page URL with the bridge and a random token', () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.token.length).toBeGreaterThanOrEqual(40);
    expect(bridge.url).toBe(`${bridge.origin}/index.html?bridge=${bridge.wsUrl}&token=${bridge.token}`);
    const parsed = bridgeFromLocation(new URL(bridge.url).search);
    expect(parsed).toEqual({ url: bridge.wsUrl, token: bridge.token });
  });

  it('serves index.html with the app CSP and the right mime type', async () => {
    for (const path of ['/index.html', '/']) {
      const res = await raw(bridge.port, path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.body).toContain('<div id="app">');
    }
  });

  it('serves scripts and styles with their mime types', async () => {
    expect((await raw(bridge.port, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw(bridge.port, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await raw(bridge.port, '/assets/app.js?v=1')).status).toBe(200);
  });

  it('refuses path traversal in every spelling', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00/index.html',
      '/%E0%A4%A',
      '/assets',
      '/assets/',
    ];
    for (const path of attempts) {
      const res = await raw(bridge.port, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('TOP SECRET');
    }
    await expect(resolveStaticPath(staticDir, '/../secret.txt')).resolves.toBeNull();
  });

  it('refuses other methods and foreign Host headers (DNS rebinding)', async () => {
    expect((await raw(bridge.port, '/index.html', { method: 'POST' })).status).toBe(405);
    expect((await raw(bridge.port, '/index.html', { host: 'evil.example:80' })).status).toBe(421);
    expect((await raw(bridge.port, '/index.html', { host: `localhost:${bridge.port}` })).status).toBe(200);
  });
});

describe('bridge: WebSocket endpoint', () => {
  it('rejects a missing or wrong token, a wrong path and a foreign origin', async () => {
    expect(await upgradeStatus(bridge.wsUrl)).toBe(401);
    expect(await upgradeStatus(`${bridge.wsUrl}?token=wrong`)).toBe(401);
    expect(await upgradeStatus(`${bridge.wsUrl}?token=${bridge.token}x`)).toBe(401);
    expect(await upgradeStatus(`${bridge.origin.replace('http', 'ws')}/other?token=${bridge.token}`)).toBe(404);
    expect(await upgradeStatus(`${bridge.wsUrl}?token=${bridge.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(`${bridge.wsUrl}?token=${bridge.token}`, { origin: bridge.origin })).toBe(101);
    expect(host.calls).toEqual([]);
  });

  it('round-trips a request to the host and answers in an envelope', async () => {
    const ws = await openSocket(bridge);
    sockets.push(ws);
    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ id: 7, channel: 'lab:scenarios', payload: {} }));
    expect(await reply).toEqual({
      id: 7,
      response: { ok: true, value: [{ id: 'nt1-log-replication', title: 'Log replication across continents' }] },
    });
    expect(host.calls.at(-1)).toEqual({ channel: 'lab:scenarios', payload: {} });

    const invalid = nextMessage(ws);
    ws.send(JSON.stringify({ id: 8, channel: 'lab:open-run', payload: { scenario: '../etc' } }));
    const answer = (await invalid) as { id: number; response: Envelope<unknown> };
    expect(answer.id).toBe(8);
    expect(answer.response.ok).toBe(false);
  });

  it('forwards host frames and unsubscribes when the socket closes', async () => {
    const ws = await openSocket(bridge);
    expect(host.listeners.size).toBe(1);
    const message = nextMessage(ws);
    host.emit(sampleFrame(4200));
    // The socket's first frame of a run is a key frame: every node, numbered for the deltas after it.
    expect(await message).toEqual({ frame: { ...sampleFrame(4200), nodes_delta: { seq: 1, base: 0, count: 1 } } });
    const closed = closeEvent(ws);
    ws.close();
    await closed;
    await expect.poll(() => host.listeners.size).toBe(0);
  });

  it('closes the connection on oversized messages (1009) and on garbage (1007/1008)', async () => {
    const big = await openSocket(bridge);
    sockets.push(big);
    const bigClosed = closeEvent(big);
    big.send(JSON.stringify({ id: 1, channel: 'lab:scenarios', payload: { pad: 'x'.repeat(2 * 1024 * 1024) } }));
    expect((await bigClosed).code).toBe(1009);

    const garbage = await openSocket(bridge);
    sockets.push(garbage);
    const garbageClosed = closeEvent(garbage);
    garbage.send('{not json');
    expect((await garbageClosed).code).toBe(1007);

    const noId = await openSocket(bridge);
    sockets.push(noId);
    const noIdClosed = closeEvent(noId);
    noId.send(JSON.stringify({ channel: 'lab:scenarios', payload: {} }));
    expect((await noIdClosed).code).toBe(1008);
  });
});

describe('renderer bridge client over the real bridge', () => {
  function clientSocket(): Promise<{ ws: WebSocket; socket: SocketLike }> {
    return openSocket(bridge).then((ws) => {
      sockets.push(ws);
      return { ws, socket: ws as unknown as SocketLike };
    });
  }

  it('invokes, receives frames, unsubscribes', async () => {
    const { socket } = await clientSocket();
    const lab = createBridgeClient(socket);
    const response = await lab.invoke('lab:scenarios', {});
    expect(response).toEqual({ ok: true, value: [{ id: 'nt1-log-replication', title: 'Log replication across continents' }] });

    const frames: Frame[] = [];
    const off = lab.onFrame((frame) => frames.push(frame));
    host.emit(sampleFrame(1));
    await expect.poll(() => frames.length).toBe(1);
    off();
    host.emit(sampleFrame(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(frames.map((f) => f.t_ms)).toEqual([1]);
    lab.close();
  });

  it('refuses unknown channels locally and answers pending requests when the socket closes', async () => {
    const { ws, socket } = await clientSocket();
    const lab = createBridgeClient(socket);
    const calls = host.calls.length;
    const refused = await lab.invoke('lab:evil' as 'lab:scenarios', {});
    expect(refused.ok).toBe(false);
    expect(host.calls.length).toBe(calls);

    const slow = lab.invoke('lab:scenarios', {});
    ws.terminate();
    const answer = await slow;
    // Either the answer won the race or the close did: never a hanging promise.
    expect(typeof answer.ok).toBe('boolean');
    const after = await lab.invoke('lab:scenarios', {});
    expect(after).toEqual({ ok: false, error: expect.stringContaining('closed') });
  });

  it('accepts only loopback bridge URLs', () => {
    expect(isLoopbackBridgeUrl('ws://127.0.0.1:5199/lab')).toBe(true);
    expect(isLoopbackBridgeUrl('ws://localhost:5199/lab')).toBe(true);
    expect(isLoopbackBridgeUrl('ws://evil.example/lab')).toBe(false);
    expect(isLoopbackBridgeUrl('http://127.0.0.1:5199/lab')).toBe(false);
    expect(isLoopbackBridgeUrl('ws://user:pw@127.0.0.1/lab')).toBe(false);
    expect(isLoopbackBridgeUrl('not a url')).toBe(false);
  });
});
