/**
 * Which Chromium the browser tests and the UI bench launch, and with what flags: one
 * place for both. CHROMIUM_PATH overrides the path (a laptop can point it at
 * Playwright's own browser); the flags keep a headless run quiet and offline.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
