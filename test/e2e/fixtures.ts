/**
 * Playwright fixtures for the Impossibility Lab renderer served by the loopback bridge.
 *
 *   import { test, expect, saveScreen } from './fixtures';
 *   test('…', async ({ labPage, consoleErrors }) => {
 *     await expect(labPage.getByText('Log replication across continents')).toBeVisible();
 *     await saveScreen(labPage, 'scenario-list');   // → test-results/screens/scenario-list.png
 *   });
 *
 * - `labUrl`: the page URL with the bridge and its token (process.env.LAB_URL).
 * - `labPage`: a page already opened on the app (waits for DOMContentLoaded).
 * - `consoleErrors`: console errors, uncaught page errors and CSP violations seen so far.
 *   Every test using `labPage` fails at the end if any occurred, unless it sets
 *   `test.use({ allowConsoleErrors: true })` or empties the array itself.
 * - `openLab(query?)`: opens the app in the same page with extra query parameters.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';

export const SCREENS_DIR = resolve(import.meta.dirname, '..', '..', 'test-results', 'screens');

/** Saves a PNG of the page (or full page) to test-results/screens/NAME.png; returns the path. */
export async function saveScreen(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`saveScreen: bad name ${JSON.stringify(name)}`);
  await mkdir(SCREENS_DIR, { recursive: true });
  const path = resolve(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled' });
  return path;
}

/** Adds query parameters to the app URL (keeps bridge and token). */
/** The shared host keeps a run going after its page closes: every spec leaves its run paused. */
export async function leaveRunPaused(page: Page): Promise<void> {
  const play = page.getByTestId('play');
  if ((await play.count()) > 0 && (await play.getAttribute('aria-pressed')) === 'true') await play.click();
}

/**
 * Steps n simulated seconds, paused, waiting for each step's frame: deterministic on a
 * busy machine (5000 edges make every frame heavy; playing could overshoot or crawl).
 */
export async function stepSeconds(page: Page, n: number): Promise<void> {
  const clock = page.getByTestId('clock');
  for (let i = 0; i < n; i++) {
    const before = await clock.textContent();
    await page.getByTestId('step').click();
    await expect(clock).not.toHaveText(before ?? '', { timeout: 30_000 });
  }
}

export function withQuery(url: string, query: Record<string, string> = {}): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
  return target.href;
}

export interface LabFixtures {
  labUrl: string;
  consoleErrors: string[];
  labPage: Page;
  openLab: (query?: Record<string, string>) => Promise<Page>;
}

export interface LabOptions {
  allowConsoleErrors: boolean;
}

export const test = base.extend<LabFixtures & LabOptions>({
  allowConsoleErrors: [false, { option: true }],

  // eslint-disable-next-line no-empty-pattern
  labUrl: async ({}, use) => {
    const url = process.env.LAB_URL;
    if (!url) throw new Error('LAB_URL is not set: the e2e global setup did not start the bridge');
    await use(url);
  },

  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
      });
    });
    await use(errors);
  },

  openLab: async ({ page, labUrl, consoleErrors }, use) => {
    void consoleErrors; // make sure console collection is installed first
    await use(async (query) => {
      await page.goto(withQuery(labUrl, query), { waitUntil: 'domcontentloaded' });
      return page;
    });
  },

  labPage: async ({ openLab, consoleErrors, allowConsoleErrors }, use) => {
    const page = await openLab();
    await use(page);
    if (!allowConsoleErrors) expect(consoleErrors, 'console errors during the test').toEqual([]);
  },
});

export { expect };

export interface FrameTimes {
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  over_16_7ms: number;
  clock_from: string;
  clock_to: string;
  canvas_draw_ms_max?: number | null;
  canvas_draw_ms_median?: number | null;
}

/**
 * requestAnimationFrame intervals in the page over `ms` of wall time (the app should be
 * playing), with the simulated clock before and after. With `canvasTestId`, also samples
 * for a second the draw time that canvas records in its data-draw-ms.
 */
export async function measureFrameTimes(page: Page, ms: number, canvasTestId?: string): Promise<FrameTimes> {
  return page.evaluate(
    async ({ ms, canvasTestId }) => {
      const deltas: number[] = [];
      const clock = () => document.querySelector('[data-testid=clock]')?.textContent ?? '';
      const t0 = clock();
      let last = performance.now();
      const end = last + ms;
      await new Promise<void>((done) => {
        const tick = (ts: number) => {
          deltas.push(ts - last);
          last = ts;
          if (ts < end) requestAnimationFrame(tick);
          else done();
        };
        requestAnimationFrame(tick);
      });
      const s = [...deltas].sort((a, b) => a - b);
      const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
      const times = { frames: deltas.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1]!, over_16_7ms: deltas.filter((d) => d > 16.7).length, clock_from: t0, clock_to: clock() };
      if (!canvasTestId) return times;
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid=${canvasTestId}]`);
      const draws: number[] = [];
      // The canvas records its last draw time: sample it for a second while the run goes on.
      await new Promise<void>((done) => {
        const until = performance.now() + 1000;
        const sample = () => {
          draws.push(Number(canvas?.dataset.drawMs ?? NaN));
          if (performance.now() < until) requestAnimationFrame(sample);
          else done();
        };
        requestAnimationFrame(sample);
      });
      const ds = draws.filter((d) => Number.isFinite(d)).sort((a, b) => a - b);
      return { ...times, clock_to: clock(), canvas_draw_ms_max: ds.length ? ds[ds.length - 1]! : null, canvas_draw_ms_median: ds.length ? ds[ds.length >> 1]! : null };
    },
    { ms, canvasTestId },
  );
}
