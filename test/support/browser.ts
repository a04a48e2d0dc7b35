/**
 * Node-side helpers for end-to-end tests: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * and the demo server on a temporary database.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs } from '../../scripts/chromium.mjs';

export const root = new URL('../../', import.meta.url).pathname;

/** Fails with a clear message when dist/ has not been built (npm test builds it first). */
export function requireBuild() {
  if (!existsSync(join(root, 'dist/inkwell.js')) || !existsSync(join(root, 'dist/server/index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  }
}

export async function launch(): Promise<Browser> {
  const executablePath = [process.env.CHROME_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
  if (!executablePath) throw new Error('No Chromium: apt-get install -y chromium, or set CHROME_PATH.');
  return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
}

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix = 'inkwell-'): [string, () => void] {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return [dir, () => rmSync(dir, { recursive: true, force: true })];
}

/** Records CSP violations and uncaught errors of a page, from before its first script runs. */
export async function watchPage(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Failed requests are recorded with their URL below.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  return {
    errors,
    csp: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
  };
}

/** All text a reader can see, including inside open shadow roots (but not the values of inputs). */
export function visibleText(page: Page): Promise<string> {
  // A string, not a function: tsx wraps functions with a `__name` helper that the page does not have.
  return page.evaluate(`(() => {
    const out = [];
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) out.push(node.textContent ?? '');
      if (node instanceof Element) {
        if (node.shadowRoot) walk(node.shadowRoot);
        for (const a of Array.from(node.attributes)) if (a.name !== 'value') out.push(a.value);
      }
      for (const c of Array.from(node.childNodes)) walk(c);
    };
    walk(document.documentElement);
    return out.join('\\n');
  })()`);
}
