/**
 * Sessions that survive: in real Chromium (IndexedDB) with the real host. Create a
 * session, act, reload the page: it reopens, replays its action log and reaches the same
 * digest. Crash the renderer: at most the last second of work is lost. Scrub back and
 * fork. Library: search, rename, duplicate, delete with undo, open.
 */
import { expect, saveScreen, test } from './fixtures';
import { clock, cutApac, fullDigest, ready, saved, step } from './sessions-helpers';

test('create, act, reload the page, reopen: the replay reaches the same digest', async ({ labPage: page }) => {
  test.setTimeout(90_000);
  await ready(page);
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-persisted', 'false');
  await step(page, '>', 1); // 10 s
  await cutApac(page);
  await step(page, '>', 4); // 50 s: apac Degraded
  await expect(page.getByTestId('mode-badge-apac')).toHaveAttribute('data-mode', 'Degraded');
  await saved(page);
  const t = await clock(page);
  const digest = await fullDigest(page);
  expect(digest).toMatch(/^[0-9a-f]{64}$/);
  const name = (await page.getByTestId('session-name').textContent())!.trim();

  await page.reload({ waitUntil: 'domcontentloaded' });
  await ready(page);
  await expect(page.getByTestId('replay-check')).toHaveAttribute('data-status', 'match', { timeout: 30_000 });
  await expect(page.getByTestId('replay-check')).toContainText('✓ digest matches');
  expect(await clock(page)).toBe(t);
  expect(await fullDigest(page)).toBe(digest);
  await expect(page.getByTestId('session-name')).toHaveText(name);
  await expect(page.getByTestId('mode-badge-apac')).toHaveAttribute('data-mode', 'Degraded');
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]')).toHaveCount(2);
  await saveScreen(page, 'sessions-reopened');
});

test('a crash loses at most the last second of work', async ({ labPage: page, context, labUrl }) => {
  test.setTimeout(90_000);
  await ready(page);
  await step(page, '>', 1);
  await page.keyboard.press('e');
  await page.getByTestId('session-notes').fill('apac is cut off; watch its heartbeats');
  await cutApac(page);
  await step(page, '.', 2);
  const digest = await fullDigest(page);
  const t = await clock(page);
  // No flush, no pagehide: the renderer process dies one second after the last change.
  await page.waitForTimeout(1000);
  const cdp = await context.newCDPSession(page);
  const crashed = page.waitForEvent('crash');
  void cdp.send('Page.crash').catch(() => undefined); // never answers: the target is gone
  await crashed;

  const again = await context.newPage();
  await again.goto(labUrl, { waitUntil: 'domcontentloaded' });
  await ready(again);
  await expect(again.getByTestId('replay-check')).toHaveAttribute('data-status', 'match', { timeout: 30_000 });
  expect(await clock(again)).toBe(t);
  expect(await fullDigest(again)).toBe(digest);
  await again.keyboard.press('e');
  await expect(again.getByTestId('session-notes')).toHaveValue('apac is cut off; watch its heartbeats');
  await again.close();
});

test('scrub back and fork here: the fork replays to the parent’s digest at that time', async ({ labPage: page }) => {
  test.setTimeout(90_000);
  await ready(page);
  await step(page, '>', 2); // 20 s
  await cutApac(page);
  await step(page, '>', 3); // 50 s
  await saved(page);
  const parentName = (await page.getByTestId('session-name').textContent())!.trim();

  // Seek back 20 s with the keyboard (← is 5 s), then look at the digest there.
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  await expect.poll(() => clock(page)).toBeCloseTo(30, 0);
  await expect(page.getByTestId('scrubber')).toHaveValue(String(Math.round((await clock(page)) * 1000)));
  await expect.poll(() => fullDigest(page)).toMatch(/^[0-9a-f]{64}$/);
  const tFork = await clock(page);
  const digestAtFork = await fullDigest(page);

  await page.getByTestId('fork-here').click();
  await expect(page.getByTestId('session-name')).toHaveText(`${parentName} — fork at ${tFork.toFixed(1)} s`);
  await expect(page.getByTestId('replay-check')).toHaveAttribute('data-status', 'match');
  await expect(page.getByTestId('forked-from')).toContainText(`fork at ${tFork.toFixed(1)} s`);
  expect(await fullDigest(page)).toBe(digestAtFork);
  // The fork keeps the cuts before t and has its own future: heal and go on.
  await expect(page.locator('[data-testid=timeline-row][data-kind=fault]')).toHaveCount(2);
  await page.keyboard.press('h');
  await step(page, '.', 1);
  await saved(page);

  await page.keyboard.press('l');
  await expect(page.getByTestId('library-row')).toHaveCount(2);
  await expect(page.getByTestId('library-row').first()).toHaveAttribute('data-name', /fork at/);
  await saveScreen(page, 'sessions-fork-library');
});

