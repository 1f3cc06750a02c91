/**
 * MT-1 on the world map (issue 4): 20 data centres; isolate EU West and every served read
 * carries its response metadata (X-Cache-Status, X-Cache-Age, X-Mode, X-Staleness-Bound),
 * inspectable beside the ground truth, with the business cost running.
 */
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';

const HOST = { timeout: 60_000 };

test.afterEach(({ page }) => leaveRunPaused(page));

test('MT-1: isolate EU West, inspect a served read and its headers, watch the cost', async ({ openLab, consoleErrors }) => {
  test.setTimeout(240_000);
  const page = await openLab({ scenario: 'mt1-cache-invalidation', strategy: 'push' });
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('scenario-picker')).toHaveValue('mt1-cache-invalidation', HOST);
  await expect(page.getByTestId('scenario-view')).toHaveAttribute('data-view', 'world-map', HOST);
  await expect(page.locator('[data-testid=map-region]')).toHaveCount(21, HOST);

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('9'); // isolate the 9th group: EU West
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]').first()).toContainText('eu-west', HOST);
  await page.getByTestId('speed-10').click();
  await page.getByTestId('play').click();
  await expect.poll(async () => Number(/t = ([\d.]+) s/.exec((await page.getByTestId('clock').textContent()) ?? '')?.[1] ?? 0), HOST).toBeGreaterThan(20);
  await page.getByTestId('play').click();

  await expect(page.getByTestId('reads-panel')).toBeVisible();
  await expect(page.getByTestId('reads-cost')).toContainText('cost so far $');
  await page.getByTestId('reads-toggle').click();
  await expect(page.getByTestId('read-row').first()).toBeVisible(HOST);
  await page.getByTestId('read-row').first().getByRole('button').click();
  const headers = page.getByTestId('read-headers');
  await expect(headers).toContainText('X-Cache-Status');
  await expect(headers).toContainText('X-Staleness-Bound');
  await expect(headers).toContainText('X-Mode');
  await expect(headers).toContainText('ground truth');
  await saveScreen(page, 'reads-mt1-eu-isolated');
  expect(consoleErrors).toEqual([]);
});
