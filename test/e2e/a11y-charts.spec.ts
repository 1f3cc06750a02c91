/**
 * Charts accessible to screen readers (issue 7): every SVG and canvas a sighted user sees
 * in the stage and the side column has a role and an accessible name, and its description
 * carries the current numbers (the same ones the sighted user reads off the screen).
 * Decorative layers (aria-hidden) are exempt: the layer above them carries the words.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, saveScreen, stepSeconds, test } from './fixtures';

const HOST = { timeout: 30_000 };

async function openScenario(openLab: (q?: Record<string, string>) => Promise<Page>, scenario: string): Promise<Page> {
  const page = await openLab({ scenario });
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready', HOST);
  await expect(page.getByTestId('scenario-picker')).toHaveValue(scenario, HOST);
  await expect(page.getByTestId('scenario-view')).toBeVisible(HOST);
  return page;
}

/** Visible SVGs and canvases in the stage and side column that are not decorative. */
async function charts(page: Page): Promise<Locator[]> {
  const all = page.locator('main svg, main canvas');
  const out: Locator[] = [];
  for (let i = 0; i < (await all.count()); i++) {
    const el = all.nth(i);
    if (!(await el.isVisible())) continue;
    // Decorative: hidden itself or inside a hidden subtree (icons, under-layers), or nested in an SVG.
    const decorative = await el.evaluate((n) => n.closest('[aria-hidden="true"]') !== null || (n.parentElement?.closest('svg') ?? null) !== null);
    if (!decorative) out.push(el);
  }
  return out;
}


async function expectAllNamed(page: Page): Promise<{ role: string | null; name: string | null; desc: string }[]> {
  const found = await charts(page);
  const seen = [];
  for (const el of found) {
    const role = await el.getAttribute('role');
    expect(role, await el.evaluate((n) => n.outerHTML.slice(0, 160))).toMatch(/^(img|group)$/);
    await expect(el).toHaveAccessibleName(/\S{3}/);
    const tag = await el.evaluate((n) => n.tagName.toLowerCase());
    // An SVG describes itself in <desc>; a canvas (no children a reader can see) in its label.
    const desc = tag === 'svg' ? ((await el.locator(':scope > desc').textContent()) ?? '') : ((await el.getAttribute('aria-label')) ?? '');
    expect(desc, `${tag} ${await el.getAttribute('aria-label')}`).toMatch(/\d/);
    if (tag === 'svg') await expect(el).toHaveAccessibleDescription(/\d/);
    seen.push({ role, name: await el.getAttribute('aria-label'), desc });
  }
  return seen;
}

test('NT-1: the map is a named group whose description follows the links and modes', async ({ openLab }) => {
  test.setTimeout(120_000);
  const page = await openScenario(openLab, 'nt1-log-replication');
  const map = page.getByRole('group', { name: /^Map of / });
  await expect(map).toBeVisible(HOST);
  await expect(map).toHaveAccessibleDescription(/3 regions, 9 nodes \(9 up\)\. 3 links: 3 up\. Modes: US East \(Virginia\) Target/, HOST);
  expect((await expectAllNamed(page)).length).toBeGreaterThan(0);
  // Cut US–EU with the keyboard on the map: the description says so.
  const link = page.locator('[data-testid=map-link][data-link="eu-west|us-east"]');
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(link).toHaveAttribute('data-state', 'cut', HOST);
  await expect(map).toHaveAccessibleDescription(/3 links: 2 up, 1 cut \((US East \(Virginia\) – EU West \(Dublin\)|EU West \(Dublin\) – US East \(Virginia\))\)/, HOST);
});

test('MT-3: the edge canvas and the coverage curve carry the coverage numbers', async ({ openLab }) => {
  test.setTimeout(180_000);
  const page = await openScenario(openLab, 'mt3-cdn-config');
  await expect(page.getByTestId('cdn-view')).toHaveAttribute('data-edges', '5000', HOST);
  const canvas = page.getByRole('img', { name: /5,?000 edges in \d+ regions, coloured by config version: [\d,]+ on the latest v\d+/ });
  await expect(canvas).toBeVisible(HOST);
  await stepSeconds(page, 6);
  const curve = page.getByRole('img', { name: /^Coverage curve of v\d+/ });
  await expect(curve).toBeVisible(HOST);
  // The description quotes the percentage printed above the curve.
  const shown = ((await page.locator('[data-testid=cdn-coverage] .cov-now').textContent()) ?? '').trim();
  expect(shown).toMatch(/%$/);
  await expect(curve).toHaveAccessibleDescription(new RegExp(`^Coverage ${shown.replace('.', '\\.')} of 5,?000 edges on version \\d+`));
  const all = await expectAllNamed(page);
  expect(all.some((c) => /Coverage curve/.test(c.name ?? ''))).toBe(true);
  await saveScreen(page, 'a11y-mt3');
  // The canvas re-reads its colours when the palette changes (F4: colour-blind-safe), paused.
  const pixels = () => page.getByTestId('cdn-canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
  const before = await pixels();
  await page.keyboard.press('F4');
  await expect(page.locator('html')).toHaveAttribute('data-palette', 'cb');
  await expect.poll(pixels, HOST).not.toBe(before);
  await saveScreen(page, 'a11y-mt3-cb');
});

test('MT-2, NT-3, FT-1, FT-2: every drawing in the stage and side column is named and described with numbers', async ({ openLab }) => {
  test.setTimeout(180_000);
  for (const id of ['mt2-checkout-transactions', 'nt3-satellite-smr', 'ft1-hospital-shifts', 'ft2-town-meeting']) {
    const page = await openScenario(openLab, id);
    await stepSeconds(page, 2);
    const seen = await expectAllNamed(page);
    if (id === 'mt2-checkout-transactions') {
      // HTML boxes over decorative wires: the diagram is a described group.
      await expect(page.getByRole('group', { name: /^Checkout: services/ })).toHaveAccessibleDescription(/^Strategy \S+: \d+ checkouts; \d+ locks held; longest block \d+\.\d s; \d+ payments in doubt/);
    } else expect(seen.length).toBeGreaterThan(0);
    if (id === 'nt3-satellite-smr') {
      await expect(page.getByRole('group', { name: 'Earth, orbit and ground stations' })).toHaveAccessibleDescription(/^\d+ satellites \(\d+ up.*\d+ ground stations/);
    }
    if (id === 'ft1-hospital-shifts') {
      const unattended = ((await page.getByTestId('ward-unassigned').textContent()) ?? '').trim();
      await expect(page.getByRole('img', { name: /^Hospital plan/ })).toHaveAccessibleDescription(new RegExp(`^\\d+ wards, \\d+ beds: ${unattended} patients unattended`));
    }
    if (id === 'ft2-town-meeting') {
      await expect(page.getByRole('img', { name: /^Meeting hall/ })).toHaveAccessibleDescription(/^\d+ residents in \d+ rows, \d+ counters/);
    }
  }
});
