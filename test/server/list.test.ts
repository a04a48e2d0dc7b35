import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PUBLIC_FIELDS, input, json, start } from './helpers.js';
import type { TestServer } from './helpers.js';

interface C {
  id: string;
  parentId: string | null;
  body: string;
  createdAt: string;
}

/** Follows nextCursor to the end; returns every page. */
async function allPages(s: TestServer, query: string): Promise<any[]> {
  const pages = [];
  let cursor: string | null = null;
  do {
    const res: Response = await s.get(`?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200);
    const page: any = await json(res);
    pages.push(page);
    cursor = page.nextCursor;
    assert.ok(pages.length < 100, 'paging terminates');
  } while (cursor);
  return pages;
}

describe('GET: pages of a thread', () => {
  let clock = Date.parse('2026-03-01T12:00:00.000Z');
  let s: TestServer;
  const tops: C[] = [];
  const replies = new Map<string, C[]>(); // root id -> every reply under it
  let total = 0;

  before(async () => {
    s = await start({ now: () => (clock += 1000) });
    const post = async (o: Record<string, unknown>) => {
      const res = await s.post(input({ thread: 'paged', ...o }));
      assert.equal(res.status, 201);
      total++;
      return (await json(res)).comment as C;
    };
    // 7 top-level comments; under several of them a reply chain four deep and a sibling, posted interleaved.
    for (let i = 0; i < 7; i++) {
      tops.push(await post({ body: `top ${i}` }));
      replies.set(tops[i]!.id, []);
    }
    for (const i of [0, 2, 3, 6]) {
      let parent = tops[i]!;
      for (let depth = 1; depth <= 4; depth++) {
        const r = await post({ parentId: parent.id, body: `reply ${i}.${depth}` });
        replies.get(tops[i]!.id)!.push(r);
        parent = r;
      }
      replies.get(tops[i]!.id)!.push(await post({ parentId: tops[i]!.id, body: `sibling ${i}` }));
    }
    // Noise in another thread.
    await s.post(input({ thread: 'elsewhere' }));
  });
  after(() => s.close());

  it('a single page holds every comment, top-level first and each followed by its replies, oldest first', async () => {
    const res = await s.get('?thread=paged');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const page = await json(res);
    assert.equal(page.thread, 'paged');
    assert.equal(page.total, total);
    assert.equal(page.nextCursor, null);
    assert.equal(page.comments.length, total);
    for (const c of page.comments) assert.deepEqual(Object.keys(c).sort(), PUBLIC_FIELDS);
    const expected = tops.flatMap((t) => [t.id, ...replies.get(t.id)!.map((r) => r.id)]);
    assert.deepEqual(page.comments.map((c: C) => c.id), expected);
  });

  for (const sort of ['oldest', 'newest'] as const) {
    it(`pages of 3 top-level comments, sort=${sort}: every reply (depth 4) on its root's page, nothing twice`, async () => {
      const pages = await allPages(s, `thread=paged&limit=3&sort=${sort}`);
      assert.equal(pages.length, 3);
      assert.equal(pages.at(-1).nextCursor, null);
      const order = sort === 'oldest' ? tops : [...tops].reverse();
      const seen: string[] = [];
      pages.forEach((page, n) => {
        assert.equal(page.total, total, 'total counts the whole thread on every page');
        const pageTops = page.comments.filter((c: C) => c.parentId === null).map((c: C) => c.id);
        assert.deepEqual(pageTops, order.slice(n * 3, n * 3 + 3).map((t) => t.id));
        const ids = new Set(page.comments.map((c: C) => c.id));
        for (const t of pageTops) for (const r of replies.get(t)!) assert.ok(ids.has(r.id), `reply ${r.body} on the page of its root`);
        assert.equal(page.comments.length, pageTops.reduce((n: number, t: string) => n + 1 + replies.get(t)!.length, 0));
        seen.push(...page.comments.map((c: C) => c.id));
      });
      assert.equal(seen.length, total);
      assert.equal(new Set(seen).size, total);
    });
  }

  it('a limit over 200 is capped, a limit equal to the count has no next page', async () => {
    const capped = await json(await s.get('?thread=paged&limit=1000'));
    assert.equal(capped.nextCursor, null);
    assert.equal(capped.comments.length, total);
    const exact = await json(await s.get('?thread=paged&limit=7'));
    assert.equal(exact.nextCursor, null);
    const less = await json(await s.get('?thread=paged&limit=6'));
    assert.equal(typeof less.nextCursor, 'string');
  });

  it('an unknown thread is an empty page, not an error', async () => {
    const page = await json(await s.get('?thread=nobody-here'));
    assert.deepEqual(page, { thread: 'nobody-here', total: 0, comments: [], nextCursor: null });
  });

  it('a thread id is trimmed like on POST, and any Unicode works in the query', async () => {
    assert.equal((await s.post(input({ thread: ' 日本語/スレッド?&= ' }))).status, 201);
    const page = await json(await s.get(`?thread=${encodeURIComponent('日本語/スレッド?&=')}`));
    assert.equal(page.total, 1);
    assert.equal(page.thread, '日本語/スレッド?&=');
  });

  it('keyset paging survives comments created in the same millisecond', async () => {
    const frozen = await start({ now: () => Date.parse('2026-05-05T05:05:05.005Z') });
    try {
      for (let i = 0; i < 9; i++) assert.equal((await frozen.post(input({ thread: 'same-ms' }))).status, 201);
      for (const sort of ['oldest', 'newest']) {
        const pages = await allPages(frozen, `thread=same-ms&limit=2&sort=${sort}`);
        const ids = pages.flatMap((p) => p.comments.map((c: C) => c.id));
        assert.equal(ids.length, 9);
        assert.equal(new Set(ids).size, 9);
      }
    } finally {
      await frozen.close();
    }
  });

  const bad: [string, string][] = [
    ['', 'thread'],
    ['?thread=', 'thread'],
    ['?thread=%20%20', 'thread'],
    [`?thread=${'t'.repeat(201)}`, 'thread'],
    ['?thread=paged&sort=random', 'sort'],
    ['?thread=paged&limit=0', 'limit'],
    ['?thread=paged&limit=-5', 'limit'],
    ['?thread=paged&limit=ten', 'limit'],
    ['?thread=paged&limit=1.5', 'limit'],
    ['?thread=paged&cursor=not*base64', 'cursor'],
    ['?thread=paged&cursor=' + Buffer.from('{"a":1}').toString('base64url'), 'cursor'],
    ['?thread=paged&cursor=' + Buffer.from('["o","yesterday","c_x"]').toString('base64url'), 'cursor'],
  ];
  for (const [query, field] of bad) {
    it(`400 with fields.${field} for GET ${query || '(no query)'}`, async () => {
      const res = await s.get(query);
      assert.equal(res.status, 400);
      const { error } = await json(res);
      assert.equal(error.code, 'invalid_query');
      assert.ok(error.fields[field], JSON.stringify(error));
    });
  }

  it('400 for a cursor of one sort order used with the other', async () => {
    const first = await json(await s.get('?thread=paged&limit=2&sort=oldest'));
    const res = await s.get(`?thread=paged&limit=2&sort=newest&cursor=${first.nextCursor}`);
    assert.equal(res.status, 400);
    assert.ok((await json(res)).error.fields.cursor);
  });
});

