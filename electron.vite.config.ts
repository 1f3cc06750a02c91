import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { CSP, devCsp } from './src-main/electron/csp';

const root = fileURLToPath(new URL('.', import.meta.url));
const at = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)("\s*\/?>)/i;

/**
 * Keeps the CSP meta tag of src-renderer/index.html equal to src-main/electron/csp.ts:
 * the build fails if they differ; `electron-vite dev` gets the relaxed dev policy
 * (Vite injects CSS as <style> and uses an HMR WebSocket).
 */
function cspMeta(): Plugin {
  let devServerUrl: string | null = null;
  return {
    name: 'lab-csp-meta',
    configureServer(server) {
      server.httpServer?.once('listening', () => {
        const address = server.httpServer?.address();
        if (address && typeof address === 'object') devServerUrl = `http://localhost:${address.port}`;
      });
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        const match = CSP_META.exec(html);
        if (!match) throw new Error('src-renderer/index.html: missing the Content-Security-Policy meta tag');
        if (ctx.server) {
          const url = devServerUrl ?? ctx.server.resolvedUrls?.local[0] ?? 'http://localhost:5173';
          return html.replace(CSP_META, `$1${devCsp(url)}$3`);
        }
        if (match[2] !== CSP) {
          throw new Error(`src-renderer/index.html: the CSP meta tag differs from src-main/electron/csp.ts; expected:\n${CSP}`);
        }
        return html;
      },
    },
  };
}

export default defineConfig({
  main: {
    root,
    build: {
      outDir: at('out/main'),
      lib: { entry: at('src-main/index.ts'), formats: ['es'] },
    },
  },
  preload: {
    root,
    build: {
      outDir: at('out/preload'),
      // A sandboxed preload can only require('electron'): bundle everything else (valibot via the contract).
      externalizeDeps: false,
      lib: { entry: at('src-main/preload/index.ts'), formats: ['cjs'] },
      rollupOptions: { output: { entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: at('src-renderer'),
    base: './',
    plugins: [svelte({ configFile: at('svelte.config.js') }), cspMeta()],
    build: {
      outDir: at('out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: at('src-renderer/index.html') },
    },
  },
});
