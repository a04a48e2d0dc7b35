// `node scripts/size-modules.mjs`: what each module adds to dist/inkwell.js, minified (before compression), so that a
// change can be weighed without a full build. It bundles with the script-tag file's own plugins (rollup.config.mjs),
// then minifies each module alone; private names are not mangled here, so the totals are approximate (and brotli
// works on the whole file).
import { rollup } from 'rollup';
import { transform } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { scriptTagPlugins } from '../rollup.config.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const b = await rollup({ input: root + 'src/embed.ts', onwarn() {}, plugins: scriptTagPlugins() });
const { output } = await b.generate({ format: 'es' });
await b.close();
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
