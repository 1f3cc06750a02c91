#!/usr/bin/env node
// Security lint of the Electron glue with @doyensec/electronegativity (part of `npm run lint`).
// Offline: its network check (Electron release notes from GitHub) is excluded, and the
// Electron version comes from package.json. Fails on any finding above LOW that is not
// disabled inline (`// eng-disable CHECK_ID`, with the reason in a comment above it).
// What it cannot see (webPreferences built by a function, the CSP header installed at
// runtime, the sender check) is asserted by test/unit/electron-*.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const ABOVE_LOW = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);
/** The main process with every check; the renderer page for its CSP (the global checks need main's code). */
const INPUTS = [
  { input: 'src-main', args: ['-x', 'AvailableSecurityFixesGlobalCheck'] },
  { input: 'src-renderer/index.html', args: ['-l', 'CSPGlobalCheck'] },
];

const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
// electronegativity requires `commander` without declaring it and needs the v5 API; the
// tree hoists a newer one (d3-dsv's), so point its require at the v5 its own @electron/asar
// brings.
const commander5 = require.resolve('commander', { paths: [dirname(require.resolve('@electron/asar/package.json', { paths: [dirname(cli)] }))] });
const hook = join(dir, 'commander5.cjs');
writeFileSync(
  hook,
  `const M = require('module'); const orig = M._resolveFilename;
M._resolveFilename = function (request, parent, ...rest) {
  if (request === 'commander' && parent && parent.filename && parent.filename.includes('electronegativity')) return ${JSON.stringify(commander5)};
  return orig.call(this, request, parent, ...rest);
};`,
);
let failed = false;
try {
  for (const { input, args } of INPUTS) {
    const out = join(dir, `${input.replace(/\W+/g, '_')}.csv`);
    const run = spawnSync(process.execPath, ['-r', hook, cli, '-i', join(root, input), '-r', '-v', 'false', '-e', electronVersion, ...args, '-o', out], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    let csv;
    try {
      csv = readFileSync(out, 'utf8');
    } catch {
      console.error(`electronegativity produced no report for ${input} (exit ${run.status}):\n${run.stderr || run.stdout}`);
      failed = true;
      continue;
    }
    const rows = csv.trim().split('\n').slice(1).filter(Boolean);
    const findings = rows.map((row) => {
      const [id, severity, confidence, file, location] = row.split(',').map((c) => c.replace(/^"|"$/g, ''));
      return { id, severity, confidence, file, location };
    });
    const bad = findings.filter((f) => ABOVE_LOW.has(f.severity));
    for (const f of findings) console.log(`electronegativity ${input}: ${f.severity} ${f.confidence} ${f.id} ${f.file}:${f.location}`);
    if (bad.length) failed = true;
    console.log(`electronegativity ${input}: ${findings.length} finding(s), ${bad.length} above LOW`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
