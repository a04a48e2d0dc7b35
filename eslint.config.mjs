// ESLint for the whole repository: `npm run lint` (also a step of `npm test`).
// The elements get Lit's and the web-components plugins' recommended rules; everything gets ESLint's recommended
// rules, and TypeScript files typescript-eslint's. The globals are written out here because the `globals` package is
// not a dependency: each list holds what our code uses, so a new one is added when a file starts using it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import tseslint from 'typescript-eslint';

const readonly = (names) => Object.fromEntries(names.map((name) => [name, 'readonly']));

/** Globals of every modern runtime (Node and browsers alike). */
const common = readonly([
  'AbortController', 'AbortSignal', 'Blob', 'BroadcastChannel', 'console', 'crypto', 'CustomEvent', 'DOMException',
  'Event', 'EventTarget', 'fetch', 'FormData', 'globalThis', 'Headers', 'Intl', 'MessageChannel', 'performance',
  'queueMicrotask', 'ReadableStream', 'Request', 'Response', 'setInterval', 'setTimeout', 'clearInterval',
  'clearTimeout', 'structuredClone', 'TextDecoder', 'TextEncoder', 'URL', 'URLSearchParams', 'WebAssembly', 'atob', 'btoa',
]);

/** Node's own globals. */
const node = {
  ...common,
  ...readonly(['Buffer', 'process', 'global', 'setImmediate', 'clearImmediate']),
};

/** The browser globals our pages, examples and in-page bench code use. */
const browser = {
  ...common,
  ...readonly([
    'window', 'document', 'navigator', 'location', 'history', 'customElements', 'localStorage', 'sessionStorage',
    'getComputedStyle', 'matchMedia', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback',
    'addEventListener', 'removeEventListener', 'dispatchEvent', 'scrollTo', 'innerWidth', 'innerHeight', 'devicePixelRatio',
    'HTMLElement', 'HTMLInputElement', 'HTMLTemplateElement', 'Element', 'Node', 'NodeFilter', 'ShadowRoot',
    'DocumentFragment', 'MutationObserver', 'IntersectionObserver', 'ResizeObserver', 'PerformanceObserver',
    'DOMParser', 'DOMRect', 'ErrorEvent', 'KeyboardEvent', 'MouseEvent', 'SubmitEvent', 'CSSStyleSheet',
    'alert', 'confirm', 'prompt',
  ]),
};

// `_`-prefixed names say "deliberately unused" (an argument a callback's signature requires, a property left out of
// a rest object); an error caught only to be ignored needs no name.
const UNUSED = { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' };

export default defineConfig(
  {
    name: 'inkwell/ignores',
    // Built output, installed packages, and test data (hostile strings, not our code).
    ignores: ['dist/**', 'node_modules/**', 'custom-elements.json', 'bench/.tmp/**', 'test-results/**', 'test/corpora/**'],
  },
  js.configs.recommended,
  {
    name: 'inkwell/everywhere',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: { 'no-unused-vars': ['error', UNUSED] },
  },
  {
    name: 'inkwell/typescript',
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [tseslint.configs.recommended],
    rules: { '@typescript-eslint/no-unused-vars': ['error', UNUSED] },
  },
  {
    name: 'inkwell/source',
    files: ['src/**/*.ts'],
    // Type-aware rules (promises left floating, `any` leaking, needless assertions) for the code we ship: they add
    // about ten seconds of CPU over src/. Tests and scripts get the syntactic rules only: there the type-aware ones
    // mostly flag node:test's describe()/test(), whose promises the runner awaits.
    extends: [tseslint.configs.recommendedTypeChecked, lit.configs['flat/recommended'], wc.configs['flat/recommended']],
    languageOptions: {
      globals: browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Lit calls a template's listeners (`@submit=${this._onSubmit}`) with the element as `this`, which this rule
      // cannot see: every report it made here was such a binding.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    name: 'inkwell/server',
    files: ['src/server/**/*.ts'],
    languageOptions: { globals: node },
    rules: {
      // A store on a synchronous driver (better-sqlite3) keeps the async CommentStore contract with `async` methods
      // that await nothing: `async` is what turns their throws into rejections, as the contract promises.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    name: 'inkwell/node-scripts',
    files: ['scripts/**', 'bench/**', 'test/server/**', 'test/node/**', 'test/support/**', 'test/fixtures/**', 'demo/server.mjs', '*.config.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: node },
  },
  {
    name: 'inkwell/in-page',
    // These hand functions to playwright's page.evaluate(): they run in Chromium, so they may name browser globals.
    files: ['bench/**', 'scripts/screenshots.mjs'],
    languageOptions: { globals: browser },
  },
  {
    name: 'inkwell/browser-tests',
    files: ['test/*.test.ts'],
    extends: [lit.configs['flat/recommended']],
    languageOptions: { globals: { ...browser, ...readonly(['describe', 'it', 'before', 'after', 'beforeEach', 'afterEach']) } },
  },
  {
    name: 'inkwell/tests',
    files: ['test/**/*.ts'],
    rules: {
      // Chai's property assertions (`expect(el).to.be.accessible`, `expect(x).to.be.true`) are expressions by design.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Tests read JSON answers whose shape the next assertion checks: typing each one first would only repeat it.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    name: 'inkwell/browser-pages',
    files: ['demo/**/*.js', 'examples/**/*.{js,jsx}'],
    languageOptions: {
      globals: browser,
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
  },
);
