/**
 * The main window and the hardening every webContents gets. Electron is passed in (or
 * only its types are imported) so unit tests can assert these with electron mocked.
 */
import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  HandlerDetails,
  Session,
  WebContents,
  WebPreferences,
  WindowOpenHandlerResponse,
} from 'electron';
import { isTrustedSender } from './ipc';

/** Hosts whose https pages may be opened in the user's browser (Help menu, links in the UI). */
export const EXTERNAL_ALLOWLIST: readonly string[] = [
  'github.com',
  'en.wikipedia.org',
  'groups.csail.mit.edu',
  'www.cs.cornell.edu',
  'jepsen.io',
];

/** The renderer's security settings. Tests assert every one of these. */
export function buildWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

export function buildWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Impossibility Lab',
    backgroundColor: '#101418',
    webPreferences: buildWebPreferences(preloadPath),
  };
}

/** True for https URLs on an allowlisted host (exact host, no credentials, default port). */
export function isAllowedExternalUrl(url: string, allowlist: readonly string[] = EXTERNAL_ALLOWLIST): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    allowlist.includes(parsed.hostname)
  );
}

export interface ExternalOpener {
  openExternal(url: string): Promise<void>;
}

/** The only way the app opens anything outside itself. Returns whether it opened. */
export function openExternalSafely(
  shell: ExternalOpener,
  url: string,
  allowlist: readonly string[] = EXTERNAL_ALLOWLIST,
): boolean {
  if (!isAllowedExternalUrl(url, allowlist)) return false;
  // electronegativity flags every openExternal for review; this is the only call, behind the
  // allowlist above (test/unit/electron-window.test.ts checks it).
  shell.openExternal(url).catch(() => undefined); // eng-disable OPEN_EXTERNAL_JS_CHECK
  return true;
}

/** window.open / target=_blank: never a new Electron window; allowlisted links go to the browser. */
export function windowOpenHandler(shell: ExternalOpener) {
  return (details: Pick<HandlerDetails, 'url'>): WindowOpenHandlerResponse => {
    openExternalSafely(shell, details.url);
    return { action: 'deny' };
  };
}

/**
 * Navigation guard: the window only ever shows the app's own document (a different
 * query or hash of it is allowed); anything else is prevented, and allowlisted https
 * links are handed to the browser instead.
 */
export function navigationGuard(appUrl: string, shell: ExternalOpener) {
  return (event: { preventDefault(): void; url?: string }, url?: string): void => {
    const target = url ?? event.url ?? '';
    if (isTrustedSender(target, appUrl)) return;
    event.preventDefault();
    openExternalSafely(shell, target);
  };
}

/** Denies every permission request (camera, notifications, geolocation, …). */
export function denyAllPermissions(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler(denyAllPermissions);
  session.setPermissionCheckHandler(() => false);
}

type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Applied to every webContents the app creates (app 'web-contents-created'). */
export function hardenWebContents(contents: HardenableContents, appUrl: string, shell: ExternalOpener): void {
  const guard = navigationGuard(appUrl, shell);
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-frame-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(windowOpenHandler(shell));
}

export interface CreateWindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  preloadPath: string;
  /** file:// URL of out/renderer/index.html, or the dev server URL. */
  appUrl: string;
}

export function createMainWindow({ BrowserWindow: Ctor, preloadPath, appUrl }: CreateWindowDeps): BrowserWindow {
  const win = new Ctor(buildWindowOptions(preloadPath));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl);
  return win;
}
