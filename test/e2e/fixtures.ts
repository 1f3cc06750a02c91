/**
 * Playwright fixtures for the Impossibility Lab renderer served by the loopback bridge.
 *
 *   import { test, expect, saveScreen } from './fixtures';
 *   test('…', async ({ labPage, consoleErrors }) => {
 *     await expect(labPage.getByText('Log replication across continents')).toBeVisible();
 *     await saveScreen(labPage, 'scenario-list');   // → test-results/screens/scenario-list.png
 *   });
 *
 * - `labUrl`: the page URL with the bridge and its token (process.env.LAB_URL).
 * - `labPage`: a page already opened on the app (waits for DOMContentLoaded).
 * - `consoleErrors`: console errors, uncaught page errors and CSP violations seen so far.
 *   Every test using `labPage` fails at the end if any occurred, unless it sets
 *   `test.use({ allowConsoleErrors: true })` or empties the array itself.
 * - `openLab(query?)`: opens the app in the same page with extra query parameters.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';

export const SCREENS_DIR = resolve(import.meta.dirname, '..', '..', 'test-results', 'screens');

/** Saves a PNG of the page (or full page) to test-results/screens/NAME.png; returns the path. */
export async function saveScreen(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`saveScreen: bad name ${JSON.stringify(name)}`);
  await mkdir(SCREENS_DIR, { recursive: true });
  const path = resolve(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled' });
  return path;
}

/** Adds query parameters to the app URL (keeps bridge and token). */
export function withQuery(url: string, query: Record<string, string> = {}): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
  return target.href;
}

export interface LabFixtures {
  labUrl: string;
  consoleErrors: string[];
  labPage: Page;
  openLab: (query?: Record<string, string>) => Promise<Page>;
}

export interface LabOptions {
  allowConsoleErrors: boolean;
}

export const test = base.extend<LabFixtures & LabOptions>({
  allowConsoleErrors: [false, { option: true }],

  // eslint-disable-next-line no-empty-pattern
  labUrl: async ({}, use) => {
    const url = process.env.LAB_URL;
    if (!url) throw new Error('LAB_URL is not set: the e2e global setup did not start the bridge');
    await use(url);
  },

  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
      });
    });
    await use(errors);
  },

  openLab: async ({ page, labUrl, consoleErrors }, use) => {
    void consoleErrors; // make sure console collection is installed first
    await use(async (query) => {
      await page.goto(withQuery(labUrl, query), { waitUntil: 'domcontentloaded' });
      return page;
    });
  },

  labPage: async ({ openLab, consoleErrors, allowConsoleErrors }, use) => {
    const page = await openLab();
    await use(page);
    if (!allowConsoleErrors) expect(consoleErrors, 'console errors during the test').toEqual([]);
  },
});

export { expect };
