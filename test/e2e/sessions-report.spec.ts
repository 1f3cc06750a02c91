/**
 * Evidence reports from the app: export the HTML report and open it as a reader would
 * (a self-contained page with inline SVG charts, the digest of the run, the chains of
 * evidence and the exercise); make the PDF from that HTML in Chromium (page.pdf, as the
 * tests do — the app itself prints with Electron); Markdown and JSON carry the same run.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, SCREENS_DIR, test } from './fixtures';
import { cutApac, fullDigest, ready, saved, step } from './sessions-helpers';

test('export the HTML report, open it, print it to PDF; Markdown and JSON carry the same run', async ({ labPage: page, context }) => {
  test.setTimeout(120_000);
  await ready(page);
  await step(page, '>', 1);
  await cutApac(page);
  await step(page, '>', 5); // 60 s: apac Degraded
  await expect(page.getByTestId('mode-badge-apac')).toHaveAttribute('data-mode', 'Degraded');
  await page.keyboard.press('e');
  await page.getByTestId('answer-0').fill('CAP: the cut forces apac to choose <consistency> over availability & writes are refused.');
  await page.getByTestId('score-recognition').locator('button[data-value="2"]').click();
  await page.getByTestId('score-framework').locator('button[data-value="2"]').click();
  await page.keyboard.press('Escape');
  await saved(page);
  const digest = await fullDigest(page);

  const download = page.waitForEvent('download');
  await page.getByTestId('report-html').click();
  await expect(page.getByTestId('export-progress')).toBeVisible();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^nt1-log-replication-async-cp-seed1-t\d+s\.report\.html$/);
  const html = await readFile((await file.path())!, 'utf8');
  await mkdir(SCREENS_DIR, { recursive: true });
  const htmlPath = resolve(SCREENS_DIR, 'sessions-report.html');
  await writeFile(htmlPath, html);

  // Open it as a reader would: a page of its own, straight from the file.
  const reader = await context.newPage();
  const readerErrors: string[] = [];
  reader.on('console', (m) => m.type() === 'error' && readerErrors.push(m.text()));
  reader.on('pageerror', (e) => readerErrors.push(e.message));
  await reader.setViewportSize({ width: 1000, height: 1300 });
  await reader.goto(pathToFileURL(htmlPath).href);
  await expect(reader.getByRole('heading', { level: 1 })).toContainText('Log replication across continents — async-cp');
  await expect(reader.getByTestId('report-digest')).toHaveText(digest);
  await expect(reader.locator('svg.chart')).toHaveCount(4);
  await expect(reader.locator('section.chain[data-kind=mode]').first()).toContainText('Target → Degraded');
  await expect(reader.getByRole('heading', { name: 'Exercise — NT-1' })).toBeVisible();
  await expect(reader.locator('.answer').first()).toHaveText('CAP: the cut forces apac to choose <consistency> over availability & writes are refused.');
  await expect(reader.getByTestId('exercise-total')).toHaveText('4 / 10');
  expect(await reader.locator('script').count()).toBe(0);
  await reader.screenshot({ path: resolve(SCREENS_DIR, 'sessions-report-html.png'), fullPage: true });
  await reader.screenshot({ path: resolve(SCREENS_DIR, 'sessions-report-html-top.png') });
  // The PDF from the same HTML, in Chromium.
  const pdfPath = resolve(SCREENS_DIR, 'sessions-report.pdf');
  const pdf = await reader.pdf({ path: pdfPath, format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(20_000);
  expect(readerErrors).toEqual([]);
  await reader.close();

  // Markdown and JSON: the same run, the same session.
  const md = page.waitForEvent('download');
  await page.keyboard.press('m');
  const mdText = await readFile((await (await md).path())!, 'utf8');
  expect(mdText).toContain(`Timeline digest \`${digest}\``);
  expect(mdText).toContain('## Exercise — NT-1');
  expect(mdText).toContain('> CAP: the cut forces apac to choose &lt;consistency&gt; over availability & writes are refused.');
  const json = page.waitForEvent('download');
  await page.keyboard.press('j');
  const report = JSON.parse(await readFile((await (await json).path())!, 'utf8')) as { digest: string; session: { exercise: { points: number } }; modes: { scope: string; to: string }[] };
  expect(report.digest).toBe(digest);
  expect(report.session.exercise.points).toBe(4);
  expect(report.modes.some((m) => m.scope === 'apac' && m.to === 'Degraded')).toBe(true);
});

test('PDF export outside the desktop app says so', async ({ labPage: page }) => {
  test.setTimeout(60_000);
  await ready(page);
  await page.getByTestId('report-pdf').click();
  await expect(page.getByTestId('notice').last()).toContainText('PDF export needs the desktop app');
});
