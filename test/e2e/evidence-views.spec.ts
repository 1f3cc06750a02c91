/**
 * Evidence as objects on a canvas view (issue 7): on NT-2's factory floor a shift-click
 * on a sensor filters the timeline's evidence by that node, while a plain click still
 * kills it (the floor's own use of the click).
 */
import type { Page } from '@playwright/test';
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';

const HOST = { timeout: 30_000 };
const floor = (page: Page) => page.getByTestId('factory-floor');

test.afterEach(({ page }) => leaveRunPaused(page));

test('shift-clicking a sensor on the factory floor shows its evidence; a plain click still kills it', async ({ openLab }) => {
  test.setTimeout(150_000);
  const page = await openLab({ scenario: 'nt2-iot-election' });
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('scenario-view')).toHaveAttribute('data-view', 'factory-floor', HOST);
  await expect(page.getByTestId('floor-coordinator')).toHaveCount(1, HOST);

  // Run a little so the coordinator's heartbeats and votes are on the record.
  await page.getByTestId('play').click();
  await page.getByTestId('speed-10').click();
  await expect.poll(async () => Number(/t = ([\d.]+) s/.exec((await page.getByTestId('clock').textContent()) ?? '')?.[1] ?? 0), HOST).toBeGreaterThan(15);
  await page.getByTestId('play').click();

  const crown = page.getByTestId('floor-coordinator').first();
  const id = (await crown.getAttribute('data-node'))!;
  const b = (await crown.locator('.crown-ring').boundingBox())!;
  const [x, y] = [b.x + b.width / 2, b.y + b.height / 2];
  await page.mouse.move(x, y);
  await expect(page.getByRole('tooltip')).toContainText('shift-click: its evidence', HOST);
  await page.keyboard.down('Shift');
  await page.mouse.click(x, y);
  await page.keyboard.up('Shift');

  const chip = page.getByTestId('evidence-node-chip');
  await expect(chip).toHaveAttribute('data-node', id);
  await expect(floor(page)).toHaveAttribute('data-down', '0');
  const rows = page.getByTestId('timeline-rows').locator('[data-testid=timeline-row]');
  await expect(rows.first()).toBeVisible(HOST);
  const about = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-node'), e.getAttribute('data-peer')]));
  // NT-2 names peers by node id: every row was reported by the sensor or names it.
  expect(about.length).toBeGreaterThan(0);
  for (const [node, peer] of about) expect(node === id || peer === id, `${node} → ${peer}`).toBe(true);
  await page.mouse.move(5, 5);
  await saveScreen(page, 'evidence-nt2-sensor');

  // A plain click on the same sensor still kills it.
  await page.mouse.click(x, y);
  await expect(floor(page)).toHaveAttribute('data-down', '1', HOST);
  await chip.click();
  await expect(page.getByTestId('evidence-node-filter')).toBeVisible();
});
