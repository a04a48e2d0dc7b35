import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore, startServer } from '../../src/server/index.js';
import { input, json, start, tempDir } from './helpers.js';

describe('SqliteStore: opening', () => {
  it('creates missing folders, WAL mode, schema version 1', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'deep', 'er', 'comments.db');
      const store = new SqliteStore(path);
      await store.close();
      const db = new Database(path, { readonly: true });
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('user_version', { simple: true }), 1);
      db.close();
    } finally {
      t.cleanup();
    }
  });

  it('names the path and the reason when a file is in the way of the folder', () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, 'file'), 'x');
      const path = join(t.dir, 'file', 'comments.db');
      assert.throws(() => new SqliteStore(path), (err: Error) => err.message.includes(path) && /file is in the way/.test(err.message));
    } finally {
      t.cleanup();
    }
  });

  it('names the path and the reason when the file is not a database', () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'comments.db');
      writeFileSync(path, 'this is not sqlite, it is a text file that is long enough to have a header '.repeat(20));
      assert.throws(() => new SqliteStore(path), (err: Error) => err.message.includes(path) && /not an SQLite database/.test(err.message));
    } finally {
      t.cleanup();
    }
  });

  it('names the path when the folder is not writable', { skip: process.getuid?.() === 0 ? 'root can write anywhere' : false }, () => {
    const t = tempDir();
    try {
      const ro = join(t.dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      const path = join(ro, 'comments.db');
      assert.throws(() => new SqliteStore(path), (err: Error) => err.message.includes(path));
      assert.throws(() => new SqliteStore(join(ro, 'sub', 'c.db')), (err: Error) => err.message.includes(join(ro, 'sub', 'c.db')) && /permission/.test(err.message));
      chmodSync(ro, 0o755);
    } finally {
      t.cleanup();
    }
  });

  it('refuses a database from a newer version', () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'comments.db');
      const db = new Database(path);
      db.pragma('user_version = 99');
      db.close();
      assert.throws(() => new SqliteStore(path), /newer/);
    } finally {
      t.cleanup();
    }
  });

  it('startServer rejects with the path for an unusable --db, and leaves nothing listening', async () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, 'file'), 'x');
      await assert.rejects(startServer({ port: 0, db: join(t.dir, 'file', 'x.db') }), /Cannot create the folder/);
    } finally {
      t.cleanup();
    }
  });

  it('the list queries use the indexes', async () => {
    const s = await start();
    try {
      await s.post(input());
      const db = new Database(s.dbPath, { readonly: true });
      const plan = (sql: string) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((r: any) => r.detail).join(' | ');
      const top = plan(`SELECT * FROM comments WHERE thread = 'a' AND parent_id IS NULL AND status = 'published'
        AND (created_at, id) > ('x', 'y') ORDER BY created_at, id LIMIT 51`);
      assert.match(top, /USING INDEX comments_page/);
      assert.doesNotMatch(top, /TEMP B-TREE/);
      const replies = plan(`SELECT * FROM comments WHERE root_id IN (SELECT value FROM json_each('["a"]'))
        AND parent_id IS NOT NULL AND status = 'published' ORDER BY root_id, created_at, id`);
      assert.match(replies, /USING INDEX comments_root/);
      db.close();
    } finally {
      await s.close();
    }
  });
});

describe('persistence and concurrency', () => {
  it('comments and idempotency keys survive a restart on the same file', async () => {
    const t = tempDir();
    try {
      const key = crypto.randomUUID();
      const body = input({ thread: 'restart' });
      let s = await start({}, t.dir);
      const { comment } = await json(await s.post(body, { 'idempotency-key': key }));
      await s.stop();
      s = await start({}, t.dir);
      const page = await json(await s.get('?thread=restart'));
      assert.deepEqual(page.comments, [comment]);
      const retry = await s.post(body, { 'idempotency-key': key });
      assert.equal(retry.status, 201);
      assert.deepEqual((await json(retry)).comment, comment);
      assert.equal(s.rows().length, 1);
      await s.stop();
    } finally {
      t.cleanup();
    }
  });

  it('100 concurrent posts are all stored, none twice; 20 concurrent retries of one key store one', async () => {
    const s = await start();
    try {
      const results = await Promise.all(Array.from({ length: 100 }, () => s.post(input({ thread: 'burst' }), { 'idempotency-key': crypto.randomUUID() })));
      assert.deepEqual(results.map((r) => r.status), Array(100).fill(201));
      const ids = await Promise.all(results.map(async (r) => (await json(r)).comment.id));
      assert.equal(new Set(ids).size, 100);
      const page = await json(await s.get('?thread=burst&limit=200'));
      assert.equal(page.total, 100);
      assert.deepEqual(new Set(page.comments.map((c: any) => c.id)), new Set(ids));

      const key = crypto.randomUUID();
      const body = input({ thread: 'retry-storm' });
      const retries = await Promise.all(Array.from({ length: 20 }, () => s.post(body, { 'idempotency-key': key })));
      assert.deepEqual(retries.map((r) => r.status), Array(20).fill(201));
      const retryIds = new Set(await Promise.all(retries.map(async (r) => (await json(r)).comment.id)));
      assert.equal(retryIds.size, 1);
      assert.equal(s.rows().filter((r) => r.thread === 'retry-storm').length, 1);

      // The same comment without keys, 10 at once: one is stored, the others are duplicates.
      const dup = input({ thread: 'dup-storm' });
      const dups = await Promise.all(Array.from({ length: 10 }, () => s.post(dup)));
      assert.deepEqual(dups.map((r) => r.status).sort(), [201, ...Array(9).fill(409)]);
    } finally {
      await s.close();
    }
  });

  it('two handlers on one file (two processes, in effect) see each other’s writes', async () => {
    const t = tempDir();
    try {
      const a = await start({}, t.dir);
      const b = await start({}, t.dir);
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).post(input({ thread: 'shared' }))));
      assert.equal((await json(await a.get('?thread=shared'))).total, 20);
      assert.equal((await json(await b.get('?thread=shared'))).total, 20);
      await a.stop();
      await b.stop();
    } finally {
      t.cleanup();
    }
  });
});
