/**
 * `npm run bench`, UI case (DESIGN §7: p95 frame ≤ 16.7 ms with 5000 nodes animating).
 *
 *   a. Frame bytes, in process: MT-3 gossip (5011 nodes) at ×10 on the real host, each
 *      playback frame as the host builds it (full node list) and as a subscriber gets it
 *      on the wire (node list delta-encoded, src-shared/ipc/node-delta.ts).
 *   b. Frame times in Chromium, driven over bare CDP (cdp-page.ts): the built renderer (out/renderer) through the loopback
 *      bridge, like test/e2e/global-setup.ts, at 1920×1080; MT-3 gossip stepped 4 s, then
 *      played at ×10; requestAnimationFrame intervals over LAB_PERF_SECONDS (default 5) →
 *      p50 / p95 / p99, the canvas draw time and the bytes that crossed the WebSocket.
 *
 * Chromium: CHROMIUM_PATH or /usr/bin/chromium with test/helpers/chromium.ts's flags (--disable-gpu among them)
 * (software rendering: the figures are a floor for a machine with a GPU).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { LabHost } from '../src-main/host/lab-host';
import type { Frame } from '../src-shared/ipc/frames';
import { NodeDeltaEncoder } from '../src-shared/ipc/node-delta';
import { openCdpPage } from './cdp-page';
import { FIRST_DRAWN_MARK } from '../src-renderer/lib/first-drawn';
import { CHROMIUM_PATH } from '../test/helpers/chromium';
import { fmtMs, median, table } from './util';

const ROOT = resolve(import.meta.dirname, '..');
const SCENARIO = 'mt3-cdn-config';
const SECONDS = Number(process.env.LAB_PERF_SECONDS ?? 5);
const BUDGET_MS = 16.7;
/**
 * requestAnimationFrame intervals of a perfect 60 Hz stream read 16.6–16.8 ms: the page's
 * performance.now() is coarsened to 0.1 ms at each end. An interval within this grain of the
 * budget is on time; a missed display frame reads 33 ms.
 */
const CLOCK_GRAIN_MS = 0.2;
const load1 = () => loadavg()[0]!.toFixed(1);

export interface BudgetLine {
  name: string;
  budget: string;
  figure: string;
  status: string;
}

type Log = (s?: string) => void;

/** a. Bytes per frame before (full node list) and after (delta) on the real host, plus the host's frame build time. */
export async function frameBytes(frames = 60): Promise<{ full: number[]; wire: number[]; nodesFull: number; build_ms: number[]; nodes: number }> {
  const host = new LabHost({ scenarioDir: resolve(ROOT, 'scenarios'), clock: { setInterval: () => 0, clearInterval: () => undefined } });
  const got: Frame[] = [];
  const off = host.subscribe((f) => got.push(f));
  const open = await host.handle('lab:open-run', { scenario: SCENARIO, strategy: 'gossip' });
  if (!open.ok) throw new Error(open.error);
  const run_id = (open.value as { run_id: string }).run_id;
  const enc = new NodeDeltaEncoder();
  enc.encode(got.at(-1)!); // the subscriber's key frame
  await host.handle('lab:control', { run_id, cmd: 'step', value: 4000 });
  await host.handle('lab:control', { run_id, cmd: 'speed', value: 10 });
  await host.handle('lab:control', { run_id, cmd: 'play' });
  for (const f of got.splice(0)) enc.encode(f);
  const full: number[] = [];
  const wire: number[] = [];
  const build_ms: number[] = [];
  let nodesFull = 0;
  for (let i = 0; i < frames; i++) {
    const t0 = performance.now();
    host.playbackTick(); // advance + build + emit, as the playback timer does
    build_ms.push(performance.now() - t0);
    const f = got.splice(0).at(-1);
    if (!f) break;
    full.push(JSON.stringify(f).length);
    nodesFull = JSON.stringify(f.nodes).length;
    wire.push(JSON.stringify(enc.encode(f)).length);
  }
  off();
  const nodes = got.length ? got[0]!.nodes.length : 5011;
  host.dispose();
  return { full, wire, nodesFull, build_ms, nodes };
}

