/** The wiring of src-main/index.ts (the Electron entry), with electron and the host mocked. */
import { describe, expect, it, vi } from 'vitest';
import { CSP } from '../../src-main/electron/csp';

const m = vi.hoisted(() => {
  const appHandlers = new Map<string, (...args: unknown[]) => void>();
  const windows: { options: Record<string, unknown>; url?: string }[] = [];
  class BrowserWindow {
    static getAllWindows = () => windows;
    webContents = { send: () => undefined, isDestroyed: () => false };
    constructor(options: Record<string, unknown>) {
      windows.push({ options });
    }
    once() {}
    on() {}
    loadURL(url: string) {
      windows.at(-1)!.url = url;
      return Promise.resolve();
    }
  }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    },
  };
  return {
    appHandlers,
    windows,
    created: [] as unknown[],
    electron: {
      app: {
        isPackaged: false,
        enableSandbox: vi.fn(),
        requestSingleInstanceLock: vi.fn(() => true),
        quit: vi.fn(),
        exit: vi.fn(),
        on: vi.fn((name: string, handler: (...args: unknown[]) => void) => appHandlers.set(name, handler)),
        whenReady: vi.fn(() => Promise.resolve()),
        getAppPath: () => '/src/lab',
        getName: () => 'Impossibility Lab',
      },
      BrowserWindow,
      dialog: { showErrorBox: vi.fn() },
      ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
      Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((t: unknown) => t) },
      session,
      shell: { openExternal: vi.fn() },
    },
  };
});
vi.mock('electron', () => m.electron);
vi.mock('../../src-main/host/lab-host', () => ({
  LabHost: {
    create: vi.fn(async (opts: unknown) => {
      m.created.push(opts);
      return { handle: vi.fn(), subscribe: vi.fn(() => () => undefined), dispose: vi.fn() };
    }),
  },
}));

describe('src-main/index.ts wiring', () => {
  // The real host (src-main/host/lab-host.ts) is mocked.
  it('enables the sandbox, installs CSP and permission guards, registers IPC and opens a hardened window', async () => {
    delete process.env['ELECTRON_RENDERER_URL'];

    await import('../../src-main/index');
    await vi.waitFor(() => expect(m.windows).toHaveLength(1));

    expect(m.electron.app.enableSandbox).toHaveBeenCalled();
    expect(m.electron.dialog.showErrorBox).not.toHaveBeenCalled();
    expect(m.created).toEqual([{ scenarioDir: '/src/lab/scenarios', printPdf: expect.any(Function) }]);
    expect(m.electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(m.electron.session.defaultSession.webRequest.onHeadersReceived).toHaveBeenCalled();
    expect(m.electron.ipcMain.handle.mock.calls.map((c) => c[0]).sort()).toEqual(
      ['lab:act', 'lab:close-run', 'lab:control', 'lab:open-run', 'lab:scenarios', 'lab:run-log', 'lab:check-session', 'lab:report', 'lab:check-history', 'lab:history', 'lab:analysis', 'lab:demos'].sort(),
    );
    // Every webContents (the window, devtools, anything later) is hardened.
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    m.appHandlers.get('web-contents-created')!({}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.on.mock.calls.map((c) => c[0])).toContain('will-navigate');
    // The production CSP header is installed (no dev server URL set).
    const onHeaders = m.electron.session.defaultSession.webRequest.onHeadersReceived.mock.calls[0]![0] as (
      d: unknown,
      cb: (r: { responseHeaders: Record<string, string[]> }) => void,
    ) => void;
    let header: string[] | undefined;
    onHeaders({ responseHeaders: {} }, (r) => (header = r.responseHeaders['Content-Security-Policy']));
    expect(header).toEqual([CSP]);
    const { options, url } = m.windows[0]!;
    expect(options['webPreferences']).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String((options['webPreferences'] as { preload: string }).preload)).toMatch(/out\/preload\/index\.cjs$|preload\/index\.cjs$/);
    expect(url).toMatch(/^file:\/\/.*\/renderer\/index\.html$/);
  });
});
