/**
 * The Content-Security-Policy of the renderer: one source of truth for Electron (session
 * header + the meta tag in src-renderer/index.html, which the build checks) and for the
 * loopback bridge that serves the same files to Chromium in tests.
 *
 * No 'unsafe-inline', no 'unsafe-eval', no remote origin. Consequences for the UI:
 * - Svelte component <style> blocks are fine (the build emits them to .css files).
 * - Dynamic styles are fine: Svelte's `style:prop={…}` / `style={…}` and d3's
 *   `.style(name, value)` go through the CSSOM (element.style), which CSP allows.
 * - Static `style="…"` attributes in markup and `setAttribute('style', …)` are blocked
 *   (and logged as console errors); use a class or `style:prop` instead.
 * - No inline <script>, no eval/new Function, no fetch to other origins.
 *
 * This module is pure (no electron import) so the bridge and unit tests can use it.
 */
import type { OnHeadersReceivedListenerDetails, HeadersReceivedResponse } from 'electron';

export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'self'"],
};

export function formatCsp(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The production policy (built app in Electron, bridge in tests). */
export const CSP = formatCsp(CSP_DIRECTIVES);

/**
 * The policy for `electron-vite dev` only: Vite injects component CSS as <style> elements
 * and talks to its HMR server over a WebSocket on the dev origin.
 */
export function devCsp(devServerUrl: string): string {
  const origin = new URL(devServerUrl);
  const ws = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`;
  return formatCsp({
    ...CSP_DIRECTIVES,
    'style-src': ["'self'", "'unsafe-inline'"],
    'connect-src': ["'self'", ws],
  });
}

/** The part of Electron's Session that installCsp needs (a test double is easy). */
export interface HeaderHookable {
  webRequest: {
    onHeadersReceived(
      listener: (details: OnHeadersReceivedListenerDetails, callback: (response: HeadersReceivedResponse) => void) => void,
    ): void;
  };
}

/** Adds (replaces) the CSP header on every response of the session. */
export function installCsp(session: HeaderHookable, policy: string = CSP): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
}