test('library: search, rename, duplicate, delete with undo, open', async ({ labPage: page }) => {
  test.setTimeout(90_000);
  await ready(page);
  await step(page, '.', 1);
  await saved(page);
  // Rename the open session (F2 on the session bar).
  await page.keyboard.press('F2');
  await page.getByTestId('session-name-input').fill('Lecture demo: apac cut');
  await page.getByTestId('session-name-input').press('Enter');
  await expect(page.getByTestId('session-name')).toHaveText('Lecture demo: apac cut');

  await page.keyboard.press('l');
  const rows = page.getByTestId('library-row');
  await expect(rows).toHaveCount(1);
  await rows.first().getByTestId('row-duplicate').click();
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-name', 'Lecture demo: apac cut (copy)');

  // Rename the copy in place.
  await rows.first().getByTestId('row-rename').click();
  await page.getByTestId('library-rename-input').fill('Spare copy for the tutorial');
  await page.getByTestId('library-rename-input').press('Enter');
  await expect(rows.first()).toHaveAttribute('data-name', 'Spare copy for the tutorial');

  // Search by word prefix.
  await page.getByTestId('library-search').fill('tuto');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-name', 'Spare copy for the tutorial');
  await page.getByTestId('library-search').fill('');
  await expect(rows).toHaveCount(2);

  // Delete, then undo with the toast; delete again and undo with U.
  await rows.first().getByTestId('row-delete').click();
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('undo-delete')).toContainText('Spare copy for the tutorial');
  await page.getByTestId('undo-delete').getByRole('button', { name: 'Undo' }).click();
  await expect(rows).toHaveCount(2);
  await page.locator('[data-testid=library-row][data-name="Spare copy for the tutorial"]').getByTestId('row-select').click();
  await expect(page.locator('[data-testid=library-row][aria-current=true]')).toHaveAttribute('data-name', 'Spare copy for the tutorial');
  await page.keyboard.press('Delete');
  await expect(rows).toHaveCount(1);
  await page.keyboard.press('u');
  await expect(rows).toHaveCount(2);

  // Open the copy: it replays and becomes the open session.
  await page.locator('[data-testid=library-row][data-name="Spare copy for the tutorial"]').getByTestId('row-open').click();
  await expect(page.getByTestId('library-panel')).toHaveCount(0);
  await expect(page.getByTestId('session-name')).toHaveText('Spare copy for the tutorial');
  await expect(page.getByTestId('replay-check')).toHaveAttribute('data-status', 'match');
});

test('exercises: answers and self-scores are saved with the session', async ({ labPage: page }) => {
  test.setTimeout(60_000);
  await ready(page);
  await page.keyboard.press('e');
  const panel = page.getByTestId('exercise-panel');
  await expect(panel.getByRole('heading', { name: 'Exercises — NT-1' })).toBeVisible();
  await expect(panel.locator('textarea[data-testid^=answer-]')).toHaveCount(5);
  await page.getByTestId('answer-0').fill('CAP: a partition between regions forces a choice between consistency and availability.');
  for (const [level, v] of [
    ['recognition', 2],
    ['framework', 3],
    ['gvector', 2],
  ] as const) {
    await page.getByTestId(`score-${level}`).locator(`button[data-value="${v}"]`).click();
  }
  await expect(page.getByTestId('exercise-total')).toHaveAttribute('data-points', '7');
  await expect(page.getByTestId('exercise-total')).toHaveAttribute('data-complete', 'false');
  await page.getByTestId('score-circumvention').locator('button[data-value="1"]').click();
  await expect(page.getByTestId('exercise-total')).toContainText('8 / 10');
  await expect(page.getByTestId('mastery')).toContainText('8 / 90');
  await expect(page.getByTestId('mastery')).toHaveAttribute('data-band', 'novice');
  await saveScreen(page, 'sessions-exercises');
  await saved(page);

  await page.reload({ waitUntil: 'domcontentloaded' });
  await ready(page);
  await page.keyboard.press('e');
  await expect(page.getByTestId('answer-0')).toHaveValue(/^CAP: a partition/);
  await expect(page.getByTestId('exercise-total')).toHaveAttribute('data-points', '8');
});
