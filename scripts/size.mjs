// `node scripts/size.mjs`: raw, gzip and brotli bytes of the script-tag file and its lazy pieces, against the budget.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
/** The budget of dist/inkwell.js, brotli quality 11: 18 KB, with a target of 15 KB. */
export const BUDGET = 18 * 1024;
export const TARGET = 15 * 1024;

export function sizes(file) {
  const buf = readFileSync(file);
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(dist + "inkwell.js")) {
    console.error('dist/inkwell.js is missing: run npm run build');
    process.exit(1);
  }
  const files = ['inkwell.js', ...readdirSync(dist).filter((f) => /^inkwell-.*\.js$/.test(f)), ...(existsSync(dist + 'locales') ? readdirSync(dist + 'locales').filter((f) => f.endsWith('.js')) : []).map((f) => `locales/${f}`)];
  console.log('file'.padEnd(34), 'raw'.padStart(8), 'gzip'.padStart(8), 'brotli'.padStart(8));
  for (const f of files) {
    const s = sizes(dist + f);
    console.log(f.padEnd(34), String(s.raw).padStart(8), String(s.gzip).padStart(8), String(s.brotli).padStart(8));
  }
  const main = sizes(dist + 'inkwell.js').brotli;
  console.log(`\ninkwell.js: ${(main / 1024).toFixed(2)} KB brotli; budget ${BUDGET / 1024} KB, target ${TARGET / 1024} KB: ${main <= BUDGET ? 'within budget' : 'OVER BUDGET'}`);
  process.exit(main <= BUDGET ? 0 : 1);
}
