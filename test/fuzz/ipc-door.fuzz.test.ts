/**
 * Door 1: IPC from the renderer, including a compromised one. Every input goes through the
 * real code Electron runs — the preload's `window.lab` (src-main/preload/lab-api.ts), a
 * stand-in for Electron's IPC transport (structured clone, "no handler" for unknown
 * channels), the handlers of src-main/electron/ipc.ts (sender validation) and the real
 * LabHost (contract validation + dispatch to runs of real scenarios). A compromised
 * renderer is modelled by also sending straight to the handlers with any sender frame.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../src-shared/ipc/contract';
import { LabHost } from '../../src-main/host/lab-host';
import type { HostLike } from '../../src-main/host/host-api';
import { channel, NT1, payloadFor, POOL_SIZE, POOL_UNTIL_MS, resolvePool, sender, type Sender } from './ipc-inputs';
import { DoorTally, expectPreciseMessage, FUZZ_RUNS, FUZZ_SEED, preview, timed } from './verdict';

vi.mock('electron', () => {
  throw new Error('the IPC door must not load electron');
});
const { registerIpcHandlers, UNTRUSTED_SENDER_ERROR } = await import('../../src-main/electron/ipc');
const { createLabApi } = await import('../../src-main/preload/lab-api');

const APP_URL = 'file:///opt/lab/out/renderer/index.html';
const manualClock = { setInterval: () => 1, clearInterval: () => {} };
const TRUSTED = { senderFrame: { url: APP_URL, parent: null } };
const input = fc
  .tuple(channel, sender(APP_URL, TRUSTED), fc.constantFrom<'preload' | 'raw'>('preload', 'preload', 'raw'))
  .chain(([ch, from, route]) => payloadFor(ch).map((payload) => ({ channel: ch, sender: from, route, payload })));

// ---- the app under fuzz -----------------------------------------------------------------------

let host: LabHost;
const pool: string[] = [];
let hostCalls = 0;
let handlers: Map<string, (event: unknown, payload: unknown) => Promise<Envelope<unknown>>>;
let invokeFrom: (from: Sender) => ReturnType<typeof createLabApi>;

/** What Electron's IPC itself refuses before any of our code runs. */
class TransportError extends Error {}
function transportClone(payload: unknown): unknown {
  try {
    return structuredClone(payload);
  } catch (e) {
    throw new TransportError(`An object could not be cloned (${(e as Error).message})`);
  }
}

async function open(): Promise<string> {
  const res = await host.handle('lab:open-run', { scenario: NT1, seed: 3, until_ms: POOL_UNTIL_MS });
  if (!res.ok) throw new Error(res.error);
  return (res.value as { run_id: string }).run_id;
}

const resolve = (x: unknown): unknown => resolvePool(x, pool);

beforeAll(async () => {
  host = new LabHost({ scenarioDir: 'scenarios', clock: manualClock });
  for (let i = 0; i < POOL_SIZE; i++) pool.push(await open());
  const counted: HostLike = {
    handle: (c, p) => {
      hostCalls++;
      return host.handle(c, p);
    },
    subscribe: (l) => host.subscribe(l),
    dispose: () => host.dispose(),
  };
  handlers = new Map();
  registerIpcHandlers({
    ipcMain: { handle: (ch: string, h: never) => void handlers.set(ch, h), removeHandler: (ch: string) => void handlers.delete(ch) } as never,
    host: counted,
    appUrl: APP_URL,
  });
  // Electron's transport: the payload is structured-cloned; a channel without a handler rejects.
  invokeFrom = (from: Sender) =>
    createLabApi({
      invoke: async (ch: string, payload: unknown) => {
        const h = handlers.get(ch);
        if (!h) throw new TransportError(`Error invoking remote method '${ch}': Error: No handler registered for '${ch}'`);
        return h(from, transportClone(payload));
      },
      on: () => undefined,
      removeListener: () => undefined,
    } as never);
});

afterAll(() => host.dispose());

