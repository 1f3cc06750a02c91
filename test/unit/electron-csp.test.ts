/** The renderer CSP: strict, no remote origins, identical in index.html, header and bridge. */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { CSP, CSP_DIRECTIVES, devCsp, installCsp } from '../../src-main/electron/csp';
import { SECURITY_HEADERS } from '../../src-main/bridge/ws-bridge';

function parse(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...sources] = part.split(/\s+/);
        return [name!, sources] as const;
      }),
  );
}

const KEYWORDS = new Set(["'self'", "'none'", 'data:']);

describe('CSP', () => {
  const policy = parse(CSP);

  it('has the required directives', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
  });

  it('allows no inline script, no eval and no inline styles', () => {
    expect(CSP).not.toContain('unsafe-inline');
    expect(CSP).not.toContain('unsafe-eval');
    expect(CSP).not.toContain('unsafe-hashes');
    expect(CSP).not.toContain('wasm-unsafe-eval');
  });

  it('names no remote origin, scheme-wide source or wildcard', () => {
    for (const [directive, sources] of policy) {
      for (const source of sources) {
        expect(KEYWORDS.has(source), `${directive} ${source}`).toBe(true);
      }
    }
    expect(CSP).not.toMatch(/https?:|wss?:|\*|blob:/);
    expect(Object.keys(CSP_DIRECTIVES).length).toBe(policy.size);
  });

  it('is the meta tag of src-renderer/index.html', () => {
    const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');
    const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
    expect(match?.[1]).toBe(CSP);
    expect(html).toContain('<link rel="icon" href="data:,"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts
  });

  it('is the header the bridge sends', () => {
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CSP);
  });

  it('the dev policy only relaxes styles and the HMR socket of the dev server', () => {
    const dev = parse(devCsp('http://localhost:5173/'));
    expect(dev.get('script-src')).toEqual(["'self'"]);
    expect(dev.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
  });

  it('installCsp sets the header on every response, replacing any other CSP', () => {
    let listener: ((details: unknown, callback: (response: unknown) => void) => void) | null = null;
    const session = { webRequest: { onHeadersReceived: vi.fn((l: typeof listener) => (listener = l)) } };
    installCsp(session as never);
    const callback = vi.fn();
    listener!({ url: 'file:///x', responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CSP] } });
  });
});
