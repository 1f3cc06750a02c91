/**
 * MT-3 on the real host, through the real renderer: 5000 edges clustered per hub on a
 * canvas, coloured by config version, the coverage curve and the propagation proof
 * (DEMOS.md MT-3 #2): partition eu-west before the firewall rule ships and the proof
 * panel says CANNOT PROVE for eu-west's 500 edges instead of claiming 100%. Also
 * measures requestAnimationFrame intervals while 5000 edges animate at ×10 (printed and
 * attached; only sanity is asserted — a benchmark, not a timed test, as views-perf).
 */
import { loadavg } from 'node:os';
import type { Page } from '@playwright/test';
import { expect, measureFrameTimes, saveScreen, stepSeconds, test } from './fixtures';

const HOST = { timeout: 30_000 };
const SECONDS = Number(process.env.LAB_PERF_SECONDS ?? 5);
const view = (page: Page) => page.getByTestId('cdn-view');
const proof = (page: Page) => page.getByTestId('cdn-proof');

async function openMt3(openLab: (q?: Record<string, string>) => Promise<Page>, strategy: string): Promise<Page> {
  const page = await openLab({ scenario: 'mt3-cdn-config', strategy });
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('scenario-view')).toHaveAttribute('data-view', 'cdn', HOST);
  await expect(view(page)).toHaveAttribute('data-edges', '5000', HOST);
  return page;
}


async function pause(page: Page): Promise<void> {
  const p = page.getByTestId('play');
  if ((await p.count()) > 0 && (await p.getAttribute('aria-pressed')) === 'true') await p.click();
}

// The shared host keeps a run going after its page closes: leave every run paused.
test.afterEach(async ({ page }) => {
  await pause(page);
});

test.describe('MT-3 at 1920×1080 (dark)', () => {
  test.use({ viewport: { width: 1920, height: 1080 }, colorScheme: 'dark' });

  test('partition eu-west before the firewall rule: CANNOT PROVE its 500 edges; heal: PROVEN', async ({ openLab, consoleErrors }) => {
    test.setTimeout(170_000);
    const page = await openMt3(openLab, 'hierarchical');
    await expect(page.getByTestId('cdn-region')).toHaveCount(10, HOST);
    await expect(proof(page)).toHaveAttribute('data-verdict', 'PROVEN', HOST);
    await saveScreen(page, 'views-mt3-1920-start');

    // Cut eu-west (hub + 500 edges) off from everything, with the view's own control.
    await page.locator('[data-testid=cdn-region][data-region=eu-west]').click();
    await expect(page.locator('[data-testid=timeline-row][data-kind=fault]').first()).toContainText('partition', HOST);

    // v2 (the critical firewall rule) ships at 5 s; eu-west goes dark (8 s of silence): the proof cannot vouch for it.
    await stepSeconds(page, 10);
    await expect(view(page)).toHaveAttribute('data-latest', '2', HOST);
    await expect(proof(page)).toHaveAttribute('data-verdict', 'CANNOT PROVE', HOST);
    await expect(page.getByTestId('cdn-cannot')).toContainText('eu-west', HOST);
    await expect(proof(page)).toContainText('500 cannot prove', HOST);
    await expect(page.locator('[data-testid=cdn-region][data-region=eu-west]')).toHaveAttribute('data-dark', 'true', HOST);
    await expect(page.getByTestId('cdn-coverage')).toContainText('Coverage of v2', HOST);
    await saveScreen(page, 'views-mt3-1920-cannot-prove');

    // Shift-click the region: the timeline's evidence narrows to its hub (attestations, acks), nothing is cut or healed.
    const faults = await page.locator('[data-testid=timeline-row][data-kind=fault]').count();
    await page.locator('[data-testid=cdn-region][data-region=us-east]').click({ modifiers: ['Shift'] });
    await expect(page.getByTestId('evidence-node-chip')).toHaveAttribute('data-node', 'us-east-001');
    const rows = page.locator('[data-testid=timeline-rows] [data-testid=timeline-row]');
    await expect(rows.first()).toBeVisible(HOST);
    for (const node of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))) expect(node).toBe('us-east-001');
    await expect(page.locator('[data-testid=timeline-row][data-kind=fault]')).toHaveCount(faults);
    await expect(page.locator('[data-testid=cdn-region][data-region=us-east]')).not.toHaveClass(/cut/);
    await page.getByTestId('evidence-node-chip').click();

    // Heal: eu-west answers again and its edges get proven.
    await page.getByTestId('cdn-heal').click();
    await expect(page.getByTestId('cdn-heal')).toHaveCount(0, HOST);
    await stepSeconds(page, 6);
    await expect(proof(page)).toHaveAttribute('data-verdict', 'PROVEN', HOST);
    await saveScreen(page, 'views-mt3-1920-healed');
    expect(consoleErrors).toEqual([]);
  });

  test('5000 edges at ×10: frame times', async ({ openLab }, info) => {
    test.setTimeout(120_000);
    const page = await openMt3(openLab, 'gossip');
    await stepSeconds(page, 4);
    await page.getByTestId('play').click();
    await page.getByTestId('speed-10').click();
    await page.waitForTimeout(1000);
    const r = await measureFrameTimes(page, SECONDS * 1000, 'cdn-canvas');
    await pause(page);
    const report = { scenario: 'mt3-cdn-config', strategy: 'gossip', edges: 5000, speed: 10, seconds: SECONDS, viewport: '1920×1080', machine_load_1min: Number(loadavg()[0]!.toFixed(1)), ...r };
    console.log(`[views-mt3-perf] ${JSON.stringify(report)}`);
    info.annotations.push({ type: 'frame-times', description: `p50 ${r.p50.toFixed(1)} ms · p95 ${r.p95.toFixed(1)} ms · p99 ${r.p99.toFixed(1)} ms · ${r.frames} frames` });
    await info.attach('frame-times.json', { body: JSON.stringify(report, null, 2), contentType: 'application/json' });
    expect(r.frames).toBeGreaterThan(0);
    await saveScreen(page, 'views-mt3-1920-gossip');
  });
});

test.describe('MT-3 at 1280×800 (light)', () => {
  test.use({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });

  test('push: the coverage curve of the firewall rule climbs to 100% and the proof says PROVEN', async ({ openLab, consoleErrors }) => {
    test.setTimeout(150_000);
    const page = await openMt3(openLab, 'push');
    await stepSeconds(page, 9);
    await expect(view(page)).toHaveAttribute('data-latest', '2', HOST);
    await expect(page.getByTestId('cdn-t99')).not.toHaveText('—', HOST);
    await expect(proof(page)).toHaveAttribute('data-verdict', 'PROVEN', HOST);
    await saveScreen(page, 'views-mt3-1280-push');
    expect(consoleErrors).toEqual([]);
  });
});
