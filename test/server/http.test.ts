import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { createHandler, validateOptions } from '../../src/server/index.js';
import type { CommentStore } from '../../src/server/index.js';
import { input, json, start, tempDir } from './helpers.js';
import type { TestServer } from './helpers.js';

const SITE = 'https://blog.example';

describe('CORS', () => {
  let s: TestServer;
  before(async () => (s = await start({ origins: [`${SITE}/`], floodSeconds: 15 })));
  after(() => s.close());

  it('answers a preflight from a listed origin', async () => {
    const res = await fetch(s.url, {
      method: 'OPTIONS',
      headers: { origin: SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), SITE);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET, POST, PATCH, DELETE, OPTIONS');
    assert.equal(res.headers.get('access-control-allow-headers'), 'Content-Type, Idempotency-Key, Authorization');
    assert.ok(Number(res.headers.get('access-control-max-age')) > 0);
  });

  it('refuses a preflight from an unlisted origin', async () => {
    const res = await fetch(s.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal((await json(res)).error.code, 'forbidden_origin');
  });

  it('refuses a cross-origin POST from an unlisted origin and stores nothing', async () => {
    for (const origin of ['https://evil.example', 'null', 'https://blog.example.evil.example', 'http://blog.example']) {
      const before = JSON.stringify(s.rows());
      const res = await s.post(input(), { origin });
      assert.equal(res.status, 403, origin);
      assert.equal((await json(res)).error.code, 'forbidden_origin');
      assert.equal(JSON.stringify(s.rows()), before);
    }
  });

  it('serves a listed origin, exposing Retry-After', async () => {
    const res = await s.post(input({ email: 'cors@example.com' }), { origin: SITE });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('access-control-allow-origin'), SITE);
    const again = await s.post(input({ email: 'cors@example.com' }), { origin: SITE });
    assert.equal(again.status, 429);
    assert.ok(Number(again.headers.get('retry-after')) > 0);
    assert.match(again.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    const list = await s.get('?thread=post-1', { origin: SITE });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('access-control-allow-origin'), SITE);
  });

  it('always serves same-origin requests: no Origin, or Origin matching Host', async () => {
    assert.equal((await s.get('?thread=post-1')).status, 200);
    const res = await s.get('?thread=post-1', { origin: s.origin });
    assert.equal(res.status, 200);
    assert.equal((await fetch(s.url, { method: 'OPTIONS' })).status, 204);
  });
});

describe('mounting', () => {
  it('calls next() for paths outside basePath, and honours originalUrl from a mount (Express/Connect style)', async () => {
    const temp = tempDir();
    const handler = createHandler({ db: join(temp.dir, 'c.db'), floodSeconds: 0, basePath: '/api/comments/' });
    let nexts = 0;
    const server = createServer((req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
      // A tiny stand-in for app.use('/api/comments', handler): the mount path is stripped from req.url.
      if (req.url!.startsWith('/api/comments')) {
        req.originalUrl = req.url;
        req.url = req.url!.slice('/api/comments'.length) || '/';
      }
      handler(req, res, () => {
        nexts++;
        res.statusCode = 418;
        res.end('next');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const other = await fetch(`${base}/somewhere/else`);
      assert.equal(other.status, 418);
      assert.equal(nexts, 1);
      const posted = await fetch(`${base}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input({ thread: 'mount' })) });
      assert.equal(posted.status, 201);
      const page = await json(await fetch(`${base}/api/comments/?thread=mount`));
      assert.equal(page.total, 1);
      assert.equal((await fetch(`${base}/api/comments/counts?thread=mount`)).status, 200);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await handler.close();
      temp.cleanup();
    }
  });

  it('uses a body an Express body parser already read', async () => {
    const temp = tempDir();
    const handler = createHandler({ db: join(temp.dir, 'c.db'), floodSeconds: 0 });
    const server = createServer((req: IncomingMessage & { body?: unknown }, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        if (chunks.length > 0) req.body = JSON.parse(Buffer.concat(chunks).toString());
        handler(req, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/comments`;
    try {
      const res = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input({ thread: 'parsed' })) });
      assert.equal(res.status, 201);
      assert.equal((await json(await fetch(`${base}?thread=parsed`))).total, 1);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await handler.close();
      temp.cleanup();
    }
  });

  it('rejects invalid options at once, in the words the CLI uses', () => {
    // The same sentences as parseCliArgs (cli.test.ts): one validateOptions() serves both.
    assert.throws(() => createHandler({ db: ':memory:', moderation: 'some' as never }), {
      message: 'Invalid moderation "some": use none, all or first-time (set by --moderation or the moderation option).',
    });
    assert.throws(() => createHandler({ db: ':memory:', floodSeconds: -1 }), /^Error: Invalid flood interval -1: .*floodSeconds option\)\.$/);
    assert.throws(() => createHandler({ db: ':memory:', origins: ['blog.example'] }), /Invalid origin "blog.example"/);
    assert.throws(() => validateOptions({ port: 70_000 }), /Invalid port 70000: use a whole number from 0 to 65535/);
  });
});

describe('privacy', () => {
  let s: TestServer;
  before(async () => (s = await start({ floodSeconds: 15, adminToken: 'tok', moderation: 'first-time', trustProxy: true })));
  after(() => s.close());

  it('no non-admin response, error or header ever carries a stored email', async () => {
    const canary = (i: number) => `Canary.${i}@ZZ-Leak-Check.example`;
    const texts: string[] = [];
    const record = async (res: Response) => {
      texts.push(String(res.status), JSON.stringify([...res.headers]), await res.text());
      return res;
    };
    const ip = (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}` });
    await record(await s.post(input({ thread: 'leak', email: canary(1), body: 'one' }), ip(1)));
    // Publish canary 1, so canary 1 posts published and can be replied to.
    const id = String(s.rows().find((r) => r.email === canary(1))!.id);
    await s.running.handler.store.approve(id);
    const key = crypto.randomUUID();
    await record(await s.post(input({ thread: 'leak', email: canary(2), parentId: id, body: 'two' }), { ...ip(2), 'idempotency-key': key }));
    await record(await s.post(input({ thread: 'leak', email: canary(2), parentId: id, body: 'two' }), { ...ip(2), 'idempotency-key': key }));
    await record(await s.post(input({ thread: 'leak', email: canary(2), body: 'changed' }), { ...ip(3), 'idempotency-key': key })); // 422 mismatch
    await record(await s.post(input({ thread: 'leak', email: canary(1), body: 'one' }), ip(4))); // 409
    await record(await s.post(input({ thread: 'leak', email: canary(1), body: 'again' }), ip(5))); // 429 (email)
    await record(await s.post(input({ thread: 'leak', email: canary(3), parentId: 'c_nope' }), ip(6))); // 404
    await record(await s.post(input({ thread: 'leak', email: canary(4), name: '' }), ip(7))); // 422
    await record(await s.post({ thread: 'leak', email: canary(5), name: 'x', body: 'y', hp: 'bot' }, ip(8))); // honeypot
    await record(await s.post(`{"email":"${canary(6)}"`, ip(9))); // 400
    await record(await s.post(input({ email: canary(7) }), { 'content-type': 'text/plain' })); // 415
    await record(await s.post(input({ email: canary(8) }), { origin: 'https://evil.example' })); // 403
    await record(await s.get('?thread=leak'));
    await record(await s.get('?thread=leak&limit=1'));
    await record(await s.get('/counts?thread=leak'));
    const all = texts.join('\n').toLowerCase();
    assert.ok(all.includes('"status":"published"'), 'the list was recorded');
    assert.ok(!all.includes('zz-leak-check'), 'no email in any non-admin response');
    assert.ok(!all.includes('198.51.100'), 'no address either');
    // The admin export, by contrast, does include it.
    const exported = await (await fetch(`${s.url}/admin/export?email=${encodeURIComponent(canary(1))}`, { headers: { authorization: 'Bearer tok' } })).text();
    assert.ok(exported.toLowerCase().includes('zz-leak-check'));
  });
});

describe('internal errors', () => {
  it('500 internal with no detail; the log has the stack but no email or body', async () => {
    const broken = new Proxy({} as CommentStore, {
      get: (_t, prop) => (prop === 'close' || prop === 'ready' ? async () => {} : async () => {
        throw new Error('disk on fire at /var/secret/path');
      }),
    });
    const handler = createHandler({ store: broken, floodSeconds: 0 });
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/comments`;
    const logged: string[] = [];
    const spy = mock.method(console, 'error', (...args: unknown[]) => logged.push(args.map(String).join(' ')));
    try {
      for (const res of [
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input({ email: 'secret.person@example.com', body: 'private words' })) }),
        await fetch(`${url}?thread=x`),
        await fetch(`${url}/counts?thread=x`),
      ]) {
        assert.equal(res.status, 500);
        const text = await res.text();
        assert.deepEqual(JSON.parse(text), { error: { code: 'internal', message: 'Something went wrong on our side. Please try again later.' } });
        assert.ok(!text.includes('fire'));
      }
      const log = logged.join('\n');
      assert.match(log, /disk on fire/);
      assert.ok(!log.includes('secret.person'));
      assert.ok(!log.includes('private words'));
      // The server keeps serving.
      assert.equal((await fetch(`${url}/nope`)).status, 404);
    } finally {
      spy.mock.restore();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
