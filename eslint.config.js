// ESLint flat config: typescript-eslint + eslint-plugin-svelte, plus the architecture of
// DESIGN §1 as lint rules (who may import whom; determinism of src-shared and the engine).
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const NODE_GLOBALS = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'queueMicrotask', 'globalThis', 'structuredClone', 'TextEncoder', 'TextDecoder', 'AbortController', 'fetch'].map((name) => [name, 'readonly']),
);

// --- architecture (DESIGN §1) ---------------------------------------------------------
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NODE_BUILTINS = {
  regex: `^(node:.*|(${builtinModules.filter((m) => !m.startsWith('_')).map(escape).join('|')})(/.*)?)$`,
  message: 'Node built-ins are not allowed here (DESIGN §1).',
};
const ELECTRON = { regex: '^electron(/.*)?$', message: 'electron is only for src-main glue (src-main/electron, src-main/preload, src-main/index.ts).' };
const folder = (name, message) => ({ regex: `(^|/)${name}(/|$)`, message });
const SRC_MAIN = folder('src-main', 'src-main is not importable from here: go through src-shared (the IPC contract).');
const SRC_RENDERER = folder('src-renderer', 'src-renderer is UI only: nothing outside it may import it.');
const DOM_LIBS = {
  regex: '^(svelte|dexie|d3|d3-(selection|transition|zoom|drag|brush|axis)|topojson-client|world-atlas)(/.*)?$',
  message: 'src-shared is pure TypeScript: no DOM/UI libraries (DESIGN §1).',
};
const restrictImports = (...patterns) => ['error', { patterns }];

const DETERMINISM = {
  'no-restricted-globals': [
    'error',
    ...['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'indexedDB', 'requestAnimationFrame'].map((name) => ({
      name,
      message: 'src-shared and the engine run without a DOM (DESIGN §1).',
    })),
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Non-deterministic: use the seeded PRNG of the run.' },
    { object: 'Date', property: 'now', message: 'Non-deterministic: use simulated time.' },
    { object: 'performance', property: 'now', message: 'Non-deterministic: use simulated time.' },
    { object: 'crypto', property: 'getRandomValues', message: 'Non-deterministic: use the seeded PRNG of the run.' },
    { object: 'crypto', property: 'randomUUID', message: 'Non-deterministic: use the seeded PRNG of the run.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Non-deterministic: `new Date()` reads the wall clock; use simulated time.' },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'coverage/**', '.svelte-kit/**'] },

  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,

  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: NODE_GLOBALS },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-this-alias': 'warn',
      // Advisory: a plain Map/Set inside a component is often a deliberate non-reactive cache.
      'svelte/prefer-svelte-reactivity': 'warn',
      'no-empty': ['error', { allowEmptyCatch: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // TypeScript checks undefined names better than ESLint (and knows DOM/Node types).
    files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
    rules: {
      // The CSP has no 'unsafe-inline' for styles: a static style="…" is blocked at run time.
      'no-restricted-syntax': [
        'error',
        {
          selector: "SvelteAttribute[key.name='style']:not(:has(SvelteMustacheTag))",
          message: "The CSP blocks static style=\"…\" attributes: use a class or style:prop={…} (see src-main/electron/csp.ts).",
        },
      ],
    },
  },
  {
    // Electron/browser test scripts evaluate functions in the page.
    files: ['test/electron/**/*.mjs', 'test/e2e/**/*.ts'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
  },

  // --- who may import whom ---
  {
    files: ['src-shared/**/*.{ts,js,svelte}'],
    rules: {
      'no-restricted-imports': restrictImports(NODE_BUILTINS, ELECTRON, SRC_MAIN, SRC_RENDERER, DOM_LIBS),
      ...DETERMINISM,
    },
  },
  {
    files: ['src-main/**/*.{ts,js}'],
    rules: { 'no-restricted-imports': restrictImports(SRC_RENDERER) },
  },
  {
    files: ['src-main/engine/**/*.{ts,js}'],
    rules: {
      'no-restricted-imports': restrictImports(
        ELECTRON,
        SRC_RENDERER,
        { regex: '^[.]{1,2}/(.*/)?(electron|preload|bridge|host)(/|$)', message: 'The engine knows nothing of its adapters (host, electron glue, bridge).' },
      ),
      ...DETERMINISM,
    },
  },
  {
    files: ['src-renderer/**/*.{ts,js,svelte}'],
    rules: { 'no-restricted-imports': restrictImports(NODE_BUILTINS, ELECTRON, SRC_MAIN) },
  },
);
