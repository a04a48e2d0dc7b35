import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { input, json, start } from './helpers.js';
import type { TestServer } from './helpers.js';

const TOKEN = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

function adminFetch(s: TestServer, path: string, method = 'GET', headers: Record<string, string> = auth) {
  return fetch(`${s.url}${path}`, { method, headers });
}

describe('moderation: none (default)', () => {
  let s: TestServer;
  before(async () => (s = await start()));
  after(() => s.close());

  it('publishes at once', async () => {
    const { comment } = await json(await s.post(input({ thread: 'm' })));
    assert.equal(comment.status, 'published');
    assert.equal((await json(await s.get('?thread=m'))).total, 1);
  });

  it('without an admin token every admin route is 404 not_found, even with a token sent', async () => {
    for (const [path, method] of [
      ['/admin/pending', 'GET'],
      ['/admin/comments/c_x/approve', 'POST'],
      ['/admin/comments/c_x', 'DELETE'],
      ['/admin/export?email=a@example.com', 'GET'],
      ['/admin/erase?email=a@example.com', 'DELETE'],
    ]) {
      const res = await adminFetch(s, path!, method);
      assert.equal(res.status, 404, path);
      assert.equal((await json(res)).error.code, 'not_found');
    }
  });
});

describe('moderation: all', () => {
  let s: TestServer;
  before(async () => (s = await start({ moderation: 'all', adminToken: TOKEN })));
  after(() => s.close());

  it('holds every comment, including a client that claims status published; approval publishes it', async () => {
    const res = await s.post(input({ thread: 'm', status: 'published', email: 'held@example.com' }));
    assert.equal(res.status, 201);
    const { comment } = await json(res);
    assert.equal(comment.status, 'pending');
    assert.deepEqual(await json(await s.get('?thread=m')), { thread: 'm', total: 0, comments: [], nextCursor: null });
    assert.deepEqual(await json(await s.get('/counts?thread=m')), { counts: { m: 0 } });

    const pending = await json(await adminFetch(s, '/admin/pending'));
    assert.equal(pending.comments.length, 1);
    assert.equal(pending.comments[0].id, comment.id);
    assert.equal(pending.comments[0].email, 'held@example.com', 'the admin sees the email');

    // A reply to a pending comment is refused: readers cannot see what it answers.
    const reply = await s.post(input({ thread: 'm', parentId: comment.id }));
    assert.equal(reply.status, 404);

    const approved = await adminFetch(s, `/admin/comments/${comment.id}/approve`, 'POST');
    assert.equal(approved.status, 200);
    assert.equal((await json(approved)).comment.status, 'published');
    const page = await json(await s.get('?thread=m'));
    assert.equal(page.total, 1);
    assert.equal(page.comments[0].status, 'published');
    assert.deepEqual((await json(await adminFetch(s, '/admin/pending'))).comments, []);
  });
});

describe('moderation: first-time', () => {
  let s: TestServer;
  before(async () => (s = await start({ moderation: 'first-time', adminToken: TOKEN })));
  after(() => s.close());

  it('holds an author until one of their comments is approved; then trusts the token that posted it, with its email (any case)', async () => {
    const posted = await json(await s.post(input({ email: 'new@example.com' })));
    assert.equal(posted.comment.status, 'pending');
    const token = posted.authorToken;
    const second = (await json(await s.post(input({ email: 'new@example.com', authorToken: token })))).comment;
    assert.equal(second.status, 'pending', 'still pending until an approval');
    assert.equal((await adminFetch(s, `/admin/comments/${posted.comment.id}/approve`, 'POST')).status, 200);
    const third = (await json(await s.post(input({ email: 'NEW@example.com', authorToken: token })))).comment;
    assert.equal(third.status, 'published');
    const otherEmail = (await json(await s.post(input({ email: 'other@example.com', authorToken: token })))).comment;
    assert.equal(otherEmail.status, 'pending', 'the token alone is not enough');
    const noToken = (await json(await s.post(input({ email: 'new@example.com' })))).comment;
    assert.equal(noToken.status, 'pending', 'the email alone is not enough');
  });
});

