/**
 * Packaging (electron-builder.yml): valid against electron-builder's own schema, the three
 * platforms' installers, the fuses that lock the binary down, the icon, and what ships.
 * Packaging itself downloads Electron, so it is not run here (README: `npm run dist`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
type Loose = Record<string, Record<string, unknown> & { target?: unknown; icon?: unknown }> & Record<string, unknown>;
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Loose;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { productName: string; version: string; main: string; scripts: Record<string, string> };

describe('packaging', () => {
  it('is valid for the installed electron-builder (its JSON schema)', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(cfg: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, electronFuses: { runAsNod: false } }, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it('builds AppImage and deb, dmg, and an NSIS installer, with name, id and icon', () => {
    expect(config.linux!.target).toEqual(['AppImage', 'deb']);
    expect(config.mac!.target).toBe('dmg');
    expect(config.win!.target).toBe('nsis');
    expect(config.productName).toBe(pkg.productName);
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.scripts.dist).toMatch(/electron-vite build && electron-builder/);
    for (const os of ['linux', 'mac', 'win']) expect(config[os]!.icon).toBe('build/icon.png');
    const png = readFileSync('build/icon.png');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512); // width (IHDR)
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512); // height
  });

  it('flips the fuses that keep the binary from being repurposed', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: true,
    });
    expect(config.asar).toBe(true);
    // runAsNode off breaks child_process.fork in main: the main process must not use it.
    const main = ['src-main/index.ts', 'src-main/host/lab-host.ts', 'src-main/electron/pdf.ts'].map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(main).not.toMatch(/child_process|\.fork\(/);
  });

  it('ships the built app and the scenario folder, not sources, tests or source maps', () => {
    expect(config.files).toEqual(['out/**/*', 'package.json', '!**/*.map']);
    expect(config.extraResources).toEqual([{ from: 'scenarios', to: 'scenarios', filter: ['**/*.yaml', '**/*.yml', '**/*.json'] }]);
    expect(pkg.main).toBe('out/main/index.js');
    expect(config.npmRebuild).toBe(false);
  });
});
