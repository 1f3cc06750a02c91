/** A minimal application menu (built as data so it can be asserted without Electron). */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  appName: string;
  isMac: boolean;
  isDev: boolean;
  /** Opens an allowlisted URL in the browser (openExternalSafely). */
  openExternal: (url: string) => void;
}

/** Further reading (hosts must be in EXTERNAL_ALLOWLIST, see window.ts). */
export const HELP_LINKS: readonly { label: string; url: string }[] = [
  { label: 'CAP theorem (Wikipedia)', url: 'https://en.wikipedia.org/wiki/CAP_theorem' },
  { label: 'PACELC (Wikipedia)', url: 'https://en.wikipedia.org/wiki/PACELC_design_principle' },
  { label: 'Consensus and FLP (Wikipedia)', url: 'https://en.wikipedia.org/wiki/Consensus_(computer_science)' },
];

export function buildMenuTemplate({ appName, isMac, isDev, openExternal }: MenuOptions): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (isDev) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });

  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: HELP_LINKS.map(({ label, url }) => ({ label, click: () => openExternal(url) })),
    },
  );
  return template;
}
