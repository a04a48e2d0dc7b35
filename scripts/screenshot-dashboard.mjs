// `node scripts/screenshot-dashboard.mjs`: docs/dashboard.png, the moderation dashboard as the reference server
// serves it at {basePath}/dashboard (its strict CSP included), signed in over a few held comments. Taken in headless
// Debian Chromium on a temporary database. Needs a build (npm run build): dist/server/ and dist/inkwell-admin.js.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { createHandler } from '../dist/server/index.js';

const docs = new URL('../docs/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'inkwell-dashboard-'));
const token = 'screenshot-owner-token';
const handler = createHandler({ db: join(dir, 'dashboard.db'), basePath: '/api/comments', moderation: 'first-time', adminToken: token, floodSeconds: 0 });
const server = createServer(handler);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/api/comments`;
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
try {
  const post = async (c) => {
    const r = await fetch(base, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ thread: '/russia-china-military-ties', website: null, parentId: null, ...c }),
    });
    const data = await r.json();
    if (!r.ok) throw new Error(`seeding failed: ${JSON.stringify(data)}`);
    return data.comment;
  };
  const admin = (path, method = 'POST') => fetch(`${base}/admin${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
  // Ada's first comment is held (first time), then approved, so that her reply counts one approved comment.
  const first = await post({ name: 'Ada Lovelace', email: 'ada@example.com', body: 'A clear summary. The trade figures in the last paragraphs are the part I had not seen reported elsewhere.' });
  await admin(`/comments/${first.id}/approve`);
  await post({ name: 'Ada Lovelace', email: 'ada@example.com', parentId: first.id, body: 'Following up: the customs data for October is out now.' });
  await post({ name: 'Grace Hopper', email: 'grace@example.com', parentId: first.id, body: 'Agreed. Customs data is usually the most reliable source for this.' });
  await post({ name: 'Cheap Watches', email: 'deals@example.net', body: 'Best prices https://spam.example/a and https://spam.example/b' });
  await post({ name: 'Alan Turing', email: 'alan@example.com', thread: '/energy-prices', body: 'Would be good to see the original transcript of the video call.\n\nDoes anyone have a link?' });

  const page = await browser.newPage({ viewport: { width: 1000, height: 1200 }, deviceScaleFactor: 1 });
  const problems = [];
  // Failed requests are reported with their URL (the browser's own favicon request is not the dashboard's).
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`HTTP ${r.status()} ${r.url()}`));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${base}/dashboard`);
  await page.locator('ink-moderation #token').fill(token);
  await page.locator('ink-moderation .sign-in button').click();
  await page.locator('ink-moderation article.item').first().waitFor();
  await page.locator('ink-moderation article.item').first().focus();
  await page.waitForTimeout(200);
  if (problems.length) throw new Error(`The dashboard page reported: ${problems.join('; ')}`);
  await page.screenshot({ path: join(docs, 'dashboard.png'), fullPage: true });
  console.log('wrote docs/dashboard.png');
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
