// The local server the browser half of the bench talks to (127.0.0.1 only): the bench pages, dist/, the peers'
// script-tag files, and one fixture API per widget in that widget's own shape. Every API answer is serialised once
// up front, so all three widgets get their bytes equally fast.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { AVATAR_SVG, articleText, artalkConf, artalkPage, inkwellPage, makeComments, walinePage } from './fixtures.mjs';
import { PEERS, root } from './env.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};
const ARTALK_SITE = 'Bench';

/** Thread id / path / page key of a fixture: `n1000` holds 1,000 comments. */
export const threadOf = (n) => `n${n}`;

/**
 * The page of one widget: the shared text article, then a mount point. No widget is created until the bench says.
 * The floor's page is the peers' page with no script at all.
 */
function pageHtml(kind, { article }) {
  const head = {
    inkwell: '<script src="/dist/inkwell.js"></script>',
    waline:
      '<link rel="stylesheet" href="/peer/waline/waline.css">\n' +
      '<script type="module">import * as Waline from "/peer/waline/waline.js"; window.Waline = Waline; window.dispatchEvent(new Event("bench-ready"));</script>',
    artalk: '<link rel="stylesheet" href="/peer/artalk/Artalk.css">\n<script src="/peer/artalk/Artalk.js"></script>',
    floor: '',
  }[kind];
  const paras = article.body.split('\n\n').map((p) => `<p>${p}</p>`).join('\n');
  // Inkwell shows the article with <ink-article> (given the same text as a property, as a site would); the peers have
  // no article element, so theirs is plain HTML. Either way the article is on the page before the clock starts.
  const data = JSON.stringify({ title: article.title, body: article.body, format: 'text' }).replace(/</g, '\\u003c');
  const articleHtml =
    kind === 'inkwell'
      ? `<ink-article id="article"></ink-article>\n<script>document.getElementById('article').article = ${data};</script>`
      : `<article><h1>${article.title}</h1>\n${paras}</article>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${kind} bench</title>
<style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }</style>
${head}
</head>
<body>
<main>
${articleHtml}
<section id="mount"></section>
</main>
</body>
</html>`;
}

/**
 * Starts the server on 127.0.0.1 with fixtures for every N in `ns`. Resolves with `{ origin, close, unexpected }`:
 * `unexpected` lists the requests nothing here answers (a widget phoning somewhere the bench did not plan for).
 */
export async function startPageServer(ns) {
  const sizes = [...new Set([...ns, 10])];
  const all = makeComments(Math.max(...sizes));
  const article = articleText();
  const json = (v) => Buffer.from(JSON.stringify(v));
  const api = { inkwell: new Map(), waline: new Map(), artalk: new Map() };
  const artalkVersion = PEERS.artalk.version() ?? '2.9.1';
  const unexpected = [];

  const files = new Map();
  const file = (p) => {
    if (!files.has(p)) files.set(p, existsSync(p) ? readFileSync(p) : null);
    return files.get(p);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://bench');
    const path = decodeURIComponent(url.pathname);
    const q = url.searchParams;
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const sizeOf = (key) => {
      const m = /^\/?n(\d+)$/.exec(key ?? '');
      return m && sizes.includes(Number(m[1])) ? Number(m[1]) : null;
    };

    // Inkwell, wire protocol v1.
    if (path === '/api/comments') {
      const n = sizeOf(q.get('thread'));
      if (n === null) return send(404, TYPES['.json'], json({ error: { code: 'not_found', message: 'No such fixture.' } }));
      return send(200, TYPES['.json'], api.inkwell.get(n));
    }
    // Waline 3.
    if (path === '/api/comment') {
      if (q.get('type')) return send(200, TYPES['.json'], json({ errno: 0, errmsg: '', data: [0] }));
      const n = sizeOf(q.get('path'));
      if (n === null) return send(200, TYPES['.json'], json({ errno: 0, errmsg: '', data: { count: 0, page: 1, pageSize: 10, totalPages: 0, data: [] } }));
      return send(200, TYPES['.json'], api.waline.get(n));
    }
    // Artalk 2.9.
    if (path === '/api/v2/conf') return send(200, TYPES['.json'], json(artalkConf(artalkVersion)));
    if (path === '/api/v2/comments') {
      const n = sizeOf(q.get('page_key'));
      if (n === null) return send(200, TYPES['.json'], json(artalkPage(q.get('page_key') ?? '', ARTALK_SITE, [])));
      return send(200, TYPES['.json'], api.artalk.get(n));
    }
    if (path === '/api/v2/pages/pv') return send(200, TYPES['.json'], json({ pv: 1 }));
    if (path.startsWith('/avatar/')) return send(200, TYPES['.svg'], Buffer.from(AVATAR_SVG));

    // Pages.
    const page = /^\/page\/(inkwell|waline|artalk|floor)\.html$/.exec(path);
    if (page) return send(200, TYPES['.html'], Buffer.from(pageHtml(page[1], { article })));
    if (path === '/article.json') return send(200, TYPES['.json'], json({ ...article, format: 'text' }));

    // Files: dist/ and the peers' dist folders, nothing else.
    let base = null;
    let rel = null;
    if (path.startsWith('/dist/')) [base, rel] = [join(root, 'dist'), path.slice(6)];
    else if (path.startsWith('/peer/waline/')) [base, rel] = [PEERS.waline.dir, path.slice(13)];
    else if (path.startsWith('/peer/artalk/')) [base, rel] = [PEERS.artalk.dir, path.slice(13)];
    if (base) {
      const p = normalize(join(base, rel));
      const body = p.startsWith(base + sep) ? file(p) : null;
      if (body) return send(200, TYPES[extname(p)] ?? 'application/octet-stream', body);
    }
    if (path !== '/favicon.ico') unexpected.push(`${req.method} ${path}${url.search}`);
    send(404, 'text/plain; charset=utf-8', Buffer.from('Not found'));
  });

  // Long enough that a connection kept alive across a slow step (brotli of a big answer) is not reset under us.
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  for (const n of sizes) {
    const list = all.slice(0, n);
    api.inkwell.set(n, json(inkwellPage(threadOf(n), list)));
    api.waline.set(n, json(walinePage(list, `${origin}/avatar/`)));
    api.artalk.set(n, json(artalkPage(`/${threadOf(n)}`, ARTALK_SITE, list)));
  }
  return {
    origin,
    article,
    unexpected,
    /** The size in bytes of each widget's API answer for N comments. */
    apiBytes: (n) => ({ inkwell: api.inkwell.get(n).length, waline: api.waline.get(n).length, artalk: api.artalk.get(n).length }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export { ARTALK_SITE };
