/**
 * Frame-time probe for the NT-2 floor at seed scale (DESIGN §7: p95 ≤ 16.7 ms). The
 * `sensors` parameter is a scenario parameter, so this spec starts its own bridge on a
 * copy of scenarios/ with `sensors: 500`, plays NT-2 at ×10 and records requestAnimationFrame
 * intervals (performance.now()) for a few seconds. A benchmark, not a timed test: the
 * figures are printed and attached to the report; only sanity is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, measureFrameTimes, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SENSORS = 500;
const SECONDS = Number(process.env.LAB_PERF_SECONDS ?? 5);

let bridge: ChildProcess | null = null;
let url = '';
let dir = '';

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-views-perf-'));
  await cp(resolve(ROOT, 'scenarios'), dir, { recursive: true });
  const file = join(dir, 'nt2-iot-election.yaml');
  const text = await readFile(file, 'utf8');
  const patched = text.replace(/^(\s+sensors:\s*)\d+/m, `$1${SENSORS}`);
  expect(patched, 'the NT-2 scenario declares a `sensors` parameter').not.toBe(text);
  await writeFile(file, patched);
  bridge = spawn(process.execPath, ['--import', 'tsx', 'src-main/bridge/serve.ts', '--port', '0', '--static', resolve(ROOT, 'out', 'renderer'), '--scenarios', dir, '--exit-on-stdin-close'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  url = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`perf bridge printed no URL:\n${out}`)), 60_000);
    bridge!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/index\.html\?\S+)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        done(m[1]);
      }
    });
    bridge!.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    bridge!.once('exit', (code) => fail(new Error(`perf bridge exited (${code}):\n${out}`)));
  });
});

test.afterAll(async () => {
  bridge?.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

test(`NT-2 floor with ${SENSORS} sensors at ×10: frame times`, async ({ page }, info) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1920, height: 1080 });
  const u = new URL(url);
  u.searchParams.set('scenario', 'nt2-iot-election');
  await page.goto(u.href, { waitUntil: 'domcontentloaded' });
  const floor = page.getByTestId('factory-floor');
  await expect(floor).toHaveAttribute('data-sensors', String(SENSORS), { timeout: 30_000 });
  await page.getByTestId('play').click();
  await page.getByTestId('speed-10').click();
  await expect(page.getByTestId('speed-10')).toHaveAttribute('aria-checked', 'true');
  await page.waitForTimeout(1500);

  const r = await measureFrameTimes(page, SECONDS * 1000);
  await page.getByTestId('play').click();

  const report = { sensors: SENSORS, speed: 10, seconds: SECONDS, viewport: '1920×1080', ...r };
  console.log(`[views-perf] ${JSON.stringify(report)}`);
  info.annotations.push({ type: 'frame-times', description: `p50 ${r.p50.toFixed(1)} ms · p95 ${r.p95.toFixed(1)} ms · p99 ${r.p99.toFixed(1)} ms · ${r.frames} frames` });
  await info.attach('frame-times.json', { body: JSON.stringify(report, null, 2), contentType: 'application/json' });
  expect(r.frames).toBeGreaterThan(0);
  await expect(floor).toHaveAttribute('data-sensors', String(SENSORS));
});
