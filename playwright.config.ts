import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './test/helpers/chromium';

/**
 * End-to-end tests of the real renderer (out/renderer, built by `npm run build`) in
 * Debian's Chromium, talking to the real host through the loopback bridge that
 * test/e2e/global-setup.ts starts (src-main/bridge/serve.ts via tsx, on a free port).
 * Tests get the page through the `labPage` fixture of test/e2e/fixtures.ts.
 */
const reporters: NonNullable<Parameters<typeof defineConfig>[0]['reporter']> = [[process.env.CI ? 'line' : 'list']];
// .ci/run sets LAB_PLAYWRIGHT_JSON to collect the counts.
if (process.env.LAB_PLAYWRIGHT_JSON) reporters.push(['json', { outputFile: process.env.LAB_PLAYWRIGHT_JSON }]);

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // One worker: every test drives the same loopback host, and two NT-1 runs at ×10 on a
  // 2-core machine starve its event loop.
  workers: 1,
  // Generous waits: the suite must not fail because a shared 2-core machine is busy; the
  // assertions themselves are unchanged.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: reporters,
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 900 },
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: [...CHROMIUM_FLAGS],
        },
      },
    },
  ],
});
