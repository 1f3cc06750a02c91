/** Window hardening: webPreferences, navigation, window.open, permissions, external links. */
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => {
  throw new Error('src-main/electron/window.ts must not load electron at runtime');
});

const {
  EXTERNAL_ALLOWLIST,
  buildWebPreferences,
  buildWindowOptions,
  createMainWindow,
  hardenSession,
  hardenWebContents,
  isAllowedExternalUrl,
  navigationGuard,
  openExternalSafely,
  windowOpenHandler,
} = await import('../../src-main/electron/window');

const APP_URL = 'file:///opt/lab/out/renderer/index.html';

function fakeShell() {
  return { openExternal: vi.fn(async (_url: string) => undefined) };
}

describe('webPreferences', () => {
  it('isolates, sandboxes and denies node in the renderer', () => {
    const prefs = buildWebPreferences('/opt/lab/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/opt/lab/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('is what the window is created with', () => {
    const options = buildWindowOptions('/p.cjs');
    expect(options.webPreferences).toEqual(buildWebPreferences('/p.cjs'));
    expect(options.show).toBe(false);
  });

  it('createMainWindow passes the hardened options and loads the app URL', () => {
    const created: { options: unknown; url?: string }[] = [];
    class FakeWindow {
      constructor(readonly options: unknown) {
        created.push({ options });
      }
      once = vi.fn();
      loadURL = vi.fn(async (url: string) => {
        created[0]!.url = url;
      });
    }
    createMainWindow({ BrowserWindow: FakeWindow as never, preloadPath: '/p.cjs', appUrl: APP_URL });
    expect(created).toHaveLength(1);
    expect((created[0]!.options as { webPreferences: unknown }).webPreferences).toEqual(buildWebPreferences('/p.cjs'));
    expect(created[0]!.url).toBe(APP_URL);
  });
});

describe('external links', () => {
  it('allows only https on allowlisted hosts', () => {
    expect(isAllowedExternalUrl('https://en.wikipedia.org/wiki/CAP_theorem')).toBe(true);
    expect(isAllowedExternalUrl('http://en.wikipedia.org/wiki/CAP_theorem')).toBe(false);
    expect(isAllowedExternalUrl('https://en.wikipedia.org.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://user@en.wikipedia.org/')).toBe(false);
    expect(isAllowedExternalUrl('https://en.wikipedia.org:8443/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('smb://host/share')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
    expect(EXTERNAL_ALLOWLIST.every((h) => !h.includes('*'))).toBe(true);
  });

  it('openExternalSafely opens only allowlisted URLs', () => {
    const shell = fakeShell();
    expect(openExternalSafely(shell, 'file:///etc/passwd')).toBe(false);
    expect(openExternalSafely(shell, 'https://evil.example/')).toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
    expect(openExternalSafely(shell, 'https://github.com/')).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://github.com/');
  });
});

describe('window.open and navigation', () => {
  it('window.open is always denied (allowlisted links go to the browser)', () => {
    const shell = fakeShell();
    const handler = windowOpenHandler(shell);
    expect(handler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(handler({ url: APP_URL })).toEqual({ action: 'deny' });
    expect(handler({ url: 'https://github.com/x' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
    expect(shell.openExternal).toHaveBeenCalledWith('https://github.com/x');
  });

  it('navigation away from the app document is prevented', () => {
    const shell = fakeShell();
    const guard = navigationGuard(APP_URL, shell);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'file:///opt/lab/out/renderer/other.html', 'about:blank', 'data:text/html,hi']) {
      const event = { preventDefault: vi.fn() };
      guard(event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
    }
    expect(shell.openExternal).not.toHaveBeenCalled();

    const external = { preventDefault: vi.fn() };
    guard(external, 'https://en.wikipedia.org/wiki/PACELC_design_principle');
    expect(external.preventDefault).toHaveBeenCalled();
    expect(shell.openExternal).toHaveBeenCalledTimes(1);

    const self = { preventDefault: vi.fn() };
    guard(self, `${APP_URL}?scenario=nt1-log-replication#t=10s`);
    expect(self.preventDefault).not.toHaveBeenCalled();
  });

  it('hardenWebContents installs the guards on every navigation event and denies window.open', () => {
    const handlers = new Map<string, (event: { preventDefault(): void; url?: string }) => void>();
    let openHandler: ((details: { url: string }) => unknown) | null = null;
    const contents = {
      on: vi.fn((name: string, listener: (event: { preventDefault(): void; url?: string }) => void) => {
        handlers.set(name, listener);
        return contents;
      }),
      setWindowOpenHandler: vi.fn((handler: (details: { url: string }) => unknown) => {
        openHandler = handler;
      }),
    };
    hardenWebContents(contents as never, APP_URL, fakeShell());
    expect([...handlers.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const event = { preventDefault: vi.fn(), url: 'https://evil.example/' };
      handlers.get(name)!(event);
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it('every permission request and check is denied', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    hardenSession(session as never);
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (wc: unknown, permission: string, callback: (granted: boolean) => void) => void;
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as () => boolean;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(check()).toBe(false);
  });
});
