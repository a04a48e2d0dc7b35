// `node scripts/size-modules.mjs`: what each module adds to dist/inkwell.js, minified (before compression), so that a
// change can be weighed without a full build. Totals are approximate: brotli works on the whole file.
import { rollup } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { transform } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { minifyTemplates } from './minify-templates.mjs';
import { embedLazy } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const b = await rollup({
  input: root + 'src/embed.ts',
  onwarn() {},
  plugins: [
    embedLazy,
    nodeResolve({ browser: true }),
    esbuild({ target: 'es2022', tsconfig: root + 'tsconfig.json' }),
    minifyTemplates(),
  ],
});
const { output } = await b.generate({ format: 'es' });
const rows = {};
for (const [id, m] of Object.entries(output[0].modules)) {
  const key = id.includes('node_modules/') ? id.split('node_modules/')[1].split('/').slice(0, id.includes('node_modules/@') ? 2 : 1).join('/') : id.replace(root, '');
  rows[key] = (rows[key] ?? 0) + (await transform(m.code ?? '', { minify: true, loader: 'js', charset: 'utf8' })).code.length;
}
let total = 0;
for (const [k, v] of Object.entries(rows).sort((a, b) => b[1] - a[1])) {
  total += v;
  console.log(String(v).padStart(7), k);
}
console.log(String(total).padStart(7), 'total (minified bytes)');
