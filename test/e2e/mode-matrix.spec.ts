/**
 * The mode matrix and the colour-blind-safe palette (issue 7) on the real host: NT-1, cut
 * apac off (the minority), open the matrix by keyboard and read the Degraded row —
 * observed beside claimed — while a mode never entered says so; then switch the palette
 * by keyboard and watch the mode tones change. Screenshots at 1920×1080 in both palettes.
 */
import type { Page } from '@playwright/test';
import { expect, saveScreen, test } from './fixtures';

const HOST = { timeout: 45_000 };
const link = (page: Page, a: string, b: string) => page.locator(`[data-testid=map-link][data-link="${[a, b].sort().join('|')}"]`);
const row = (page: Page, scope: string, mode: string) => page.locator(`[data-testid=matrix-row][data-scope="${scope}"][data-mode="${mode}"]`);
const cssVar = (page: Page, name: string) => page.evaluate((n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim(), name);

test('NT-1: the matrix shows apac Degraded, observed vs claimed, and modes never entered; F4 switches to the colour-blind-safe palette', async ({ labPage: page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1920, height: 1080 });
  // The projector default: the dark theme (the OS decides under 'auto').
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('scenario-picker')).toHaveValue('nt1-log-replication', HOST);

  // Before any fault: every scope is in Target; the other modes were never entered.
  await page.keyboard.press('F3');
  const matrix = page.getByTestId('mode-matrix');
  await expect(matrix).toBeVisible();
  await expect(row(page, 'apac', 'Target')).toHaveAttribute('data-current', 'true');
  await expect(row(page, 'apac', 'Degraded').getByTestId('matrix-never')).toHaveText('never entered');
  await page.keyboard.press('Escape');
  await expect(matrix).toBeHidden();

  // Cut apac off from both other regions on the map (keyboard), and run at ×10.
  for (const other of ['us-east', 'eu-west']) {
    await link(page, 'apac', other).focus();
    await page.keyboard.press('Enter');
    await expect(link(page, 'apac', other)).toHaveAttribute('data-state', 'cut', HOST);
  }
  await page.getByTestId('speed-10').click();
  await page.getByTestId('play').click();
  await expect(page.getByTestId('mode-badge-apac')).toHaveAttribute('data-mode', 'Degraded', HOST);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');

  // Open the matrix by keyboard: apac's Degraded row, entered and current, claim beside observation.
  await page.keyboard.press('F3');
  await expect(matrix).toBeVisible();
  const deg = row(page, 'apac', 'Degraded');
  await expect(deg).toHaveAttribute('data-entered', 'true');
  await expect(deg).toHaveAttribute('data-current', 'true');
  // Claimed comes from the scenario file: ⟨Local, None, Fractured, EO, Idem(event_id), Auth(JWT)⟩.
  await expect(deg.locator('[data-kind=claimed][data-component=scope]')).toHaveText('Local');
  await expect(deg.locator('[data-kind=claimed][data-component=recency]')).toHaveText('EO');
  // Observed comes from the engine while apac was in Degraded: cut off, Recency is EO.
  await expect(deg.locator('[data-kind=observed][data-component=recency]')).toContainText('EO');
  await expect(deg.locator('[data-kind=observed]')).toHaveCount(6);
  await expect(deg.getByTestId('matrix-time')).toHaveText(/^\d+(\.\d)? s$/);
  // Floor was never entered, and says so; the majority stayed in Target.
  await expect(row(page, 'apac', 'Floor').getByTestId('matrix-never')).toHaveText('never entered');
  await expect(row(page, 'apac', 'Floor')).toHaveAttribute('data-entered', 'false');
  await expect(row(page, 'us-east', 'Target')).toHaveAttribute('data-current', 'true');
  await expect(row(page, 'us-east', 'Degraded')).toHaveAttribute('data-entered', 'false');
  // apac's Target claim broke before the mode changed (the cut starves replication): called out, with its record.
  const target = row(page, 'apac', 'Target');
  await expect(target).not.toHaveAttribute('data-broken', '');
  await expect(target.getByTestId('matrix-broken')).toContainText('⚠');
  await expect(target.getByTestId('matrix-claim-link')).toHaveText(/^claim #\d+$/);
  await saveScreen(page, 'mode-matrix-default-1920');

  // The palette: F4 changes the mode tones (and is remembered on <html>).
  const before = await cssVar(page, '--mode-target');
  await page.keyboard.press('F4');
  await expect(page.locator('html')).toHaveAttribute('data-palette', 'cb');
  await expect.poll(() => cssVar(page, '--mode-target')).not.toBe(before);
  expect(await cssVar(page, '--bad')).not.toBe(await cssVar(page, '--good'));
  await saveScreen(page, 'mode-matrix-cb-1920');
  await page.keyboard.press('Escape');
  await expect(matrix).toBeHidden();
  await saveScreen(page, 'app-nt1-cb-1920');
  await page.keyboard.press('F3');
  await expect(matrix).toBeVisible();

  // The light theme keeps the cb palette (its own, darker tones for white badge text).
  const darkTarget = await cssVar(page, '--mode-target');
  await page.keyboard.press('Escape');
  await page.keyboard.press('t');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.keyboard.press('F3');
  await expect.poll(() => cssVar(page, '--mode-target')).not.toBe(darkTarget);
  await saveScreen(page, 'mode-matrix-cb-light-1920');
  await page.keyboard.press('Escape');
  await page.keyboard.press('t');
  await page.keyboard.press('t');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', 'light');

  // 1280×800: still readable (scrolls inside the dialog).
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.keyboard.press('F3');
  await expect(deg).toBeVisible();
  await saveScreen(page, 'mode-matrix-cb-1280');

  // The claim link closes the matrix and selects the engine's record on the timeline.
  await target.getByTestId('matrix-claim-link').click();
  await expect(matrix).toBeHidden();

  // Back to the default palette.
  await page.keyboard.press('F4');
  await expect(page.locator('html')).not.toHaveAttribute('data-palette', 'cb');
  await expect.poll(() => cssVar(page, '--mode-target')).toBe(before);
});

test('the mode badge opens the matrix too', async ({ labPage: page }) => {
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('mode-matrix-open-apac')).toBeVisible(HOST);
  await page.getByTestId('mode-matrix-open-apac').click();
  await expect(page.getByTestId('mode-matrix')).toBeVisible();
  await expect(page.getByTestId('matrix-scope-apac')).toContainText('never entered');
  await page.getByRole('button', { name: 'Close the mode matrix' }).click();
  await expect(page.getByTestId('mode-matrix')).toBeHidden();
  // By keyboard: focus the badge, open, Escape — focus is back on the badge.
  await page.getByTestId('mode-matrix-open-apac').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('mode-matrix')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('mode-matrix')).toBeHidden();
  await expect(page.getByTestId('mode-matrix-open-apac')).toBeFocused();
});
