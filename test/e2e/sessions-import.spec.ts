/**
 * Sessions that travel: export a session as one file and import it elsewhere (a
 * lecturer hands a prepared demo to a class); back up and restore the whole library; a
 * corrupt or hostile file gets a clear error naming what is wrong and changes nothing.
 */
import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { expect, test, withQuery } from './fixtures';
import { cutApac, fullDigest, ready, saved, step } from './sessions-helpers';
import { session } from '../helpers/sessions';

async function importText(page: Page, name: string, text: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('i');
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

async function makeSession(page: Page): Promise<{ digest: string; name: string }> {
  await ready(page);
  await step(page, '>', 1);
  await cutApac(page);
  await step(page, '>', 4); // 50 s: apac Degraded
  await expect(page.getByTestId('mode-badge-apac')).toHaveAttribute('data-mode', 'Degraded');
  await saved(page);
  return { digest: await fullDigest(page), name: (await page.getByTestId('session-name').textContent())!.trim() };
}

const fileOf = (s: unknown, over: Record<string, unknown> = {}) => JSON.stringify({ format: 'impossibility-lab.session', version: 3, session: s, ...over });

test('a corrupt or hostile file gets a clear error and changes nothing', async ({ labPage: page }) => {
  test.setTimeout(90_000);
  const before = await makeSession(page);
  await page.keyboard.press('l');
  await expect(page.getByTestId('library-row')).toHaveCount(1);
  const error = page.getByTestId('import-error');

  await importText(page, 'broken.lab-session.json', '{"format": "impossibility-lab.session", "version": 3, "session": {');
  await expect(error).toContainText('broken.lab-session.json: not a JSON file');
  await expect(error).toContainText('nothing was imported');

  await importText(page, 'photo.json', JSON.stringify({ hello: 'world' }));
  await expect(error).toContainText('photo.json: format: missing: not an Impossibility Lab session file');

  await importText(page, 'future.json', fileOf(session(), { version: 9 }));
  await expect(error).toContainText('future.json: version: this file was written by a newer version of Impossibility Lab (version 9; this app reads up to 3)');

  await importText(page, 'mars.json', fileOf(session({ actions: [{ at_ms: 1000, action: { do: 'cut', link: ['apac', 'mars'] } as never, source: 'user' }] })));
  await expect(error).toContainText('mars.json: session.actions[0].action.link[1]: unknown node or group "mars" — nothing was imported.');

  await importText(page, 'xss.json', fileOf({ ...session(), name: '<img src=x onerror=alert(1)>', evil: true }));
  await expect(error).toContainText('xss.json: session.evil: ');

  await importText(
    page,
    'half-bad-library.json',
    JSON.stringify({ format: 'impossibility-lab.library', version: 3, sessions: [session({ id: 'good-one-1', name: 'Good' }), session({ id: 'bad-one-2', seed: -4 })] }),
  );
  await expect(error).toContainText('half-bad-library.json: sessions[1].seed: ');

  // Nothing changed: the same one session, still open, same digest.
  await expect(page.getByTestId('library-row')).toHaveCount(1);
  await expect(page.getByTestId('library-row').first()).toHaveAttribute('data-name', before.name);
  await page.keyboard.press('Escape');
  expect(await fullDigest(page)).toBe(before.digest);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await ready(page);
  await page.keyboard.press('l');
  await expect(page.getByTestId('library-row')).toHaveCount(1);
});

test('a lecturer exports a session; a student imports it and replays the same timeline', async ({ labPage: page, browser, labUrl }) => {
  test.setTimeout(120_000);
  const lecture = await makeSession(page);
  await page.keyboard.press('F2');
  await page.getByTestId('session-name-input').fill('Week 3: apac cut off');
  await page.getByTestId('session-name-input').press('Enter');
  await saved(page);
  const download = page.waitForEvent('download');
  await page.keyboard.press('x');
  const file = await download;
  expect(file.suggestedFilename()).toBe('week-3-apac-cut-off.lab-session.json');
  const text = await readFile((await file.path())!, 'utf8');
  expect(JSON.parse(text)).toMatchObject({ format: 'impossibility-lab.session', version: 3, session: { name: 'Week 3: apac cut off', digest: lecture.digest } });

  // A student's machine: a fresh browser profile with an empty library.
  const student = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const other = await student.newPage();
  await other.goto(withQuery(labUrl), { waitUntil: 'domcontentloaded' });
  await ready(other);
  await importText(other, file.suggestedFilename(), text);
  await other.keyboard.press('l');
  await expect(other.getByTestId('import-message')).toContainText('Imported 1 session from week-3-apac-cut-off.lab-session.json');
  const row = other.locator('[data-testid=library-row][data-name="Week 3: apac cut off"]');
  await row.getByTestId('row-open').click();
  await expect(other.getByTestId('replay-check')).toHaveAttribute('data-status', 'match', { timeout: 30_000 });
  expect(await fullDigest(other)).toBe(lecture.digest);
  await expect(other.getByTestId('mode-badge-apac')).toHaveAttribute('data-mode', 'Degraded');

  // Importing the same file again adds nothing.
  await importText(other, file.suggestedFilename(), text);
  await other.keyboard.press('l');
  await expect(other.getByTestId('import-message')).toContainText('Imported 0 sessions');
  await expect(other.getByTestId('import-message')).toContainText('1 already in the library');
  await student.close();
});

test('back up the whole library and restore it elsewhere, with progress', async ({ labPage: page, browser, labUrl }) => {
  test.setTimeout(120_000);
  await makeSession(page);
  await page.keyboard.press('l');
  await page.getByTestId('library-row').first().getByTestId('row-duplicate').click();
  await page.getByTestId('library-row').first().getByTestId('row-duplicate').click();
  await expect(page.getByTestId('library-row')).toHaveCount(3);
  const download = page.waitForEvent('download');
  await page.getByTestId('library-export-all').click();
  await expect(page.getByTestId('export-progress')).toBeVisible();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^impossibility-lab-library-\d{4}-\d\d-\d\d\.lab-library\.json$/);
  const text = await readFile((await file.path())!, 'utf8');
  expect((JSON.parse(text) as { sessions: unknown[] }).sessions).toHaveLength(3);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(labUrl, { waitUntil: 'domcontentloaded' });
  await ready(other);
  await other.keyboard.press('l');
  await expect(other.getByTestId('library-empty')).toBeVisible();
  await importText(other, file.suggestedFilename(), text);
  await expect(other.getByTestId('import-message')).toContainText('Imported 3 sessions');
  await expect(other.getByTestId('library-row')).toHaveCount(3);
  await fresh.close();
});
