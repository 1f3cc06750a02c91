/** Menu, paths and the wiring of src-main/index.ts, with electron (and the host) mocked. */
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, HELP_LINKS } from '../../src-main/electron/menu';
import { resolveAppUrl, resolvePreloadPath, resolveScenarioDir } from '../../src-main/electron/paths';
import { isAllowedExternalUrl } from '../../src-main/electron/window';

describe('menu', () => {
  const options = { appName: 'Impossibility Lab', isMac: false, isDev: false, openExternal: vi.fn() };

  it('has File, Edit, View, Window and Help; no dev tools outside development', () => {
    const template = buildMenuTemplate(options);
    expect(template.map((item) => item.label ?? item.role)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'help']);
    const roles = JSON.stringify(template);
    expect(roles).not.toContain('toggleDevTools');
    expect(JSON.stringify(buildMenuTemplate({ ...options, isDev: true }))).toContain('toggleDevTools');
    expect(buildMenuTemplate({ ...options, isMac: true })[0]!.label).toBe('Impossibility Lab');
  });

  it('help links are allowlisted and go through openExternal', () => {
    for (const link of HELP_LINKS) expect(isAllowedExternalUrl(link.url), link.url).toBe(true);
    const help = buildMenuTemplate(options).find((item) => item.role === 'help')!;
    const first = (help.submenu as { click: () => void }[])[0]!;
    first.click();
    expect(options.openExternal).toHaveBeenCalledWith(HELP_LINKS[0]!.url);
  });
});

describe('paths', () => {
  it('scenarios come from the project in development and from resources when packaged', () => {
    expect(resolveScenarioDir({ isPackaged: false, appPath: '/src/lab', resourcesPath: '/x' })).toBe('/src/lab/scenarios');
    expect(resolveScenarioDir({ isPackaged: true, appPath: '/opt/lab/resources/app.asar', resourcesPath: '/opt/lab/resources' })).toBe(
      '/opt/lab/resources/scenarios',
    );
  });

  it('the window loads the built renderer, or the dev server in development', () => {
    expect(resolveAppUrl('/opt/lab/out/main', undefined, false)).toBe('file:///opt/lab/out/renderer/index.html');
    expect(resolveAppUrl('/opt/lab/out/main', 'http://localhost:5173/', false)).toBe('http://localhost:5173/');
    expect(resolveAppUrl('/opt/lab/out/main', 'http://localhost:5173/', true)).toBe('file:///opt/lab/out/renderer/index.html');
    expect(resolvePreloadPath('/opt/lab/out/main')).toBe('/opt/lab/out/preload/index.cjs');
  });
});
