// The script-tag file (dist/inkwell.js, SPEC sections 1 and 4) in Debian's Chromium, on pages served under a strict
// Content Security Policy: the snippet alone, the module form, placement, data-target, loading it twice, and next to
// the npm build.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launch, requireBuild, root, watchPage } from '../support/browser.js';
import { page as html, seed, startSite, type Site } from '../fixtures/site.js';

const ARTICLE = { title: 'An HTML article', format: 'html', body: '<p>Safe <strong>bold</strong> text.</p><script>alert(1)</script>' };

describe('dist/inkwell.js from a script tag', () => {
  let browser: Browser;
  let site: Site;
  let n = 0;

  before(async () => {
    requireBuild();
    // The npm build as a site's bundler would ship it, to load next to the script-tag file.
    const npm = await build({ stdin: { contents: `import ${JSON.stringify(join(root, 'dist/index.js'))};`, resolveDir: root }, bundle: true, format: 'esm', write: false, logLevel: 'silent' });
    site = await startSite({ '/article.json': JSON.stringify(ARTICLE), '/npm/app.js': npm.outputFiles[0].text });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  /** Opens a page with this HTML; `defines` counts each customElements.define() call by tag name. */
  async function visit(body: string) {
    const path = `/page-${++n}.html`;
    site.put(path, body);
    const page = await browser.newPage();
    const watch = await watchPage(page);
    await page.addInitScript(() => {
      const w = window as unknown as { __defines: Record<string, number> };
      w.__defines = {};
      const define = customElements.define.bind(customElements);
      customElements.define = (name, ctor, options) => {
        w.__defines[name] = (w.__defines[name] ?? 0) + 1;
        define(name, ctor, options);
      };
    });
    await page.goto(site.url + path);
    return { page, watch };
  }

  /** Where each mounted <ink-comments> sits: its parent's id (or tag), the previous and next siblings' ids (or tags). */
  const mounts = (page: Page) =>
    // No named helper inside: tsx would wrap it in a `__name()` call that the page does not have.
    page.evaluate(() =>
      [...document.querySelectorAll('ink-comments')].map((el) => {
        const [p, a, b] = [el.parentElement, el.previousElementSibling, el.nextElementSibling];
        return { parent: p && (p.id || p.localName), prev: a && (a.id || a.localName), next: b && (b.id || b.localName), thread: el.getAttribute('thread') };
      }),
    );
  const defines = (page: Page) => page.evaluate(() => (window as unknown as { __defines: Record<string, number> }).__defines);
  const settled = (page: Page) => page.waitForFunction(() => document.readyState === 'complete' && !!customElements.get('ink-comments'));
  const clean = async (watch: Awaited<ReturnType<typeof watchPage>>) => {
    assert.deepEqual(await watch.csp(), [], 'no CSP violation');
    assert.deepEqual(watch.errors, [], 'no page error');
  };
  const thread = () => `t-${++n}-${Math.random().toString(36).slice(2, 8)}`;

  test('a page with nothing but the snippet mounts a working thread', async () => {
    const t = thread();
    await seed(site, t, 'A comment that was there before the page loaded.');
    const { page, watch } = await visit(`<script src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="${t}" async></script>\n`);
    try {
      const comments = page.locator('ink-comments [part~=comment]');
      await comments.filter({ hasText: 'A comment that was there before the page loaded.' }).waitFor();
      // The parser put the tag into <head>: the thread goes to the body, never into <head>.
      assert.deepEqual(await mounts(page), [{ parent: 'body', prev: null, next: null, thread: t }]);

      const form = page.locator('ink-comments ink-comment-form');
      await form.locator('textarea[name=body]').fill('Posted through the snippet.');
      await form.locator('input[name=name]').fill('Grace');
      await form.locator('input[name=email]').fill('grace.snippet@example.com');
      await form.getByRole('button', { name: 'Post Comment' }).click();
      await comments.filter({ hasText: 'Posted through the snippet.' }).waitFor();
      await page.reload();
      await comments.filter({ hasText: 'Posted through the snippet.' }).waitFor();
      assert.equal(await comments.count(), 2);
      await clean(watch);
    } finally {
      await page.close();
    }
  });

  test('the module form mounts too, whatever the file is called, and loads its lazy pieces next to itself', async () => {
    const t = thread();
    await seed(site, t, 'Seen through a module script.');
    const { page, watch } = await visit(
      html('', `<p id="before">before</p>\n<script type="module" id="s" src="/assets/widget.js" data-endpoint="/api/comments" data-thread="${t}" data-lang="de"></script>\n<p id="after">after</p>`),
    );
    try {
      await page.locator('ink-comments [part~=comment]').filter({ hasText: 'Seen through a module script.' }).waitFor();
      assert.deepEqual(await mounts(page), [{ parent: 'body', prev: 's', next: 'after', thread: t }]);
      await page.locator('ink-comments ink-comment-form').getByRole('button', { name: 'Kommentar abschicken' }).waitFor();
      assert.ok(site.requests.includes('/assets/locales/de.js'), 'the German strings came from next to widget.js');
      await clean(watch);
    } finally {
      await page.close();
    }
  });

  test('every data-* setting reaches the element', async () => {
    const { page, watch } = await visit(
      html('', `<script src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="settings" data-sort="newest" data-theme="dark" data-lang="fr" data-page-size="7" data-loading="lazy"></script>`),
    );
    try {
      await page.waitForFunction(() => document.querySelector('ink-comments')?.shadowRoot);
      const got = await page.evaluate(() => {
        const el = document.querySelector('ink-comments')!;
        return { attrs: Object.fromEntries([...el.attributes].map((a) => [a.name, a.value])), props: [el.endpoint, el.thread, el.sort, el.theme, el.lang, el.pageSize, el.loading] };
      });
      assert.deepEqual(got.attrs, { endpoint: '/api/comments', thread: 'settings', sort: 'newest', theme: 'dark', lang: 'fr', 'page-size': '7', loading: 'lazy' });
      assert.deepEqual(got.props, ['/api/comments', 'settings', 'newest', 'dark', 'fr', 7, 'lazy']);
      await clean(watch);
    } finally {
      await page.close();
    }
  });

  test('after the tag in <body>, at the end of <body> from <head>: classic, async, defer and module alike', async () => {
    for (const where of ['head', 'body'] as const) {
      for (const mode of ['', 'async', 'defer', 'type="module"']) {
        const tag = `<script id="s" src="/dist/inkwell.js" ${mode} data-endpoint="/api/comments" data-thread="place"></script>`;
        const { page, watch } = await visit(where === 'head' ? html(tag, '<p id="before">before</p>\n<p id="after">after</p>') : html('', `<p id="before">before</p>\n${tag}\n<p id="after">after</p>`));
        try {
          await settled(page);
          const expected = where === 'head' ? { parent: 'body', prev: 'after', next: null, thread: 'place' } : { parent: 'body', prev: 's', next: 'after', thread: 'place' };
          assert.deepEqual(await mounts(page), [expected], `${where} ${mode || 'classic'}`);
          await clean(watch);
        } finally {
          await page.close();
        }
      }
    }
  });

  test('data-target mounts into the element it names, even one further down a page that is still loading', async () => {
    const cases = [
      // From <head>, a synchronous script runs before the target exists.
      html('<script src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="target" data-target="#comments"></script>', '<p id="x">x</p>\n<section id="comments"><h2 id="h">Talk</h2></section>\n<p id="end">end</p>'),
      // In <body>, above the target.
      html('', '<script src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="target" data-target="main .slot"></script>\n<main><div class="slot" id="comments"><h2 id="h">Talk</h2></div></main>'),
      // Below it, and async.
      html('', '<section id="comments"><h2 id="h">Talk</h2></section>\n<script src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="target" data-target="#comments" async></script>'),
      html('<script type="module" src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="target" data-target="#comments"></script>', '<section id="comments"><h2 id="h">Talk</h2></section>'),
    ];
    for (const body of cases) {
      const { page, watch } = await visit(body);
      try {
        await settled(page);
        assert.deepEqual(await mounts(page), [{ parent: 'comments', prev: 'h', next: null, thread: 'target' }]);
        await clean(watch);
      } finally {
        await page.close();
      }
    }
  });

  test('a data-target that matches nothing logs a clear error and mounts where it would without one', async () => {
    for (const [target, where] of [['#nowhere', 'body'], ['##not a selector', 'body'], ['#nowhere', 'head']] as const) {
      const tag = `<script id="s" src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="lost" data-target="${target}"></script>`;
      const { page, watch } = await visit(where === 'body' ? html('', `${tag}\n<p id="after">after</p>`) : html(tag, '<p id="after">after</p>'));
      try {
        await settled(page);
        assert.deepEqual(await mounts(page), [{ parent: 'body', prev: where === 'body' ? 's' : 'after', next: where === 'body' ? 'after' : null, thread: 'lost' }]);
        assert.equal(watch.errors.length, 1);
        assert.match(watch.errors[0], new RegExp(`Inkwell: data-target="${target}" matches no element; the comments are mounted ${where === 'body' ? 'after the script tag' : 'at the end of <body>'}`));
        assert.deepEqual(await watch.csp(), []);
      } finally {
        await page.close();
      }
    }
  });

  test('without data-endpoint the file defines every element and mounts nothing', async () => {
    const { page, watch } = await visit(html('<script src="/dist/inkwell.js" data-thread="ignored"></script>', '<p>Nothing to mount.</p>'));
    try {
      await settled(page);
      await page.waitForTimeout(200);
      assert.deepEqual(await mounts(page), []);
      assert.deepEqual(await defines(page), { 'ink-article': 1, 'ink-comment-form': 1, 'ink-comments': 1, 'ink-count': 1 });
      await clean(watch);
    } finally {
      await page.close();
    }
  });

  test('loaded twice (or more), it defines each element once and mounts once per tag', async () => {
    const [a, b, c] = [thread(), thread(), thread()];
    await seed(site, a, 'Only in A.');
    await seed(site, b, 'Only in B, on the second server.', '/api2/comments');
    await seed(site, c, 'Only in C, from the second copy.');
    const classic = html(
      `<script id="s1" src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="${a}"></script>`,
      `<p id="p1">1</p>
<script id="s2" src="/dist/inkwell.js" data-endpoint="/api2/comments" data-thread="${b}" async></script>
<p id="p2">2</p>
<script id="s3" src="/dist/inkwell.js"></script>
<script id="s4" src="/cdn/inkwell.js" data-endpoint="/api/comments" data-thread="${c}" defer></script>
<p id="p4">4</p>`,
    );
    // A module runs once per URL, however many tags name it: that one run mounts both tags.
    const modules = html(
      `<script type="module" id="s1" src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="${a}"></script>`,
      `<p id="p1">1</p>\n<script type="module" id="s2" src="/dist/inkwell.js" data-endpoint="/api2/comments" data-thread="${b}"></script>\n<p id="p2">2</p>\n<script id="s4" src="/cdn/inkwell.js" data-endpoint="/api/comments" data-thread="${c}"></script>\n<p id="p4">4</p>`,
    );
    for (const body of [classic, modules]) {
      const { page, watch } = await visit(body);
      try {
        for (const text of ['Only in A.', 'Only in B, on the second server.', 'Only in C, from the second copy.']) {
          await page.locator('ink-comments [part~=comment]').filter({ hasText: text }).waitFor();
        }
        const got = (await mounts(page)).sort((x, y) => x.thread!.localeCompare(y.thread!));
        assert.deepEqual(got, [
          { parent: 'body', prev: 'p4', next: null, thread: a },
          { parent: 'body', prev: 's2', next: 'p2', thread: b },
          { parent: 'body', prev: 's4', next: 'p4', thread: c },
        ].sort((x, y) => x.thread.localeCompare(y.thread)));
        assert.deepEqual(await defines(page), { 'ink-article': 1, 'ink-comment-form': 1, 'ink-comments': 1, 'ink-count': 1 });
        await clean(watch);
      } finally {
        await page.close();
      }
    }
  });

  test('next to the npm build, in either order, nothing throws and the tag still mounts', async () => {
    const t = thread();
    await seed(site, t, 'Next to the npm build.');
    const tag = `<script id="s" src="/dist/inkwell.js" data-endpoint="/api/comments" data-thread="${t}"></script>`;
    for (const body of [html('<script type="module" src="/npm/app.js"></script>', tag), html(tag + '\n<script type="module" src="/npm/app.js"></script>')]) {
      const { page, watch } = await visit(body);
      try {
        await page.locator('ink-comments [part~=comment]').filter({ hasText: 'Next to the npm build.' }).waitFor();
        await page.waitForLoadState('load');
        assert.equal((await mounts(page)).length, 1);
        assert.deepEqual(await defines(page), { 'ink-article': 1, 'ink-comment-form': 1, 'ink-comments': 1, 'ink-count': 1 });
        await clean(watch);
      } finally {
        await page.close();
      }
    }
  });

  test('a page that only shows comments loads no form code; the first focus in the form loads inkwell-form.js', async () => {
    const t = thread();
    await seed(site, t, 'Read, not answered.');
    const before = site.requests.length;
    const { page, watch } = await visit(`<script src="/cdn/inkwell.js" data-endpoint="/api/comments" data-thread="${t}"></script>\n`);
    try {
      const comments = page.locator('ink-comments [part~=comment]');
      await comments.filter({ hasText: 'Read, not answered.' }).waitFor();
      await page.waitForLoadState('load');
      await page.waitForTimeout(300);
      const asked = () => site.requests.slice(before).filter((path) => path.endsWith('.js'));
      assert.deepEqual(asked(), ['/cdn/inkwell.js'], 'nothing but inkwell.js');

      const form = page.locator('ink-comments ink-comment-form');
      await form.locator('input[name=email]').focus();
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/cdn/inkwell-form.js')));
      assert.deepEqual(asked(), ['/cdn/inkwell.js', '/cdn/inkwell-form.js'], 'the form piece, from next to inkwell.js');
      // Its checks and its post work as before.
      await form.locator('input[name=email]').fill('not an address');
      await form.locator('input[name=email]').blur();
      await form.getByText('Please enter a valid email address, like name@example.com.').waitFor();
      await form.locator('textarea[name=body]').fill('Answered after all.');
      await form.locator('input[name=name]').fill('Grace');
      await form.locator('input[name=email]').fill('grace.piece@example.com');
      await form.getByRole('button', { name: 'Post Comment' }).click();
      await comments.filter({ hasText: 'Answered after all.' }).waitFor();
      assert.equal(asked().filter((path) => path.endsWith('inkwell-form.js')).length, 1, 'loaded once');
      await clean(watch);
    } finally {
      await page.close();
    }
  });

  test('when inkwell-form.js cannot load, a submit fails as a network error and keeps what was typed', async () => {
    // inkwell.js alone in a folder: its form piece answers 404.
    site.put('/lonely/inkwell.js', readFileSync(join(root, 'dist/inkwell.js'), 'utf8'));
    const t = thread();
    const { page, watch } = await visit(`<script src="/lonely/inkwell.js" data-endpoint="/api/comments" data-thread="${t}"></script>\n`);
    try {
      const form = page.locator('ink-comments ink-comment-form');
      await page.evaluate(() => {
        const w = window as unknown as { __inkErrors: unknown[] };
        w.__inkErrors = [];
        document.addEventListener('ink-error', (e) => w.__inkErrors.push((e as CustomEvent).detail.error));
      });
      await form.locator('textarea[name=body]').fill('Kept, though the code did not come.');
      await form.locator('input[name=name]').fill('Grace');
      await form.locator('input[name=email]').fill('grace.lonely@example.com');
      await form.getByRole('button', { name: 'Post Comment' }).click();
      const message = 'Could not reach the comment server. Check your connection; your comment is kept here.';
      await form.locator('[part=status]').filter({ hasText: message }).waitFor();
      assert.equal(await form.locator('textarea[name=body]').inputValue(), 'Kept, though the code did not come.');
      assert.equal(await form.locator('input[name=email]').inputValue(), 'grace.lonely@example.com');
      assert.deepEqual(await page.evaluate(() => (window as unknown as { __inkErrors: unknown[] }).__inkErrors), [{ code: 'network', message }]);
      // Submitting again asks for the piece again.
      const asked = () => site.requests.filter((path) => path === '/lonely/inkwell-form.js').length;
      const tries = asked();
      await form.getByRole('button', { name: 'Post Comment' }).click();
      await page.waitForFunction(() => (window as unknown as { __inkErrors: unknown[] }).__inkErrors.length === 2);
      assert.ok(asked() > tries, 'asked again');
      assert.deepEqual(await watch.csp(), [], 'no CSP violation');
      assert.ok(watch.errors.every((e) => e.startsWith('HTTP 404') && e.endsWith('/lonely/inkwell-form.js')), watch.errors.join('\n'));
    } finally {
      await page.close();
    }
  });

  test('the sanitiser and the locales load from next to the script, also for elements that upgrade while it runs', async () => {
    for (const [tag, dir] of [
      ['<script src="/cdn/inkwell.js"></script>', '/cdn/'],
      ['<script src="/cdn/inkwell.js" defer></script>', '/cdn/'],
      ['<script type="module" src="/assets/widget.js"></script>', '/assets/'],
    ]) {
      const before = site.requests.length;
      const { page, watch } = await visit(html(tag, '<div lang="de"><ink-article src="/article.json"></ink-article></div>'));
      try {
        await page.locator('ink-article strong').filter({ hasText: 'bold' }).waitFor();
        const asked = site.requests.slice(before);
        for (const file of ['inkwell-sanitize.js', 'locales/de.js']) assert.ok(asked.includes(dir + file), `${tag}: ${asked.join(' ')}`);
        assert.equal(await page.locator('ink-article script').count(), 0, 'sanitised');
        await clean(watch);
      } finally {
        await page.close();
      }
    }
  });
});
