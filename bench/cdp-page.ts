/**
 * A bare Chromium page driven over the DevTools protocol, for measuring the renderer
 * as a user's window runs it. Playwright enables the Network domain on every page, so
 * each engine frame over the WebSocket (30 a second, ~25 KB) is copied to its driver as
 * a CDP event: the driver took ~300 ms of CPU a second on this 2-core machine, time the
 * measured page lost. Here only Runtime.evaluate crosses the pipe.
 *
 * Also reads the renderer main thread's CPU time from /proc (Linux), a figure the load
 * average does not distort the way wall-clock frame intervals are distorted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CHROMIUM_FLAGS } from '../test/helpers/chromium';

export interface CdpPage {
  /** Evaluates an expression in the page; awaits a returned promise; returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Renderer main-thread CPU time so far (ms, summed over the browser's renderers), or null where /proc is not there. */
  rendererMainCpuMs(): Promise<number | null>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads a file until it exists and is non-empty (Chromium writes DevToolsActivePort once it listens). */
async function waitForFile(path: string, timeout_ms: number): Promise<string> {
  const until = Date.now() + timeout_ms;
  for (;;) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text.includes('\n')) return text;
    if (Date.now() > until) throw new Error(`Chromium did not open its DevTools port in ${timeout_ms} ms`);
    await sleep(100);
  }
}

export async function openCdpPage(opts: { executablePath: string; url: string; width: number; height: number }): Promise<CdpPage> {
  const profile = await mkdtemp(join(tmpdir(), 'lab-bench-chromium-'));
  const child: ChildProcess = spawn(
    opts.executablePath,
    [
      ...CHROMIUM_FLAGS,
      '--force-dark-mode',
      '--blink-settings=preferredColorScheme=0',
      `--window-size=${opts.width},${opts.height}`,
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      opts.url,
    ],
    { stdio: 'ignore' },
  );
  try {
    const port = (await waitForFile(join(profile, 'DevToolsActivePort'), 30_000)).split('\n')[0]!.trim();
    interface Target {
      type: string;
      url: string;
      webSocketDebuggerUrl: string;
    }
    let target: Target | undefined;
    for (let i = 0; i < 100 && !target; i++) {
      const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Target[];
      target = list.find((t) => t.type === 'page' && t.url.startsWith('http://127.0.0.1'));
      if (!target) await sleep(100);
    }
    if (!target) throw new Error('Chromium opened no page for the lab URL');
    const ws = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false });
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    let nextId = 1;
    const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const p = msg.id === undefined ? undefined : pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id!);
      if (msg.error) p.fail(new Error(msg.error.message));
      else p.ok(msg.result);
    });
    const send = (method: string, params: object) =>
      new Promise<unknown>((ok, fail) => {
        const id = nextId++;
        pending.set(id, { ok, fail });
        ws.send(JSON.stringify({ id, method, params }));
      });
    const rendererPids = async (): Promise<number[]> => {
      // Renderers descend from the browser process and say --type=renderer (Chromium rewrites
      // its process titles, so the profile path is not on their lines). There may be a spare
      // one besides the page's: an idle renderer adds nothing to the sum.
      const parent = new Map<number, number>();
      const renderers: number[] = [];
      for (const d of await readdir('/proc').catch(() => [] as string[])) {
        if (!/^\d+$/.test(d)) continue;
        const stat = await readFile(`/proc/${d}/stat`, 'utf8').catch(() => '');
        parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
        const cmd = await readFile(`/proc/${d}/cmdline`, 'utf8').catch(() => '');
        if (cmd.includes('--type=renderer')) renderers.push(Number(d));
      }
      const descends = (p: number): boolean => {
        for (let q: number | undefined = p, hops = 0; q !== undefined && q > 1 && hops < 10; q = parent.get(q), hops++) if (q === child.pid) return true;
        return false;
      };
      return renderers.filter(descends);
    };
    return {
      async evaluate<T>(expression: string): Promise<T> {
        for (let attempt = 0; ; attempt++) {
          try {
            const r = (await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as {
              result: { value?: T };
              exceptionDetails?: { text: string; exception?: { description?: string } };
            };
            if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
            return r.result.value as T;
          } catch (e) {
            // The page is still loading (no context yet, or the navigation replaced it).
            if (attempt < 100 && e instanceof Error && /execution context/i.test(e.message)) await sleep(100);
            else throw e;
          }
        }
      },
      async rendererMainCpuMs(): Promise<number | null> {
        const pids = await rendererPids();
        if (pids.length === 0) return null;
        let sum = 0;
        for (const pid of pids) {
          // A main thread's tid is its process id; fields 14/15 are utime/stime in clock ticks (100 Hz).
          const stat = await readFile(`/proc/${pid}/task/${pid}/stat`, 'utf8').catch(() => null);
          if (stat === null) continue;
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          sum += (Number(f[11]) + Number(f[12])) * 10;
        }
        return sum;
      },
      async close(): Promise<void> {
        ws.close();
        child.kill('SIGTERM');
        await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
        await rm(profile, { recursive: true, force: true }).catch(() => {});
      },
    };
  } catch (e) {
    child.kill('SIGTERM');
    await rm(profile, { recursive: true, force: true }).catch(() => {});
    throw e;
  }
}
