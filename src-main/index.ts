/**
 * Electron entry (thin): security defaults, the host, IPC, the window and the menu.
 * Everything with logic lives in ./electron/* (unit-tested with electron mocked) and the
 * engine lives behind the host (no electron there).
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabHost } from './host/lab-host';
import { CSP, devCsp, installCsp } from './electron/csp';
import { forwardFrames, registerIpcHandlers } from './electron/ipc';
import { buildMenuTemplate } from './electron/menu';
import { createPdfPrinter } from './electron/pdf';
import { resolveAppUrl, resolvePreloadPath, resolveScenarioDir } from './electron/paths';
import { createMainWindow, hardenSession, hardenWebContents, openExternalSafely } from './electron/window';

const mainDir = dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const appUrl = resolveAppUrl(mainDir, devServerUrl, app.isPackaged);
const isDev = !app.isPackaged && Boolean(devServerUrl);

app.enableSandbox();

let mainWindow: BrowserWindow | null = null;

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appUrl, shell));

app.on('second-instance', () => {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  installCsp(session.defaultSession, isDev && devServerUrl ? devCsp(devServerUrl) : CSP);

  const scenarioDir = resolveScenarioDir({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath });
  const host = await LabHost.create({ scenarioDir, printPdf: createPdfPrinter({ BrowserWindow }) });
  const removeHandlers = registerIpcHandlers({ ipcMain, host, appUrl });
  const stopFrames = forwardFrames(host, () => mainWindow?.webContents ?? null);

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        appName: app.getName(),
        isMac: process.platform === 'darwin',
        isDev,
        openExternal: (url) => openExternalSafely(shell, url),
      }),
    ),
  );

  const openWindow = (): void => {
    mainWindow = createMainWindow({ BrowserWindow, preloadPath: resolvePreloadPath(mainDir), appUrl });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };
  openWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    stopFrames();
    removeHandlers();
    host.dispose();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start().catch((err: unknown) => {
    console.error('Impossibility Lab failed to start:', err);
    dialog.showErrorBox('Impossibility Lab failed to start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}
