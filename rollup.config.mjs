// `npx rollup -c` builds dist/: the unbundled npm build, the self-contained script-tag file dist/inkwell.js and its
// lazy pieces. What rollup cannot do (types, custom-elements manifest, JSON Schema) are the named steps of
// scripts/build.mjs, which `npm run build` runs after this. scripts/size-modules.mjs and bench/ import the plugin
// lists from here rather than copying them.
import { literalsHtmlCssMinifier } from '@literals/rollup-plugin-html-css-minifier';
import { defaultShouldMinify, defaultStrategy } from '@literals/html-css-minifier';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild, { minify } from 'rollup-plugin-esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const at = (p) => root + p;
const target = 'es2022';

const onwarn = (w, warn) => {
  if (w.code === 'THIS_IS_UNDEFINED' || w.code === 'CIRCULAR_DEPENDENCY') return;
  // A dependency's comment that mentions `@__PURE__` in prose: rollup drops the comment, nothing else changes.
  if (w.code === 'INVALID_ANNOTATION' && w.id?.includes('/node_modules/')) return;
  warn(w);
};

/** The shipped translations besides English (English is in every build). */
export const locales = readdirSync(at('src/i18n'))
  .filter((f) => /^[a-z]{2}(-[a-z]+)?\.ts$/i.test(f) && f !== 'en.ts')
  .map((f) => f.slice(0, -3));

// ---- Template literals: one minifier for both builds, so that they render the same DOM ----------------------------

const CSS = '\0css\0';
const cssTemplates = new WeakSet();

/**
 * The minifier's own strategy (html-minifier-next for html``, lightningcss for css``), extended for two kinds of
 * css`` that it leaves alone: a list of declarations meant to be interpolated into a rule (theme.ts's dark colours),
 * and a sheet with `${…}` in it (theme.ts, the light-DOM typography). Interpolations become `@TEMPLATE_EXPRESSION();`
 * at-rules, which lightningcss keeps where they stand, and the parts are split there again.
 */
const strategy = {
  ...defaultStrategy,
  minifyCSS(text, options) {
    try {
      return defaultStrategy.minifyCSS(text, options);
    } catch {
      // The contents of a rule (declarations, nested rules) without the rule: minified inside a throwaway one.
      return defaultStrategy.minifyCSS(`a{${text}}`, options).slice(2, -1);
    }
  },
  combineHTMLStrings(parts, placeholder) {
    const combined = defaultStrategy.combineHTMLStrings(parts, placeholder);
    return cssTemplates.has(parts) ? CSS + combined : combined;
  },
  async minifyHTML(text, options) {
    if (!text.startsWith(CSS)) return defaultStrategy.minifyHTML(text, options);
    return strategy.minifyCSS(text.slice(CSS.length)).replaceAll('@TEMPLATE_EXPRESSION ();', '@TEMPLATE_EXPRESSION();');
  },
};

const isCss = (template) => /css/i.test(template.tag ?? '');

/** The template minifier: every html``, svg`` and css`` in src/, in the npm build and the script-tag file alike. */
export const minifyTemplates = () =>
  literalsHtmlCssMinifier({
    include: [at('src/**/*.ts')],
    failOnError: true,
    options: {
      strategy,
      shouldMinifyCSS: (t) => isCss(t) && t.parts.length === 1,
      shouldMinify(t) {
        if (!isCss(t) || t.parts.length === 1) return defaultShouldMinify(t);
        // css`` with interpolations goes the way of html`` (combine, minify, split); the strategy knows it by its parts.
        cssTemplates.add(t.parts);
        return true;
      },
    },
  });

// ---- Private names: shortened by terser in the script-tag file -------------------------------------------------------

/**
 * terser's property mangling, as in Lit's own build (rollup-common.js): our private members (`_replyTarget`) become
 * one or two letters, so a readable name costs nothing. Only `_` + a letter: Lit's cross-version internals are
 * `_$…` (`_$litType$`) and must keep their names; `__…` is left alone too. A name that crosses into another file or a
 * string (a JSON key, `changed.has('_x')`) would need to be reserved here; none does today (see
 * test/node/build-parity.test.ts, which renders through this file and the npm build).
 */
export const manglePrivate = { regex: /^_[A-Za-z]/, reserved: [] };

const esbuildMinify = () => minify({ target, legalComments: 'none', charset: 'utf8' });

