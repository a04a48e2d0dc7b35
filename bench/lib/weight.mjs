// Weight: the script-tag files on disk, and what a text-only article page with comments actually downloads,
// taken from the browser's network traffic (response bodies, compressed here the same way as the files).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PEERS, root } from './env.mjs';
import { compressed, sum } from './stats.mjs';
import { inPage, READY } from './render.mjs';
import { ARTALK_SITE, threadOf } from './page-server.mjs';

/** The script-tag files (and stylesheets) each widget asks a site to include. */
export function scriptTagFiles(kind) {
  if (kind === 'inkwell') return [{ name: 'dist/inkwell.js', path: join(root, 'dist/inkwell.js') }];
  const p = PEERS[kind];
  return p.files.map((f) => ({ name: `${p.pkg}/dist/${f}`, path: join(p.dir, f) }));
}

export function fileWeights(kinds) {
  const out = {};
  for (const kind of kinds) {
    const files = scriptTagFiles(kind)
      .filter((f) => existsSync(f.path))
      .map((f) => ({ name: f.name, ...compressed(readFileSync(f.path)) }));
    out[kind] = { files, total: sum(files) };
  }
  return out;
}

const category = (path) =>
  path.startsWith('/page/') ? 'document' : path.startsWith('/api/') ? 'api' : path.startsWith('/avatar/') ? 'avatar' : 'code';

/**
 * Opens each widget's page in a fresh browser context (empty cache), shows `n` comments (Inkwell also an
 * `<ink-article>` with a text body), waits until the network is quiet, and sums what was downloaded.
 */
export async function pageWeights({ browser, origin, article, kinds, n = 10, log }) {
  const out = {};
  for (const kind of kinds) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pending = [];
    let last = Date.now();
    page.on('request', () => (last = Date.now()));
    page.on('response', (res) => {
      last = Date.now();
      pending.push(
        res.body().then(
          (body) => ({ url: new URL(res.url()), status: res.status(), type: res.headers()['content-type'] ?? '', body }),
          () => null,
        ),
      );
    });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${origin}/page/${kind}.html`, { waitUntil: 'load', timeout: 30_000 });
      await page.waitForFunction(READY[kind], null, { timeout: 15_000 });
      if (kind === 'inkwell') {
        await page.evaluate((a) => {
          document.getElementById('article').article = { title: a.title, body: a.body, format: 'text' };
        }, article);
      }
      const r = await page.evaluate(inPage, { kind, n, origin, thread: threadOf(n), site: ARTALK_SITE, timeout: 30_000 });
      if (r.error) throw new Error(r.error);
      if (kind === 'inkwell') {
        await page
          .waitForFunction((t) => document.getElementById('article')?.shadowRoot?.textContent?.includes(t), article.title, { timeout: 10_000 })
          .catch(() => errors.push('<ink-article> did not show the article title within 10 s'));
      }
      // Quiet for 500 ms: lazy chunks, fonts and avatars have had their chance.
      while (Date.now() - last < 500) await page.waitForTimeout(100);
      const responses = (await Promise.all(pending)).filter(Boolean);
      const requests = responses.map((x) => ({
        path: x.url.pathname,
        category: category(x.url.pathname),
        status: x.status,
        type: x.type.split(';')[0],
        ...compressed(x.body),
      }));
      const of = (c) => requests.filter((q) => q.category === c);
      out[kind] = {
        comments: n,
        requests,
        code: sum(of('code')),
        codeFiles: of('code').map((q) => q.path),
        api: sum(of('api')),
        avatars: of('avatar').length,
        avatarBytes: sum(of('avatar')),
        errors,
      };
      log(`  ${kind}: ${of('code').length} code/style file(s), ${of('api').length} API call(s), ${of('avatar').length} avatar image(s)`);
    } catch (e) {
      out[kind] = { error: [e.message.split('\n')[0], ...errors].join('; ') };
      log(`  ${kind}: FAILED ${out[kind].error}`);
    } finally {
      await context.close().catch(() => {});
    }
  }
  return out;
}
