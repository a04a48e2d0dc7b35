// Inkwell under a strict Content Security Policy (`script-src 'self'; style-src 'self'`: no inline script, no eval,
// no inline style): every element, every lazy piece and every state a reader can reach, in Debian's Chromium, with
// the page's `securitypolicyviolation` events recorded from before the first script runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch, requireBuild, root, tempDir, watchPage } from '../support/browser.js';
import { page as html, seed, startSite, STRICT_CSP, type Site } from '../fixtures/site.js';

const MARKDOWN = {
  title: 'A markdown article',
  format: 'markdown',
  body: '## Section\n\nSome *emphasis*, a [link](https://example.com) and `code`.\n\n- one\n- two\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n> quoted\n\n```\nblock\n```\n',
};
const HTML = { title: 'An HTML article', format: 'html', author: 'Ada', publishedAt: '2026-11-27T08:00:00Z', body: '<h2>Part</h2><p>Text with <a href="https://example.com">a link</a>.</p><script>alert(1)</script>' };

describe('under a strict Content Security Policy', () => {
  let browser: Browser;
  let site: Site;

  before(async () => {
    requireBuild();
    site = await startSite({ '/md.json': JSON.stringify(MARKDOWN), '/html.json': JSON.stringify(HTML) });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(path: string, body: string) {
    site.put(path, body);
    const page = await browser.newPage();
    const watch = await watchPage(page);
    const res = await page.goto(site.url + path);
    assert.equal(res!.headers()['content-security-policy'], STRICT_CSP);
    return { page, watch };
  }

  test('the watcher sees a violation when there is one (so that an empty list below means something)', async () => {
    site.put('/bad.js', 'document.body.setAttribute("style", "color: red"); eval("1");');
    const { page, watch } = await open('/bad.html', html('', '<p style="color: red">inline style</p>\n<script>document.title = "inline"</script>\n<script src="/bad.js"></script>'));
    try {
      await page.waitForFunction(() => (window as unknown as { __csp: string[] }).__csp.length >= 4);
      const got = (await watch.csp()).map((v) => v.split(' ')[0]).sort();
      assert.deepEqual(got, ['script-src-elem', 'script-src', 'style-src-attr', 'style-src-attr'].sort());
    } finally {
      await page.close();
    }
  });

  test('every element, lazy piece and reader action runs with no violation and no error', async () => {
    const [t, ar] = [`csp-${Date.now()}`, `csp-ar-${Date.now()}`];
    await seed(site, t, 'The first seeded comment.');
    await seed(site, t, 'The second seeded comment.');
    await seed(site, ar, 'تعليق');
    const { page, watch } = await open(
      '/kitchen.html',
      html(
        `<script src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="${t}" data-page-size="1" data-theme="dark" data-target="#talk" defer></script>`,
        `<ink-article src="/md.json"></ink-article>
<ink-article src="/html.json" theme="dark"></ink-article>
<p lang="de">Kommentare: <ink-count endpoint="/api/comments" thread="${t}"></ink-count></p>
<section id="talk"></section>
<div dir="rtl" lang="ar"><ink-comments endpoint="/api/comments" thread="${ar}" theme="light" loading="lazy"></ink-comments></div>
<ink-comments id="unconfigured"></ink-comments>`,
      ),
    );
    try {
      // The lazy pieces: marked and DOMPurify for the articles, German and Arabic strings.
      await page.locator('ink-article table').waitFor();
      await page.locator('ink-article a[href="https://example.com"]').first().waitFor();
      await page.locator('ink-count').filter({ hasText: '2 Kommentare' }).waitFor();
      // loading="lazy": it fetches once scrolled near.
      await page.locator('[lang=ar] ink-comments').scrollIntoViewIfNeeded();
      await page.locator('[lang=ar] ink-comments [part~=comment]').filter({ hasText: 'تعليق' }).waitFor();
      await page.locator('#unconfigured [part~=error]').waitFor();
      for (const file of ['/dist/inkwell-markdown.js', '/dist/inkwell-sanitize.js', '/dist/locales/de.js', '/dist/locales/ar.js']) {
        assert.ok(site.requests.includes(file), `${file} was loaded`);
      }

      const talk = page.locator('#talk ink-comments');
      const form = talk.locator('ink-comment-form').first();
      // Validation: every error next to its field, and the summary.
      await form.getByRole('button', { name: 'Post Comment' }).click();
      await form.getByText('Please write a comment.').first().waitFor();
      await form.locator('input[name=website]').fill('ftp://nope');
      await form.locator('input[name=website]').blur();
      await form.getByText('Please enter a web address starting with http:// or https://.').first().waitFor();
      // A post, "Load more", a reply.
      await form.locator('textarea[name=body]').fill('Posted under a strict policy.');
      await form.locator('input[name=name]').fill('Lin');
      await form.locator('input[name=email]').fill('lin.csp@example.com');
      await form.locator('input[name=website]').fill('https://lin.example');
      await form.getByRole('button', { name: 'Post Comment' }).click();
      await talk.locator('[part~=comment]').filter({ hasText: 'Posted under a strict policy.' }).waitFor();
      // The form's behaviour is a lazy piece too, loaded when the reader first touched the form.
      assert.ok(site.requests.includes('/dist/inkwell-form.js'), '/dist/inkwell-form.js was loaded');
      await talk.getByRole('button', { name: 'Load more comments' }).click();
      await talk.locator('[part~=comment]').filter({ hasText: 'The second seeded comment.' }).waitFor();
      await talk.getByRole('button', { name: 'Reply to Seed Reader' }).first().click();
      const reply = talk.locator('ink-comment-form').filter({ hasText: 'Leave a reply to Seed Reader' });
      await reply.locator('textarea[name=body]').fill('A reply under a strict policy.');
      await reply.locator('input[name=name]').fill('Lin');
      await reply.locator('input[name=email]').fill('lin.csp@example.com');
      await reply.getByRole('button', { name: 'Post Comment' }).click();
      await talk.locator('[part~=comment]').filter({ hasText: 'A reply under a strict policy.' }).waitFor();
      // Themes switched at run time.
      await page.evaluate(() => document.querySelectorAll('ink-comments, ink-article').forEach((el) => el.setAttribute('theme', 'light')));
      await page.waitForTimeout(100);

      assert.deepEqual(await watch.csp(), [], 'no CSP violation');
      assert.deepEqual(watch.errors, [], 'no page error');
    } finally {
      await page.close();
    }
  });

  test('error states render with no violation either', async () => {
    const { page, watch } = await open('/errors.html', html('<script src="/dist/inkwell.js" defer></script>', '<ink-comments endpoint="/nowhere/comments" thread="x"></ink-comments>\n<ink-article src="/missing.json"></ink-article>'));
    try {
      await page.locator('ink-comments [part~=error]').first().waitFor();
      await page.locator('ink-article [role=alert]').first().waitFor();
      assert.deepEqual(await watch.csp(), [], 'no CSP violation');
      // The two 404s asked for, and nothing else.
      assert.deepEqual(watch.errors.filter((e) => !/^HTTP 404 \S+\/(missing\.json|nowhere\/comments\?)/.test(e)), []);
    } finally {
      await page.close();
    }
  });

  test('the demo is served with the policy, and its theme and language pickers work under it', async () => {
    const [dir, cleanup] = tempDir('inkwell-csp-demo-');
    const { startDemo, CSP } = (await import(join(root, 'demo/server.mjs'))) as { startDemo(o: object): Promise<{ url: string; close(): Promise<void> }>; CSP: string };
    assert.match(CSP, /script-src 'self'[;]/);
    assert.match(CSP, /style-src 'self'[;]/);
    const demo = await startDemo({ port: 0, db: join(dir, 'demo.db'), floodSeconds: 0 });
    let page: Page | undefined;
    try {
      page = await browser.newPage();
      const watch = await watchPage(page);
      const res = await page.goto(demo.url);
      assert.equal(res!.headers()['content-security-policy'], CSP);
      await page.locator('ink-article [part~=title]').waitFor();
      const arabic = page.waitForResponse((r) => r.url().endsWith('/dist/locales/ar.js'));
      await page.selectOption('#demo-lang', 'ar');
      await arabic;
      await page.selectOption('#demo-theme', 'dark');
      await page.selectOption('#demo-theme', 'newspaper');
      await page.waitForTimeout(200);
      assert.deepEqual(await watch.csp(), [], 'no CSP violation');
      assert.deepEqual(watch.errors, [], 'no page error');
    } finally {
      await page?.close();
      await demo.close();
      cleanup();
    }
  });

  test('the shipped scripts hold no eval and the element templates no inline style', () => {
    const scripts = ['dist/inkwell.js', 'dist/inkwell-form.js', 'dist/inkwell-sanitize.js', 'dist/inkwell-markdown.js', ...readdirSync(join(root, 'dist/locales')).map((f) => `dist/locales/${f}`)];
    for (const file of scripts.filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(root, file), 'utf8');
      assert.doesNotMatch(code, /\beval\(|new Function\b|\bFunction\(/, file);
    }
    for (const file of readdirSync(join(root, 'src/elements'))) {
      // A `style` attribute in a template is refused by `style-src 'self'`; classes, or lit's styleMap (CSSOM), are not.
      assert.doesNotMatch(readFileSync(join(root, 'src/elements', file), 'utf8'), /\sstyle=/, file);
    }
  });
});
