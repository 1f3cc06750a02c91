/**
 * NT-2 on the real host, through the real renderer: the factory floor the room sees
 * (DEMOS.md NT-2 #1 and #2). Zones tinted by mode, sensors on a canvas, the coordinator
 * crowned with its term; a 60/40 metal wall sends the minority zones to Degraded; a
 * click on the coordinator kills it and a new term is elected.
 */
import type { Page } from '@playwright/test';
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';

/** What waits on the host (a fault applied, a frame drawn): generous, the host may share a busy machine. */
const HOST = { timeout: 30_000 };

const floor = (page: Page) => page.getByTestId('factory-floor');
const zone = (page: Page, id: string) => page.locator(`[data-testid=floor-zone][data-zone="${id}"]`);
const ZONES = ['zone-a', 'zone-b', 'zone-c', 'zone-d', 'zone-e'];

async function openNt2(openLab: (q?: Record<string, string>) => Promise<Page>, strategy?: string): Promise<Page> {
  const page = await openLab({ scenario: 'nt2-iot-election', ...(strategy ? { strategy } : {}) });
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByRole('heading', { name: /Leader election in an IoT device mesh/ })).toBeVisible(HOST);
  await expect(floor(page)).toBeVisible(HOST);
  await expect(page.getByTestId('scenario-view')).toHaveAttribute('data-view', 'factory-floor', HOST);
  return page;
}

