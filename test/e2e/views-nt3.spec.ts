/**
 * NT-3 on the real host, through the real renderer: the Earth view the room sees
 * (DEMOS.md NT-3 #1 and #3). The formation in ground contact over Svalbard; an
 * equivocating satellite marked Byzantine and excluded by the others; the formation
 * leaving contact (NO GROUND CONTACT, time to the next pass, Degraded); a clicked
 * satellite going down and coming back.
 */
import type { Page } from '@playwright/test';
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';

/** What waits on the host (a fault applied, a frame drawn): generous, the host may share a busy machine. */
const HOST = { timeout: 30_000 };

const earth = (page: Page) => page.getByTestId('earth-view');
const sat = (page: Page, id: string) => page.locator(`[data-testid=satellite][data-sat="${id}"]`);
const badge = (page: Page, scope: string) => page.getByTestId(`mode-badge-${scope}`);
const SATS = ['sat-a', 'sat-b', 'sat-c', 'sat-d'];

async function openNt3(openLab: (q?: Record<string, string>) => Promise<Page>): Promise<Page> {
  const page = await openLab({ scenario: 'nt3-satellite-smr' });
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByRole('heading', { name: /State machine replication in a satellite network/ })).toBeVisible(HOST);
  await expect(earth(page)).toBeVisible(HOST);
  await expect(page.getByTestId('scenario-view')).toHaveAttribute('data-view', 'earth', HOST);
  return page;
}

async function simTime(page: Page): Promise<number> {
  const text = (await page.getByTestId('clock').textContent()) ?? '';
  const mmss = /t = (\d+):([\d.]+)/.exec(text);
  if (mmss) return Number(mmss[1]) * 60 + Number(mmss[2]);
  const m = /t = ([\d.]+) s/.exec(text);
  return m ? Number(m[1]) : NaN;
}

test.afterEach(({ page }) => leaveRunPaused(page));