describe('admin API', () => {
  let s: TestServer;
  before(async () => (s = await start({ adminToken: TOKEN })));
  after(() => s.close());

  it('401 without a token, with a wrong one, a wrong scheme or a longer or shorter one', async () => {
    const wrong = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Bearer` },
    ];
    for (const headers of wrong) {
      for (const [path, method] of [
        ['/admin/pending', 'GET'],
        ['/admin/export?email=a@example.com', 'GET'],
        ['/admin/erase?email=a@example.com', 'DELETE'],
        ['/admin/comments/c_x', 'DELETE'],
      ]) {
        const before = JSON.stringify(s.rows());
        const res = await adminFetch(s, path!, method, headers as Record<string, string>);
        assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
        assert.equal((await json(res)).error.code, 'unauthorized');
        assert.equal(JSON.stringify(s.rows()), before);
      }
    }
  });

  it('404 for an unknown comment, 405 for a wrong method, 400 for a missing or invalid email', async () => {
    assert.equal((await adminFetch(s, '/admin/comments/c_nope/approve', 'POST')).status, 404);
    assert.equal((await adminFetch(s, '/admin/comments/c_nope', 'DELETE')).status, 404);
    assert.equal((await adminFetch(s, '/admin/comments/%E0%A4%A', 'DELETE')).status, 404);
    assert.equal((await adminFetch(s, '/admin/pending', 'DELETE')).status, 405);
    assert.equal((await adminFetch(s, '/admin/erase?email=a@example.com', 'GET')).status, 405);
    assert.equal((await adminFetch(s, '/admin/nothing')).status, 404);
    for (const q of ['', '?email=', '?email=not-an-email']) {
      const res = await adminFetch(s, `/admin/export${q}`);
      assert.equal(res.status, 400, q);
      assert.ok((await json(res)).error.fields.email);
    }
  });

  it('DELETE removes one comment; its replies move up to its parent, or become top-level', async () => {
    const post = async (o: Record<string, unknown>) => (await json(await s.post(input({ thread: 'del', ...o })))).comment;
    const a = await post({ body: 'A' });
    const b = await post({ body: 'B', parentId: a.id });
    const c = await post({ body: 'C', parentId: b.id });
    const d = await post({ body: 'D', parentId: c.id });
    const e = await post({ body: 'E', parentId: a.id });

    // Delete a middle comment: C moves under A, same root.
    const res = await adminFetch(s, `/admin/comments/${b.id}`, 'DELETE');
    assert.equal(res.status, 200);
    assert.deepEqual(await json(res), { deleted: b.id });
    let page = await json(await s.get('?thread=del'));
    assert.equal(page.total, 4);
    const parentOf = (id: string) => page.comments.find((x: any) => x.id === id)?.parentId;
    assert.equal(parentOf(c.id), a.id);
    assert.equal(parentOf(d.id), c.id);

    // Delete the top-level comment: C and E become top-level, D stays under C and on C's page.
    assert.equal((await adminFetch(s, `/admin/comments/${a.id}`, 'DELETE')).status, 200);
    page = await json(await s.get('?thread=del&limit=1'));
    assert.equal(page.total, 3);
    assert.deepEqual(page.comments.map((x: any) => [x.id, x.parentId]), [
      [c.id, null],
      [d.id, c.id],
    ]);
    const rows = s.rows();
    assert.equal(rows.find((r) => r.id === d.id)!.root_id, c.id);
    assert.equal(rows.find((r) => r.id === e.id)!.root_id, e.id);
    const next = await json(await s.get(`?thread=del&limit=1&cursor=${page.nextCursor}`));
    assert.deepEqual(next.comments.map((x: any) => x.id), [e.id]);
  });

  it('export returns everything stored for an email, email included; erase removes it and keeps other people’s replies', async () => {
    const email = 'Grace.Hopper@example.com';
    const mine1 = (await json(await s.post(input({ thread: 'gdpr', email, body: 'mine 1' })))).comment;
    const theirs = (await json(await s.post(input({ thread: 'gdpr', parentId: mine1.id, body: 'their reply' })))).comment;
    const mine2 = (await json(await s.post(input({ thread: 'gdpr', email, parentId: theirs.id, body: 'mine 2' })))).comment;
    await s.post(input({ thread: 'gdpr', email: 'someone@example.com', body: 'unrelated' }));

    const res = await adminFetch(s, `/admin/export?email=${encodeURIComponent('grace.hopper@EXAMPLE.com')}`);
    assert.equal(res.status, 200);
    const exported = await json(res);
    assert.deepEqual(exported.comments.map((c: any) => c.id).sort(), [mine1.id, mine2.id].sort());
    for (const c of exported.comments) {
      assert.equal(c.email, email);
      assert.equal(c.ip, '127.0.0.0');
    }

    const erased = await adminFetch(s, `/admin/erase?email=${encodeURIComponent(email)}`, 'DELETE');
    assert.equal(erased.status, 200);
    assert.deepEqual(await json(erased), { erased: 2 });
    assert.equal(s.rows().filter((r) => String(r.email).toLowerCase() === email.toLowerCase()).length, 0);
    assert.deepEqual((await json(await adminFetch(s, `/admin/export?email=${encodeURIComponent(email)}`))).comments, []);
    const page = await json(await s.get('?thread=gdpr'));
    const survivor = page.comments.find((c: any) => c.id === theirs.id);
    assert.ok(survivor, 'the reply by someone else survives');
    assert.equal(survivor.parentId, null);
    assert.equal(page.total, 2);
    assert.deepEqual(await json(await adminFetch(s, `/admin/erase?email=${encodeURIComponent(email)}`, 'DELETE')), { erased: 0 });
  });
});
