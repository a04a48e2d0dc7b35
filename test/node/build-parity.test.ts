// The npm build (dist/index.js, as a site's bundler ships it) and the script-tag file (dist/inkwell.js: templates
// minified, private names mangled by terser) must render the same DOM: the same thread, article and count from one
// real server, serialised through every shadow root with its adopted styles, before and after the same interactions.
// The article is markdown and the count German, so the lazy pieces (marked, DOMPurify, a locale) are in it too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launch, requireBuild, root, watchPage } from '../support/browser.js';
import { page as html, startSite, type Site } from '../fixtures/site.js';

const THREAD = 'parity';
const ARTICLE = {
  title: 'Parity of the two builds',
  author: 'Ada',
  publishedAt: '2024-05-01T10:00:00Z',
  format: 'markdown',
  body: '# A heading\n\nSome *markdown* with a [link](https://example.com/a) and `code`.\n\n- one\n- two\n\n<script>alert(1)</script>',
};
// Every clock in both pages reads this, so that "3 minutes ago" is the same words in both.
const NOW = new Date('2030-01-01T12:00:00Z');

/**
 * The DOM under `selector`, one node per line: elements with sorted attributes and the values of form fields, text,
 * each shadow root with the text of its adopted style sheets, and the page's own adopted sheets. Lit's marker
 * comments carry a random number per page load: every comment is written as `<!---->`.
 */
const SERIALISE = (selector: string) => `(() => {
  const out = [];
  const sheets = (list) => [...list].map((s) => [...s.cssRules].map((r) => r.cssText).join('\\n'));
  const walk = (node, depth) => {
    const pad = '  '.repeat(depth);
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.data) out.push(pad + JSON.stringify(node.data));
      return;
    }
    if (node.nodeType === Node.COMMENT_NODE) return out.push(pad + '<!---->');
    if (node instanceof Element) {
      const attrs = [...node.attributes].map((a) => a.name + '=' + JSON.stringify(a.value)).sort();
      if ('value' in node && (node.localName === 'input' || node.localName === 'textarea')) attrs.push('.value=' + JSON.stringify(node.value));
      if (node.localName === 'input') attrs.push('.checked=' + node.checked);
      out.push(pad + '<' + node.localName + (attrs.length ? ' ' + attrs.join(' ') : '') + '>');
      if (node.shadowRoot) {
        out.push(pad + '  #shadow-root');
        for (const css of sheets(node.shadowRoot.adoptedStyleSheets)) out.push(pad + '    <style> ' + css);
        for (const c of node.shadowRoot.childNodes) walk(c, depth + 2);
      }
    }
    for (const c of node.childNodes) walk(c, depth + 1);
  };
  for (const el of document.querySelectorAll(${JSON.stringify(selector)})) walk(el, 0);
  for (const css of sheets(document.adoptedStyleSheets)) out.push('document <style> ' + css);
  return out.join('\\n');
})()`;

describe('the npm build and the script-tag file render the same DOM', () => {
  let browser: Browser;
  let site: Site;

  before(async () => {
    requireBuild();
    // The npm build as a site's bundler would ship it: bundled, but not minified (esbuild keeps templates as built).
    const npm = await build({ stdin: { contents: `import ${JSON.stringify(join(root, 'dist/index.js'))};`, resolveDir: root }, bundle: true, format: 'esm', write: false, logLevel: 'silent' });
    const body = `<ink-article src="/article.json"></ink-article>
<p lang="de">Kommentare: <ink-count endpoint="/api/comments" thread="${THREAD}"></ink-count></p>
<ink-comments endpoint="/api/comments" thread="${THREAD}"></ink-comments>`;
    site = await startSite({
      '/article.json': JSON.stringify(ARTICLE),
      '/npm/app.js': npm.outputFiles[0].text,
      '/npm.html': html('<script type="module" src="/npm/app.js"></script>', body),
      '/script-tag.html': html('<script src="/dist/inkwell.js"></script>', body),
    });
    // A thread with a reply, a website, a link in the text and a multi-line body.
    const post = async (input: object) => {
      const res = await fetch(site.url + '/api/comments', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ thread: THREAD, email: 'reader@example.com', ...input }),
      });
      if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { comment: { id: string } }).comment.id;
    };
    const first = await post({ name: 'Grace Hopper', website: 'https://example.com/grace', body: 'First, with a link: https://example.com/x\n\nAnd a second paragraph.' });
    await post({ name: 'Ada Lovelace', parentId: first, body: 'A reply.' });
    await post({ name: 'ライター', body: 'Non-Latin name, <b>markup as text</b>.' });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  /** The page's DOM once everything has rendered, and again after a reply form is opened and an empty post is tried. */
  async function render(path: string): Promise<string[]> {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
    const page: Page = await context.newPage();
    const watch = await watchPage(page);
    try {
      await page.clock.setFixedTime(NOW);
      await page.goto(site.url + path);
      await page.locator('ink-comments [part~=comment]').nth(2).waitFor();
      await page.locator('ink-article h1').waitFor();
      await page.locator('ink-article ul').waitFor();
      // The German count: the locale file has arrived.
      await page.waitForFunction(() => /3 Kommentare/.test(document.querySelector('ink-count')?.shadowRoot?.textContent ?? ''));
      const states = [await page.evaluate<string>(SERIALISE('ink-article, ink-count, ink-comments'))];

      await page.locator('ink-comments [part~=comment]').first().getByRole('button', { name: 'Reply' }).click();
      const replyForm = page.locator('ink-comments .rf ink-comment-form');
      await replyForm.getByRole('button', { name: 'Post Comment' }).click();
      await replyForm.locator('[aria-invalid=true]').first().waitFor();
      states.push(await page.evaluate<string>(SERIALISE('ink-comments')));
      assert.deepEqual(watch.errors, [], `no page error in ${path}`);
      return states;
    } finally {
      await context.close();
    }
  }

  test('the same thread, article and count, before and after opening a reply form and trying an empty post', async () => {
    const [npm, scriptTag] = [await render('/npm.html'), await render('/script-tag.html')];
    // Not vacuous: the thread rendered, with its styles.
    assert.match(npm[0], /Grace Hopper/);
    assert.match(npm[0], /<style> :host/);
    assert.equal(scriptTag[0], npm[0], 'first render');
    assert.equal(scriptTag[1], npm[1], 'reply form open, empty post tried');
  });
});
