/**
 * A/B comparison on the real host (issue 7): NT-1 CP against AP on the same seed and the
 * same cut, one clock — paused they sit at exactly the same simulated time; playing they
 * stay within a frame or two; the diff shows where AP keeps more of apac's G-vector.
 */
import type { Page } from '@playwright/test';
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';

const HOST = { timeout: 60_000 };
const secs = async (page: Page, id: string) => Number(/([\d.]+) s/.exec((await page.getByTestId(id).textContent()) ?? '')?.[1] ?? NaN);

test.afterEach(({ page }) => leaveRunPaused(page));

test('CP against AP under the same cut, in lockstep, with the diff', async ({ labPage: page, consoleErrors }) => {
  test.setTimeout(240_000);
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('scenario-picker')).toHaveValue('nt1-log-replication', HOST);
  await page.getByTestId('strategy-picker').selectOption('async-cp');
  await expect(page.getByTestId('strategy-picker')).toHaveValue('async-cp', HOST);
  await page.locator('body').click({ position: { x: 5, y: 5 } });

  // Cut apac off, then compare with the next strategy (async-ap) by keyboard.
  await page.keyboard.press('3');
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]').first()).toBeAttached(HOST);
  await page.keyboard.press('Control+b');
  await expect(page.getByTestId('compare-panel')).toBeVisible(HOST);
  await expect(page.getByTestId('compare-strategy')).toHaveValue('async-ap');

  // One clock: play ×10, the two runs stay together; paused, they are at exactly the same time.
  await page.getByTestId('speed-10').click();
  await page.getByTestId('play').click();
  await expect.poll(() => secs(page, 'compare-ta'), HOST).toBeGreaterThan(45);
  expect(Math.abs((await secs(page, 'compare-ta')) - (await secs(page, 'compare-tb')))).toBeLessThanOrEqual(3);
  await page.getByTestId('play').click();
  await expect.poll(async () => (await secs(page, 'compare-ta')) - (await secs(page, 'compare-tb')), HOST).toBe(0);

  // apac is Degraded in both; AP keeps more of its G-vector (Scope Range, Order Causal).
  const apac = page.locator('[data-testid=compare-scope][data-scope=apac]');
  await expect(apac.getByTestId('compare-mode-a')).toHaveText('Degraded', HOST);
  await expect(apac.getByTestId('compare-mode-b')).toHaveText('Degraded', HOST);
  await expect(apac.locator('[data-component=scope]')).toContainText('A Local');
  await expect(apac.locator('[data-component=scope]')).toContainText('B Range');
  await saveScreen(page, 'compare-nt1-cp-ap');

  // B can take another strategy: synchronous replication misses the latency requirement.
  await page.getByTestId('compare-strategy').selectOption('sync-cp');
  await expect(page.locator('[data-testid=compare-req][data-req=write-latency]')).toHaveClass(/differs/, HOST);
  await page.getByTestId('compare-stop').click();
  await expect(page.getByTestId('compare-panel')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
