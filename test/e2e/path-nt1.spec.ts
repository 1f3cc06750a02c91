/**
 * Path composition on the real host (DEMOS.md NT-1 #4, issue 7): a US client reading from
 * the EU replica composes to BS(500ms) with the replica as the weakest link; cutting the
 * US–EU link makes the gateway the weakest link (Scope Local, Recency EO), and the fault
 * diff says what dropped where.
 */
import type { Page } from '@playwright/test';
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';

const HOST = { timeout: 30_000 };
const link = (page: Page, a: string, b: string) => page.locator(`[data-testid=map-link][data-link="${[a, b].sort().join('|')}"]`);
const result = (page: Page, c: string) => page.locator(`[data-testid=path-result] [data-component=${c}]`);
const hopCell = (page: Page, hop: string, c: string) => page.locator(`[data-testid=path-hop][data-hop=${hop}] [data-component=${c}]`);

test.afterEach(({ page }) => leaveRunPaused(page));

test('a US client reading from the EU replica: composed live, and the cut moves the weakest link to the gateway', async ({ labPage: page, consoleErrors }) => {
  test.setTimeout(180_000);
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('scenario-picker')).toHaveValue('nt1-log-replication', HOST);
  const panel = page.getByTestId('path-panel');
  await expect(panel).toBeVisible(HOST);
  await expect(page.getByTestId('path-client')).toHaveValue('us-east');
  await expect(page.getByTestId('path-target')).toHaveValue('eu-west');
  // The panel starts folded (room for the timeline): one line with the result.
  await expect(page.getByTestId('path-toggle')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('path-summary')).toContainText('= ⟨Global, SS, SER, ');
  await page.getByTestId('path-toggle').click();

  // Run a little so the replicas report their lag.
  await page.getByTestId('play').click();
  await page.getByTestId('speed-10').click();
  await expect.poll(async () => Number(/t = ([\d.]+) s/.exec((await page.getByTestId('clock').textContent()) ?? '')?.[1] ?? 0), HOST).toBeGreaterThan(8);
  await page.getByTestId('play').click();

  await expect(page.getByTestId('path-hop')).toHaveCount(4);
  await expect(result(page, 'scope')).toHaveText('Global');
  await expect(result(page, 'recency')).toContainText('500ms');
  await expect(hopCell(page, 'replica', 'recency')).toHaveAttribute('data-weakest', 'true');
  await expect(hopCell(page, 'link', 'recency')).toContainText('BS');
  await expect(page.getByTestId('path-weakest')).toContainText(/replica · EU West \(.*Recency/);
  await saveScreen(page, 'path-nt1-healthy');

  // Cut US–EU on the map: the gateway hop becomes the weakest link at once.
  await link(page, 'us-east', 'eu-west').focus();
  await page.keyboard.press('Enter');
  await expect(link(page, 'us-east', 'eu-west')).toHaveAttribute('data-state', 'cut', HOST);
  await expect(result(page, 'scope')).toHaveText('Local', HOST);
  await expect(result(page, 'recency')).toHaveText('EO');
  await expect(hopCell(page, 'link', 'scope')).toHaveAttribute('data-weakest', 'true');
  await expect(page.getByTestId('fault-diff')).toContainText('cut', HOST);
  await expect(page.getByTestId('fault-diff-path').filter({ hasText: 'us-east ↔ eu-west' })).toContainText('Scope Global → Local');

  // Another pair: an EU client reading its own replica has no link hop.
  await page.getByTestId('path-client').selectOption('eu-west');
  await expect(page.getByTestId('path-hop')).toHaveCount(3);
  await page.getByTestId('path-client').selectOption('us-east');
  await saveScreen(page, 'path-nt1-cut');
  expect(consoleErrors).toEqual([]);
});
