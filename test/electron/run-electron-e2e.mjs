#!/usr/bin/env node
/**
 * `npm run test:electron`: a smoke test of the real Electron app (Playwright `_electron`).
 * Where the Electron binary is not installed (the project's build machines cannot
 * download it) this prints `SKIPPED: …` and exits 0. It never require()s 'electron'
 * (that would try to download the binary); it looks for node_modules/electron/path.txt
 * and dist/ instead. On Linux without a display it re-runs itself under `xvfb-run -a`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron');
const SCENARIO_TITLE = 'Log replication across continents';

function findElectronBinary() {
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(pathFile)) return { missing: `${pathFile} does not exist` };
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = join(ELECTRON_DIR, 'dist', relative);
  if (!existsSync(binary)) return { missing: `${binary} does not exist` };
  return { binary };
}

const found = findElectronBinary();
if (!found.binary) {
  console.log(`SKIPPED: Electron binary not installed (${found.missing}; install without ELECTRON_SKIP_BINARY_DOWNLOAD to run this test)`);
  process.exit(0);
}

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.LAB_UNDER_XVFB) {
  const xvfb = spawnSync('xvfb-run', ['-a', process.execPath, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, LAB_UNDER_XVFB: '1' },
  });
  if (xvfb.error) {
    console.error(`FAILED: no display and xvfb-run is not available (${xvfb.error.message}); install xvfb`);
    process.exit(1);
  }
  process.exit(xvfb.status ?? 1);
}

if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) {
  console.log('out/main/index.js missing: building first (npx electron-vite build)');
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const { _electron } = await import('@playwright/test');

const failures = [];
const consoleErrors = [];
let app;
try {
  app = await _electron.launch({
    executablePath: found.binary,
    args: ['--no-sandbox', ROOT],
    cwd: ROOT,
    env: { ...process.env, ELECTRON_RENDERER_URL: '', ELECTRON_ENABLE_LOGGING: '1' },
    timeout: 60_000,
  });
  const page = await app.firstWindow();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.waitForLoadState('domcontentloaded');

  const title = await page.title();
  if (!/Impossibility Lab/.test(title)) failures.push(`window title is ${JSON.stringify(title)}`);

  const exposed = await page.evaluate(() => ({
    lab: window.lab ? Object.keys(window.lab).sort().join(',') : null,
    require: typeof globalThis.require,
    process: typeof globalThis.process,
  }));
  if (exposed.lab !== 'invoke,onFrame') failures.push(`window.lab exposes ${JSON.stringify(exposed.lab)}, expected invoke,onFrame`);
  if (exposed.require !== 'undefined' || exposed.process !== 'undefined') {
    failures.push(`node leaks into the renderer (require: ${exposed.require}, process: ${exposed.process})`);
  }

  try {
    await page.getByText(SCENARIO_TITLE).first().waitFor({ state: 'visible', timeout: 20_000 });
  } catch {
    failures.push(`the scenario list does not show "${SCENARIO_TITLE}"`);
  }

  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const win = BrowserWindow.getAllWindows()[0];
    return win ? win.webContents.getLastWebPreferences() : null;
  });
  if (!prefs || prefs.contextIsolation !== true || prefs.sandbox !== true || prefs.nodeIntegration !== false) {
    failures.push(`insecure webPreferences: ${JSON.stringify(prefs)}`);
  }

  await page.screenshot({ path: join(ROOT, 'test-results', 'screens', 'electron-smoke.png') });
  if (consoleErrors.length) failures.push(`console errors:\n  ${consoleErrors.join('\n  ')}`);
} catch (err) {
  failures.push(`launch failed: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  await app?.close().catch(() => undefined);
}

if (failures.length) {
  console.error(`FAILED: Electron smoke test\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('PASSED: Electron smoke test (window, preload API, scenario list, webPreferences)');
