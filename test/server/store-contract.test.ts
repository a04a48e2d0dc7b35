/**
 * The store contract (`src/server/store.ts`), one suite run against every store: SqliteStore on a real file and
 * PostgresStore on a real server (see test/support/postgres.ts for where it comes from). Each test gets a fresh,
 * empty database; `open()` gives another store instance on the same database, which is what a second server
 * process sees.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from '../../src/server/postgres-migrations.js';
import { PostgresStore, redactUrl } from '../../src/server/postgres-store.js';
import { SqliteStore } from '../../src/server/sqlite-store.js';
import { StoreUnavailableError } from '../../src/server/store.js';
import type { CommentStore, CreateResult, ListQuery, NewComment, StoredComment, StoredRow } from '../../src/server/store.js';
import { announceSkipped, testPostgres } from '../support/postgres.js';

type TestStore = CommentStore & { readonly cacheBytes: number };
interface Database {
  /** Another store instance on this database (another process, in effect); closed by the suite. */
  open(options?: { cacheBytes?: number }): Promise<TestStore>;
}
interface Backend {
  name: string;
  fresh(): Promise<Database & { cleanup(): Promise<void> }>;
}

const sqlite: Backend = {
  name: 'SqliteStore',
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'inkwell-contract-'));
    const stores: TestStore[] = [];
    return {
      async open(options = {}) {
        const store = new SqliteStore(join(dir, 'comments.db'), options);
        stores.push(store);
        await store.ready();
        return store;
      },
      async cleanup() {
        for (const store of stores) await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const server = await testPostgres();
after(async () => {
  if (!('skip' in server)) await server.stop();
});
const postgres: Backend | null =
  'skip' in server
    ? null
    : {
        name: 'PostgresStore',
        async fresh() {
          const database = await server.createDatabase();
          const stores: TestStore[] = [];
          return {
            async open(options = {}) {
              const store = new PostgresStore(database.url, options);
              stores.push(store);
              await store.ready();
              return store;
            },
            async cleanup() {
              for (const store of stores) await store.close();
              await database.drop();
            },
          };
        },
      };

let serial = 0;
const run = Math.random().toString(36).slice(2, 6);
const BASE = Date.parse('2026-01-01T00:00:00.000Z');
/** A comment to create; each call is distinct (id, email, body, author hash) and later than the previous one. */
function comment(overrides: Partial<NewComment> = {}): NewComment {
  serial++;
  return {
    id: `c${String(serial).padStart(5, '0')}${run}`,
    thread: 'post-1',
    parentId: null,
    name: 'Ada',
    email: `ada${serial}@example.com`,
    website: null,
    body: `Comment ${serial}`,
    createdAt: new Date(BASE + serial * 1000).toISOString(),
    status: 'published',
    ip: '203.0.113.0/24',
    authorHash: `author-${serial}`,
    ...overrides,
  };
}

async function created(store: CommentStore, input: NewComment, options?: Parameters<CommentStore['create']>[1]): Promise<StoredComment> {
  const result = await store.create(input, options);
  assert.equal(result.kind, 'created', `expected created, got ${JSON.stringify(result)}`);
  return (result as Extract<CreateResult, { kind: 'created' }>).comment;
}

const ids = (comments: readonly StoredComment[]) => comments.map((c) => c.id);

/** Every page of a thread, following `next`. */
async function allPages(store: CommentStore, query: Omit<ListQuery, 'after'>): Promise<string[][]> {
  const pages: string[][] = [];
  let after: ListQuery['after'] = null;
  do {
    const page = await store.list({ ...query, after });
    pages.push(ids(page.comments));
    after = page.next;
  } while (after && pages.length < 50);
  return pages;
}

type ContractTest = [name: string, body: (db: Database) => Promise<void>];

const tests: ContractTest[] = [
  [
    'ready() resolves (again and again) and an empty thread lists nothing',
    async (db) => {
      const store = await db.open();
      await store.ready();
      await store.ready();
      assert.deepEqual(await store.list({ thread: 'none', sort: 'oldest', limit: 10 }), { total: 0, comments: [], next: null });
      assert.deepEqual(await store.counts(['none']), { none: 0 });
      assert.deepEqual(await store.pending(), []);
    },
  ],
  [
    'keyset paging, oldest first and newest first, ties on createdAt broken by id',
    async (db) => {
      const store = await db.open();
      const made: StoredComment[] = [];
      for (let i = 0; i < 7; i++) made.push(await created(store, comment({ thread: 'paging' })));
      // Two comments at the same instant: the id decides, in both directions.
      const tieAt = made[6]!.createdAt;
      made.push(await created(store, comment({ thread: 'paging', id: `zz-tie-b${run}`, createdAt: tieAt })));
      made.push(await created(store, comment({ thread: 'paging', id: `zz-tie-a${run}`, createdAt: tieAt })));
      const oldest = [...made].sort((a, b) => (a.createdAt + a.id < b.createdAt + b.id ? -1 : 1)).map((c) => c.id);
      assert.deepEqual(await allPages(store, { thread: 'paging', sort: 'oldest', limit: 3 }), [oldest.slice(0, 3), oldest.slice(3, 6), oldest.slice(6, 9)]);
      const newest = [...oldest].reverse();
      assert.deepEqual(await allPages(store, { thread: 'paging', sort: 'newest', limit: 4 }), [newest.slice(0, 4), newest.slice(4, 8), newest.slice(8)]);
      const first = await store.list({ thread: 'paging', sort: 'oldest', limit: 3 });
      assert.equal(first.total, 9);
      assert.deepEqual(first.next, { createdAt: made[2]!.createdAt, id: made[2]!.id });
      const exact = await store.list({ thread: 'paging', sort: 'oldest', limit: 9 });
      assert.equal(exact.next, null, 'a page that ends the thread says so');
      // A position that matches no stored comment (a forged cursor) still pages from where it points.
      const forged = await store.list({ thread: 'paging', sort: 'oldest', limit: 2, after: { createdAt: made[3]!.createdAt, id: '' } });
      assert.deepEqual(ids(forged.comments), [made[3]!.id, made[4]!.id]);
    },
  ],
  [
    'each top-level comment is followed by its published replies (nested ones too), oldest first',
    async (db) => {
      const store = await db.open();
      const a = await created(store, comment({ thread: 'tree' }));
      const b = await created(store, comment({ thread: 'tree' }));
      const a1 = await created(store, comment({ thread: 'tree', parentId: a.id }));
      const b1 = await created(store, comment({ thread: 'tree', parentId: b.id }));
      const a1x = await created(store, comment({ thread: 'tree', parentId: a1.id }));
      const a2 = await created(store, comment({ thread: 'tree', parentId: a.id }));
      await created(store, comment({ thread: 'tree', parentId: a.id, status: 'pending' }));
      await created(store, comment({ thread: 'tree', status: 'pending' }));
      const c = await created(store, comment({ thread: 'tree' }));
      assert.equal(a1x.rootId, a.id, 'a reply to a reply has the top-level comment as its root');
      assert.equal(a1x.parentId, a1.id);
      assert.equal(a.rootId, a.id);
      const page = await store.list({ thread: 'tree', sort: 'oldest', limit: 2 });
      assert.deepEqual(ids(page.comments), [a.id, a1.id, a1x.id, a2.id, b.id, b1.id]);
      assert.equal(page.total, 7, 'every published comment of the thread, replies included, pending ones not');
      const newest = await store.list({ thread: 'tree', sort: 'newest', limit: 2 });
      assert.deepEqual(ids(newest.comments), [c.id, b.id, b1.id], 'replies stay oldest first under a newest-first page');
      assert.deepEqual(await store.get(a1x.id), a1x, 'a stored comment reads back exactly as create returned it');
    },
  ],
  [
    'counts: published comments per asked thread, 0 for unknown threads',
    async (db) => {
      const store = await db.open();
      const root = await created(store, comment({ thread: 'x' }));
      await created(store, comment({ thread: 'x', parentId: root.id }));
      await created(store, comment({ thread: 'x', status: 'pending' }));
      await created(store, comment({ thread: 'y' }));
      assert.deepEqual(await store.counts(['x', 'y', 'z']), { x: 2, y: 1, z: 0 });
      assert.deepEqual(await store.counts([]), {});
    },
  ],
  [
    'create: parent_not_found for a missing, pending or other-thread parent; nothing stored',
    async (db) => {
      const store = await db.open();
      const other = await created(store, comment({ thread: 'other' }));
      const pending = await created(store, comment({ thread: 'p', status: 'pending' }));
      for (const parentId of ['missing', other.id, pending.id]) {
        const input = comment({ thread: 'p', parentId });
        assert.deepEqual(await store.create(input), { kind: 'parent_not_found' });
        assert.equal(await store.get(input.id), null);
      }
    },
  ],
  [
    'create: duplicate only for the same thread, body and author hash; never without an author hash',
    async (db) => {
      const store = await db.open();
      const first = await created(store, comment({ thread: 'd', body: 'Same words' }));
      assert.deepEqual(await store.create(comment({ thread: 'd', body: 'Same words', authorHash: first.authorHash })), { kind: 'duplicate' });
      // Same email, another author token: not a duplicate (the email proves nothing).
      await created(store, comment({ thread: 'd', body: 'Same words', email: first.email }));
      await created(store, comment({ thread: 'd2', body: 'Same words', authorHash: first.authorHash }));
      await created(store, comment({ thread: 'd', body: 'Same words, edited', authorHash: first.authorHash }));
      await created(store, comment({ thread: 'd', body: 'No token', authorHash: null }));
      await created(store, comment({ thread: 'd', body: 'No token', authorHash: null }));
    },
  ],
  [
    'create: the same idempotency key replays the same request and refuses another',
    async (db) => {
      const store = await db.open();
      const key = `key-${run}`;
      const first = await created(store, comment({ thread: 'i' }), { idempotencyKey: key, requestHash: 'h1' });
      assert.equal(first.idempotencyKey, key);
      // A retry: a new id and time from the handler, but the same request: the first comment comes back.
      assert.deepEqual(await store.create(comment({ thread: 'i' }), { idempotencyKey: key, requestHash: 'h1' }), { kind: 'replayed', comment: first });
      assert.deepEqual(await store.create(comment({ thread: 'i' }), { idempotencyKey: key, requestHash: 'h2' }), { kind: 'idempotency_mismatch' });
      assert.equal((await store.list({ thread: 'i', sort: 'oldest', limit: 10 })).total, 1);
      assert.deepEqual(await store.findByIdempotencyKey(key), { comment: first, requestHash: 'h1' });
      assert.equal(await store.findByIdempotencyKey('unknown'), null);
      // A replay wins over a duplicate: the same body and author hash under the same key is the poster's retry.
      assert.deepEqual(
        await store.create(comment({ thread: 'i', body: first.body, authorHash: first.authorHash }), { idempotencyKey: key, requestHash: 'h1' }),
        { kind: 'replayed', comment: first },
      );
    },
  ],
  [
    'create: flood control per key and window; a refused, replayed or duplicate post does not count',
    async (db) => {
      const store = await db.open();
      const now = BASE + 1_000_000;
      const flood = (keys: string[], nowMs: number, windowMs = 15_000) => ({ flood: { keys, windowMs, nowMs } });
      const first = await created(store, comment({ thread: 'f' }), { ...flood(['ip:a', 'author:1'], now), idempotencyKey: `fk-${run}`, requestHash: 'r' });
      assert.deepEqual(await store.create(comment({ thread: 'f' }), flood(['ip:a'], now + 1000)), { kind: 'rate_limited', retryAfterMs: 14_000 });
      assert.deepEqual(await store.create(comment({ thread: 'f' }), flood(['ip:b', 'author:1'], now + 5000)), { kind: 'rate_limited', retryAfterMs: 10_000 });
      // The asker's own keys decide: another network and token post freely.
      await created(store, comment({ thread: 'f' }), flood(['ip:b', 'author:2'], now + 5000));
      // A replay inside the window is still a replay, and does not extend the window.
      assert.equal((await store.create(comment({ thread: 'f' }), { ...flood(['ip:a'], now + 2000), idempotencyKey: `fk-${run}`, requestHash: 'r' })).kind, 'replayed');
      // A duplicate is answered as such (it is the poster's own, by its token) and records no window.
      assert.equal((await store.create(comment({ thread: 'f', body: first.body, authorHash: first.authorHash }), flood(['ip:c'], now))).kind, 'duplicate');
      await created(store, comment({ thread: 'f' }), flood(['ip:c'], now + 1));
      // The window ends on time; a window of 0 turns the check off.
      await created(store, comment({ thread: 'f' }), flood(['ip:a'], now + 15_000));
      await created(store, comment({ thread: 'f' }), flood(['ip:a'], now + 15_001, 0));
      assert.deepEqual(await store.create(comment({ thread: 'f' }), flood(['ip:a'], now + 15_002)), { kind: 'rate_limited', retryAfterMs: 14_998 });
      // rate_limited stored nothing.
      assert.equal((await store.list({ thread: 'f', sort: 'oldest', limit: 50 })).total, 5);
    },
  ],
  [
    'two store instances on one database: one idempotency key, one duplicate and one flood key each let exactly one post through',
    async (db) => {
      const a = await db.open();
      const b = await db.open();
      const stores = [a, b];
      const key = `race-${run}`;
      const sameKey = await Promise.all(
        Array.from({ length: 12 }, (_, i) => stores[i % 2]!.create(comment({ thread: 'race' }), { idempotencyKey: key, requestHash: 'same' })),
      );
      assert.deepEqual(sameKey.map((r) => r.kind).sort(), ['created', ...Array(11).fill('replayed')]);
      const dup = { body: 'Posted twice', authorHash: `dup-${run}` };
      const dups = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % 2]!.create(comment({ thread: 'race', ...dup }))));
      assert.deepEqual(dups.map((r) => r.kind).sort(), ['created', ...Array(11).fill('duplicate')]);
      const flood = { keys: ['ip:race'], windowMs: 60_000, nowMs: BASE };
      const floods = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % 2]!.create(comment({ thread: 'race' }), { flood })));
      assert.deepEqual(floods.map((r) => r.kind).sort(), ['created', ...Array(11).fill('rate_limited')]);
      assert.equal((await b.list({ thread: 'race', sort: 'oldest', limit: 50 })).total, 3);
      assert.equal((await b.create(comment({ thread: 'race' }), { idempotencyKey: key, requestHash: 'same' })).kind, 'replayed');
    },
  ],
  [
    'pending comments, oldest first; approve publishes them; get reads any status',
    async (db) => {
      const store = await db.open();
      const p1 = await created(store, comment({ thread: 'm', status: 'pending' }));
      await created(store, comment({ thread: 'm' }));
      const p2 = await created(store, comment({ thread: 'm', status: 'pending' }));
      assert.deepEqual(ids(await store.pending()), [p1.id, p2.id]);
      assert.deepEqual(await store.get(p1.id), p1);
      assert.equal(await store.get('missing'), null);
      assert.deepEqual(await store.approve(p1.id), { ...p1, status: 'published' });
      assert.equal(await store.approve('missing'), null);
      assert.deepEqual(ids(await store.pending()), [p2.id]);
      const page = await store.list({ thread: 'm', sort: 'oldest', limit: 10 });
      assert.equal(page.total, 2);
      assert.ok(ids(page.comments).includes(p1.id));
    },
  ],
  [
    'delete: a reply’s replies move up to its parent; a top-level comment’s replies become top-level with their subtrees',
    async (db) => {
      const store = await db.open();
      const root = await created(store, comment({ thread: 'del' }));
      const mid = await created(store, comment({ thread: 'del', parentId: root.id }));
      const leaf = await created(store, comment({ thread: 'del', parentId: mid.id }));
      const leaf2 = await created(store, comment({ thread: 'del', parentId: leaf.id }));
      assert.equal(await store.delete(mid.id), true);
      assert.equal(await store.delete(mid.id), false);
      assert.deepEqual(await store.get(leaf.id), { ...leaf, parentId: root.id });
      assert.equal(await store.delete(root.id), true);
      assert.deepEqual(await store.get(leaf.id), { ...leaf, parentId: null, rootId: leaf.id });
      assert.deepEqual(await store.get(leaf2.id), { ...leaf2, rootId: leaf.id }, 'the whole subtree takes the new root');
      const page = await store.list({ thread: 'del', sort: 'oldest', limit: 10 });
      assert.deepEqual(ids(page.comments), [leaf.id, leaf2.id]);
      assert.equal(page.total, 2);
      // A reply to the promoted comment finds the right root.
      assert.equal((await created(store, comment({ thread: 'del', parentId: leaf2.id }))).rootId, leaf.id);
    },
  ],
  [
    'export and erase by email, case-insensitively; others’ replies move up',
    async (db) => {
      const store = await db.open();
      const mine = await created(store, comment({ thread: 'e', email: 'Grace@Example.COM' }));
      const reply = await created(store, comment({ thread: 'e', parentId: mine.id }));
      const mine2 = await created(store, comment({ thread: 'e2', email: 'grace@example.com', status: 'pending' }));
      assert.deepEqual(await store.exportByEmail('  GRACE@example.com '), [mine, mine2]);
      assert.equal(await store.eraseByEmail('grace@EXAMPLE.com'), 2);
      assert.deepEqual(await store.exportByEmail('grace@example.com'), []);
      assert.deepEqual(await store.get(reply.id), { ...reply, parentId: null, rootId: reply.id });
      assert.equal(await store.eraseByEmail('grace@example.com'), 0);
      assert.deepEqual(ids((await store.list({ thread: 'e', sort: 'oldest', limit: 10 })).comments), [reply.id]);
    },
  ],
  [
    'isTrustedAuthor needs a published comment with both the author hash and the email',
    async (db) => {
      const store = await db.open();
      const c = await created(store, comment({ thread: 't', email: 'Trusted@Example.com', authorHash: 'token-hash' }));
      await created(store, comment({ thread: 't', email: 'waiting@example.com', authorHash: 'other-hash', status: 'pending' }));
      assert.equal(await store.isTrustedAuthor('token-hash', 'trusted@example.COM'), true);
      assert.equal(await store.isTrustedAuthor('token-hash', 'someone@example.com'), false);
      assert.equal(await store.isTrustedAuthor('guessed-hash', c.email), false, 'knowing the email is not enough');
      assert.equal(await store.isTrustedAuthor('other-hash', 'waiting@example.com'), false, 'a pending comment does not trust');
    },
  ],
  [
    'cached pages: the same object while nothing changed; another instance’s writes are seen at once',
    async (db) => {
      const a = await db.open();
      const b = await db.open();
      const query: ListQuery = { thread: 'cache', sort: 'oldest', limit: 10 };
      const first = await created(a, comment({ thread: 'cache' }));
      const page = await a.list(query);
      assert.equal(await a.list(query), page, 'an unchanged page is served from the cache');
      const second = await created(b, comment({ thread: 'cache' }));
      assert.deepEqual(ids((await a.list(query)).comments), [first.id, second.id], 'a write through another instance');
      const pending = await created(b, comment({ thread: 'cache', parentId: first.id, status: 'pending' }));
      await a.list(query);
      await b.approve(pending.id);
      assert.deepEqual(ids((await a.list(query)).comments), [first.id, pending.id, second.id], 'an approval elsewhere');
      await b.delete(second.id);
      assert.deepEqual(ids((await a.list(query)).comments), [first.id, pending.id], 'a delete elsewhere');
      await b.eraseByEmail(first.email);
      assert.deepEqual(ids((await a.list(query)).comments), [pending.id], 'an erase elsewhere');
      await created(a, comment({ thread: 'cache' }));
      assert.equal((await a.list(query)).total, 2, 'its own write');
    },
  ],
  [
    'the page cache stays within its byte budget whatever the positions asked (500 forged cursors, 60 × 60 KB)',
    async (db) => {
      const budget = 2 * 1024 * 1024;
      const writer = await db.open();
      const store = await db.open({ cacheBytes: budget });
      for (let i = 0; i < 60; i++) await created(writer, comment({ thread: 'big', body: `${i} ${'x'.repeat(60_000)}` }));
      let largest = 0;
      for (let i = 0; i < 500; i++) {
        const page = await store.list({ thread: 'big', sort: 'oldest', limit: 2, after: { createdAt: '2000-01-01T00:00:00.000Z', id: `z${i}` } });
        assert.equal(page.comments.length, 2);
        largest = Math.max(largest, store.cacheBytes);
        assert.ok(store.cacheBytes <= budget, `cache at ${store.cacheBytes} bytes, over its ${budget}-byte budget`);
      }
      assert.ok(largest > budget / 2, `the cache is used (${largest} bytes at most)`);
    },
  ],
];

