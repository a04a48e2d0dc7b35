// Builds dist/: the unbundled ESM package (lit, zod, dompurify, marked external), the self-contained script-tag
// file dist/inkwell.js with its lazy pieces, the .d.ts files and custom-elements.json.
import { rollup } from 'rollup';
import esbuild, { minify } from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minifyTemplates } from './minify-templates.mjs';
import { shortenPrivate } from './shorten-private.mjs';
import terser from '@rollup/plugin-terser';
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (p) => root + p;
const target = 'es2022';
const onwarn = (w, warn) => {
  if (w.code === 'THIS_IS_UNDEFINED' || w.code === 'CIRCULAR_DEPENDENCY') return;
  warn(w);
};
const locales = readdirSync(at('src/i18n')).filter((f) => /^[a-z]{2}(-[a-z]+)?\.ts$/i.test(f) && f !== 'en.ts');

async function bundle(input, output, plugins) {
  const b = await rollup({ input, plugins, onwarn, external: input.external });
  await b.write(output);
  await b.close();
}

/** Points `./lazy.js` at the script-tag loaders, which fetch the lazy pieces next to inkwell.js. */
export const embedLazy = {
  name: 'embed-lazy',
  resolveId(source, importer) {
    if (importer && (source === './lazy.js' || source === '../lazy.js')) return at('src/lazy-embed.ts');
    return null;
  },
};

export async function build() {
  const t0 = performance.now();
  rmSync(at('dist'), { recursive: true, force: true });

  // 1. npm: one file per module, so bundlers tree-shake and split the lazy pieces themselves.
  const external = (id) => /^(lit|@lit|zod|dompurify|marked|better-sqlite3)(\/|$)/.test(id) || id.startsWith('node:');
  {
    const b = await rollup({
      input: {
        index: at('src/index.ts'),
        schema: at('src/schema.ts'),
        'server/index': at('src/server/index.ts'),
        'server/cli': at('src/server/cli.ts'),
        ...Object.fromEntries(locales.map((f) => [`i18n/${f.slice(0, -3)}`, at(`src/i18n/${f}`)])),
      },
      external,
      onwarn,
      plugins: [esbuild({ target, tsconfig: at('tsconfig.json') })],
    });
    await b.write({ dir: at('dist'), format: 'es', preserveModules: true, preserveModulesRoot: at('src'), sourcemap: true });
    await b.close();
    chmodSync(at('dist/server/cli.js'), 0o755);
  }

  // 2. The script-tag file: everything inlined, minified, as a classic script that also runs as a module.
  await bundle(at('src/embed.ts'), { file: at('dist/inkwell.js'), format: 'iife', sourcemap: true }, [
    embedLazy,
    nodeResolve({ browser: true }),
    esbuild({ target, tsconfig: at('tsconfig.json') }),
    minifyTemplates(),
    // INK_DEBUG=1 leaves it unminified, so that a CPU profile names functions and lines.
    ...(process.env.INK_DEBUG
      ? []
      : [
          shortenPrivate(),
          minify({ target, legalComments: 'none', charset: 'utf8' }),
          // A second pass: terser finds a few percent more than esbuild's minifier alone.
          terser({ ecma: 2020, toplevel: true, compress: { passes: 2, unsafe_arrows: true, unsafe_methods: true }, format: { comments: false } }),
        ]),
  ]);

  // 3. Its lazy pieces: ES modules next to it, loaded by URL on first need.
  {
    const b = await rollup({
      input: {
        sanitize: at('src/sanitize.ts'),
        markdown: at('src/markdown.ts'),
        ...Object.fromEntries(locales.map((f) => [`locales/${f.slice(0, -3)}`, at(`src/i18n/${f}`)])),
      },
      onwarn,
      plugins: [nodeResolve({ browser: true }), esbuild({ target, tsconfig: at('tsconfig.json') }), minify({ target, legalComments: 'none', charset: 'utf8' })],
    });
    await b.write({
      dir: at('dist'),
      format: 'es',
      entryFileNames: (c) => (c.name.startsWith('locales/') ? '[name].js' : 'inkwell-[name].js'),
      chunkFileNames: 'inkwell-shared-[hash].js',
      sourcemap: true,
    });
    await b.close();
  }

  // 4. The JSON Schema of the wire contract, types and the custom-elements manifest.
  const { writeJsonSchema } = await import('./json-schema.mjs');
  await writeJsonSchema(new URL('../dist/', import.meta.url), at('docs/protocol.schema.json'));

  const bin = (name) => at(`node_modules/.bin/${name}`);
  execFileSync(at('node_modules/typescript-native/bin/tsc'), ['-p', at('tsconfig.json'), '--emitDeclarationOnly'], { stdio: 'inherit', cwd: root });
  execFileSync(bin('cem'), ['analyze', '--litelement', '--globs', 'src/elements/*.ts', '--quiet'], { stdio: 'inherit', cwd: root });

  return Math.round(performance.now() - t0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  build().then(
    (ms) => console.log(`built dist/ in ${ms} ms`),
    (e) => {
      console.error(e.message ?? e);
      process.exit(1);
    },
  );
}
