/**
 * CLI: serve the built renderer and the real host over the loopback bridge.
 *
 *   npx tsx src-main/bridge/serve.ts [--port 5199] [--static out/renderer] [--scenarios scenarios]
 *
 * Prints the page URL (with the per-run token) as the last line of stdout, e.g.
 *   http://127.0.0.1:5199/index.html?bridge=ws://127.0.0.1:5199/lab&token=…
 * and runs until SIGINT/SIGTERM (or stdin closes, with --exit-on-stdin-close).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LabHost } from '../host/lab-host';
import { startBridge } from './ws-bridge';

const USAGE = 'usage: serve.ts [--port N] [--static DIR] [--scenarios DIR] [--exit-on-stdin-close]';

async function main(): Promise<void> {
  let values: { port?: string; static?: string; scenarios?: string; 'exit-on-stdin-close'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '5199' },
        static: { type: 'string', default: 'out/renderer' },
        scenarios: { type: 'string', default: 'scenarios' },
        'exit-on-stdin-close': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: not a port number: ${values.port}\n${USAGE}`);
    process.exit(2);
  }
  const staticDir = resolve(values.static ?? 'out/renderer');
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    console.error(`--static: ${staticDir}/index.html not found (run \`npm run build\` first)`);
    process.exit(2);
  }
  const scenarioDir = resolve(values.scenarios ?? 'scenarios');

  const host = await LabHost.create({ scenarioDir });
  const bridge = await startBridge({ host, staticDir, port });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void bridge.close().finally(() => {
      host.dispose();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (values['exit-on-stdin-close']) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }

  console.log(`Impossibility Lab bridge: serving ${staticDir} and scenarios from ${scenarioDir}`);
  console.log(bridge.url);
}

main().catch((err: unknown) => {
  console.error('bridge failed to start:', err);
  process.exit(1);
});