describe('GET /counts', () => {
  let s: TestServer;
  before(async () => {
    s = await start({ moderation: 'first-time' });
    // first-time: the first comment of a new email waits, so pending comments exist to be left out.
    for (let i = 0; i < 3; i++) await s.post(input({ thread: 'A' }));
  });
  after(() => s.close());

  it('counts published comments only, 0 for unknown threads', async () => {
    await s.running.handler.store.approve(String(s.rows()[0]!.id));
    await s.running.handler.store.approve(String(s.rows()[1]!.id));
    const res = await s.get('/counts?thread=A&thread=B&thread=A');
    assert.equal(res.status, 200);
    assert.deepEqual(await json(res), { counts: { A: 2, B: 0 } });
  });

  it('a thread named __proto__ is an ordinary key', async () => {
    assert.deepEqual(await json(await s.get('/counts?thread=__proto__&thread=constructor')), JSON.parse('{"counts":{"__proto__":0,"constructor":0}}'));
  });

  it('100 threads are fine, 101 are 400', async () => {
    const q = (n: number) => Array.from({ length: n }, (_, i) => `thread=t${i}`).join('&');
    const ok = await json(await s.get(`/counts?${q(100)}`));
    assert.equal(Object.keys(ok.counts).length, 100);
    const res = await s.get(`/counts?${q(101)}`);
    assert.equal(res.status, 400);
    assert.ok((await json(res)).error.fields.thread);
  });

  it('400 without a thread or with an invalid one', async () => {
    for (const q of ['', '?thread=', `?thread=${'x'.repeat(201)}`]) {
      const res = await s.get(`/counts${q}`);
      assert.equal(res.status, 400, q);
      assert.equal((await json(res)).error.code, 'invalid_query');
    }
  });

  it('405 for POST /counts, 404 JSON for an unknown path under the API', async () => {
    const res = await fetch(`${s.url}/counts?thread=A`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 405);
    const nope = await s.get('/nope');
    assert.equal(nope.status, 404);
    assert.equal((await json(nope)).error.code, 'not_found');
  });
});
