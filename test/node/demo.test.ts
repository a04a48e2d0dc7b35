// End-to-end: the real demo (`npm start`'s server) in Debian's Chromium, as a reader uses it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launch, requireBuild, root, tempDir, visibleText, watchPage } from '../support/browser.js';

describe('demo end to end', () => {
  let browser: Browser;
  let dir: string;
  let cleanup: () => void;
  let startDemo: (o: object) => Promise<{ url: string; dashboardUrl: string; adminToken: string; close(): Promise<void> }>;

  before(async () => {
    requireBuild();
    [dir, cleanup] = tempDir('inkwell-demo-');
    ({ startDemo } = await import(join(root, 'demo/server.mjs')));
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    cleanup?.();
  });

  test('the seed article renders, a posted comment is stored in SQLite and survives a reload and a restart', async () => {
    const db = join(dir, 'demo.db');
    let demo = await startDemo({ port: 0, db, floodSeconds: 0 });
    const page = await browser.newPage();
    const watch = await watchPage(page);
    try {
      const res = await page.goto(demo.url);
      assert.match(res!.headers()['content-security-policy'], /script-src 'self'/);
      await page.locator('ink-article [part~=title]').filter({ hasText: 'Increasing military ties between Russia and China' }).waitFor();
      await page.locator('ink-article').getByText('President Putin announced that Russia wants to strengthen military cooperation').waitFor();

      const form = page.locator('ink-comments ink-comment-form');
      await form.locator('textarea[name=body]').fill('A first comment from the end-to-end test.\n\nSecond paragraph.');
      await form.locator('input[name=name]').fill('Ada Lovelace');
      await form.locator('input[name=email]').fill('ada.e2e@example.com');
      await form.locator('input[name=website]').fill('https://ada.example');
      await form.getByRole('button', { name: 'Post Comment' }).click();
      const posted = page.locator('ink-comments [part~=comment]').filter({ hasText: 'A first comment from the end-to-end test.' });
      await posted.waitFor();

      await page.reload();
      await posted.waitFor();
      assert.equal(await page.locator('ink-comments [part~=author]').filter({ hasText: 'Ada Lovelace' }).count(), 1);

      await demo.close();
      demo = await startDemo({ port: 0, db, floodSeconds: 0 });
      await page.goto(demo.url);
      await posted.waitFor();

      const text = await visibleText(page);
      assert.ok(!text.includes('ada.e2e@example.com'), 'the email is nowhere in the rendered page');
      assert.deepEqual(await watch.csp(), [], 'no CSP violation');
      assert.deepEqual(watch.errors, [], 'no page error');
    } finally {
      await page.close();
      await demo.close();
    }
  });

  test('the demo links its moderation dashboard, which signs in with the token npm start prints', async () => {
    const demo = await startDemo({ port: 0, db: join(dir, 'dashboard.db'), floodSeconds: 0, adminToken: 'demo-owner-token' });
    const page = await browser.newPage();
    const watch = await watchPage(page);
    try {
      await page.goto(demo.url);
      await page.getByRole('link', { name: 'Open the moderation dashboard' }).click();
      await page.waitForURL(demo.dashboardUrl);
      await page.getByLabel('Owner or moderator token').fill(demo.adminToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Signed in as').first().waitFor();
      assert.deepEqual(await watch.csp(), [], 'no CSP violation on the dashboard');
      assert.deepEqual(watch.errors, [], 'no page error');
    } finally {
      await page.close();
      await demo.close();
    }
  });

  test('the demo API never returns the email', async () => {
    const demo = await startDemo({ port: 0, db: join(dir, 'api.db'), floodSeconds: 0 });
    try {
      const api = new URL('api/comments', demo.url).href;
      const post = await fetch(api, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ thread: '/x', name: 'Bo', email: 'secret.bo@example.com', body: 'Hello' }),
      });
      assert.equal(post.status, 201);
      assert.ok(!(await post.text()).includes('secret.bo'));
      const list = await fetch(`${api}?thread=/x`);
      const body = await list.text();
      assert.ok(body.includes('Hello') && !body.includes('secret.bo'));
    } finally {
      await demo.close();
    }
  });
});