/** Starts the bridge on a free port; resolves the page URL and a stop function. */
async function startBridge(staticDir: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/bridge/serve.ts', '--port', '0', '--static', staticDir, '--scenarios', resolve(ROOT, 'scenarios'), '--exit-on-stdin-close'],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let out = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the bridge printed no URL in 60 s\n${out}`)), 60_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/index\.html\?\S+)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the bridge exited (code ${code})\n${out}`));
    });
  });
  child.stdout.resume();
  return { url, stop: () => child.kill('SIGTERM') };
}

interface PageFigures {
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  over: number;
  draw_median: number | null;
  draw_max: number | null;
  /** Renderer main-thread CPU over the window, per animation frame (null without /proc). */
  main_cpu_per_frame_ms: number | null;
  clock_from: string;
  clock_to: string;
}

/** Clicks a control by test id and waits for the clock to move (a step) or just clicks. */
const click = (testId: string) => `document.querySelector('[data-testid=${testId}]').click()`;
const until = (cond: string, what: string) => `new Promise((ok, fail) => {
  const end = performance.now() + 120000;
  const poll = () => (${cond}) ? ok(true) : performance.now() > end ? fail(new Error(${JSON.stringify(`timed out waiting for ${what}`)})) : setTimeout(poll, 50);
  poll();
})`;

