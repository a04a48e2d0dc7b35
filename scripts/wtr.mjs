// Runs @web/test-runner with tsx loaded, so its config can mount the TypeScript reference server as a real API.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from './chromium.mjs';

process.env.CHROME_PATH = chromiumPath();
// The package exports neither its bin nor its package.json, so take the path npm installs it at.
const bin = fileURLToPath(new URL('../node_modules/@web/test-runner/dist/bin.js', import.meta.url));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--no-warnings', bin, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