/** The script-tag file's minifiers. INK_DEBUG=1 leaves it unminified, so that a CPU profile names functions and lines. */
const scriptMinifiers = () =>
  process.env.INK_DEBUG
    ? []
    : [
        esbuildMinify(),
        // A second pass: terser finds a few percent more than esbuild's minifier alone, and mangles private names.
        terser({
          ecma: 2020,
          toplevel: true,
          compress: { passes: 2, unsafe_arrows: true, unsafe_methods: true },
          mangle: { properties: manglePrivate },
          format: { comments: false },
        }),
      ];

/** Points `./lazy.js` at the script-tag loaders, which fetch the lazy pieces next to inkwell.js. */
export const embedLazy = {
  name: 'embed-lazy',
  resolveId(source, importer) {
    if (importer && (source === './lazy.js' || source === '../lazy.js')) return at('src/lazy-embed.ts');
    return null;
  },
};

const transpile = () => esbuild({ target, tsconfig: at('tsconfig.json') });

/** The script-tag file's plugins up to (not including) minification: what size-modules weighs. */
export const scriptTagPlugins = () => [embedLazy, nodeResolve({ browser: true }), minifyTemplates(), transpile()];

// ---- The outputs -----------------------------------------------------------------------------------------------------

let cleaned = false;
/** Empties dist/ once per run, so that a module removed from src/ leaves no stale file behind. */
const cleanDist = {
  name: 'clean-dist',
  buildStart() {
    if (!cleaned) rmSync(at('dist'), { recursive: true, force: true });
    cleaned = true;
  },
};

const external = (id) => /^(lit|@lit|zod|dompurify|marked|better-sqlite3|pg)(\/|$)/.test(id) || id.startsWith('node:');

/** npm: one file per module (standard ES modules, dependencies external), so bundlers tree-shake and split. */
const npm = {
  input: {
    index: at('src/index.ts'),
    schema: at('src/schema.ts'),
    'server/index': at('src/server/index.ts'),
    'server/cli': at('src/server/cli.ts'),
    'admin/index': at('src/admin/index.ts'),
    ...Object.fromEntries(locales.map((l) => [`i18n/${l}`, at(`src/i18n/${l}.ts`)])),
  },
  external,
  onwarn,
  plugins: [
    cleanDist,
    minifyTemplates(),
    transpile(),
    { name: 'cli-executable', writeBundle: () => chmodSync(at('dist/server/cli.js'), 0o755) },
  ],
  output: { dir: at('dist'), format: 'es', preserveModules: true, preserveModulesRoot: at('src'), sourcemap: true },
};

/** The script-tag file: everything inlined and minified, a classic script that also runs as a module. */
const scriptTag = {
  input: at('src/embed.ts'),
  onwarn,
  plugins: [...scriptTagPlugins(), ...scriptMinifiers()],
  output: { file: at('dist/inkwell.js'), format: 'iife', sourcemap: true },
};

/**
 * Its lazy pieces: ES modules next to it, loaded by URL on first need. Their private names are not mangled: they
 * share none with inkwell.js (they export `sanitize`, `markdownToHtml`, the form's `checkFields`, `suggestUrl`,
 * `getAuthorToken` and `setAuthorToken`, and plain objects of strings), and mangling the bundled DOMPurify and
 * marked would win little.
 */
const lazyPieces = {
  input: {
    sanitize: at('src/sanitize.ts'),
    markdown: at('src/markdown.ts'),
    form: at('src/form-posting.ts'),
    ...Object.fromEntries(locales.map((l) => [`locales/${l}`, at(`src/i18n/${l}.ts`)])),
  },
  onwarn,
  plugins: [nodeResolve({ browser: true }), transpile(), esbuildMinify()],
  output: {
    dir: at('dist'),
    format: 'es',
    entryFileNames: (c) => (c.name.startsWith('locales/') ? '[name].js' : 'inkwell-[name].js'),
    chunkFileNames: 'inkwell-shared-[hash].js',
    sourcemap: true,
  },
};

/**
 * The moderation dashboard, `dist/inkwell-admin.js` (served by the reference server at `{basePath}/dashboard`): one
 * self-contained, minified file like inkwell.js, with Lit and the admin locales inlined. Never part of inkwell.js.
 */
const adminScriptTag = {
  input: at('src/admin/embed.ts'),
  onwarn,
  plugins: [nodeResolve({ browser: true }), minifyTemplates(), transpile(), ...scriptMinifiers()],
  output: { file: at('dist/inkwell-admin.js'), format: 'iife', inlineDynamicImports: true, sourcemap: true },
};

export default [npm, scriptTag, lazyPieces, adminScriptTag];
