/**
 * A forced quit mid-autosave leaves the database readable. The whole browser process is
 * killed (SIGKILL, no shutdown) while notes are being typed and autosaved; the same
 * profile (user-data-dir) is then reopened and the library must open, with the session
 * in it, its notes a prefix of what was typed, and its replay matching its digest.
 */
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { ready, saved, step } from './sessions-helpers';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../helpers/chromium';

const LAUNCH = {
  executablePath: CHROMIUM_PATH,
  headless: true,
  // Playwright adds --headless itself for a persistent context.
  args: CHROMIUM_FLAGS.filter((f) => f !== '--headless'),
  viewport: { width: 1440, height: 900 },
};

/** The browser's own process: the one whose command line names our profile and is not a child (--type=…). */
function browserPid(profile: string): number {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.includes(`--user-data-dir=${profile}`) && !l.includes('--type='));
  if (!line) throw new Error(`no browser process for ${profile}`);
  return Number(line.trim().split(/\s+/)[0]);
}

test('a killed browser mid-autosave: the same profile reopens the library and the session', async ({ labUrl }) => {
  test.setTimeout(180_000);
  const profile = await mkdtemp(join(tmpdir(), 'lab-killed-'));
  try {
    const first = await chromium.launchPersistentContext(profile, LAUNCH);
    const page = first.pages()[0] ?? (await first.newPage());
    await page.goto(labUrl, { waitUntil: 'domcontentloaded' });
    await ready(page);
    await step(page, '>', 1);
    await page.keyboard.press('e');
    const notes = page.getByTestId('session-notes');
    await notes.fill('before the kill');
    await saved(page);
    const name = (await page.getByTestId('session-name').textContent())!.trim();
    // Keep typing (each keystroke schedules an autosave) and kill the browser mid-stream.
    await notes.press('End');
    const typed = ' typing while the autosave runs';
    for (const ch of typed.slice(0, 20)) await notes.press(ch === ' ' ? 'Space' : ch);
    process.kill(browserPid(profile), 'SIGKILL');
    await first.close().catch(() => undefined);

    const second = await chromium.launchPersistentContext(profile, LAUNCH);
    const again = second.pages()[0] ?? (await second.newPage());
    await again.goto(labUrl, { waitUntil: 'domcontentloaded' });
    await ready(again);
    await expect(again.getByTestId('session-name')).toHaveText(name);
    await expect(again.getByTestId('replay-check')).toHaveAttribute('data-status', 'match', { timeout: 60_000 });
    await again.keyboard.press('e');
    const kept = await again.getByTestId('session-notes').inputValue();
    expect(`before the kill${typed}`.startsWith(kept)).toBe(true);
    expect(kept.startsWith('before the kill')).toBe(true);
    // The library (IndexedDB) opens and lists the session.
    await again.getByTestId('session-notes').blur();
    await again.keyboard.press('l');
    await expect(again.getByTestId('library-row').filter({ hasText: name })).toHaveCount(1);
    await second.close();
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
});
