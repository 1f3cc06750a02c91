/**
 * FT-1 ward plan on the real host, through the real renderer: the four wards and the
 * office at their plan locations, one cell per bed, the countdown to the shift change,
 * people walking between wards; "No-show" applies a kill fault to a medical nurse who has
 * not arrived yet, and the run keeps playing.
 */
import { expect, saveScreen, test } from './fixtures';

const HOST = { timeout: 60_000 };
test.use({ trace: 'off' });

test.describe('FT-1 ward plan at 1600×900', () => {
  test.use({ viewport: { width: 1600, height: 900 }, colorScheme: 'dark' });

  test('wards with beds, the clock, walkers, and a no-show from the plan', async ({ openLab, consoleErrors }) => {
    test.setTimeout(300_000);
    const page = await openLab({ scenario: 'ft1-hospital-shifts', seed: '1' });
    await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
    await expect(page.getByTestId('scenario-view')).toHaveAttribute('data-view', 'ward-plan', HOST);
    await expect(page.getByTestId('ward-plan')).toBeVisible(HOST);
    await expect(page.getByTestId('ward')).toHaveCount(4, HOST);
    await expect(page.getByTestId('ward-clock')).toContainText('shift change in', HOST);
    await expect(page.locator('[data-ward="medical"] rect.bed')).toHaveCount(180, HOST);

    const noShow = page.getByTestId('ward-no-show');
    await expect(noShow).toBeEnabled(HOST);
    await expect(noShow).toContainText('medical-i', HOST);
    const before = (await noShow.textContent()) ?? '';
    await noShow.click();
    await expect(noShow).not.toHaveText(before, HOST);
    await page.getByTestId('play').click();
    await page.getByTestId('speed-10').click();
    await expect(page.locator('circle.walker').first()).toBeAttached(HOST);
    await saveScreen(page, 'ft1-ward-plan');
    await page.getByTestId('play').click();
    expect(consoleErrors).toEqual([]);
  });
});
