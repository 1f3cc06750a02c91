/**
 * NT-1 on the real host, through the real renderer: the lecturer's demo (DEMOS.md NT-1
 * #1 and #2) as the room sees it — cut apac off on the map, and watch its panel fall
 * from Target to Degraded with the missed heartbeats that caused it.
 */
import type { Page } from '@playwright/test';
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';

const badge = (page: Page, scope: string) => page.getByTestId(`mode-badge-${scope}`);
const link = (page: Page, a: string, b: string) => page.locator(`[data-testid=map-link][data-link="${[a, b].sort().join('|')}"]`);

async function openNt1(page: Page): Promise<void> {
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready');
  await expect(page.getByTestId('scenario-picker')).toHaveValue('nt1-log-replication');
  await expect(page.getByRole('heading', { name: /Log replication across continents/ })).toBeVisible();
  for (const scope of ['us-east', 'eu-west', 'apac']) {
    await expect(badge(page, scope)).toHaveAttribute('data-mode', 'Target');
  }
}

async function simTime(page: Page): Promise<number> {
  const text = (await page.getByTestId('clock').textContent()) ?? '';
  const m = /t = ([\d.]+) s/.exec(text);
  return m ? Number(m[1]) : NaN;
}

test.afterEach(({ page }) => leaveRunPaused(page));

