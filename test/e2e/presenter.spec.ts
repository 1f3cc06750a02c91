/**
 * Presenter mode, keyboard only (issue 7, DEMOS.md): F5 opens the demo picker, Enter starts
 * the NT-1 lecture, the clicker's PageDown / PageUp step through it, the spotlight repeats
 * the mode change for the back row, Ctrl+K finds any command, F5 leaves.
 */
import type { Page } from '@playwright/test';
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';

const HOST = { timeout: 60_000 };
const count = (page: Page) => page.getByTestId('presenter-count');

test.afterEach(({ page }) => leaveRunPaused(page));

test('keyboard-only lecture: pick a demo, step with the clicker, spotlight, palette, leave', async ({ labPage: page, consoleErrors }) => {
  test.setTimeout(240_000);
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('scenario-picker')).toHaveValue('nt1-log-replication', HOST);
  await page.locator('body').click({ position: { x: 5, y: 5 } });

  await page.keyboard.press('F5');
  await expect(page.getByTestId('demo-picker')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'on');
  // The current scenario's demo comes first and has the focus.
  await expect(page.getByTestId('demo-choice').first()).toBeFocused();
  await expect(page.getByTestId('demo-choice').first()).toHaveAttribute('data-demo', 'nt1-lecture');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('presenter-card')).toBeVisible(HOST);
  await expect(count(page)).toHaveText('Ready');

  // Step 1: synchronous replication misses the < 100 ms requirement.
  await page.keyboard.press('PageDown');
  await expect(count(page)).toHaveText('Step 1 / 7');
  await expect(page.getByTestId('strategy-picker')).toHaveValue('sync-cp', HOST);
  await expect(page.getByTestId('requirement-write-latency')).toHaveAttribute('data-status', 'missed', HOST);
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false', HOST); // paused at the step's end

  // Step 2: the leased sequencer meets it.
  await page.keyboard.press('PageDown');
  await expect(count(page)).toHaveText('Step 2 / 7');
  await expect(page.getByTestId('strategy-picker')).toHaveValue('async-cp', HOST);
  await expect(page.getByTestId('requirement-write-latency')).toHaveAttribute('data-status', 'met', HOST);

  // Step 3: cut apac — the spotlight calls out its fall to Degraded.
  await page.keyboard.press('PageDown');
  await expect(count(page)).toHaveText('Step 3 / 7');
  await expect(page.getByTestId('spot').filter({ hasText: 'Target → Degraded' }).first()).toBeVisible(HOST);
  await saveScreen(page, 'presenter-nt1-step3');
  await expect(page.getByTestId('mode-badge-apac')).toHaveAttribute('data-mode', 'Degraded', HOST);

  // Back one step with the clicker.
  await page.keyboard.press('PageUp');
  await expect(count(page)).toHaveText('Step 2 / 7');

  // Any command by name: Ctrl+K, type, Enter.
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('command-palette')).toBeVisible();
  await page.keyboard.type('heal all');
  await expect(page.getByTestId('palette-item').first()).toHaveAttribute('data-action', 'heal-all');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('command-palette')).toHaveCount(0);
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]').filter({ hasText: 'heal' }).first()).toBeAttached(HOST);

  await page.keyboard.press('F5');
  await expect(page.locator('html')).not.toHaveAttribute('data-presenter', 'on');
  await expect(page.getByTestId('presenter-card')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
