/**
 * Evidence as objects on NT-1 (issue 7): cut apac off, open the mode change it causes and
 * see the missed heartbeats it cites in the detail card; follow one to the evidence and
 * back through "cited by"; filter the evidence lane by type, and by a node shift-clicked
 * on the map (a plain click would kill it); clear the filter.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, leaveRunPaused, saveScreen, test } from './fixtures';

const HOST = { timeout: 30_000 };
const link = (page: Page, a: string, b: string) => page.locator(`[data-testid=map-link][data-link="${[a, b].sort().join('|')}"]`);
const streamRows = (page: Page) => page.getByTestId('timeline-rows').locator('[data-testid=timeline-row]');

test.use({ viewport: { width: 1440, height: 900 } });

test.afterEach(({ page }) => leaveRunPaused(page));

/** The attribute of every row in `rows`, read in one go. */
async function attrs(rows: Locator, name: string): Promise<(string | null)[]> {
  return rows.evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);
}

test('a mode change links to its missed heartbeats, they link back, and evidence filters by type and node', async ({ labPage: page }) => {
  test.setTimeout(180_000);
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('scenario-picker')).toHaveValue('nt1-log-replication', HOST);
  await expect(page.locator('[data-testid=map-node]')).toHaveCount(9, HOST);

  // Play at ×10 and cut apac off from both other regions on the map.
  await page.getByTestId('play').click();
  await page.getByTestId('speed-10').click();
  for (const other of ['us-east', 'eu-west']) {
    await link(page, 'apac', other).focus();
    await page.keyboard.press('Enter');
    await expect(link(page, 'apac', other)).toHaveAttribute('data-state', 'cut', HOST);
  }
  const modeRow = page.locator('[data-testid=timeline-row][data-kind=mode][data-scope=apac][data-to=Degraded]');
  await expect(modeRow).toHaveCount(1, { timeout: 60_000 });
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  const modeSeq = (await modeRow.getAttribute('data-seq'))!;

  // Click the mode change: the detail card shows its fields and the evidence it cites.
  await modeRow.getByRole('button').click();
  const detail = page.getByTestId('record-detail');
  await expect(detail).toHaveAttribute('data-seq', modeSeq);
  await expect(detail.getByTestId('record-fields')).toContainText('Target → Degraded');
  const cites = detail.getByTestId('record-cites').getByTestId('record-link');
  const citedSeqs = ((await modeRow.getAttribute('data-cites')) ?? '').split(',').filter(Boolean);
  expect(citedSeqs.length).toBeGreaterThanOrEqual(3);
  await expect(cites).toHaveCount(citedSeqs.length);
  const missed = cites.filter({ hasText: 'heartbeat-missed' });
  await expect(missed).not.toHaveCount(0);
  await saveScreen(page, 'evidence-nt1-1440-mode');

  // Follow one: the card now shows that heartbeat, its row is selected in view, and
  // "cited by" links back to the mode change.
  const evSeq = (await missed.first().getAttribute('data-seq'))!;
  await missed.first().click();
  await expect(detail).toHaveAttribute('data-seq', evSeq);
  await expect(detail).toHaveAttribute('data-kind', 'evidence');
  await expect(detail.getByTestId('record-fields')).toContainText('heartbeat-missed');
  await expect(detail.getByTestId('record-fields')).toContainText('in a row');
  const evRow = page.locator(`[data-testid=timeline-row][data-seq="${evSeq}"]`);
  await expect(evRow).toHaveClass(/selected/);
  await expect(evRow).toBeInViewport();
  const back = detail.getByTestId('record-cited-by').locator(`[data-testid=record-link][data-seq="${modeSeq}"]`);
  await expect(back).toContainText('apac: Target → Degraded');
  await saveScreen(page, 'evidence-nt1-1440-cited-by');
  await back.click();
  await expect(detail).toHaveAttribute('data-seq', modeSeq);
  await expect(modeRow).toHaveClass(/selected/);
  // Esc clears the selection and closes the card.
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);

  // Filter by type: only missed heartbeats remain in the evidence lane.
  const typeFilter = page.getByTestId('evidence-type-filter');
  await expect(typeFilter.locator('option', { hasText: /^heartbeat-missed \(\d+\)$/ })).toHaveCount(1);
  await typeFilter.selectOption('heartbeat-missed');
  await expect(streamRows(page).first()).toBeVisible();
  expect(new Set(await attrs(streamRows(page), 'data-type'))).toEqual(new Set(['heartbeat-missed']));
  await typeFilter.selectOption('');
  await expect.poll(async () => new Set(await attrs(streamRows(page), 'data-type')).size).toBeGreaterThan(1);

  // Shift-click a node on the map: the lane shows only evidence about it, and the node lives.
  const node = page.locator('[data-testid=map-node][data-node=us-east-1]');
  await node.click({ modifiers: ['Shift'] });
  const chip = page.getByTestId('evidence-node-chip');
  await expect(chip).toHaveAttribute('data-node', 'us-east-1');
  await expect(node).toHaveAttribute('data-up', 'true');
  await expect(node).toHaveClass(/\bevidence\b/);
  await expect(streamRows(page).first()).toBeVisible();
  const rows = streamRows(page);
  const about = (await attrs(rows, 'data-node')).map((n, i) => [n, i] as const);
  const peers = await attrs(rows, 'data-peer');
  for (const [n, i] of about) expect([n, peers[i]].some((x) => x === 'us-east-1' || x === 'us-east'), `row ${i}: ${n} → ${peers[i]}`).toBe(true);
  expect(await attrs(rows, 'data-kind')).not.toContain('gvector');
  await saveScreen(page, 'evidence-nt1-1440-node');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await saveScreen(page, 'evidence-nt1-1920-node');

  // Clear the node filter: other nodes' evidence is back.
  await chip.click();
  await expect(chip).toHaveCount(0);
  await expect(node).not.toHaveClass(/\bevidence\b/);
  await expect.poll(async () => (await attrs(streamRows(page), 'data-node')).some((n) => n !== null && !n.startsWith('us-east'))).toBe(true);
  // The node filter is also a select in the lane, listing the nodes that reported evidence.
  await page.getByTestId('evidence-node-filter').selectOption('apac-1');
  await expect(chip).toHaveAttribute('data-node', 'apac-1');
  await modeRow.getByRole('button').click();
  await expect(page.getByTestId('record-detail')).toHaveAttribute('data-seq', modeSeq);
  await saveScreen(page, 'evidence-nt1-1920-mode');
  // The controls stay readable on a small laptop screen too.
  await page.setViewportSize({ width: 1280, height: 800 });
  await chip.scrollIntoViewIfNeeded();
  await expect(chip).toBeInViewport();
  await expect(page.getByTestId('record-detail')).toBeInViewport();
  await saveScreen(page, 'evidence-nt1-1280-mode');
});
