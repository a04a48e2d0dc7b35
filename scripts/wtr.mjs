// Runs @web/test-runner with tsx loaded, so its config can mount the TypeScript reference server as a real API.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromiumPath } from './chromium.mjs';

process.env.CHROME_PATH = chromiumPath();
const bin = createRequire(import.meta.url).resolve('@web/test-runner/dist/bin.js');
const r = spawnSync(process.execPath, ['--import', 'tsx', '--no-warnings', bin, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
