import { expect, saveScreen, test } from './fixtures';

test('the app loads and lists the scenarios of the real host', async ({ labPage, consoleErrors }) => {
  await expect(labPage).toHaveTitle(/Impossibility Lab/);
  // The list may be a <select> (options are never "visible" to Playwright) or any list: check the text.
  await expect(labPage.locator('#app')).toContainText('Log replication across continents');
  await expect(labPage.locator('#app')).toBeVisible();
  // The library is grouped by transfer distance and names the impossibility each test shows.
  await expect(labPage.getByTestId('scenario-group-near')).toHaveAttribute('label', 'Near transfer');
  await expect(labPage.getByTestId('scenario-group-medium')).toHaveAttribute('label', 'Medium transfer');
  await expect(labPage.locator('[data-testid=scenario-group-near] option[value=nt1-log-replication]')).toContainText('FLP, CAP, PACELC');
  await saveScreen(labPage, 'smoke-scenario-list');
  expect(consoleErrors).toEqual([]);
});

test('the page runs under the strict CSP (no inline script, no remote origins)', async ({ labPage, consoleErrors }) => {
  const response = await labPage.request.get(labPage.url());
  const csp = response.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  const inlineRan = await labPage.evaluate(() => {
    const w = window as unknown as { __inline?: boolean };
    const script = document.createElement('script');
    script.textContent = 'window.__inline = true';
    document.head.append(script);
    return w.__inline === true;
  });
  expect(inlineRan).toBe(false);
  await expect.poll(() => consoleErrors.join('\n')).toContain('CSP violation: script-src');
  consoleErrors.length = 0; // the violation above was provoked on purpose
});
