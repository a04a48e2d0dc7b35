// Small statistics and formatting helpers.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Median, min and max (and the samples, rounded) of a list of numbers. */
export function summary(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  const r = (x) => Math.round(x * 10) / 10;
  return { median: r(median), min: r(v[0]), max: r(v[v.length - 1]), samples: values.map(r) };
}

/** Raw, gzip (level 9) and brotli (quality 11) bytes of a buffer. */
export function compressed(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }).length,
  };
}

export const sum = (list) => list.reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip, brotli: a.brotli + s.brotli }), { raw: 0, gzip: 0, brotli: 0 });

/** 1 KB = 1,024 bytes, as scripts/size.mjs and the budget count them. */
export const kb = (bytes) => (bytes / 1024).toFixed(1);
export const ms = (x) => (x === null || x === undefined ? '–' : x >= 100 ? String(Math.round(x)) : x.toFixed(1));
export const int = (x) => (x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en'));

/** A plain-text table: the first row is the header; numeric-looking cells align right. */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  const numeric = (s) => /^[-–~≈×x.,0-9 %()KBms/]+$/.test(s) && /\d|–/.test(s);
  const line = (r) =>
    r.map((c, i) => {
      const s = String(c ?? '');
      return numeric(s) && i > 0 ? s.padStart(widths[i]) : s.padEnd(widths[i]);
    }).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** A Markdown table: the first row is the header; columns after the first align right. */
export function mdTable(rows) {
  const esc = (s) => String(s ?? '').replace(/\|/g, '\\|');
  return [
    `| ${rows[0].map(esc).join(' | ')} |`,
    `| ${rows[0].map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.slice(1).map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
