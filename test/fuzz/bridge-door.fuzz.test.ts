/**
 * Door 2: the loopback WebSocket bridge (src-main/bridge/ws-bridge.ts) in front of the real
 * LabHost, over a real socket. Inputs are raw frames: contract requests (the IPC door's
 * generators), malformed JSON, requests without an id, binary and oversized frames — and
 * connection attempts from another sender (wrong token, foreign Origin, wrong path or Host).
 * A bad frame must close the socket with a precise close code; a request must get an
 * envelope with a precise error or a correct answer.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LabHost } from '../../src-main/host/lab-host';
import { startBridge, type Bridge } from '../../src-main/bridge/ws-bridge';
import { junk, randomText } from './arbitraries';
import { channel, NT1, payloadFor, POOL_SIZE, POOL_UNTIL_MS, resolvePool } from './ipc-inputs';
import { DoorTally, expectPreciseMessage, FUZZ_RUNS, FUZZ_SEED, preview, timed } from './verdict';

const manualClock = { setInterval: () => 1, clearInterval: () => {} };
const MAX_MESSAGE_BYTES = 64 * 1024;
const OVERSIZED = `{"id":1,"channel":"lab:scenarios","payload":{"x":"${'y'.repeat(MAX_MESSAGE_BYTES)}"}}`;

type Msg =
  | { kind: 'request'; id: unknown; channel: unknown; payload: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'connect'; token: 'good' | 'bad' | 'none'; origin: string | undefined; path: string; host: string | undefined };

const request: fc.Arbitrary<Msg> = fc
  .tuple(channel, fc.oneof({ weight: 10, arbitrary: fc.constant('@@id') }, { weight: 1, arbitrary: junk }))
  .chain(([ch, id]) => payloadFor(ch).map((payload): Msg => ({ kind: 'request', id, channel: ch, payload })));

const message: fc.Arbitrary<Msg> = fc.oneof(
  { weight: 30, arbitrary: request },
  {
    weight: 4,
    arbitrary: fc.oneof(
      randomText,
      junk.map((j) => safeJson(j)),
      fc.constantFrom('{"id": 1}', '{"channel": "lab:scenarios"}', '{"id": {}, "channel": "lab:scenarios"}', '{"id": 1, "channel": "lab:scenarios", "payload": {}', OVERSIZED),
    ).map((text): Msg => ({ kind: 'text', text })),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 16 }).map((bytes): Msg => ({ kind: 'binary', bytes })) },
  {
    weight: 1,
    arbitrary: fc.record({
      token: fc.constantFrom<'good' | 'bad' | 'none'>('good', 'bad', 'none'),
      origin: fc.option(fc.constantFrom('https://evil.example', 'http://127.0.0.1:1', 'null', '@@self'), { nil: undefined }),
      path: fc.constantFrom('/lab', '/lab', '/', '/lab/', '/LAB', '/index.html'),
      host: fc.option(fc.constantFrom('evil.example', '127.0.0.1', 'localhost:1'), { nil: undefined, freq: 3 }),
    }).map((c): Msg => ({ kind: 'connect', ...c })),
  },
);

const BROKEN = '[[[[';
function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'null';
  } catch {
    return BROKEN;
  }
}

// ---- the bridge under fuzz ------------------------------------------------------------------

let host: LabHost;
let bridge: Bridge;
let staticDir: string;
const pool: string[] = [];
let nextId = 1;

type Answer = { data?: unknown; close?: { code: number; reason: string } };

class Client {
  private ws!: WebSocket;
  /** Requests in flight by id (several at once), and the one serial frame in flight. */
  private readonly pending = new Map<unknown, (a: Answer) => void>();
  private serial: ((a: Answer) => void) | null = null;
  closed = true;

  async connect(): Promise<void> {
    this.ws = new WebSocket(`${bridge.wsUrl}?token=${encodeURIComponent(bridge.token)}`, { origin: bridge.origin });
    this.closed = false;
    this.ws.on('message', (raw) => {
      const text = String(raw);
      if (text.startsWith('{"frame"')) return; // frames are the bridge's business, not this door's
      const data = JSON.parse(text) as Record<string, unknown>;
      const byId = this.pending.get(data.id);
      if (byId) {
        this.pending.delete(data.id);
        byId({ data });
      } else this.takeSerial({ data });
    });
    this.ws.on('close', (code, reason) => {
      this.closed = true;
      const close = { code, reason: String(reason) };
      for (const done of this.pending.values()) done({ close });
      this.pending.clear();
      this.takeSerial({ close });
    });
    await new Promise<void>((done, fail) => {
      this.ws.once('open', () => done());
      this.ws.once('error', fail);
    });
  }

  private takeSerial(a: Answer): void {
    const done = this.serial;
    this.serial = null;
    done?.(a);
  }

  /** A well-formed request: answered by id, so many can be in flight. */
  request(id: number, text: string): Promise<Answer> {
    return new Promise((done) => {
      this.pending.set(id, done);
      this.ws.send(text);
    });
  }

  /** Any other frame: sent alone; waits for its answer or for the socket to close. */
  send(data: string | Uint8Array): Promise<Answer> {
    return new Promise((done) => {
      this.serial = done;
      this.ws.send(data, { binary: typeof data !== 'string' });
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** An upgrade attempt; resolves with the HTTP status it was refused with, or 101. */
function attempt(m: Extract<Msg, { kind: 'connect' }>): Promise<number> {
  const token = m.token === 'good' ? bridge.token : m.token === 'bad' ? `${bridge.token.slice(0, -1)}x` : null;
  const url = `ws://127.0.0.1:${bridge.port}${m.path}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const origin = m.origin === '@@self' ? bridge.origin : m.origin;
  return new Promise((done) => {
    const ws = new WebSocket(url, { ...(origin ? { origin } : {}), ...(m.host ? { headers: { Host: m.host } } : {}) });
    ws.on('open', () => {
      ws.terminate();
      done(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      done(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => done(-1));
  });
}

async function openRun(): Promise<string> {
  const res = await host.handle('lab:open-run', { scenario: NT1, seed: 3, until_ms: POOL_UNTIL_MS });
  if (!res.ok) throw new Error(res.error);
  return (res.value as { run_id: string }).run_id;
}

const client = new Client();

beforeAll(async () => {
  staticDir = await mkdtemp(join(tmpdir(), 'lab-fuzz-bridge-'));
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  host = new LabHost({ scenarioDir: 'scenarios', clock: manualClock });
  for (let i = 0; i < POOL_SIZE; i++) pool.push(await openRun());
  bridge = await startBridge({ host, staticDir, maxMessageBytes: MAX_MESSAGE_BYTES });
  await client.connect();
});

afterAll(async () => {
  client.close();
  await bridge.close();
  host.dispose();
  await rm(staticDir, { recursive: true, force: true });
});

describe('fuzz door: bridge', () => {
  it(`${FUZZ_RUNS} hostile frames and connection attempts: precise refusals or correct answers`, async () => {
    const tally = new DoorTally('bridge');
    let poolTouched = false;

    /** Checks one answer; `wellFormed` requests must never close the socket. */
    const judge = (m: Msg, answer: Answer, wellFormed: boolean): void => {
      if (answer.close) {
        expect([1003, 1007, 1008, 1009], `close ${answer.close.code} ${answer.close.reason} for ${preview(m)}`).toContain(answer.close.code);
        expect(wellFormed, `a well-formed request closed the socket: ${preview(m)}`).toBe(false);
        tally.reject();
        return;
      }
      const data = answer.data as { id: unknown; response: { ok: boolean; error?: string; value?: unknown } };
      expect(data.response, preview(m)).toBeTypeOf('object');
      if (!data.response.ok) {
        expectPreciseMessage(data.response.error, m);
        tally.reject();
        return;
      }
      if (m.kind === 'request' && m.channel === 'lab:open-run') void host.handle('lab:close-run', { run_id: (data.response.value as { run_id: string }).run_id });
      if (m.kind === 'request' && m.channel === 'lab:close-run') poolTouched = true;
      tally.accept();
    };

    const connectAttempt = async (m: Extract<Msg, { kind: 'connect' }>): Promise<void> => {
      const status = await timed(tally, m, () => attempt(m));
      const hostHeader = m.host ?? `127.0.0.1:${bridge.port}`;
      const allowed = m.token === 'good' && m.path === '/lab' && (m.origin === undefined || m.origin === '@@self') && hostHeader === `127.0.0.1:${bridge.port}`;
      if (allowed) {
        expect(status).toBe(101);
        tally.accept();
      } else {
        expect([401, 403, 404, 421]).toContain(status);
        tally.reject();
      }
    };

    // Ten frames per property run: well-formed requests go out together (answers matched by
    // id), then every other frame alone, since it may close the socket.
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 10, maxLength: 10 }), async (batch) => {
        if (client.closed) await client.connect();
        const together: Promise<void>[] = [];
        const alone: (() => Promise<void>)[] = [];
        for (const m of batch) {
          if (m.kind === 'connect') {
            alone.push(() => connectAttempt(m));
            continue;
          }
          if (m.kind === 'request') {
            const body = { id: m.id === '@@id' ? nextId++ : m.id, channel: m.channel, payload: resolvePool(m.payload, pool) };
            const text = safeJson(body);
            const wellFormed = m.id === '@@id' && text !== BROKEN && text.length <= MAX_MESSAGE_BYTES;
            if (wellFormed) {
              together.push(timed(tally, m, () => client.request(body.id as number, text)).then((a) => judge(m, a, true)));
              continue;
            }
            alone.push(async () => {
              if (client.closed) await client.connect();
              judge(m, await timed(tally, m, () => client.send(text)), ((typeof body.id === 'number' && Number.isFinite(body.id)) || typeof body.id === 'string') && text !== BROKEN && text.length <= MAX_MESSAGE_BYTES);
            });
            continue;
          }
          const frame = m.kind === 'text' ? m.text : m.bytes;
          alone.push(async () => {
            if (client.closed) await client.connect();
            judge(m, await timed(tally, m, () => client.send(frame)), false);
          });
        }
        await Promise.all(together);
        for (const run of alone) await run();
        // Keep the pool of open runs (a fuzzed lab:close-run may have closed one).
        if (poolTouched) for (let i = 0; i < pool.length; i++) if (!(await host.handle('lab:run-log', { run_id: pool[i] })).ok) pool[i] = await openRun();
        poolTouched = false;
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS / 10, endOnFailure: true },
    );
    tally.check();
  });
});

