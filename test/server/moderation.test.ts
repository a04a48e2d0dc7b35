/**
 * The moderation API of issue 16 (SPEC 6.2, MODERATION-API.md) against a real server on a real SQLite file:
 * every route, who may call it (owner, moderator, nobody, a revoked moderator), spam kept out of public pages and
 * counts, search, filters and paging, bulk with missing ids, edits, a comment deleted by someone else, the audit log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SqliteStore } from '../../src/server/sqlite-store.js';
import { moderatorTokenHash } from '../../src/server/routes/admin.js';
import { input, json, start } from './helpers.js';
import type { TestServer } from './helpers.js';

const OWNER = 'owner-token-0123456789abcdef';
const MOD_TOKEN = 'inkmod_test-moderator-token-000000000';

/** An admin request with a bearer token (the owner's unless given) and an optional JSON body. */
function call(s: TestServer, method: string, path: string, options: { token?: string | null; body?: unknown } = {}) {
  const token = options.token === undefined ? OWNER : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${s.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
}

/** Adds a moderator straight into the server's database, as the CLI does. */
async function addModerator(s: TestServer, name: string, token: string): Promise<void> {
  const store = new SqliteStore(s.dbPath);
  try {
    assert.equal(await store.moderation.addModerator(name, moderatorTokenHash(token), new Date().toISOString()), true);
  } finally {
    await store.close();
  }
}

async function removeModerator(s: TestServer, name: string): Promise<void> {
  const store = new SqliteStore(s.dbPath);
  try {
    assert.equal(await store.moderation.removeModerator(name), true);
  } finally {
    await store.close();
  }
}

async function posted(s: TestServer, overrides: Record<string, unknown> = {}) {
  const res = await s.post(input(overrides));
  assert.equal(res.status, 201, await res.clone().text());
  return (await json(res)).comment;
}

describe('moderation API: who may call what', () => {
  let s: TestServer;
  before(async () => {
    s = await start({ adminToken: OWNER, moderation: 'all' });
    await addModerator(s, 'alice', MOD_TOKEN);
  });
  after(() => s.close());

  it('GET /admin/me names the caller: owner, moderator; 401 for nobody and a wrong token', async () => {
    const owner = await call(s, 'GET', '/admin/me');
    assert.equal(owner.status, 200);
    assert.equal(owner.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await json(owner), { name: 'owner', role: 'owner' });
    assert.deepEqual(await json(await call(s, 'GET', '/admin/me', { token: MOD_TOKEN })), { name: 'alice', role: 'moderator' });
    for (const token of [null, 'inkmod_wrong', `${MOD_TOKEN}x`]) {
      const res = await call(s, 'GET', '/admin/me', { token });
      assert.equal(res.status, 401, String(token));
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal((await json(res)).error.code, 'unauthorized');
    }
  });

  it('a moderator may moderate but not export or erase (403 with a sentence); the owner may', async () => {
    const comment = await posted(s, { email: 'who@example.com' });
    for (const [method, path] of [
      ['GET', '/admin/export?email=who@example.com'],
      ['DELETE', '/admin/erase?email=who@example.com'],
    ] as const) {
      const res = await call(s, method, path, { token: MOD_TOKEN });
      assert.equal(res.status, 403, path);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const { error } = await json(res);
      assert.equal(error.code, 'forbidden');
      assert.equal(error.message, 'Moderators cannot export or erase data; ask the site owner.');
    }
    assert.equal((await call(s, 'GET', '/admin/export?email=who@example.com')).status, 200);
    const approved = await call(s, 'POST', `/admin/comments/${comment.id}/approve`, { token: MOD_TOKEN });
    assert.equal(approved.status, 200);
    assert.equal((await json(approved)).comment.status, 'published');
    assert.equal((await call(s, 'GET', '/admin/pending', { token: MOD_TOKEN })).status, 200);
    assert.equal((await call(s, 'GET', '/admin/blocks', { token: MOD_TOKEN })).status, 200);
  });

  it('a removed moderator is refused at once (401), by the running server', async () => {
    await addModerator(s, 'bob', 'inkmod_bob-token-1111111111');
    assert.equal((await call(s, 'GET', '/admin/me', { token: 'inkmod_bob-token-1111111111' })).status, 200);
    await removeModerator(s, 'bob');
    const res = await call(s, 'GET', '/admin/comments', { token: 'inkmod_bob-token-1111111111' });
    assert.equal(res.status, 401);
    assert.equal((await json(res)).error.code, 'unauthorized');
  });

  it('every new route needs a token', async () => {
    for (const [method, path] of [
      ['GET', '/admin/comments'],
      ['POST', '/admin/comments/c_x/spam'],
      ['POST', '/admin/comments/c_x/restore'],
      ['PATCH', '/admin/comments/c_x'],
      ['POST', '/admin/bulk'],
      ['GET', '/admin/audit'],
      ['GET', '/admin/blocks'],
      ['POST', '/admin/blocks'],
      ['DELETE', '/admin/blocks/b_x'],
    ] as const) {
      const res = await call(s, method, path, { token: null });
      assert.equal(res.status, 401, `${method} ${path}`);
    }
  });

  it('without an owner token the admin API is still 404 for anyone but a moderator', async () => {
    const other = await start({}, undefined);
    try {
      await addModerator(other, 'carol', 'inkmod_carol-token-2222222222');
      assert.equal((await call(other, 'GET', '/admin/me', { token: 'whatever' })).status, 404);
      assert.deepEqual(await json(await call(other, 'GET', '/admin/me', { token: 'inkmod_carol-token-2222222222' })), { name: 'carol', role: 'moderator' });
    } finally {
      await other.close();
    }
  });
});

describe('moderation API: spam, listing, search and paging', () => {
  let s: TestServer;
  before(async () => {
    s = await start({ adminToken: OWNER });
    await addModerator(s, 'alice', MOD_TOKEN);
  });
  after(() => s.close());

  it('spam leaves public pages, counts and totals; restore puts it in the queue; approve publishes it', async () => {
    const parent = await posted(s, { thread: 'spam-t', name: 'Parent Person', body: 'The parent comment.' });
    const comment = await posted(s, { thread: 'spam-t', parentId: parent.id, body: 'Buy cheap watches' });
    assert.equal((await json(await s.get('?thread=spam-t'))).total, 2);

    const marked = await call(s, 'POST', `/admin/comments/${comment.id}/spam`, { token: MOD_TOKEN });
    assert.equal(marked.status, 200);
    const view = (await json(marked)).comment;
    assert.equal(view.status, 'spam');
    assert.deepEqual(view.parent, { id: parent.id, name: 'Parent Person', body: 'The parent comment.' });
    assert.equal(view.email.endsWith('@example.com'), true);
    assert.equal('authorHash' in view || 'idempotencyKey' in view, false, 'nothing private beyond email and ip');
    const page = await json(await s.get('?thread=spam-t'));
    assert.equal(page.total, 1);
    assert.deepEqual(page.comments.map((c: { id: string }) => c.id), [parent.id]);
    assert.deepEqual(await json(await s.get('/counts?thread=spam-t')), { counts: { 'spam-t': 1 } });
    assert.deepEqual((await json(await call(s, 'GET', '/admin/pending'))).comments, [], 'spam is not pending');

    const restored = await json(await call(s, 'POST', `/admin/comments/${comment.id}/restore`));
    assert.equal(restored.comment.status, 'pending');
    assert.equal((await json(await call(s, 'GET', '/admin/pending'))).comments.length, 1);
    const approved = await json(await call(s, 'POST', `/admin/comments/${comment.id}/approve`));
    assert.equal(approved.comment.status, 'published');
    assert.equal((await json(await s.get('?thread=spam-t'))).total, 2);
  });

  it('lists newest first with counts, filters by status and thread, searches body, name and email, pages by cursor', async () => {
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await posted(s, { thread: 'list-t', name: i === 3 ? 'Zoë Émile' : 'Ada', email: `list${i}@Example.com`, body: `Body ${i} 100%_sure` }));
    await call(s, 'POST', `/admin/comments/${made[0].id}/spam`);
    const all = await json(await call(s, 'GET', '/admin/comments?status=all&thread=list-t&limit=3'));
    assert.deepEqual(all.counts, { pending: 0, published: 6, spam: 1 });
    assert.deepEqual(all.comments.map((c: { id: string }) => c.id), [made[6].id, made[5].id, made[4].id]);
    const second = await json(await call(s, 'GET', `/admin/comments?status=all&thread=list-t&limit=3&cursor=${all.nextCursor}`));
    assert.deepEqual(second.comments.map((c: { id: string }) => c.id), [made[3].id, made[2].id, made[1].id]);
    const third = await json(await call(s, 'GET', `/admin/comments?status=all&thread=list-t&limit=3&cursor=${second.nextCursor}`));
    assert.deepEqual(third.comments.map((c: { id: string }) => c.id), [made[0].id]);
    assert.equal(third.nextCursor, null);

    const spam = await json(await call(s, 'GET', '/admin/comments?status=spam&thread=list-t'));
    assert.deepEqual(spam.comments.map((c: { id: string }) => c.id), [made[0].id]);
    assert.deepEqual((await json(await call(s, 'GET', '/admin/comments?thread=list-t'))).comments, [], 'default status: pending');
    const byName = await json(await call(s, 'GET', `/admin/comments?status=all&q=${encodeURIComponent('zoË')}`));
    assert.deepEqual(byName.comments.map((c: { id: string }) => c.id), [made[3].id], 'case-insensitive beyond ASCII');
    const byEmail = await json(await call(s, 'GET', '/admin/comments?status=all&q=LIST5@EXAMPLE'));
    assert.deepEqual(byEmail.comments.map((c: { id: string }) => c.id), [made[5].id]);
    assert.equal(byEmail.comments[0].authorApproved, 1);
    const byBody = await json(await call(s, 'GET', `/admin/comments?status=published&q=${encodeURIComponent('body 2 100%_')}`));
    assert.deepEqual(byBody.comments.map((c: { id: string }) => c.id), [made[2].id]);
    const wildcard = await json(await call(s, 'GET', `/admin/comments?status=all&q=${encodeURIComponent('%')}&thread=other`));
    assert.deepEqual(wildcard.comments, [], '% is a plain character');
    assert.deepEqual((await json(await call(s, 'GET', `/admin/comments?status=all&q=${encodeURIComponent('Body_1')}`))).comments, [], '_ is a plain character');
    assert.equal(byBody.counts.spam >= 1, true, 'counts ignore q and status');
  });

  it('refuses bad parameters with sentences', async () => {
    for (const [query, field] of [
      ['status=deleted', 'status'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['cursor=nope', 'cursor'],
      ['thread=%20', 'thread'],
    ]) {
      const res = await call(s, 'GET', `/admin/comments?${query}`);
      assert.equal(res.status, 400, query);
      assert.ok((await json(res)).error.fields[field!], query);
    }
    assert.equal((await call(s, 'GET', '/admin/audit?cursor=x')).status, 400);
  });

  it('edits a body with the posting rules (422 fields.body), and 404s for a comment someone else deleted', async () => {
    const comment = await posted(s, { thread: 'edit-t' });
    const edited = await call(s, 'PATCH', `/admin/comments/${comment.id}`, { token: MOD_TOKEN, body: { body: '  Edited text.  ' } });
    assert.equal(edited.status, 200);
    assert.equal((await json(edited)).comment.body, 'Edited text.');
    assert.equal((await json(await s.get('?thread=edit-t'))).comments[0].body, 'Edited text.');
    for (const body of [{}, { body: '' }, { body: '   ' }, { body: 'x'.repeat(100_000) }, { body: 42 }]) {
      const res = await call(s, 'PATCH', `/admin/comments/${comment.id}`, { body });
      assert.equal(res.status, res.status === 413 ? 413 : 422, JSON.stringify(body).slice(0, 40));
      if (res.status === 422) assert.ok((await json(res)).error.fields.body);
    }
    const notJson = await fetch(`${s.url}/admin/comments/${comment.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${OWNER}`, 'content-type': 'text/plain' }, body: 'x' });
    assert.equal(notJson.status, 415);

    // Another moderator deletes it; every action on it then says so.
    assert.deepEqual(await json(await call(s, 'DELETE', `/admin/comments/${comment.id}`, { token: MOD_TOKEN })), { deleted: comment.id });
    for (const [method, path, body] of [
      ['POST', `/admin/comments/${comment.id}/approve`, undefined],
      ['POST', `/admin/comments/${comment.id}/spam`, undefined],
      ['POST', `/admin/comments/${comment.id}/restore`, undefined],
      ['PATCH', `/admin/comments/${comment.id}`, { body: 'Too late.' }],
      ['DELETE', `/admin/comments/${comment.id}`, undefined],
    ] as const) {
      const res = await call(s, method, path, { body });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.deepEqual((await json(res)).error, { code: 'not_found', message: 'This comment no longer exists; someone may have deleted it.' });
    }
  });

  it('bulk: does each id, reports done and missing; refuses bad requests', async () => {
    const a = await posted(s, { thread: 'bulk-t' });
    const b = await posted(s, { thread: 'bulk-t' });
    const res = await call(s, 'POST', '/admin/bulk', { token: MOD_TOKEN, body: { action: 'spam', ids: [a.id, 'c_gone', b.id] } });
    assert.equal(res.status, 200);
    assert.deepEqual(await json(res), { done: [a.id, b.id], missing: ['c_gone'] });
    assert.equal((await json(await s.get('?thread=bulk-t'))).total, 0);
    assert.deepEqual(await json(await call(s, 'POST', '/admin/bulk', { body: { action: 'approve', ids: [a.id] } })), { done: [a.id], missing: [] });
    assert.deepEqual(await json(await call(s, 'POST', '/admin/bulk', { body: { action: 'delete', ids: [a.id, b.id] } })), { done: [a.id, b.id], missing: [] });
    assert.equal((await json(await call(s, 'GET', '/admin/comments?status=all&thread=bulk-t'))).comments.length, 0);
    for (const body of [{ action: 'explode', ids: ['x'] }, { action: 'spam', ids: [] }, { action: 'spam', ids: Array(201).fill('x') }, { action: 'spam', ids: [1] }]) {
      const bad = await call(s, 'POST', '/admin/bulk', { body });
      assert.equal(bad.status, 422, JSON.stringify(body).slice(0, 50));
    }
  });

  it('the audit log records every action with who did it, newest first, paged', async () => {
    const fresh = await start({ adminToken: OWNER });
    try {
      await addModerator(fresh, 'alice', MOD_TOKEN);
      const c = await posted(fresh, { thread: 'audit-t' });
      await call(fresh, 'POST', `/admin/comments/${c.id}/spam`, { token: MOD_TOKEN });
      await call(fresh, 'POST', `/admin/comments/${c.id}/restore`);
      await call(fresh, 'POST', `/admin/comments/${c.id}/approve`, { token: MOD_TOKEN });
      await call(fresh, 'PATCH', `/admin/comments/${c.id}`, { body: { body: 'New words.' } });
      const block = (await json(await call(fresh, 'POST', '/admin/blocks', { token: MOD_TOKEN, body: { kind: 'email', value: 'x@example.com' } }))).block;
      await call(fresh, 'DELETE', `/admin/blocks/${block.id}`);
      await call(fresh, 'POST', '/admin/bulk', { body: { action: 'delete', ids: [c.id] } });
      const first = await json(await call(fresh, 'GET', '/admin/audit?limit=4', { token: MOD_TOKEN }));
      const rest = await json(await call(fresh, 'GET', `/admin/audit?limit=4&cursor=${first.nextCursor}`));
      const entries = [...first.entries, ...rest.entries];
      assert.equal(rest.nextCursor, null);
      assert.deepEqual(
        entries.map((e: { moderator: string; action: string; commentId: string | null }) => [e.moderator, e.action, e.commentId]),
        [
          ['owner', 'delete', c.id],
          ['owner', 'unblock', null],
          ['alice', 'block', null],
          ['owner', 'edit', c.id],
          ['alice', 'approve', c.id],
          ['owner', 'restore', c.id],
          ['alice', 'spam', c.id],
        ],
      );
      assert.match(entries[0].at, /^\d{4}-\d\d-\d\dT/);
    } finally {
      await fresh.close();
    }
  });
});
