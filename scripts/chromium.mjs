// Finds the Chromium that tests drive. Nothing here downloads a browser: a machine without one is told how to get it.
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The path of a Chromium executable, or exits with instructions. */
export function chromiumPath() {
  const found = candidates.find((p) => p && existsSync(p));
  if (found) return found;
  console.error(
    'No Chromium found for the browser tests.\n' +
      '  On Debian/Ubuntu: sudo apt-get install -y chromium   (installs /usr/bin/chromium)\n' +
      '  Or point CHROME_PATH at a Chrome or Chromium executable.',
  );
  process.exit(1);
}

/** Flags for headless Chromium on this kind of machine (as root, no GPU, no network beyond loopback). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Test files run two at a time in one browser: keep background pages' timers and frames running.
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
];
