// The size budget of the script-tag file: everything to show a text article, the thread and the form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BUDGET, sizes } from '../../scripts/size.mjs';
import { requireBuild, root } from '../support/browser.js';

test(`dist/inkwell.js is at most ${BUDGET / 1024} KB brotli`, () => {
  requireBuild();
  const s = sizes(join(root, 'dist/inkwell.js'));
  console.log(`dist/inkwell.js: ${s.raw} B raw, ${s.gzip} B gzip, ${s.brotli} B brotli`);
  assert.ok(s.brotli <= BUDGET, `${s.brotli} B brotli is over the ${BUDGET} B budget`);
});