for (const viewport of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 },
]) {
  test.describe(`NT-1 at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport, colorScheme: viewport.width === 1920 ? 'dark' : 'light' });

    test('cutting apac off turns its panel from Target to Degraded, citing missed heartbeats', async ({ labPage: page }) => {
      test.setTimeout(240_000);
      await openNt1(page);
      const tag = `ui-nt1-${viewport.width}`;

      // Play and check the clock runs.
      await page.getByTestId('play').click();
      await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
      await expect.poll(() => simTime(page)).toBeGreaterThan(1);
      await expect(page.locator('[data-testid=map-node]')).toHaveCount(9);
      await saveScreen(page, `${tag}-target`);

      // ×10, then cut apac from both other regions by clicking the links on the map.
      await page.getByTestId('speed-10').click();
      await expect(page.getByTestId('speed-10')).toHaveAttribute('aria-checked', 'true');
      for (const other of ['us-east', 'eu-west']) {
        // Keyboard activation: message dots animating over the handle cannot intercept it.
        await link(page, 'apac', other).focus();
        await page.keyboard.press('Enter');
        await expect(link(page, 'apac', other)).toHaveAttribute('data-state', 'cut');
      }
      await expect(page.locator('[data-testid=timeline-row][data-kind=fault]')).toHaveCount(2);

      // The room sees apac fall to Degraded; the majority stays in Target.
      await expect(badge(page, 'apac')).toHaveAttribute('data-mode', 'Degraded', { timeout: 45_000 });
      await expect(badge(page, 'apac')).toContainText('Degraded');
      await expect(badge(page, 'apac')).toBeVisible();
      await expect(page.locator('[data-testid=map-region][data-region=apac]')).toHaveAttribute('data-tone', 'degraded');
      await expect(badge(page, 'us-east')).toHaveAttribute('data-mode', 'Target');
      await expect(badge(page, 'eu-west')).toHaveAttribute('data-mode', 'Target');
      // Its G-vector Scope falls from Global to Local.
      await expect(page.locator('[data-testid=gvec-apac] .observed [data-component=scope]')).toContainText('Local');

      // Pause so the picture holds still, then open the mode change and its evidence.
      await page.getByTestId('play').click();
      await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
      const modeRow = page.locator('[data-testid=timeline-row][data-kind=mode][data-scope=apac][data-to=Degraded]');
      await expect(modeRow).toHaveCount(1);
      const cites = ((await modeRow.getAttribute('data-cites')) ?? '').split(',').filter(Boolean);
      expect(cites.length).toBeGreaterThanOrEqual(3);
      await modeRow.getByRole('button').click();
      const cited = page.getByTestId('record-detail').getByTestId('record-cites').locator('li');
      await expect(cited).toHaveCount(cites.length);
      await expect(cited.filter({ hasText: 'heartbeat-missed' })).not.toHaveCount(0);
      // The cited evidence records in the list are highlighted too.
      for (const seq of cites) {
        const row = page.locator(`[data-testid=timeline-row][data-seq="${seq}"]`);
        if ((await row.count()) > 0) await expect(row).toHaveClass(/cited/);
      }
      await saveScreen(page, `${tag}-degraded`);

      // Heal everything with the keyboard (H) and watch apac leave Degraded.
      await page.locator('body').click({ position: { x: 5, y: viewport.height - 5 } });
      await page.keyboard.press('h');
      await expect(link(page, 'apac', 'us-east')).toHaveAttribute('data-state', 'up');
      await page.keyboard.press('Space');
      await expect(badge(page, 'apac')).not.toHaveAttribute('data-mode', 'Degraded', { timeout: 45_000 });
      await page.keyboard.press('Space');
      await saveScreen(page, `${tag}-healed`);
    });
  });
}

test('synchronous replication misses the <100 ms requirement; the leased sequencer meets it', async ({ labPage: page }) => {
  test.setTimeout(240_000);
  await openNt1(page);
  const req = page.getByTestId('requirement-write-latency');
  const picker = page.getByTestId('strategy-picker');

  await picker.selectOption('sync-cp');
  await expect(picker).toHaveValue('sync-cp');
  await page.getByTestId('speed-5').click();
  await page.getByTestId('play').click();
  await expect(req).toHaveAttribute('data-status', 'missed', { timeout: 30_000 });
  await expect(req).toContainText('✗');
  await saveScreen(page, 'ui-nt1-sync-missed');

  await picker.selectOption('async-cp');
  await expect(req).toHaveAttribute('data-status', 'met', { timeout: 30_000 });
  await expect(req).toContainText('✓');
});

test('a host error shows as a dismissable message, not a crash', async ({ labPage: page }) => {
  await openNt1(page);
  // Ask the host for a strategy it does not have (as a stale or tampered picker would).
  await page.getByTestId('strategy-picker').evaluate((el: HTMLSelectElement) => {
    const o = document.createElement('option');
    o.value = 'no-such-strategy';
    el.append(o);
    el.value = 'no-such-strategy';
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const notice = page.getByTestId('notice');
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText('no-such-strategy');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  // The app still works.
  await page.getByTestId('step').click();
  await expect.poll(() => simTime(page)).toBeGreaterThanOrEqual(1);
  await expect(badge(page, 'apac')).toBeVisible();
});

test('keyboard shortcuts come from one registry, listed by the ? overlay', async ({ labPage: page }) => {
  await openNt1(page);
  await page.keyboard.press('?');
  const overlay = page.getByTestId('help-overlay');
  await expect(overlay).toBeVisible();
  for (const label of ['Play / pause', 'Step 1 s', 'Faster', 'Slower', 'Restart the run', 'Heal all links', 'Isolate']) {
    await expect(overlay).toContainText(label);
  }
  await saveScreen(page, 'ui-nt1-shortcuts');
  await page.keyboard.press('Escape');
  await expect(overlay).toHaveCount(0);

  await page.keyboard.press('.');
  await expect.poll(() => simTime(page)).toBeGreaterThanOrEqual(1);
  await page.keyboard.press(']');
  await expect(page.getByTestId('speed-2')).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('[');
  await expect(page.getByTestId('speed-1')).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
});

test('clicking a node kills it and clicking again restarts it; hovering a link shows its latency', async ({ labPage: page }) => {
  await openNt1(page);
  const node = page.locator('[data-testid=map-node][data-node="eu-west-2"]');
  await expect(node).toHaveAttribute('data-up', 'true');
  await node.click();
  await expect(node).toHaveAttribute('data-up', 'false');
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]').first()).toContainText('eu-west-2');
  await node.click();
  await expect(node).toHaveAttribute('data-up', 'true');
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]')).toHaveCount(2);

  await link(page, 'us-east', 'eu-west').getByTestId('link-handle').hover();
  const tip = page.getByRole('tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(/latency \d+ ms/);
  await expect(tip).toContainText('click to cut');
});

test('one key isolates a region (3 = apac): both of its links show cut', async ({ labPage: page }) => {
  await openNt1(page);
  await page.keyboard.press('3');
  await expect(link(page, 'apac', 'us-east')).toHaveAttribute('data-state', 'cut');
  await expect(link(page, 'apac', 'eu-west')).toHaveAttribute('data-state', 'cut');
  await expect(link(page, 'us-east', 'eu-west')).toHaveAttribute('data-state', 'up');
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]')).toHaveCount(1);
  await page.keyboard.press('h');
  await expect(link(page, 'apac', 'us-east')).toHaveAttribute('data-state', 'up');
});

test.describe('with reduced motion', () => {
  test.use({ reducedMotion: 'reduce' });
  test('messages are still drawn at each frame, without client-side animation', async ({ labPage: page }) => {
    await openNt1(page);
    await page.getByTestId('play').click();
    await expect.poll(() => page.locator('.messages circle').count()).toBeGreaterThan(0);
    await page.getByTestId('play').click();
  });
});
