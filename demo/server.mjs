// The demo: one Node process that serves the demo page, the built files in dist/ and the reference comments API
// on SQLite, under a strict Content Security Policy (no inline script or style anywhere on the page).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandler } from '../dist/server/index.js';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The policy every demo page is served with: everything from this origin, nothing inline, no eval. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The seed article as Article JSON: its first line is the title, the paragraphs follow. The closing lines of the
 * seed ("Leave a comment", the email note) are the comment form's own words, so the form renders them, not the article.
 */
export function articleFromText(text) {
  const [title, ...rest] = text.replace(/\r\n/g, '\n').split('\n');
  let body = rest.join('\n').trim();
  const cut = body.search(/\n\s*Leave a comment\s*(\n|$)/);
  if (cut >= 0) body = body.slice(0, cut).trim();
  return { title: title.trim(), body, format: 'text', author: null, publishedAt: null, url: null };
}

async function serveFile(res, file, extraHeaders = {}) {
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
    res.writeHead(200, {
      'Content-Type': types[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      ...extraHeaders,
    });
    res.end(await readFile(file));
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the demo. `port` 0 picks a free one. Resolves with the URL and a `close()`; rejects with a readable
 * message when the port is taken or the database cannot be opened.
 */
export async function startDemo({
  port = 8080,
  host = undefined,
  db = join(root, '.data/demo.db'),
  floodSeconds,
  // The owner's token for the moderation dashboard: INKWELL_ADMIN_TOKEN, or a new one each start (printed once).
  adminToken = process.env.INKWELL_ADMIN_TOKEN || `demo_${randomBytes(18).toString('base64url')}`,
} = {}) {
  const api = createHandler({ db, basePath: '/api/comments', floodSeconds, moderation: 'none', adminToken });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://demo');
    const path = decodeURIComponent(url.pathname);
    if (path === '/api/comments' || path.startsWith('/api/comments/')) return api(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/article.json') {
      const text = await readFile(join(root, 'demo/article.txt'), 'utf8');
      res.writeHead(200, { 'Content-Type': types['.json'], 'Cache-Control': 'no-cache' });
      res.end(JSON.stringify(articleFromText(text)));
      return;
    }
    const dir = path.startsWith('/dist/') ? root : join(root, 'demo');
    const file = normalize(join(dir, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(dir + sep) || file.endsWith('.mjs') || file.endsWith('.db')) {
      res.writeHead(404, { 'Content-Type': types['.txt'] }).end('Not found');
      return;
    }
    const headers = file.endsWith('.html') ? { 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer' } : {};
    if (!(await serveFile(res, file, headers))) res.writeHead(404, { 'Content-Type': types['.txt'] }).end('Not found');
  });
  await new Promise((resolve, reject) => {
    server.once('error', (e) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use. Stop the other server or choose another port: PORT=8081 npm start`) : e),
    );
    server.listen(port, host, resolve);
  });
  const actual = server.address().port;
  return {
    url: `http://localhost:${actual}/`,
    dashboardUrl: `http://localhost:${actual}/api/comments/dashboard`,
    adminToken,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => {
          api.close?.();
          resolve();
        });
      }),
  };
}