/** Centre of the (first) crowned coordinator, in page coordinates. */
async function coordinatorXY(page: Page): Promise<{ id: string; x: number; y: number }> {
  const crown = page.getByTestId('floor-coordinator').first();
  const id = (await crown.getAttribute('data-node')) ?? '';
  const ring = crown.locator('.crown-ring');
  const b = (await ring.boundingBox())!;
  return { id, x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

test.afterEach(({ page }) => leaveRunPaused(page));

for (const viewport of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 },
]) {
  test.describe(`NT-2 floor at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport, colorScheme: viewport.width === 1920 ? 'dark' : 'light' });

    test('a 60/40 metal wall: the wall stands between zones C and D, the minority falls to Degraded', async ({ openLab, consoleErrors }) => {
      test.setTimeout(150_000);
      const page = await openNt2(openLab);
      const tag = `views-nt2-${viewport.width}`;

      // The floor as the room first sees it: five zones in Target, 100 sensors, one crowned coordinator.
      await expect(page.getByTestId('floor-zone')).toHaveCount(5, HOST);
      for (const z of ZONES) await expect(zone(page, z)).toHaveAttribute('data-mode', 'Target', HOST);
      await expect(floor(page)).toHaveAttribute('data-sensors', '100', HOST);
      await expect(floor(page)).toHaveAttribute('data-term', '1', HOST);
      await expect(page.getByTestId('floor-coordinator')).toHaveCount(1, HOST);
      await expect(page.getByTestId('floor-canvas')).toBeVisible(HOST);
      // Each zone heading names the zone and its mode (shape + label, not colour alone).
      await expect(page.locator('.zone-head').first()).toContainText('Zone A', HOST);
      await expect(page.locator('.zone-head').first()).toContainText('● Target', HOST);

      await page.getByTestId('play').click();
      await page.getByTestId('speed-10').click();
      await expect(page.getByTestId('speed-10')).toHaveAttribute('aria-checked', 'true', HOST);
      await saveScreen(page, `${tag}-target`);

      // Raise the wall with the floor's own control.
      await page.getByTestId('floor-wall-toggle').click();
      await expect(page.getByTestId('floor-wall')).toHaveCount(1, HOST);
      await expect(page.getByTestId('floor-wall')).toHaveAttribute('data-between', 'zone-c|zone-d', HOST);
      await expect(floor(page)).toHaveAttribute('data-walls', 'zone-c|zone-d', HOST);
      await expect(page.getByTestId('floor-wall-toggle')).toHaveAttribute('aria-pressed', 'true', HOST);
      await expect(page.locator('[data-testid=timeline-row][data-kind=fault]')).toHaveCount(1, HOST);

      // The minority (zones D, E) loses the coordinator's heartbeats: Degraded, hatched, ▲.
      await expect(zone(page, 'zone-d')).toHaveAttribute('data-mode', 'Degraded', { timeout: 90_000 });
      await expect(zone(page, 'zone-d')).toHaveAttribute('data-tone', 'degraded', HOST);
      await expect(zone(page, 'zone-d').locator('.hatch')).toHaveCount(1, HOST);
      await expect(page.locator('.zone-head').nth(3)).toContainText('▲ Degraded', HOST);
      // The majority keeps its coordinator.
      await expect(page.getByTestId('floor-coordinator').first()).toHaveAttribute('data-node', /^s-[abc]/, HOST);
      await saveScreen(page, `${tag}-wall`);

      // Lower the wall again by clicking the seam between zones C and D.
      await page.locator('[data-testid=floor-seam][data-between="zone-c|zone-d"]').click();
      await expect(page.getByTestId('floor-wall')).toHaveCount(0, HOST);
      await expect(floor(page)).toHaveAttribute('data-walls', '', HOST);
      expect(consoleErrors).toEqual([]);
    });
  });
}

test('clicking the crowned coordinator kills it: hollow, no coordinator, then a new term', async ({ openLab, consoleErrors }) => {
  test.setTimeout(150_000);
  const page = await openNt2(openLab);
  await expect(floor(page)).toHaveAttribute('data-down', '0', HOST);

  // Kill, paused so the room (and the test) can look: a click on the sensor under the crown.
  const c = await coordinatorXY(page);
  await page.mouse.move(c.x, c.y);
  await expect(page.getByRole('tooltip')).toContainText(c.id, HOST);
  await expect(page.getByRole('tooltip')).toContainText('click to kill', HOST);
  await page.mouse.click(c.x, c.y);
  await expect(floor(page)).toHaveAttribute('data-down', '1', HOST);
  await expect(page.getByRole('tooltip')).toContainText('click to restart', HOST);
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]').first()).toContainText(`kill ${c.id}`, HOST);
  await expect(page.getByTestId('floor-coordinator')).toHaveCount(0, HOST);
  await expect(page.getByTestId('floor-no-coordinator')).toBeVisible(HOST);
  await page.mouse.move(5, 5);
  await saveScreen(page, 'views-nt2-killed');

  // Play: an election (Degraded somewhere — the timeline keeps it even if it lasts 100 ms), then term 2.
  await page.getByTestId('play').click();
  await page.getByTestId('speed-10').click();
  await expect(page.locator('[data-testid=timeline-row][data-kind=mode][data-to=Degraded]').first()).toBeAttached({ timeout: 90_000 });
  await expect(floor(page)).toHaveAttribute('data-term', /^[2-9]/, { timeout: 90_000 });
  await expect(page.getByTestId('floor-coordinator')).toHaveCount(1, HOST);
  await expect(page.getByTestId('floor-election')).toContainText('/ 60.0 s', HOST);
  await saveScreen(page, 'views-nt2-new-term');

  // Restart the dead sensor by clicking it again (it stays where it was, hollow).
  await page.mouse.click(c.x, c.y);
  await expect(floor(page)).toHaveAttribute('data-down', '0', HOST);
  expect(consoleErrors).toEqual([]);
});

test('naive quorum behind the wall: two coordinators, split-brain flagged with both certificates', async ({ openLab, consoleErrors }) => {
  test.setTimeout(180_000);
  const page = await openNt2(openLab, 'naive');
  await expect(page.getByTestId('strategy-picker')).toHaveValue('naive');
  await page.getByTestId('play').click();
  await page.getByTestId('speed-10').click();
  // The keyboard way: the wall's key is shown on its button (whatever key was free).
  const key = (await page.getByTestId('floor-wall-toggle').locator('kbd').textContent())?.trim() ?? '';
  expect(key).toMatch(/^[A-Z]$/);
  await page.keyboard.press(key.toLowerCase());
  await expect(page.getByTestId('floor-wall')).toHaveCount(1, HOST);

  await expect(page.getByTestId('floor-coordinator')).toHaveCount(2, { timeout: 120_000 });
  await expect(page.getByTestId('floor-split-brain')).toBeVisible(HOST);
  await expect(page.getByTestId('floor-split-brain')).toContainText('SPLIT-BRAIN', HOST);
  await expect(page.getByTestId('floor-split-brain')).toContainText(/certificate #\d+.*certificate #\d+/, HOST);
  await saveScreen(page, 'views-nt2-split-brain');
  expect(consoleErrors).toEqual([]);
});

test('interference switches on by key (A) and off by its button: the boundary links turn lossy, the timeline logs 40% loss', async ({ openLab, consoleErrors }) => {
  const page = await openNt2(openLab);
  const toggle = page.getByTestId('floor-interference-toggle');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false', HOST);
  await expect(toggle.locator('kbd')).toHaveText('A');
  await page.keyboard.press('a');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true', HOST);
  await expect(toggle).toContainText('Interference off');
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]').filter({ hasText: 'loss 40%' })).toHaveCount(4, HOST);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false', HOST);
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]').filter({ hasText: 'loss 0%' })).toHaveCount(4, HOST);
  expect(consoleErrors).toEqual([]);
});
