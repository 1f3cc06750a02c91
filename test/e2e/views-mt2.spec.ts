/**
 * MT-2 on the real host, through the real renderer: the checkout services view
 * (DEMOS.md MT-2 #1–#3). 2PC: arm "crash the coordinator after prepare" — the
 * participants hold their locks and the blocked time grows. Saga: a declined card runs
 * the compensations in reverse as a chain; a crash between the provider's charge and the
 * local record opens the uncertainty window until reconciliation repairs the orphan.
 */
import type { Page } from '@playwright/test';
import { expect, saveScreen, test } from './fixtures';

const HOST = { timeout: 30_000 };
const view = (page: Page) => page.getByTestId('checkout-view');

async function openMt2(openLab: (q?: Record<string, string>) => Promise<Page>, strategy: string): Promise<Page> {
  const page = await openLab({ scenario: 'mt2-checkout-transactions', strategy });
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('scenario-view')).toHaveAttribute('data-view', 'services', HOST);
  await expect(view(page)).toHaveAttribute('data-strategy', strategy, HOST);
  return page;
}

async function play(page: Page, speed: 1 | 2 | 5 | 10 = 10): Promise<void> {
  await page.getByTestId('play').click();
  await page.getByTestId(`speed-${speed}`).click();
  await expect(page.getByTestId(`speed-${speed}`)).toHaveAttribute('aria-checked', 'true', HOST);
}

/**
 * Steps 1 simulated second at a time (paused) until the node is down: deterministic on a
 * busy machine, where playing could run far past a 30 s window before the test looks.
 */
async function stepUntilDown(page: Page, service: string, maxSteps = 20): Promise<void> {
  const box = page.locator(`[data-testid=checkout-service][data-service=${service}]`);
  const clock = page.getByTestId('clock');
  for (let i = 0; i < maxSteps; i++) {
    if ((await box.getAttribute('data-up')) === 'false') return;
    const before = await clock.textContent();
    await page.getByTestId('step').click();
    await expect(clock).not.toHaveText(before ?? '', HOST);
  }
  await expect(box).toHaveAttribute('data-up', 'false', HOST);
}

async function pause(page: Page): Promise<void> {
  const p = page.getByTestId('play');
  if ((await p.count()) > 0 && (await p.getAttribute('aria-pressed')) === 'true') await p.click();
}

// The shared host keeps a run going after its page closes: leave every run paused.
test.afterEach(async ({ page }) => {
  await pause(page);
});

test.describe('MT-2 2PC at 1920×1080 (dark)', () => {
  test.use({ viewport: { width: 1920, height: 1080 }, colorScheme: 'dark' });

  test('coordinator crashes after prepare: participants hold locks, blocked time grows', async ({ openLab, consoleErrors }) => {
    test.setTimeout(150_000);
    const page = await openMt2(openLab, '2pc');
    await expect(page.getByTestId('checkout-service')).toHaveCount(8, HOST);
    await expect(page.getByTestId('tpc-panel')).toBeVisible(HOST);

    await page.getByTestId('arm-crash-prepare').click();
    await expect(page.locator('[data-testid=checkout-service][data-service=coordinator]')).toContainText('armed: crash-after-prepare', HOST);
    // The coordinator dies after every participant voted YES: no decision, locks held
    // (stepped, paused: it stays down 30 simulated seconds).
    await stepUntilDown(page, 'coordinator');
    await page.getByTestId('step').click();
    await expect(page.getByTestId('tpc-panel')).toHaveAttribute('data-phase', 'blocked', HOST);
    await expect(page.getByTestId('tpc-panel')).toContainText('coordinator crashed', HOST);
    await expect(page.getByTestId('checkout-lock').first()).toBeVisible(HOST);
    const b1 = Number(await page.getByTestId('tpc-panel').getAttribute('data-blocked-ms'));
    await saveScreen(page, 'views-mt2-1920-2pc-blocked');
    // Blocked time grows while the coordinator is down: step 5 simulated seconds.
    for (let i = 0; i < 5; i++) {
      const before = await page.getByTestId('clock').textContent();
      await page.getByTestId('step').click();
      await expect(page.getByTestId('clock')).not.toHaveText(before ?? '', HOST);
    }
    await expect
      .poll(async () => Number(await page.getByTestId('tpc-panel').getAttribute('data-blocked-ms')), HOST)
      .toBeGreaterThanOrEqual(b1 + 4000);
    await expect(page.getByTestId('tpc-panel')).toHaveAttribute('data-phase', 'blocked', HOST);
    expect(Number(await view(page).getAttribute('data-locks'))).toBeGreaterThanOrEqual(3);
    await saveScreen(page, 'views-mt2-1920-2pc-blocked-later');
    expect(consoleErrors).toEqual([]);
  });
});

test.describe('MT-2 saga at 1280×800 (light)', () => {
  test.use({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });

  test('a declined card: compensations run in reverse as a chain', async ({ openLab, consoleErrors }) => {
    test.setTimeout(150_000);
    const page = await openMt2(openLab, 'saga');
    await page.getByTestId('arm-decline').click();
    await play(page);
    const chain = page.getByTestId('saga-chain');
    await expect(chain).toHaveAttribute('data-comps-done', '2', { timeout: 90_000 });
    await pause(page);
    await expect(page.getByTestId('saga-step').last()).toHaveAttribute('data-state', 'failed', HOST);
    await expect(page.locator('[data-testid=saga-comp][data-position="1"]')).toContainText('release-inventory', HOST);
    await expect(page.locator('[data-testid=saga-comp][data-position="2"]')).toContainText('cancel-order', HOST);
    await expect(chain).toContainText('declined', HOST);
    await saveScreen(page, 'views-mt2-1280-saga-chain');
    expect(consoleErrors).toEqual([]);
  });

  test('payment crashes after the charge: uncertainty window, then reconciliation repairs the orphan', async ({ openLab, consoleErrors }) => {
    test.setTimeout(180_000);
    const page = await openMt2(openLab, 'saga');
    await page.getByTestId('arm-crash-charge').click();
    await stepUntilDown(page, 'payment');
    // The provider charged, the local record is missing: in doubt (then orphaned) until reconciliation.
    await expect(page.getByTestId('uncertainty')).toHaveAttribute('data-stage', /in-doubt|orphan/, HOST);
    await expect(page.getByTestId('uncertainty-window')).toContainText('CHARGED', HOST);
    await expect(page.getByTestId('uncertainty-window')).toContainText('no record', HOST);
    await saveScreen(page, 'views-mt2-1280-uncertainty');
    await play(page, 10);
    await expect(page.getByTestId('uncertainty')).toHaveAttribute('data-stage', 'repaired', { timeout: 120_000 });
    await expect(view(page)).not.toHaveAttribute('data-repairs', '0', HOST);
    await expect(page.getByTestId('recon-repair')).toContainText('refunded by reconciliation', HOST);
    await pause(page);
    await saveScreen(page, 'views-mt2-1280-repaired');
    expect(consoleErrors).toEqual([]);
  });
});
