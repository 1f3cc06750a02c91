/**
 * Starts the loopback bridge (src-main/bridge/serve.ts under tsx) on a free port, serving
 * the built out/renderer with the real host and scenarios/. The page URL (with the
 * per-run token) reaches the tests as process.env.LAB_URL (workers start after this).
 * Set LAB_URL yourself to test against a bridge you started by hand.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const URL_LINE = /^(http:\/\/127\.0\.0\.1:\d+\/index\.html\?\S+)$/m;
const START_TIMEOUT_MS = 30_000;

export default async function globalSetup(): Promise<(() => Promise<void>) | void> {
  if (process.env.LAB_URL) return;
  const staticDir = resolve(ROOT, 'out', 'renderer');
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    throw new Error(`e2e: ${staticDir}/index.html is missing; run \`npm run build\` before \`npm run test:e2e\``);
  }

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/bridge/serve.ts', '--port', '0', '--static', staticDir, '--scenarios', resolve(ROOT, 'scenarios'), '--exit-on-stdin-close'],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
  );

  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => fail(new Error(`e2e: the bridge printed no URL within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    function fail(err: Error): void {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`${err.message}\n--- bridge output ---\n${output}`));
    }
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = URL_LINE.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code, signal) => fail(new Error(`e2e: the bridge exited early (code ${code}, signal ${signal})`)));
    child.once('error', (err) => fail(err));
  });
  // Keep draining the bridge's output so it never blocks on a full pipe; echo its errors.
  child.stdout.resume();
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[bridge] ${chunk.toString()}`));

  process.env.LAB_URL = url;
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
}