function register(backend: Backend): void {
  describe(`store contract: ${backend.name}`, () => {
    for (const [name, body] of tests) {
      it(name, async () => {
        const db = await backend.fresh();
        try {
          await body(db);
        } finally {
          await db.cleanup();
        }
      });
    }
  });
}

register(sqlite);
if (postgres) register(postgres);
else announceSkipped((server as { skip: string }).skip, tests.map(([name]) => `store contract: PostgresStore › ${name}`));

describe('PostgresStore: connecting, failing and recovering', { skip: postgres ? false : 'no PostgreSQL (see the message above)' }, () => {
  const pgServer = server as Exclude<typeof server, { skip: string }>;

  it('redactUrl hides the password, in well-formed and malformed URLs alike', () => {
    assert.equal(redactUrl('postgres://ink:s3cret@db.example:5432/comments'), 'postgres://ink:***@db.example:5432/comments');
    assert.equal(redactUrl('postgresql://ink:p@ss/w#rd@db.example/comments'), 'postgresql://ink:***@db.example/comments');
    assert.equal(redactUrl('postgres://db.example/comments?user=ink&password=s3cret&sslmode=require'), 'postgres://db.example/comments?user=ink&password=***&sslmode=require');
    assert.equal(redactUrl('postgres://ink@db.example/comments'), 'postgres://ink@db.example/comments');
  });

  it('ready() rejects with one sentence, never the password: server down, wrong password, missing database, malformed URL', async () => {
    const database = await pgServer.createDatabase();
    try {
      const url = new URL(database.url);
      const secret = 'Sup3r-Secret-Pw';
      await pgServer.admin(`CREATE ROLE inkwell_pw_${run} LOGIN PASSWORD '${secret}'`);
      const cases: [string, string, RegExp][] = [
        ['server down', `postgres://ink:${secret}@127.0.0.1:1/comments`, /^Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/comments: the server refused the connection; is PostgreSQL running/],
        ['wrong password', `postgres://inkwell_pw_${run}:not-${secret}@${url.host}${url.pathname}`, /^Cannot connect to PostgreSQL at .*: the password for user "inkwell_pw_\w+" was refused/],
        ['missing database', `postgres://inkwell_pw_${run}:${secret}@${url.host}/inkwell_missing_${run}`, /^Cannot connect to PostgreSQL at .*\/inkwell_missing_\w+: the database "inkwell_missing_\w+" does not exist; create it/],
        ['malformed URL', `postgres://ink:${secret}/x@[bad/db`, /^The PostgreSQL URL postgres:\/\/ink:\*\*\*@\[bad\/db is malformed; write it as postgres:\/\/USER:PASSWORD@HOST/],
      ];
      for (const [what, badUrl, expected] of cases) {
        const store = new PostgresStore(badUrl, { connectTimeoutMs: 2000 });
        const err = await store.ready().then(() => null, (e: Error) => e);
        await store.close();
        // Only a server with password authentication (not `trust`) can refuse a wrong one.
        if (!err && what === 'wrong password') continue;
        assert.ok(err, `${what}: ready() should reject`);
        if (process.env.INKWELL_SHOW_MESSAGES) console.log(what, '→', err.message);
        assert.match(err.message, expected, what);
        assert.ok(!err.message.includes(secret), `${what}: the message shows the password: ${err.message}`);
        assert.equal(err.message.split(/[.;?]\s/).length <= 3, true, `${what}: one sentence: ${err.message}`);
      }
      await pgServer.admin(`DROP ROLE inkwell_pw_${run}`);
    } finally {
      await database.drop();
    }
  });

  it('two stores migrating a fresh database at the same moment both become ready; the version is recorded once', async () => {
    const database = await pgServer.createDatabase();
    const stores = Array.from({ length: 4 }, () => new PostgresStore(database.url));
    try {
      await Promise.all(stores.map((s) => s.ready()));
      const probe = new PostgresStore(database.url);
      await probe.ready();
      await probe.close();
      const direct = new pg.Client({ connectionString: database.url });
      await direct.connect();
      const { rows } = await direct.query('SELECT version FROM inkwell_migrations ORDER BY version');
      await direct.end();
      assert.deepEqual(rows.map((r) => r.version), POSTGRES_MIGRATIONS.map((_, i) => i + 1));
      assert.equal((await stores[0]!.create(comment())).kind, 'created');
    } finally {
      for (const s of stores) await s.close();
      await database.drop();
    }
  });

  it('connections killed by the server (a restart, in effect) give StoreUnavailableError, then the pool reconnects', async () => {
    const database = await pgServer.createDatabase();
    const store = new PostgresStore(database.url, { maxConnections: 2 });
    try {
      await store.ready();
      await created(store, comment({ thread: 'restart' }));
      // A statement in flight when the server ends its connection.
      const inFlight = store.list({ thread: `sleep-${run}`, sort: 'oldest', limit: 1 });
      const slow = (store as unknown as { pool: import('pg').Pool }).pool.query('SELECT pg_sleep(5)').catch((e: Error) => e);
      await new Promise((done) => setTimeout(done, 200));
      await inFlight;
      await pgServer.admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database.name]);
      assert.match(String(await slow), /terminat/i);
      // Idle connections were killed too: the next calls fail as unavailable at most once each, then work.
      let unavailable = 0;
      for (let i = 0; i < 6; i++) {
        try {
          await store.list({ thread: 'restart', sort: 'oldest', limit: 5 });
        } catch (err) {
          assert.ok(err instanceof StoreUnavailableError, String(err));
          assert.ok(err.retryAfterSeconds >= 1);
          unavailable++;
        }
      }
      assert.ok(unavailable <= 2, `${unavailable} calls failed after the restart`);
      assert.equal((await store.list({ thread: 'restart', sort: 'oldest', limit: 5 })).total, 1);
      assert.equal((await store.create(comment({ thread: 'restart' }))).kind, 'created');
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it('a server that is down makes every method fail fast with StoreUnavailableError, not hang', async () => {
    const store = new PostgresStore('postgres://ink:pw@127.0.0.1:1/comments', { connectTimeoutMs: 1000 });
    const started = Date.now();
    await assert.rejects(store.list({ thread: 't', sort: 'oldest', limit: 1 }), StoreUnavailableError);
    await assert.rejects(store.create(comment()), StoreUnavailableError);
    assert.ok(Date.now() - started < 3000);
    await store.close();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Rows for `inkwell-server copy`: countAll, exportAll, importRows. Each test gets two fresh databases of the same
// store (a source and a target).

/** Every stored field of a comment plus the digest kept with its idempotency key, as `exportAll` yields it. */
async function collect(rows: AsyncIterable<StoredRow>): Promise<StoredRow[]> {
  const out: StoredRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** A small varied thread in `store`: replies two deep, pending, unicode, keys with digests, null website/ip/author. */
async function seedVaried(store: CommentStore): Promise<StoredComment[]> {
  const a = await created(store, comment({ thread: 'rows', website: 'https://ada.example/' }), { idempotencyKey: `key-a-${run}`, requestHash: 'hash-a' });
  const a1 = await created(store, comment({ thread: 'rows', parentId: a.id, name: 'Zoë 🦊', body: 'Ünïcødé — שלום 👋🏽' }));
  const a1x = await created(store, comment({ thread: 'rows', parentId: a1.id, ip: null, authorHash: null }), { idempotencyKey: `key-b-${run}` });
  const p = await created(store, comment({ thread: 'rows-2', status: 'pending', ip: '2001:db8::/48' }));
  return [a, a1, a1x, p];
}

const withHash = (c: StoredComment, requestHash: string | null): StoredRow => ({ ...c, requestHash });

/** A source and a target: two fresh databases of the same store. */
type RowTest = [name: string, body: (db: Database, other: Database) => Promise<void>];

const rowTests: RowTest[] = [
  [
    'exportAll yields every field (request digests too), parents first, in batches; countAll counts every status; flood windows stay behind',
    async (db) => {
      const store = await db.open();
      const [a, a1, a1x, p] = await seedVaried(store);
      await created(store, comment({ thread: 'rows' }), { flood: { keys: ['ip:test'], windowMs: 60_000, nowMs: Date.now() } });
      assert.equal(await store.countAll(), 5);
      const rows = await collect(store.exportAll({ batchSize: 2 }));
      assert.equal(rows.length, 5);
      assert.deepEqual(rows.slice(0, 4), [withHash(a!, 'hash-a'), withHash(a1!, null), withHash(a1x!, null), withHash(p!, null)]);
      for (const row of rows) assert.deepEqual(Object.keys(row).sort(), [...Object.keys(a!), 'requestHash'].sort());
      assert.deepEqual(await collect(store.exportAll({ batchSize: 100 })), rows, 'one batch or many: the same rows');
    },
  ],
  [
    'importRows writes rows exactly as given; a second import of the same rows writes nothing and counts them identical',
    async (db, other) => {
      const source = await db.open();
      const seeded = await seedVaried(source);
      const rows = await collect(source.exportAll());
      const target = await other.open();
      const reader = await other.open();
      // A page read (and cached) before the import must not be served after it, in this process or another.
      assert.equal((await reader.list({ thread: 'rows', sort: 'oldest', limit: 10 })).total, 0);
      assert.equal((await target.list({ thread: 'rows', sort: 'oldest', limit: 10 })).total, 0);
      assert.deepEqual(await target.importRows(rows), { inserted: 4, identical: 0, conflictCount: 0, conflicts: [] });
      assert.deepEqual(await collect(target.exportAll()), rows);
      for (const c of seeded) assert.deepEqual(await target.get(c.id), c);
      assert.deepEqual(await target.findByIdempotencyKey(`key-a-${run}`), { comment: seeded[0], requestHash: 'hash-a' });
      for (const store of [target, reader]) {
        const page = await store.list({ thread: 'rows', sort: 'oldest', limit: 10 });
        assert.deepEqual(ids(page.comments), ids(seeded.slice(0, 3)));
      }
      assert.deepEqual(await target.pending(), [seeded[3]]);
      // What create derives from a row (the duplicate check, the trusted author) works on imported rows too.
      const again = await target.create({ ...comment({ thread: 'rows' }), body: seeded[0]!.body, authorHash: seeded[0]!.authorHash });
      assert.equal(again.kind, 'duplicate');
      assert.equal(await target.isTrustedAuthor(seeded[0]!.authorHash!, seeded[0]!.email.toUpperCase()), true);
      assert.deepEqual(await target.importRows(rows), { inserted: 0, identical: 4, conflictCount: 0, conflicts: [] });
      assert.equal(await target.countAll(), 4);
    },
  ],
  [
    'importRows refuses everything when one id holds other data, naming the id and the first field that differs',
    async (db, other) => {
      const source = await db.open();
      await seedVaried(source);
      const rows = await collect(source.exportAll());
      const target = await other.open();
      await target.importRows(rows.slice(0, 1));
      const changed = { ...rows[2]!, body: 'Edited in the target' };
      await target.importRows([rows[1]!, changed]);
      const before = await collect(target.exportAll());
      const result = await target.importRows(rows);
      assert.deepEqual(result, {
        inserted: 0,
        identical: 2,
        conflictCount: 1,
        conflicts: [{ id: changed.id, field: 'body', existing: 'Edited in the target', incoming: rows[2]!.body }],
      });
      assert.deepEqual(await collect(target.exportAll()), before, 'the new row after the conflict was not written either');
      const many = await target.importRows(rows.map((row) => ({ ...row, name: `${row.name}!` })), { maxConflicts: 2 });
      assert.equal(many.conflictCount, 3);
      assert.equal(many.conflicts.length, 2);
      assert.deepEqual(many.conflicts.map((c) => c.field), ['name', 'name']);
      assert.deepEqual(await collect(target.exportAll()), before);
    },
  ],
  [
    'importRows refuses a new id whose idempotency key or (thread, author, body) another comment holds',
    async (db, other) => {
      const source = await db.open();
      const [a] = await seedVaried(source);
      const rows = await collect(source.exportAll());
      const target = await other.open();
      assert.equal((await target.importRows(rows)).inserted, 4);
      const sameKey = { ...rows[0]!, id: `other-${run}`, body: 'Another body', authorHash: 'another-author' };
      const sameBody = { ...rows[0]!, id: `again-${run}`, idempotencyKey: null, requestHash: null };
      const result = await target.importRows([sameKey, sameBody]);
      assert.equal(result.inserted, 0);
      assert.deepEqual(result.conflicts, [
        { id: sameKey.id, field: 'idempotencyKey', existing: `key-a-${run}`, incoming: `key-a-${run}`, otherId: a!.id },
        { id: sameBody.id, field: 'body', existing: a!.body, incoming: a!.body, otherId: a!.id },
      ]);
      assert.equal(await target.countAll(), 4);
    },
  ],
  [
    'importRows takes a reply before its parent (parent links are checked at commit), and refuses a reply without one',
    async (db, other) => {
      const source = await db.open();
      await seedVaried(source);
      const rows = await collect(source.exportAll());
      const target = await other.open();
      const reversed = [...rows].reverse();
      // One row per round trip, where a store makes round trips: the parent really comes in a later statement.
      assert.equal((await target.importRows(reversed, { batchSize: 1 })).inserted, 4);
      assert.equal(await target.countAll(), 4);
      const orphan = { ...rows[1]!, id: `orphan-${run}`, parentId: `missing-${run}`, idempotencyKey: null, requestHash: null, authorHash: null };
      const fresh = { ...rows[0]!, id: `fresh-${run}`, idempotencyKey: null, requestHash: null, authorHash: null };
      await assert.rejects(target.importRows([fresh, orphan], { batchSize: 1 }), (err: Error) => {
        assert.match(err.message, new RegExp(`^Cannot import: .*missing-${run}.* is neither among the copied rows nor in the target; nothing was written\\.$`));
        return true;
      });
      assert.equal(await target.get(fresh.id), null, 'nothing of the failed import stays');
      assert.equal(await target.countAll(), 4);
      // The store still works after the rollback.
      await created(target, comment({ thread: 'after' }));
    },
  ],
  [
    'stopping an export early releases its snapshot; an empty store exports nothing',
    async (db) => {
      const store = await db.open();
      assert.deepEqual(await collect(store.exportAll()), []);
      assert.equal(await store.countAll(), 0);
      for (let i = 0; i < 5; i++) await created(store, comment({ thread: 'early' }));
      for (let round = 0; round < 12; round++) {
        // More early stops than connections: a leaked connection would hang here.
        for await (const row of store.exportAll({ batchSize: 2 })) if (row) break;
      }
      await created(store, comment({ thread: 'early' }));
      assert.equal((await collect(store.exportAll({ batchSize: 2 }))).length, 6);
    },
  ],
];

function registerRows(backend: Backend): void {
  describe(`store contract, rows for copy: ${backend.name}`, () => {
    for (const [name, body] of rowTests) {
      it(name, async () => {
        const source = await backend.fresh();
        const target = await backend.fresh();
        try {
          await body(source, target);
        } finally {
          await source.cleanup();
          await target.cleanup();
        }
      });
    }
  });
}

registerRows(sqlite);
if (postgres) registerRows(postgres);
else announceSkipped((server as { skip: string }).skip, rowTests.map(([name]) => `store contract, rows for copy: PostgresStore › ${name}`));

// Moderation (issue 16): `CommentStore.moderation`, on both stores.
const moderationTests: ContractTest[] = [
  [
    'spam is kept but never listed, counted or trusted; restore moves only spam back to pending; approve publishes',
    async (db) => {
      const store = await db.open();
      const other = await db.open();
      const kept = await created(store, comment({ thread: 'spam' }));
      const spam = await created(store, comment({ thread: 'spam', email: 'Spam@Example.com' }));
      await other.list({ thread: 'spam', sort: 'oldest', limit: 10 });
      const marked = await store.moderation.setStatus(spam.id, 'spam');
      assert.equal(marked?.status, 'spam');
      for (const reader of [store, other]) {
        const page = await reader.list({ thread: 'spam', sort: 'oldest', limit: 10 });
        assert.deepEqual([page.total, ids(page.comments)], [1, [kept.id]], 'every process sees it gone');
        assert.deepEqual(await reader.counts(['spam']), { spam: 1 });
      }
      assert.deepEqual(await store.pending(), []);
      assert.equal(await store.isTrustedAuthor(spam.authorHash!, 'spam@example.com'), false);
      assert.equal((await store.moderation.setStatus(kept.id, 'restore'))?.status, 'published', 'restore leaves a published comment alone');
      assert.equal((await store.moderation.setStatus(spam.id, 'restore'))?.status, 'pending');
      assert.deepEqual(ids(await store.pending()), [spam.id]);
      assert.equal((await store.moderation.setStatus(spam.id, 'approve'))?.status, 'published');
      assert.equal((await other.list({ thread: 'spam', sort: 'oldest', limit: 10 })).total, 2);
      assert.equal(await store.moderation.setStatus('nope', 'spam'), null);
      assert.deepEqual(await store.moderation.counts('spam'), { pending: 0, published: 2, spam: 0 });
    },
  ],
  [
    'create keeps heldReason; the admin view carries the parent and the author\'s approved count',
    async (db) => {
      const store = await db.open();
      const parent = await created(store, comment({ thread: 'view', name: 'Parent', body: 'Parent body' }));
      const held = await created(store, comment({ thread: 'view', parentId: parent.id, status: 'pending', heldReason: 'links', email: 'x@example.com' }));
      await created(store, comment({ thread: 'other', email: 'X@example.com' }));
      const view = await store.moderation.get(held.id);
      assert.equal(view?.heldReason, 'links');
      assert.deepEqual(view?.parent, { id: parent.id, name: 'Parent', body: 'Parent body' });
      assert.equal(view?.authorApproved, 1);
      assert.equal((await store.moderation.get(parent.id))?.parent, null);
      assert.equal((await store.get(held.id))?.heldReason, 'links');
      assert.equal(await store.moderation.get('nope'), null);
    },
  ],
  [
    'the admin listing: status and thread filters, case-insensitive search with literal % and _, keyset paging newest first, counts',
    async (db) => {
      const store = await db.open();
      const made: StoredComment[] = [];
      for (let i = 0; i < 6; i++) {
        made.push(await created(store, comment({ thread: i < 4 ? 'list-a' : 'list-b', status: i % 2 ? 'pending' : 'published', body: i === 2 ? 'Ünïcode 50%_off' : `Plain ${i}`, name: i === 5 ? 'Émile' : 'Ada' })));
      }
      // A tie on createdAt: the id decides.
      const tie = await created(store, comment({ thread: 'list-a', createdAt: made[5]!.createdAt, id: `${made[5]!.id}z` }));
      await store.moderation.setStatus(made[0]!.id, 'spam');
      const pages: string[][] = [];
      let before = null;
      do {
        const page: Awaited<ReturnType<typeof store.moderation.list>> = await store.moderation.list({ status: 'all', limit: 3, before });
        pages.push(ids(page.comments));
        before = page.next;
      } while (before);
      assert.deepEqual(pages, [[tie.id, made[5]!.id, made[4]!.id], [made[3]!.id, made[2]!.id, made[1]!.id], [made[0]!.id]]);
      assert.deepEqual(ids((await store.moderation.list({ status: 'pending', limit: 10 })).comments), [made[5]!.id, made[3]!.id, made[1]!.id]);
      assert.deepEqual(ids((await store.moderation.list({ status: 'spam', limit: 10 })).comments), [made[0]!.id]);
      assert.deepEqual(ids((await store.moderation.list({ status: 'all', thread: 'list-b', limit: 10 })).comments), [made[5]!.id, made[4]!.id]);
      assert.deepEqual(ids((await store.moderation.list({ status: 'all', q: 'üNÏCODE', limit: 10 })).comments), [made[2]!.id]);
      assert.deepEqual(ids((await store.moderation.list({ status: 'all', q: '50%_', limit: 10 })).comments), [made[2]!.id]);
      assert.deepEqual(ids((await store.moderation.list({ status: 'all', q: '%', thread: 'list-b', limit: 10 })).comments), []);
      assert.deepEqual(ids((await store.moderation.list({ status: 'all', q: 'plain_', limit: 10 })).comments), []);
      assert.deepEqual(ids((await store.moderation.list({ status: 'all', q: 'émile', limit: 10 })).comments), [made[5]!.id]);
      assert.deepEqual(ids((await store.moderation.list({ status: 'all', q: made[3]!.email.toUpperCase(), limit: 10 })).comments), [made[3]!.id]);
      assert.deepEqual(await store.moderation.counts(), { pending: 3, published: 3, spam: 1 });
      assert.deepEqual(await store.moderation.counts('list-b'), { pending: 1, published: 1, spam: 0 });
      assert.deepEqual(await store.moderation.counts('none'), { pending: 0, published: 0, spam: 0 });
    },
  ],
  [
    'editBody replaces the body, seen by every process at once; null for a missing comment',
    async (db) => {
      const store = await db.open();
      const other = await db.open();
      const c = await created(store, comment({ thread: 'edit' }));
      await other.list({ thread: 'edit', sort: 'oldest', limit: 10 });
      assert.equal((await store.moderation.editBody(c.id, 'Edited'))?.body, 'Edited');
      assert.equal((await other.list({ thread: 'edit', sort: 'oldest', limit: 10 })).comments[0]?.body, 'Edited');
      assert.equal(await store.moderation.editBody('nope', 'x'), null);
    },
  ],
  [
    'moderators: add (a name once), list without hashes, find by token hash, remove seen by every process',
    async (db) => {
      const store = await db.open();
      const other = await db.open();
      assert.equal(await store.moderation.addModerator('bob', 'hash-b', '2026-01-02T00:00:00.000Z'), true);
      assert.equal(await store.moderation.addModerator('alice', 'hash-a', '2026-01-01T00:00:00.000Z'), true);
      assert.equal(await store.moderation.addModerator('alice', 'hash-c', '2026-01-03T00:00:00.000Z'), false);
      assert.deepEqual(await other.moderation.listModerators(), [
        { name: 'alice', createdAt: '2026-01-01T00:00:00.000Z' },
        { name: 'bob', createdAt: '2026-01-02T00:00:00.000Z' },
      ]);
      assert.equal((await other.moderation.moderatorByTokenHash('hash-a'))?.name, 'alice');
      assert.equal(await other.moderation.moderatorByTokenHash('hash-c'), null);
      assert.equal(await store.moderation.removeModerator('alice'), true);
      assert.equal(await store.moderation.removeModerator('alice'), false);
      assert.equal(await other.moderation.moderatorByTokenHash('hash-a'), null);
    },
  ],
  [
    'the audit log: appended by any process, listed newest first with a cursor',
    async (db) => {
      const store = await db.open();
      const other = await db.open();
      for (let i = 0; i < 5; i++) {
        await (i % 2 ? other : store).moderation.appendAudit({ at: `2026-01-01T00:00:0${i}.000Z`, moderator: `m${i}`, action: 'approve', commentId: `c${i}` });
      }
      const first = await store.moderation.listAudit({ limit: 3 });
      assert.deepEqual(first.entries.map((e) => e.moderator), ['m4', 'm3', 'm2']);
      const rest = await store.moderation.listAudit({ limit: 3, after: first.next });
      assert.deepEqual(rest.entries.map((e) => [e.moderator, e.commentId]), [['m1', 'c1'], ['m0', 'c0']]);
      assert.equal(rest.next, null);
    },
  ],
  [
    'blocks: add once per kind and value, list, match an email (any case) or an address inside a network, remove',
    async (db) => {
      const store = await db.open();
      const network = { rangeStart: `00000000000000000000ffff${'c6336400'}`, rangeEnd: `00000000000000000000ffff${'c63364ff'}` };
      const email = await store.moderation.addBlock({ id: 'b1', kind: 'email', value: 'bad@example.com', createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'owner', rangeStart: null, rangeEnd: null });
      const again = await store.moderation.addBlock({ id: 'b9', kind: 'email', value: 'bad@example.com', createdAt: '2026-01-09T00:00:00.000Z', createdBy: 'alice', rangeStart: null, rangeEnd: null });
      assert.deepEqual(again, email);
      await store.moderation.addBlock({ id: 'b2', kind: 'ip', value: '198.51.100.0/24', createdAt: '2026-01-02T00:00:00.000Z', createdBy: 'alice', ...network });
      assert.deepEqual((await store.moderation.listBlocks()).map((b) => [b.id, b.kind, b.value, b.createdBy]), [
        ['b2', 'ip', '198.51.100.0/24', 'alice'],
        ['b1', 'email', 'bad@example.com', 'owner'],
      ]);
      const other = await db.open();
      assert.equal(await other.moderation.isBlocked('BAD@example.com', null), true);
      assert.equal(await other.moderation.isBlocked('good@example.com', '00000000000000000000ffffc6336407'), true);
      assert.equal(await other.moderation.isBlocked('good@example.com', '00000000000000000000ffffc6336500'), false);
      assert.equal(await other.moderation.isBlocked('good@example.com', null), false);
      assert.equal(await store.moderation.removeBlock('b2'), true);
      assert.equal(await store.moderation.removeBlock('b2'), false);
      assert.equal(await other.moderation.isBlocked('good@example.com', '00000000000000000000ffffc6336407'), false);
    },
  ],
];

function registerModeration(backend: Backend): void {
  describe(`store contract, moderation: ${backend.name}`, () => {
    for (const [name, body] of moderationTests) {
      it(name, async () => {
        const db = await backend.fresh();
        try {
          await body(db);
        } finally {
          await db.cleanup();
        }
      });
    }
  });
}

registerModeration(sqlite);
if (postgres) registerModeration(postgres);
else announceSkipped((server as { skip: string }).skip, moderationTests.map(([name]) => `store contract, moderation: PostgresStore › ${name}`));