for (const viewport of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 },
]) {
  test.describe(`NT-3 Earth at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport, colorScheme: viewport.width === 1920 ? 'dark' : 'light' });

    test('an equivocating satellite is marked Byzantine and excluded by the others', async ({ openLab, consoleErrors }) => {
      test.setTimeout(180_000);
      const page = await openNt3(openLab);
      const tag = `views-nt3-${viewport.width}`;

      // The constellation in a Svalbard pass: four satellites, two stations, four contact lines.
      await expect(page.getByTestId('satellite')).toHaveCount(4, HOST);
      await expect(page.getByTestId('ground-station')).toHaveCount(2, HOST);
      await expect(page.getByTestId('contact-window')).toHaveCount(2, HOST);
      await expect(earth(page)).toHaveAttribute('data-contact', 'yes', HOST);
      await expect(page.getByTestId('contact-headline')).toContainText('GROUND CONTACT', HOST);
      await expect(page.getByTestId('contact-headline')).toContainText('Svalbard', HOST);
      await expect(page.getByTestId('contact-line')).toHaveCount(4, HOST);
      await expect(page.getByTestId('isl')).toHaveCount(6, HOST);
      for (const id of SATS) await expect(sat(page, id)).toHaveAttribute('data-byzantine', 'false', HOST);
      await expect(page.getByTestId('sat-card')).toHaveCount(4, HOST);

      await page.getByTestId('play').click();
      await page.getByTestId('speed-10').click();
      await saveScreen(page, `${tag}-contact`);

      // Make one satellite equivocate (the control names it).
      const label = (await page.getByTestId('earth-equivocate').textContent()) ?? '';
      const letter = /Make (\w) equivocate/.exec(label)?.[1] ?? '';
      expect(letter).toMatch(/^[A-D]$/);
      const id = `sat-${letter.toLowerCase()}`;
      await page.getByTestId('earth-equivocate').click();
      await expect(sat(page, id)).toHaveAttribute('data-byzantine', 'true', HOST);
      await expect(page.locator(`[data-testid=sat-tag][data-sat="${id}"]`)).toContainText('BYZANTINE', HOST);
      await expect(page.locator(`[data-testid=sat-card][data-sat="${id}"]`).getByTestId('tag-byzantine')).toBeVisible(HOST);

      // Two signed conflicting votes → accusation → the honest satellites exclude it.
      await expect(page.locator(`[data-testid=sat-card][data-sat="${id}"]`).getByTestId('tag-excluded')).toBeVisible({ timeout: 150_000 });
      await expect(sat(page, id)).toHaveAttribute('data-excluded', 'true', HOST);
      await expect(page.locator('[data-testid=timeline-row][data-kind=mode][data-to=Byzantine]').first()).toBeAttached(HOST);
      await saveScreen(page, `${tag}-byzantine`);
      expect(consoleErrors).toEqual([]);
    });
  });
}

test('the formation leaves ground contact: NO GROUND CONTACT, time to the next pass, Degraded', async ({ openLab, consoleErrors }) => {
  test.setTimeout(240_000);
  const page = await openNt3(openLab);
  await expect(earth(page)).toHaveAttribute('data-contact', 'yes', HOST);
  await expect(page.getByTestId('earth-jump')).toContainText('Skip to the gap', HOST);

  // Each jump lands just after the next satellite leaves its pass (the formation is 30 s apart).
  for (let i = 0; i < 6 && (await earth(page).getAttribute('data-contact')) === 'yes'; i++) {
    const before = await simTime(page);
    await page.getByTestId('earth-jump').click();
    await expect.poll(() => simTime(page), { timeout: 90_000 }).toBeGreaterThan(before);
  }
  await expect(earth(page)).toHaveAttribute('data-contact', 'no', HOST);
  await expect(page.getByTestId('no-contact')).toContainText('NO GROUND CONTACT', HOST);
  await expect(page.getByTestId('no-contact')).toContainText(/next pass in \d+ min/, HOST);
  await expect(page.getByTestId('contact-line')).toHaveCount(0, HOST);
  for (const id of SATS) await expect(sat(page, id)).toHaveAttribute('data-contact', 'false', HOST);
  await expect(page.getByTestId('earth-jump')).toContainText('Skip to the pass', HOST);

  // Play on a little: the satellites notice the silence (missed ground beacons) → Degraded.
  await page.getByTestId('play').click();
  await page.getByTestId('speed-10').click();
  await expect(badge(page, 'leo-a')).toHaveAttribute('data-mode', 'Degraded', { timeout: 90_000 });
  await expect(page.locator('[data-testid=sat-card][data-sat=sat-a]')).toContainText('no contact', HOST);
  await saveScreen(page, 'views-nt3-gap');
  expect(consoleErrors).toEqual([]);
});

test('clicking a satellite kills it (hollow, DOWN) and clicking again restarts it', async ({ openLab, consoleErrors }) => {
  test.setTimeout(90_000);
  const page = await openNt3(openLab);
  // Satellites move with every frame: aim while paused (the host still answers with a frame).
  await page.getByTestId('step').click();
  const d = sat(page, 'sat-d');
  await expect(d).toHaveAttribute('data-up', 'true', HOST);
  await d.click();
  await expect(d).toHaveAttribute('data-up', 'false', HOST);
  await expect(page.locator('[data-testid=sat-tag][data-sat=sat-d]')).toContainText('DOWN', HOST);
  await expect(page.locator('[data-testid=sat-card][data-sat=sat-d]')).toContainText('DOWN', HOST);
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]').first()).toContainText('kill sat-d', HOST);
  await saveScreen(page, 'views-nt3-sat-down');
  // Keyboard: the satellite is a focusable button too.
  await d.focus();
  await page.keyboard.press('Enter');
  await expect(d).toHaveAttribute('data-up', 'true', HOST);
  expect(consoleErrors).toEqual([]);
});
