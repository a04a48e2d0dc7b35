/**
 * Reads a browser or a CDN can cache: ETag on pages and counts, 304 for If-None-Match (lists, W/, *), HEAD,
 * Cache-Control from cacheSeconds, and no-store on everything else.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { validateOptions } from '../../src/server/index.js';
import { entityTag, ifNoneMatchHits, publicCacheControl } from '../../src/server/caching.js';
import { input, json, start } from './helpers.js';
import type { TestServer } from './helpers.js';

const SITE = 'https://blog.example';

/** A raw request, so a HEAD or a 304 shows exactly what went over the wire (fetch hides some of it). */
function raw(url: string, method: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ETag and 304 on public reads (cacheSeconds 0)', () => {
  let s: TestServer;
  before(async () => (s = await start({ origins: [SITE], adminToken: 'admin-secret' })));
  after(() => s.close());

  it('a page carries a strong ETag and Cache-Control: no-cache, and a matching If-None-Match gets 304 without a body', async () => {
    await s.post(input({ thread: 'etag-page' }));
    const first = await s.get('?thread=etag-page');
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^"[A-Za-z0-9_-]{22}"$/);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    assert.match(first.headers.get('vary') ?? '', /Origin/);
    const text = await first.text();
    assert.equal(etag, entityTag(text), 'the tag is the hash of the exact JSON text');

    const again = await raw(`${s.url}?thread=etag-page`, 'GET', { 'if-none-match': etag! });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    assert.equal(again.headers['cache-control'], 'no-cache');
    assert.match(String(again.headers.vary), /Origin/);
  });

  it('matches lists, weak tags and *; a different tag gets the page', async () => {
    const etag = (await s.get('?thread=etag-list')).headers.get('etag')!;
    const url = `${s.url}?thread=etag-list`;
    for (const header of [`"other", ${etag}`, `W/${etag}`, `"a",W/"b" , W/${etag}`, '*']) {
      assert.equal((await raw(url, 'GET', { 'if-none-match': header })).status, 304, header);
    }
    for (const header of ['"other"', `W/"x${etag.slice(1)}`, '']) {
      const res = await raw(url, 'GET', { 'if-none-match': header });
      assert.equal(res.status, 200, header);
      assert.equal(JSON.parse(res.body).thread, 'etag-list');
    }
  });

  it('a new comment changes the tag: the old one then gets the new page, not 304', async () => {
    const before = await s.get('?thread=etag-change');
    const old = before.headers.get('etag')!;
    const posted = await json(await s.post(input({ thread: 'etag-change' })));
    const after = await raw(`${s.url}?thread=etag-change`, 'GET', { 'if-none-match': old });
    assert.equal(after.status, 200);
    assert.notEqual(after.headers.etag, old);
    assert.deepEqual(
      JSON.parse(after.body).comments.map((c: { id: string }) => c.id),
      [posted.comment.id],
    );
  });

  it('HEAD answers the same headers without a body, and 304 too', async () => {
    const get = await s.get('?thread=etag-head');
    const etag = get.headers.get('etag')!;
    const head = await raw(`${s.url}?thread=etag-head`, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers.etag, etag);
    assert.equal(head.headers['content-length'], get.headers.get('content-length'));
    assert.equal(head.headers['cache-control'], 'no-cache');
    assert.equal((await raw(`${s.url}?thread=etag-head`, 'HEAD', { 'if-none-match': etag })).status, 304);
  });

  it('counts carry an ETag, 304 when unchanged, a new tag after a post', async () => {
    const path = '/counts?thread=etag-count-a&thread=etag-count-b';
    const first = await s.get(path);
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^"[A-Za-z0-9_-]{22}"$/);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    assert.equal((await raw(s.url + path, 'GET', { 'if-none-match': etag })).status, 304);
    await s.post(input({ thread: 'etag-count-b' }));
    const changed = await raw(s.url + path, 'GET', { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.deepEqual(JSON.parse(changed.body), { counts: { 'etag-count-a': 0, 'etag-count-b': 1 } });
  });

  it('a 304 to a listed origin keeps its CORS headers', async () => {
    const etag = (await s.get('?thread=etag-cors', { origin: SITE })).headers.get('etag')!;
    const res = await raw(`${s.url}?thread=etag-cors`, 'GET', { origin: SITE, 'if-none-match': etag });
    assert.equal(res.status, 304);
    assert.equal(res.headers['access-control-allow-origin'], SITE);
  });

  it('POST answers, errors and admin answers are no-store and carry no ETag', async () => {
    const answers = [
      await s.post(input()),
      await s.post('{'),
      await s.get('?thread='),
      await s.get('/counts'),
      await s.get('/nowhere'),
      await s.get('/admin/pending', { authorization: 'Bearer admin-secret' }),
      await s.get('/admin/pending', { authorization: 'Bearer wrong' }),
      await s.get('/admin/export?email=ada@example.com', { authorization: 'Bearer admin-secret' }),
      await s.get('?thread=x', { origin: 'https://evil.example' }),
    ];
    assert.deepEqual(
      answers.map((r) => r.status),
      [201, 400, 400, 400, 404, 200, 401, 200, 403],
    );
    for (const res of answers) {
      assert.equal(res.headers.get('cache-control'), 'no-store', `${res.status} ${res.url}`);
      assert.equal(res.headers.get('etag'), null, `${res.status} ${res.url}`);
    }
  });

  it('two handlers on one database give the same page the same tag (several processes behind one CDN agree)', async () => {
    const other = await start({}, s.dbPath.replace(/[/\\]comments\.db$/, ''));
    try {
      await s.post(input({ thread: 'etag-twins' }));
      const a = await s.get('?thread=etag-twins');
      const b = await other.get('?thread=etag-twins');
      assert.equal(a.headers.get('etag'), b.headers.get('etag'));
      assert.equal(await a.text(), await b.text());
    } finally {
      await other.stop();
    }
  });
});

