/** Where things are, in development and in a packaged app (pure; no electron import). */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface AppLocation {
  isPackaged: boolean;
  /** app.getAppPath(): the project root in development, resources/app.asar when packaged. */
  appPath: string;
  /** process.resourcesPath: where electron-builder puts extraResources. */
  resourcesPath: string;
}

/**
 * scenarios/ lives at the project root in development. A packaged app must ship it as
 * extraResources (electron-builder: `extraResources: [{ from: 'scenarios', to: 'scenarios' }]`),
 * i.e. next to app.asar, so that it stays a plain, user-readable folder.
 */
export function resolveScenarioDir({ isPackaged, appPath, resourcesPath }: AppLocation): string {
  return isPackaged ? join(resourcesPath, 'scenarios') : join(appPath, 'scenarios');
}

/**
 * The URL the window loads: the dev server under `electron-vite dev`
 * (ELECTRON_RENDERER_URL), otherwise the built out/renderer/index.html next to out/main.
 */
export function resolveAppUrl(mainDir: string, devServerUrl: string | undefined, isPackaged: boolean): string {
  if (devServerUrl && !isPackaged) return devServerUrl;
  return pathToFileURL(join(mainDir, '..', 'renderer', 'index.html')).href;
}

export function resolvePreloadPath(mainDir: string): string {
  return join(mainDir, '..', 'preload', 'index.cjs');
}
