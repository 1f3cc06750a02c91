/**
 * Fork ⇄ parent on the real host (issue 7: "What if I had cut it 5 s earlier?"). NT-1: the
 * parent isolates apac at 18 s and runs on; seek back to 13 s, Fork here, isolate apac now.
 * (Region heartbeats are 10 s apart: 13 s and 18 s lie either side of one, so the earlier
 * cut misses its third heartbeat one period sooner; a cut at 7 s and one at 12 s would not.)
 * Both branches stay open, one clock: paused, they sit at exactly the same simulated time,
 * and the diff shows the fork's apac leaving Target while the parent's is still there.
 * Stopping the comparison leaves the fork open; with the parent deleted, the app says so.
 */
import type { Page } from '@playwright/test';
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';
import { clock, ready, saved, step } from './sessions-helpers';

const HOST = { timeout: 60_000 };
const secs = async (page: Page, id: string) => Number(/([\d.]+) s/.exec((await page.getByTestId(id).textContent()) ?? '')?.[1] ?? NaN);
const apac = (page: Page) => page.locator('[data-testid=compare-scope][data-scope=apac]');
const faults = (page: Page) => page.locator('[data-testid=timeline-row][data-kind=fault]');

/** Waits until B stands exactly where A does (both paused), and returns that time. */
async function inStep(page: Page): Promise<number> {
  await expect.poll(async () => (await secs(page, 'compare-ta')) - (await secs(page, 'compare-tb')), HOST).toBe(0);
  const t = await secs(page, 'compare-ta');
  expect(t).toBeCloseTo(await clock(page), 1);
  return t;
}

test.afterEach(({ page }) => leaveRunPaused(page));

test('cut 5 s earlier: the fork opens beside its parent, in lockstep, and its apac leaves Target first', async ({ labPage: page, consoleErrors }) => {
  test.setTimeout(300_000);
  await ready(page);
  await expect(page.getByTestId('scenario-picker')).toHaveValue('nt1-log-replication', HOST);
  await page.locator('body').click({ position: { x: 5, y: 5 } });

  // The parent: isolate apac at 18 s and run on to 58 s (apac Degraded by then).
  await step(page, '>', 1);
  await step(page, '.', 8);
  expect(await clock(page)).toBeCloseTo(18, 0);
  await page.keyboard.press('3');
  await expect(faults(page)).toHaveCount(1, HOST);
  await step(page, '>', 4);
  await expect(page.getByTestId('mode-badge-apac')).toHaveAttribute('data-mode', 'Degraded', HOST);
  await saved(page);

  // Back to 13 s (← is 5 s) and fork there: the fork opens as A, the parent beside it as B.
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowLeft');
  await expect.poll(() => clock(page), HOST).toBeCloseTo(13, 0);
  await page.keyboard.press('f');
  await expect(page.getByTestId('session-name')).toContainText('fork at 13.0 s', HOST);
  const panel = page.getByTestId('compare-panel');
  await expect(panel).toBeVisible(HOST);
  await expect(panel).toHaveAttribute('data-kind', 'branches');
  await expect(page.getByTestId('compare-kind')).toHaveText('branches');
  await expect(page.getByTestId('compare-a')).toContainText('this branch (fork at 13.0 s)');
  await expect(page.getByTestId('compare-b')).toContainText('parent');
  await expect(page.getByTestId('compare-strategy')).toHaveCount(0);
  expect(await inStep(page)).toBeCloseTo(13, 0);

  // Cut it 5 s earlier — in the fork only (the parent keeps its own faults).
  await expect(faults(page)).toHaveCount(0);
  await page.keyboard.press('3');
  await expect(faults(page)).toHaveCount(1, HOST);

  // One clock: play, pause, and both are at exactly the same simulated time.
  await page.getByTestId('speed-2').click();
  await page.getByTestId('play').click();
  await expect.poll(() => secs(page, 'compare-ta'), HOST).toBeGreaterThan(16);
  await page.getByTestId('play').click();
  const t0 = await inStep(page);
  expect(t0).toBeGreaterThan(16);
  // Neither has had time to miss three region heartbeats yet.
  await expect(apac(page).getByTestId('compare-mode-a')).toHaveText('Target');
  await expect(apac(page).getByTestId('compare-mode-b')).toHaveText('Target');

  // Step a second at a time: the fork's apac leaves Target while the parent's is still there.
  if (t0 < 26) await step(page, '>', 1);
  let tFork = NaN;
  let tParent = NaN;
  for (let i = 0; i < 60 && Number.isNaN(tParent); i++) {
    await step(page, '.', 1);
    const t = await inStep(page);
    const a = await apac(page).getByTestId('compare-mode-a').textContent();
    const b = await apac(page).getByTestId('compare-mode-b').textContent();
    if (Number.isNaN(tFork) && a !== 'Target') {
      tFork = t;
      expect(a).toBe('Degraded');
      expect(b).toBe('Target');
      await expect(apac(page)).toHaveAttribute('data-differs', 'true');
      await page.setViewportSize({ width: 1920, height: 1080 });
      await saveScreen(page, 'fork-branches-1920');
      await page.setViewportSize({ width: 1280, height: 800 });
      await saveScreen(page, 'fork-branches-1280');
      await page.setViewportSize({ width: 1440, height: 900 });
    }
    if (b !== 'Target') tParent = t;
  }
  expect(tFork).toBeGreaterThan(t0);
  expect(tParent).toBeGreaterThan(tFork);
  await expect(apac(page).getByTestId('compare-mode-a')).toHaveText('Degraded');
  await expect(apac(page).getByTestId('compare-mode-b')).toHaveText('Degraded');
  console.log(`apac left Target at ${tFork} s in the fork (cut at 13 s) and at ${tParent} s in the parent (cut at 18 s)`);

  // Stop comparing (Ctrl+B): the fork stays open.
  await page.keyboard.press('Control+b');
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('session-name')).toContainText('fork at 13.0 s');
  await expect(page.getByTestId('mode-badge-apac')).toHaveAttribute('data-mode', 'Degraded');

  // Ctrl+F brings the parent back beside it…
  await page.keyboard.press('Control+f');
  await expect(panel).toHaveAttribute('data-kind', 'branches', HOST);
  await inStep(page);
  await page.keyboard.press('Control+f');
  await expect(panel).toHaveCount(0);

  // …unless the parent has been deleted: then the app says so, and the fork is unaffected.
  await page.keyboard.press('l');
  const parentRow = page.locator('[data-testid=library-row]:not([data-name*="fork at"])');
  await expect(parentRow).toHaveCount(1, HOST);
  await parentRow.getByTestId('row-delete').click();
  await expect(parentRow).toHaveCount(0, HOST);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+f');
  await expect(page.getByTestId('notice').filter({ hasText: 'has been deleted' })).toBeVisible(HOST);
  await saveScreen(page, 'fork-branches-parent-deleted');
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('session-name')).toContainText('fork at 13.0 s');
  expect(consoleErrors).toEqual([]);
});