/** b. Frame times of the real renderer in Chromium, driven over bare CDP (cdp-page.ts). */
async function chromiumFrames(url: string): Promise<PageFigures> {
  const executablePath = CHROMIUM_PATH;
  const u = new URL(url);
  u.searchParams.set('scenario', SCENARIO);
  u.searchParams.set('strategy', 'gossip');
  const page = await openCdpPage({ executablePath, url: u.href, width: 1920, height: 1080 });
  try {
    await page.evaluate(until(`document.querySelector('[data-testid=cdn-view][data-edges="5000"]')`, 'the CDN view with 5000 edges'));
    for (let i = 0; i < 4; i++) {
      const before = await page.evaluate<string>(`document.querySelector('[data-testid=clock]')?.textContent ?? ''`);
      await page.evaluate(click('step'));
      await page.evaluate(until(`document.querySelector('[data-testid=clock]')?.textContent !== ${JSON.stringify(before)}`, 'a step'));
    }
    await page.evaluate(click('play'));
    await page.evaluate(click('speed-10'));
    await page.evaluate(until(`document.querySelector('[data-testid=speed-10]')?.getAttribute('aria-checked') === 'true'`, '×10'));
    await page.evaluate('new Promise((ok) => setTimeout(ok, 1000))');
    const cpu0 = await page.rendererMainCpuMs();
    const r = await page.evaluate<{ deltas: number[]; draws: number[]; from: string; to: string }>(`(async (ms) => {
      const deltas = [];
      const draws = [];
      const clockText = () => document.querySelector('[data-testid=clock]')?.textContent ?? '';
      const canvas = document.querySelector('[data-testid=cdn-canvas]');
      const from = clockText();
      let last = performance.now();
      const end = last + ms;
      await new Promise((done) => {
        const tick = (ts) => {
          deltas.push(ts - last);
          last = ts;
          const d = Number(canvas?.dataset.drawMs ?? NaN);
          if (Number.isFinite(d)) draws.push(d);
          if (ts < end) requestAnimationFrame(tick);
          else done();
        };
        requestAnimationFrame(tick);
      });
      return { deltas, draws, from, to: clockText() };
    })(${SECONDS * 1000})`);
    const cpu1 = await page.rendererMainCpuMs();
    await page.evaluate(click('play')); // pause: the bridge goes away next anyway
    const s = [...r.deltas].sort((a, b) => a - b);
    const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
    const d = [...r.draws].sort((a, b) => a - b);
    return {
      frames: s.length,
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
      max: s.at(-1) ?? NaN,
      over: s.filter((x) => x > BUDGET_MS + CLOCK_GRAIN_MS).length,
      draw_median: d.length ? d[d.length >> 1]! : null,
      draw_max: d.length ? d.at(-1)! : null,
      main_cpu_per_frame_ms: cpu0 === null || cpu1 === null || s.length === 0 ? null : (cpu1 - cpu0) / s.length,
      clock_from: r.from,
      clock_to: r.to,
    };
  } finally {
    await page.close();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Runs a and b, prints them, returns the budget line. */
export async function uiFrameBench(log: Log, progress: (s: string) => void): Promise<BudgetLine> {
  const name = 'UI: p95 frame with 5000 nodes animating (MT-3 gossip ×10, Chromium)';
  log('6. UI frames: MT-3 CDN (5011 nodes, 5000 edges), gossip at ×10');
  progress('UI: frame bytes on the host (60 playback frames)');
  try {
    const b = await frameBytes();
    log(
      table(
        ['frame (60 playback frames after 4 s)', 'median', 'max'],
        [
          ['before: full frame (all node records)', kb(median(b.full)), kb(Math.max(...b.full))],
          [`  of which nodes (${b.nodes} records)`, kb(b.nodesFull), ''],
          ['after: on the wire (node delta)', kb(median(b.wire)), kb(Math.max(...b.wire))],
          ['host: advance + build + encode per tick', fmtMs(median(b.build_ms)), fmtMs(Math.max(...b.build_ms))],
        ],
        'lrr',
      ),
    );
    log(`  wire / full: ${((median(b.wire) / median(b.full)) * 100).toFixed(1)} % (load ${load1()})`);
  } catch (e) {
    log(`  frame bytes: failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const staticDir = resolve(ROOT, 'out', 'renderer');
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    log('  Chromium frame times: skipped: run npm run build (out/renderer is missing)');
    log();
    return { name, budget: '≤ 16.7 ms', figure: 'skipped: run npm run build', status: 'not measured' };
  }
  const exe = CHROMIUM_PATH;
  if (!existsSync(exe)) {
    log(`  Chromium frame times: skipped: no Chromium at ${exe} (set CHROMIUM_PATH)`);
    log();
    return { name, budget: '≤ 16.7 ms', figure: 'skipped: no Chromium', status: 'not measured' };
  }
  progress(`UI: Chromium at 1920×1080, ${SECONDS} s of requestAnimationFrame while MT-3 plays at ×10`);
  let bridge: { url: string; stop: () => void } | null = null;
  try {
    bridge = await startBridge(staticDir);
    const loadBefore = load1();
    const r = await chromiumFrames(bridge.url);
    log(
      table(
        ['figure', 'value'],
        [
          ['animation frames measured', `${r.frames} in ${SECONDS} s (clock ${r.clock_from} → ${r.clock_to})`],
          ['frame time p50 / p95 / p99 / max', `${r.p50.toFixed(1)} / ${r.p95.toFixed(1)} / ${r.p99.toFixed(1)} / ${r.max.toFixed(1)} ms`],
          ['frames late (over 16.7 ms + 0.2 ms clock grain)', `${r.over} of ${r.frames}`],
          ['canvas draw median / max', r.draw_median === null ? '—' : `${r.draw_median.toFixed(1)} / ${r.draw_max!.toFixed(1)} ms`],
          ['renderer main-thread CPU per frame', r.main_cpu_per_frame_ms === null ? '— (no /proc)' : `${r.main_cpu_per_frame_ms.toFixed(1)} ms (10 ms ticks; less load-sensitive than the intervals)`],
          ['load average (1 min) before / after', `${loadBefore} / ${load1()}`],
        ],
        'll',
      ),
    );
    const ok = r.p95 <= BUDGET_MS + CLOCK_GRAIN_MS;
    log(`  p95 ${r.p95.toFixed(1)} ms   budget ≤ 16.7 ms  → ${ok ? 'met' : 'MISSED'} (headless, software rendering, load ${load1()})`);
    log();
    return { name, budget: '≤ 16.7 ms', figure: `p95 ${r.p95.toFixed(1)} ms (p50 ${r.p50.toFixed(1)}, p99 ${r.p99.toFixed(1)}; load ${load1()})`, status: ok ? 'met' : 'MISSED' };
  } catch (e) {
    log(`  Chromium frame times: failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    log();
    return { name, budget: '≤ 16.7 ms', figure: 'failed', status: 'not measured' };
  } finally {
    bridge?.stop();
  }
}

/** Why the UI cannot be measured here, or null when it can (a built renderer and a Chromium). */
function uiUnavailable(): string | null {
  if (!existsSync(resolve(ROOT, 'out', 'renderer', 'index.html'))) return 'skipped: run npm run build';
  if (!existsSync(CHROMIUM_PATH)) return `skipped: no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`;
  return null;
}

/**
 * DESIGN §7 "first scenario drawn ≤ 1.5 s after the window opens": a fresh Chromium profile
 * opens the app (no saved session, so the default NT-1), and MT-3 by URL; the renderer's
 * User Timing mark (src-renderer/lib/first-drawn.ts) says when the first frame was painted,
 * in ms since navigation start. The host is already running, as in Electron, where the
 * window loads after the main process has started.
 */
export async function uiFirstDrawnBench(log: Log, progress: (s: string) => void): Promise<BudgetLine> {
  const name = 'UI: first scenario drawn after window opens (Chromium, fresh profile)';
  const why = uiUnavailable();
  if (why) return { name, budget: '≤ 1.5 s', figure: why, status: 'not measured' };
  log('7. UI: first scenario drawn after the window opens (fresh profile, 1920×1080)');
  let bridge: { url: string; stop: () => void } | null = null;
  try {
    bridge = await startBridge(resolve(ROOT, 'out', 'renderer'));
    const rows: string[][] = [];
    let worst = 0;
    for (const scenario of [null, SCENARIO]) {
      progress(`UI: first scenario drawn, ${scenario ?? 'default (NT-1)'}`);
      const u = new URL(bridge.url);
      if (scenario) u.searchParams.set('scenario', scenario);
      const page = await openCdpPage({ executablePath: CHROMIUM_PATH, url: u.href, width: 1920, height: 1080 });
      try {
        const ms = await page.evaluate<number>(
          `new Promise((ok, fail) => { const end = performance.now() + 60000; const poll = () => { const m = performance.getEntriesByName(${JSON.stringify(FIRST_DRAWN_MARK)})[0]; if (m) ok(m.startTime); else if (performance.now() > end) fail(new Error('no first-drawn mark in 60 s')); else setTimeout(poll, 20); }; poll(); })`,
        );
        const fcp = await page.evaluate<number | null>(`performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null`);
        // How long a cold headless Chromium took to hand over index.html (its network service starting; not the app's time).
        const doc = await page.evaluate<number>(`performance.getEntriesByType('navigation')[0]?.responseEnd ?? 0`);
        worst = Math.max(worst, ms);
        rows.push([scenario ?? 'nt1-log-replication (default)', fmtMs(ms), fcp === null ? '—' : fmtMs(fcp), fmtMs(doc), fmtMs(ms - doc)]);
      } finally {
        await page.close();
      }
    }
    log(table(['scenario', 'first frame painted', 'first contentful paint', 'index.html received', 'app: document → frame'], rows, 'lrrrr'));
    const ok = worst <= 1500;
    log(`  worst ${fmtMs(worst)}   budget ≤ 1.5 s  → ${ok ? 'met' : 'MISSED'} (load ${load1()})`);
    log();
    return { name, budget: '≤ 1.5 s', figure: `${fmtMs(worst)} (worst of NT-1, MT-3; load ${load1()})`, status: ok ? 'met' : 'MISSED' };
  } catch (e) {
    log(`  first scenario drawn: failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    log();
    return { name, budget: '≤ 1.5 s', figure: 'failed', status: 'not measured' };
  } finally {
    bridge?.stop();
  }
}

// Run alone: npx tsx bench/ui-frames.ts
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'ui-frames.ts')) {
  const line = await uiFrameBench(
    (s = '') => process.stdout.write(`${s}\n`),
    (s) => process.stderr.write(`  … ${s}\n`),
  );
  process.stdout.write(`${line.name}: ${line.figure} → ${line.status}\n`);
  process.exit(0);
}
