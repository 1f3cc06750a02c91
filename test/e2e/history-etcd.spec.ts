/**
 * The history view in the real renderer against the real host: a recorded Jepsen etcd log
 * (Porcupine's test data, from outside this project) opened with "Open history…" is read in
 * the page, checked by the host and drawn with its verdict; the running NT-1 scenario's own
 * client history shows the stale reads an AP strategy serves under a partition.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';

const DATA = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'external', 'porcupine-histories');
const etcd = (n: string) => resolve(DATA, 'etcd', `etcd_${n}.log`);

async function openHistoryTab(page: Page): Promise<void> {
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('scenario-picker')).toHaveValue('nt1-log-replication', { timeout: 30_000 });
  await page.getByTestId('stage-tab-history').click();
  await expect(page.getByTestId('history-panel')).toBeVisible();
}

async function openFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('history-file').setInputFiles(path);
  await expect(page.getByTestId('history-panel')).toHaveAttribute('data-source', 'file', { timeout: 45_000 });
}

test.beforeAll(() => {
  if (!existsSync(DATA)) throw new Error(`porcupine-histories not found at ${DATA}`);
});
// The build machines are shared and often loaded: the host checks each file in the main process.
test.describe.configure({ timeout: 90_000 });

test.afterEach(({ page }) => leaveRunPaused(page));

test('a linearizable etcd log opens, is drawn per client, and shows its verdict and linearization', async ({ labPage: page }) => {
  await openHistoryTab(page);
  await openFile(page, etcd('002'));
  await expect(page.getByTestId('history-verdict')).toHaveAttribute('data-verdict', 'linearizable');
  await expect(page.getByTestId('history-verdict')).toContainText('Linearizable');
  await expect(page.getByTestId('history-summary')).toContainText('etcd_002.log');
  await expect(page.getByTestId('history-summary')).toContainText('cas-register');
  // Bars per client: one lane per Jepsen process, every operation drawn, all in the linearization.
  await expect(page.getByTestId('history-lane').first()).toBeVisible();
  const ops = page.getByTestId('history-op');
  expect(await ops.count()).toBeGreaterThan(50);
  await expect(page.locator('[data-testid=history-op][data-order="1"]')).toHaveCount(1);
  await expect(page.getByTestId('history-fail')).toHaveCount(0);
  await expect(page.getByTestId('history-detail')).toHaveAttribute('data-verdict', 'linearizable');
  await saveScreen(page, 'history-etcd-002-linearizable');
});

test('a non-linearizable etcd log shows where every linearization fails and the offending operations', async ({ labPage: page }) => {
  await openHistoryTab(page);
  await openFile(page, etcd('000'));
  await expect(page.getByTestId('history-verdict')).toHaveAttribute('data-verdict', 'not-linearizable');
  await expect(page.getByTestId('history-verdict')).toContainText('Not linearizable');
  const detail = page.getByTestId('history-detail');
  await expect(detail).toHaveAttribute('data-verdict', 'not-linearizable');
  await expect(page.getByTestId('history-fails-at')).toContainText(/Fails at line \d+/);
  expect(await page.getByTestId('history-offending').locator('li').count()).toBeGreaterThan(0);
  // Zoomed to the failure: the red line and the offending bars are on screen.
  await expect(page.getByTestId('history-fail')).toHaveCount(1);
  expect(await page.locator('[data-testid=history-op][data-offending=true]').count()).toBeGreaterThan(0);
  await saveScreen(page, 'history-etcd-000-not-linearizable');
  // The whole history, with the longest linearizable prefix numbered.
  await page.getByRole('radio', { name: 'All' }).click();
  await expect(page.getByTestId('history-op')).toHaveCount(85); // every operation of the log
  await saveScreen(page, 'history-etcd-000-all');
});

test('a file that is not a history is refused with the line that is wrong', async ({ labPage: page }) => {
  await openHistoryTab(page);
  await page.getByTestId('history-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello\nworld\n') });
  await expect(page.getByTestId('history-error')).toContainText('line 1');
  await expect(page.getByTestId('history-panel')).toHaveAttribute('data-source', 'run');
});

test('a key-value history: one verdict per key, the failing key first', async ({ labPage: page }) => {
  await openHistoryTab(page);
  await openFile(page, resolve(DATA, 'kv', 'c10-bad.txt'));
  await expect(page.getByTestId('history-verdict')).toHaveAttribute('data-verdict', 'not-linearizable');
  await expect(page.getByTestId('history-key')).toBeVisible();
  await expect(page.getByTestId('history-detail')).toHaveAttribute('data-verdict', 'not-linearizable');
  await saveScreen(page, 'history-kv-c10-bad');
});

test('the running NT-1 scenario: AP under a partition serves stale reads the checker proves non-linearizable', async ({ labPage: page }) => {
  test.setTimeout(180_000);
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', { timeout: 30_000 });
  const picker = page.getByTestId('strategy-picker');
  await picker.selectOption('async-ap');
  await expect(picker).toHaveValue('async-ap');
  // Cut apac off (key 3), then watch the run's history.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('3');
  await page.getByTestId('stage-tab-history').click();
  await expect(page.getByTestId('history-panel')).toHaveAttribute('data-source', 'run');
  await page.getByTestId('speed-10').click();
  await page.getByTestId('play').click();
  await expect(page.getByTestId('history-verdict')).toHaveAttribute('data-verdict', 'not-linearizable', { timeout: 120_000 });
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false', { timeout: 30_000 });
  await expect(page.getByTestId('history-detail')).toHaveAttribute('data-verdict', 'not-linearizable');
  await expect(page.getByTestId('history-fails-at')).toContainText(/Fails at [\d.]+ s/);
  expect(await page.getByTestId('history-offending').locator('li').count()).toBeGreaterThanOrEqual(2);
  await saveScreen(page, 'history-nt1-ap-stale-reads');
  // The Order component of some region fell below Lx, citing the checker.
  await page.getByTestId('stage-tab-scenario').click();
  await expect(page.locator('[data-testid^=gvec-] .observed [data-component=order][data-broken=true]').first()).toBeVisible();
  await saveScreen(page, 'history-nt1-ap-order-broken');
});

test.describe('at 1280×800 in the light theme', () => {
  test.use({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  test('the failing etcd log stays readable: verdict, failure line and offending operations on screen', async ({ labPage: page }) => {
    await openHistoryTab(page);
    await openFile(page, etcd('000'));
    await expect(page.getByTestId('history-verdict')).toHaveAttribute('data-verdict', 'not-linearizable');
    await expect(page.getByTestId('history-fail')).toBeInViewport();
    await expect(page.getByTestId('history-offending')).toBeInViewport();
    await saveScreen(page, 'history-etcd-000-1280-light');
  });
});
