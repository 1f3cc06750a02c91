/** Helpers for the session end-to-end tests (real renderer, real host, real IndexedDB). */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export async function ready(page: Page): Promise<void> {
  await expect(page.getByTestId('app')).toHaveAttribute('data-connection', 'ready');
  await expect(page.locator('[data-testid=map-node]').first()).toBeVisible();
  await expect(page.getByTestId('session-bar')).toBeVisible();
}

/** Simulated time shown on the clock, in seconds. */
export async function clock(page: Page): Promise<number> {
  const text = (await page.getByTestId('clock').textContent()) ?? '';
  const m = /t = ([\d.]+) s/.exec(text);
  return m ? Number(m[1]) : NaN;
}

/** The full timeline digest (the top bar shows 8 hex digits; its tooltip has all 64). */
export async function fullDigest(page: Page): Promise<string> {
  const title = (await page.locator('.topbar .meta').getAttribute('title')) ?? '';
  const m = /sha-256\): ([0-9a-f]{64})/.exec(title);
  return m ? m[1]! : '';
}

/** Presses `key` n times, waiting for the clock to move each time (steps are host round trips). */
export async function step(page: Page, key: '.' | '>', n = 1): Promise<void> {
  for (let i = 0; i < n; i++) {
    const before = await clock(page);
    await page.keyboard.press(key);
    await expect.poll(() => clock(page)).toBeGreaterThan(before);
  }
}

/** Waits until the open session is stored and nothing is waiting to be saved. */
export async function saved(page: Page): Promise<void> {
  const state = page.getByTestId('save-state');
  await expect(state).toHaveAttribute('data-persisted', 'true');
  await expect(state).toHaveAttribute('data-state', 'saved');
}

export const link = (page: Page, a: string, b: string) => page.locator(`[data-testid=map-link][data-link="${[a, b].sort().join('|')}"]`);

export async function cutApac(page: Page): Promise<void> {
  for (const other of ['us-east', 'eu-west']) {
    await link(page, 'apac', other).getByTestId('link-handle').click();
    await expect(link(page, 'apac', other)).toHaveAttribute('data-state', 'cut');
  }
}