describe('fuzz door: IPC', () => {
  it('a renderer cannot make the host read a scenario file by path', async () => {
    for (const scenario of ['package.json', 'nt1-log-replication.yaml', 'tsconfig.json']) {
      const res = await host.handle('lab:open-run', { scenario });
      expect(res).toEqual({ ok: false, error: expect.stringMatching(/^unknown scenario /) });
      const check = await host.handle('lab:check-session', { scenario, strategy: 'x', actions: [] });
      expect(check).toEqual({ ok: false, error: expect.stringMatching(/^unknown scenario /) });
    }
  });

  it(`${FUZZ_RUNS} hostile messages: each gets a precise error or a correct answer, never a crash or a hang`, async () => {
    const tally = new DoorTally('ipc');
    const scenariosBefore = JSON.stringify(await host.handle('lab:scenarios', {}));
    await fc.assert(
      fc.asyncProperty(input, async (inp) => {
        const payload = resolve(inp.payload);
        const callsBefore = hostCalls;
        const trusted = inp.sender === TRUSTED || (inp.sender.senderFrame?.parent === null && inp.sender.senderFrame.url.startsWith(`${APP_URL}?`));
        let res: Envelope<unknown>;
        try {
          res = await timed(tally, inp, () => {
            if (inp.route === 'preload') return invokeFrom(inp.sender).invoke(inp.channel as never, payload as never);
            const h = typeof inp.channel === 'string' ? handlers.get(inp.channel) : undefined;
            if (!h) throw new TransportError(`No handler registered for '${String(inp.channel)}'`);
            return h(inp.sender, transportClone(payload));
          });
        } catch (e) {
          // Only Electron's own transport throws: a value it cannot clone, or a channel no handler serves.
          if (!(e instanceof Error)) throw new Error(`non-Error thrown for ${preview(inp)}`);
          expect(e, `${e.name}: ${e.message}`).toBeInstanceOf(TransportError);
          expect(hostCalls).toBe(callsBefore);
          tally.reject();
          return;
        }
        expect(typeof res).toBe('object');
        if (!trusted) {
          // Refused by the sender check (or, for an unknown channel, by the preload before sending).
          expect(res.ok).toBe(false);
          if (!res.ok && res.error !== UNTRUSTED_SENDER_ERROR) expect(res.error).toMatch(/^unknown channel /);
          expect(hostCalls, 'an untrusted sender reached the host').toBe(callsBefore);
          tally.reject();
          return;
        }
        if (!res.ok) {
          expectPreciseMessage(res.error, inp);
          tally.reject();
          return;
        }
        // Accepted: the answer has the shape the contract promises.
        const value = res.value as Record<string, unknown>;
        const p = payload as Record<string, unknown>;
        switch (inp.channel) {
          case 'lab:open-run':
            expect(value.run_id).toMatch(/^run-\d+$/);
            expect(p.scenario).toBe(NT1);
            // Keep the pool: close what the fuzzer opened.
            expect((await host.handle('lab:close-run', { run_id: value.run_id })).ok).toBe(true);
            break;
          case 'lab:close-run': {
            const i = pool.indexOf(p.run_id as string);
            expect(i).toBeGreaterThanOrEqual(0);
            pool[i] = await open();
            break;
          }
          case 'lab:control':
            expect(value.t_ms).toBeGreaterThanOrEqual(0);
            expect(value.t_ms).toBeLessThanOrEqual(POOL_UNTIL_MS);
            break;
          case 'lab:run-log':
            expect(value.digest).toMatch(/^[0-9a-f]{64}$/);
            break;
          case 'lab:act':
            expect(typeof value.applied).toBe('string');
            break;
          case 'lab:scenarios':
            expect(Array.isArray(res.value)).toBe(true);
            break;
        }
        tally.accept();
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );
    tally.check();
    // The scenario store is what it was.
    expect(JSON.stringify(await host.handle('lab:scenarios', {}))).toBe(scenariosBefore);
  });
});
