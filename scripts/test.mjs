// `npm test`: every test. The path check (nothing under test/, scripts/ or bench/ reads outside the repository), build
// (the node tests check the built package, its size and the demo), type-check, lint, browser tests in Chromium, then
// node tests (server, package, end-to-end) whose summary closes the output.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chromiumPath } from './chromium.mjs';

const nodeTests = ['test/server', 'test/node'].flatMap((d) =>
  existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.test.ts')).map((f) => `${d}/${f}`) : [],
);

chromiumPath(); // fails early, with install instructions, on a machine without a browser
const steps = [
  ['paths inside the repository', ['scripts/check-paths.mjs']],
  ['build', ['scripts/build.mjs']],
  ['typecheck', ['node_modules/typescript-native/bin/tsc', '--noEmit', '-p', 'test/tsconfig.json']],
  ['lint', ['node_modules/eslint/bin/eslint.js', '.']],
  ['browser tests', ['scripts/wtr.mjs']],
  ['node tests', ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...nodeTests]],
];
const failed = [];
for (const [name, args] of steps) {
  const t0 = Date.now();
  console.log(`\n▶ ${name}`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
  console.log(`${r.status === 0 ? '✔' : '✘'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) {
    failed.push(name);
    if (name === 'build') break;
  }
}
if (failed.length) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exit(1);
}
