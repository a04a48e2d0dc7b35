// What the bench needs from this machine, and clear sentences when something is missing.
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem, release, platform, arch, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const benchDir = join(root, 'bench');

/** Flags for headless Chromium on a machine like this one (root, no GPU, loopback only): the tests' own. */
export { chromiumArgs as CHROMIUM_ARGS } from '../../scripts/chromium.mjs';

/** The Chromium to drive, never a downloaded one: CHROME_PATH, else Debian's. */
export function findChromium() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const path = candidates.find((p) => p && existsSync(p));
  return path
    ? { path }
    : {
        path: null,
        why:
          'No Chromium found (looked at CHROME_PATH, /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome). ' +
          'Install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROME_PATH; the bench never downloads a browser.',
      };
}

function pkgVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, '..', 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** A peer as an installed dev dependency: its dist folder, its script-tag files and stylesheet, its version. */
function peer(label, pkg, files) {
  const dir = join(root, 'node_modules', pkg, 'dist');
  return { label, pkg, dir, files, version: () => pkgVersion(dir) };
}

/** The peers, as installed dev dependencies: their script-tag files and stylesheets. */
export const PEERS = {
  waline: peer('Waline', '@waline/client', ['waline.js', 'waline.css']),
  artalk: peer('Artalk', 'artalk', ['Artalk.js', 'Artalk.css']),
};

/** Null when the peer's files are all there, else a sentence saying what is missing and how to get it. */
export function peerMissing(kind) {
  const p = PEERS[kind];
  const missing = p.files.filter((f) => !existsSync(join(p.dir, f)));
  if (missing.length === 0) return null;
  return `${p.pkg} is not installed (missing ${missing.map((f) => join(p.dir, f).slice(root.length + 1)).join(', ')}): run npm install, it is a dev dependency.`;
}

export function machine() {
  const c = cpus();
  return {
    cpu: c[0]?.model?.trim() ?? 'unknown',
    cores: typeof availableParallelism === 'function' ? availableParallelism() : c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  };
}
