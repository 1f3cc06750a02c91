/**
 * The world map at MT-1's scale (issue 4): 21 regions and 210 links must stay readable
 * from the back row. Region labels do not overlap each other; per-link latency labels are
 * hidden when there are many links, except on the links that matter (a cut link shows its
 * marker). FT-3 (Shenzhen next to Hanoi) uses the same placement.
 */
import type { Page } from '@playwright/test';
import { resolve } from 'node:path';
import { expect, leaveRunPaused, saveScreen, SCREENS_DIR, test } from './fixtures';

const HOST = { timeout: 60_000 };

test.afterEach(({ page }) => leaveRunPaused(page));

type Box = { x: number; y: number; width: number; height: number };

/** Bounding boxes of the texts of the region labels that are drawn (names and modes): the glyphs' line boxes, as the browser lays them out. */
async function labelBoxes(page: Page): Promise<{ id: string; box: Box }[]> {
  return page.locator('[data-testid=region-label], [data-testid=region-mode-label]').evaluateAll((els) =>
    els
      .map((g) => {
        const r = g.querySelector('text')!.getBoundingClientRect();
        return { id: `${g.getAttribute('data-testid')}:${g.getAttribute('data-region')}`, box: { x: r.x, y: r.y, width: r.width, height: r.height } };
      })
      .filter((b) => b.box.width > 0),
  );
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const show = (b: Box) => `[${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)}]`;

function overlapping(boxes: { id: string; box: Box }[]): string[] {
  const bad: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) if (overlaps(boxes[i]!.box, boxes[j]!.box)) bad.push(`${boxes[i]!.id} ${show(boxes[i]!.box)} × ${boxes[j]!.id} ${show(boxes[j]!.box)}`);
  return bad;
}

for (const viewport of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 },
]) {
  test.describe(`world map at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport, colorScheme: viewport.width === 1920 ? 'dark' : 'light' });

    test('MT-1: region labels do not overlap; latency labels only where they matter', async ({ openLab, consoleErrors }) => {
      test.setTimeout(240_000);
      const page = await openLab({ scenario: 'mt1-cache-invalidation', strategy: 'push' });
      await expect(page.getByTestId('scenario-view')).toHaveAttribute('data-view', 'world-map', HOST);
      await expect(page.locator('[data-testid=map-region]')).toHaveCount(21, HOST);
      await expect(page.locator('[data-testid=region-label]')).toHaveCount(21, HOST);
      // Every region is named, no two names overlap, and the two South American regions
      // do not both read "South America".
      await saveScreen(page, `map-mt1-${viewport.width}-start`);
      await page.getByTestId('world-map').screenshot({ path: resolve(SCREENS_DIR, `map-mt1-${viewport.width}-start-map.png`) });
      const boxes = await labelBoxes(page);
      expect(boxes).toHaveLength(21); // names only: every region is in its target mode, shown by its glyph
      await expect(page.locator('[data-testid=region-glyph]')).toHaveCount(21);
      expect(overlapping(boxes)).toEqual([]);
      await expect(page.locator('[data-testid=region-label][data-region=sa-east]')).toContainText('São Paulo');
      // 210 links: no latency labels until something asks for them.
      await expect(page.locator('[data-testid=map-link]')).toHaveCount(210);
      await expect(page.locator('[data-testid=link-latency]')).toHaveCount(0);

      // Pointing at a region's label lights up its links and shows their latencies.
      await page.locator('[data-testid=region-label][data-region=ap-south]').hover();
      await expect.poll(() => page.locator('[data-testid=link-latency]').count()).toBeGreaterThan(3);
      await expect(page.locator('[data-testid=map-region][data-region=ap-south]')).toHaveClass(/\blit\b/);
      await saveScreen(page, `map-mt1-${viewport.width}-hover-india`);
      await page.mouse.move(5, 5);
      await expect(page.locator('[data-testid=link-latency]')).toHaveCount(0);

      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('9'); // isolate the 9th group: EU West
      const cut = page.locator('[data-testid=map-link][data-state=cut][data-link="eu-west|primary"]');
      await expect(cut).toBeVisible(HOST);
      await expect(cut.getByTestId('link-cut-marker')).toBeVisible();
      await expect(page.locator('[data-testid=map-link][data-state=cut]')).toHaveCount(20);
      await page.getByTestId('play').click();
      // A region out of its target mode shows it by colour and glyph on the region itself.
      await expect(page.locator('[data-testid=map-region][data-region=eu-west]')).toHaveAttribute('data-tone', 'degraded', HOST);
      await expect(page.locator('[data-testid=map-region][data-region=eu-west] [data-testid=region-glyph]')).toHaveText('▲');
      await page.getByTestId('play').click();
      await saveScreen(page, `map-mt1-${viewport.width}-eu-cut`);
      await page.getByTestId('world-map').screenshot({ path: resolve(SCREENS_DIR, `map-mt1-${viewport.width}-eu-cut-map.png`) });
      expect(overlapping(await labelBoxes(page))).toEqual([]);

      // The reads inspector in the side column: full headers, nothing cut off sideways.
      await page.getByTestId('reads-toggle').click();
      await expect(page.getByTestId('read-row').first()).toBeVisible(HOST);
      await page.getByTestId('read-row').first().getByRole('button').click();
      await expect(page.getByTestId('read-headers')).toContainText('X-Staleness-Bound');
      const panel = page.getByTestId('reads-panel');
      await expect(panel.locator('th')).toHaveText(['t, s', 'DC', 'cache', 'age', 'stated bound', 'true staleness']);
      const clipped = await panel.evaluate((el) => [...el.querySelectorAll('th, td')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
      expect(clipped).toEqual([]);
      expect(await panel.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
      // What was asked for is in view inside the (scrolling) side column, not clipped below it.
      const inColumn = (testId: string) =>
        page.getByTestId(testId).first().evaluate((el) => {
          const col = el.closest('.side')!.getBoundingClientRect();
          const r = el.getBoundingClientRect();
          return r.top >= col.top - 1 && r.top + Math.min(r.height, 20) <= col.bottom + 1;
        });
      await expect.poll(() => inColumn('read-headers')).toBe(true);
      await saveScreen(page, `map-mt1-${viewport.width}-reads`);
      expect(consoleErrors).toEqual([]);
    });

    test('FT-3: Shenzhen and Hanoi labels do not overlap', async ({ openLab, consoleErrors }) => {
      const page = await openLab({ scenario: 'ft3-supply-chain' });
      await expect(page.getByTestId('scenario-view')).toHaveAttribute('data-view', 'world-map', HOST);
      await expect(page.locator('[data-testid=map-region]')).toHaveCount(5, HOST);
      await expect(page.locator('[data-testid=region-label]')).toHaveCount(5, HOST);
      await saveScreen(page, `map-ft3-${viewport.width}`);
      const boxes = await labelBoxes(page);
      expect(boxes).toHaveLength(10); // name and mode of each region
      expect(overlapping(boxes)).toEqual([]);
      expect(consoleErrors).toEqual([]);
    });
  });
}
