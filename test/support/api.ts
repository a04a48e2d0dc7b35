/**
 * The API that browser tests talk to: the real reference server on a temporary SQLite file, mounted into the
 * web-test-runner dev server, plus a fault endpoint for what a healthy server never does.
 *
 * - `/api/comments`        moderation none, flood control off
 * - `/api-mod/comments`    moderation all (every comment pending)
 * - `/api-flood/comments`  flood control at 15 s
 * - `/api-admin/comments`  moderation all, admin token `test-owner-token` (the dashboard's tests)
 * - `/fault/comments?...`  `status=N` (answers N with an ApiError, `retryAfter=S` adds Retry-After), `html=1`
 *                          (200 with an HTML page), `delay=MS` (waits, then behaves like /api/comments unless
 *                          status/html is set), `bad=1` (200 JSON of the wrong shape), `tag=T` records the request
 * - `/fault/requests?tag=T` the recorded requests: method, url, headers, body
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandler } from '../../src/server/index.js';

type Koa = { req: IncomingMessage; res: ServerResponse; path: string; respond?: boolean; url: string; querystring: string };

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function apiMiddleware() {
  const dir = mkdtempSync(join(tmpdir(), 'inkwell-wtr-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'test.db');
  const mounts: [string, ReturnType<typeof createHandler>][] = [
    ['/api/comments', createHandler({ db, basePath: '/api/comments', floodSeconds: 0 })],
    ['/api-mod/comments', createHandler({ db: join(dir, 'mod.db'), basePath: '/api-mod/comments', floodSeconds: 0, moderation: 'all' })],
    ['/api-flood/comments', createHandler({ db: join(dir, 'flood.db'), basePath: '/api-flood/comments', floodSeconds: 15 })],
    ['/api-admin/comments', createHandler({ db: join(dir, 'admin.db'), basePath: '/api-admin/comments', floodSeconds: 0, moderation: 'all', adminToken: 'test-owner-token' })],
  ];
  const recorded: (Recorded & { tag: string })[] = [];

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (s += c));
      req.on('end', () => resolve(s));
    });

  const json = (res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(data));
  };

  const codes: Record<number, string> = { 400: 'invalid_json', 404: 'not_found', 409: 'duplicate', 413: 'too_large', 415: 'unsupported_media_type', 422: 'validation', 429: 'rate_limited' };

  return async (ctx: Koa, next: () => Promise<void>) => {
    const mount = mounts.find(([base]) => ctx.path === base || ctx.path.startsWith(base + '/'));
    if (mount) {
      ctx.respond = false;
      await new Promise<void>((resolve) => {
        ctx.res.on('finish', resolve);
        ctx.res.on('close', resolve);
        mount[1](ctx.req, ctx.res);
      });
      return;
    }
    if (ctx.path === '/fault/requests') {
      const tag = new URLSearchParams(ctx.querystring).get('tag') ?? '';
      ctx.respond = false;
      json(ctx.res, 200, recorded.filter((r) => r.tag === tag));
      return;
    }
    if (ctx.path.startsWith('/fault/comments')) {
      ctx.respond = false;
      const q = new URLSearchParams(ctx.querystring);
      const body = ctx.req.method === 'POST' ? await readBody(ctx.req) : '';
      if (q.get('tag')) recorded.push({ tag: q.get('tag')!, method: ctx.req.method!, url: ctx.url, headers: ctx.req.headers, body });
      const delay = Number(q.get('delay') ?? 0);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (ctx.res.destroyed) return;
      const status = Number(q.get('status') ?? 0);
      if (status) {
        const headers: Record<string, string> = q.get('retryAfter') ? { 'Retry-After': q.get('retryAfter')! } : {};
        const code = codes[status] ?? (status >= 500 ? 'internal' : 'error');
        const fields = q.get('fields') ? JSON.parse(q.get('fields')!) : undefined;
        return json(ctx.res, status, { error: { code, message: `Fault ${status}.`, fields } }, headers);
      }
      if (q.get('html')) {
        ctx.res.writeHead(200, { 'Content-Type': 'text/html' });
        return void ctx.res.end('<!doctype html><title>Proxy error</title><h1>502 Bad Gateway</h1>');
      }
      if (q.get('bad')) return json(ctx.res, 200, { comments: 'nope', comment: { id: 5 } });
      // Otherwise behave like the real API, with the fault parameters left out.
      for (const k of ['delay', 'tag', 'status', 'html', 'bad', 'retryAfter', 'fields']) q.delete(k);
      const qs = q.toString();
      ctx.req.url = '/api/comments' + (ctx.path.slice('/fault/comments'.length) || '') + (qs ? `?${qs}` : '');
      const { Readable } = await import('node:stream');
      const replay = Object.assign(Readable.from(body ? [Buffer.from(body)] : []), {
        method: ctx.req.method,
        url: ctx.req.url,
        headers: ctx.req.headers,
        socket: ctx.req.socket,
      }) as unknown as IncomingMessage;
      await new Promise<void>((resolve) => {
        ctx.res.on('finish', resolve);
        ctx.res.on('close', resolve);
        mounts[0][1](replay, ctx.res);
      });
      return;
    }
    return next();
  };
}