describe('cacheSeconds', () => {
  let s: TestServer;
  before(async () => (s = await start({ cacheSeconds: 60 })));
  after(() => s.close());

  it('adds public, max-age and stale-while-revalidate to pages, counts and their 304s; posts stay no-store', async () => {
    const want = 'public, max-age=60, stale-while-revalidate=600';
    const page = await s.get('?thread=cached');
    assert.equal(page.headers.get('cache-control'), want);
    assert.equal((await s.get('/counts?thread=cached')).headers.get('cache-control'), want);
    const notModified = await raw(`${s.url}?thread=cached`, 'GET', { 'if-none-match': page.headers.get('etag')! });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers['cache-control'], want);
    assert.equal((await s.post(input({ thread: 'cached' }))).headers.get('cache-control'), 'no-store');
    assert.equal((await s.get('?thread=cached&limit=0')).headers.get('cache-control'), 'no-store');
  });

  it('the policy: no-cache for 0, stale-while-revalidate 10× capped at a day', () => {
    assert.equal(publicCacheControl(0), 'no-cache');
    assert.equal(publicCacheControl(5), 'public, max-age=5, stale-while-revalidate=50');
    assert.equal(publicCacheControl(31_536_000), 'public, max-age=31536000, stale-while-revalidate=86400');
  });

  it('If-None-Match parsing', () => {
    const tag = '"abc"';
    assert.equal(ifNoneMatchHits(undefined, tag), false);
    assert.equal(ifNoneMatchHits('"abc"', tag), true);
    assert.equal(ifNoneMatchHits('W/"abc"', tag), true);
    assert.equal(ifNoneMatchHits(' "x" ,  "abc" ', tag), true);
    assert.equal(ifNoneMatchHits('*', tag), true);
    assert.equal(ifNoneMatchHits('"abcd", "ab"', tag), false);
    assert.equal(ifNoneMatchHits('abc', tag), false);
  });

  it('refuses a cache time that is not a whole number of seconds, in the words the CLI uses', () => {
    for (const bad of [-1, 1.5, Number.NaN, 31_536_001, '60' as unknown as number]) {
      assert.throws(
        () => validateOptions({ cacheSeconds: bad }),
        /^Error: Invalid cache time .*: use a whole number of seconds from 0 to 31536000 .* \(set by --cache-seconds or the cacheSeconds option\)\.$/,
      );
    }
    assert.equal(validateOptions({ cacheSeconds: 30 }).cacheSeconds, 30);
    assert.equal(validateOptions({}).cacheSeconds, 0);
  });
});
