// `node scripts/screenshots.mjs`: the README's pictures, taken in headless Debian Chromium from the real demo on a
// temporary database with a few comments: docs/demo.png and docs/theme-<name>.png. Needs a build (npm run build).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { startDemo } from '../demo/server.mjs';

const docs = new URL('../docs/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'inkwell-shots-'));
const demo = await startDemo({ port: 0, db: join(dir, 'demo.db'), floodSeconds: 0 });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
try {
  const api = new URL('api/comments', demo.url).href;
  const post = async (c) => {
    const r = await fetch(api, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ thread: '/russia-china-military-ties', email: `${c.name.split(' ')[0].toLowerCase()}@example.com`, ...c }),
    });
    return (await r.json()).comment;
  };
  const first = await post({ name: 'Ada Lovelace', website: 'https://ada.example', body: 'A clear summary. The trade figures in the last paragraphs are the part I had not seen reported elsewhere: https://example.com/trade' });
  await post({ name: 'Grace Hopper', parentId: first.id, body: 'Agreed. Customs data is usually the most reliable source for this.' });
  await post({ name: 'Alan Turing', body: 'Would be good to see the original transcript of the video call.\n\nDoes anyone have a link?' });

  const page = await browser.newPage({ viewport: { width: 1000, height: 1300 }, deviceScaleFactor: 1 });
  await page.goto(demo.url);
  await page.locator('ink-comments [part~=comment]').first().waitFor();
  await page.screenshot({ path: join(docs, 'demo.png') });
  for (const theme of ['default', 'newspaper', 'contrast', 'dark']) {
    await page.evaluate((t) => localStorage.setItem('inkwell-demo-theme', t === 'default' ? '' : t), theme);
    await page.reload();
    const comments = page.locator('ink-comments');
    await comments.locator('[part~=comment]').first().waitFor();
    await comments.scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    await comments.screenshot({ path: join(docs, `theme-${theme}.png`) });
  }
  console.log('wrote docs/demo.png and docs/theme-{default,newspaper,contrast,dark}.png');
} finally {
  await browser.close();
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
}
