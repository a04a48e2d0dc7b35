/**
 * What only the SQLite store does: opening a file (and saying why it cannot), WAL, migrations from older files,
 * several processes on one file, and never blocking the event loop on another process's write lock. The behaviour
 * every store shares is in store-contract.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isPostgresUrl, openStore } from '../../src/server/open-store.js';
import { PostgresStore } from '../../src/server/postgres-store.js';
import { SQLITE_MIGRATIONS } from '../../src/server/sqlite-migrations.js';
import { SqliteStore } from '../../src/server/sqlite-store.js';
import { StoreUnavailableError } from '../../src/server/store.js';
import type { NewComment } from '../../src/server/store.js';
import { tempDir } from './helpers.js';

let serial = 0;
function comment(overrides: Partial<NewComment> = {}): NewComment {
  serial++;
  return {
    id: `s${serial}`,
    thread: 'post-1',
    parentId: null,
    name: 'Ada',
    email: `ada${serial}@example.com`,
    website: null,
    body: `Comment ${serial}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, serial)).toISOString(),
    status: 'published',
    ip: null,
    authorHash: `author-${serial}`,
    ...overrides,
  };
}

describe('SqliteStore: opening', () => {
  it('creates missing folders, WAL mode, schema version 2', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'deep', 'er', 'comments.db');
      const store = new SqliteStore(path);
      await store.ready();
      await store.close();
      const db = new Database(path, { readonly: true });
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('user_version', { simple: true }), SQLITE_MIGRATIONS.length);
      assert.equal(SQLITE_MIGRATIONS.length, 3);
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

  it('names the path and the reason when the file is not a database', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'comments.db');
      writeFileSync(path, 'this is not sqlite, it is a text file that is long enough to have a header '.repeat(20));
      const store = new SqliteStore(path);
      await assert.rejects(store.ready(), (err: Error) => err.message.includes(path) && /not an SQLite database/.test(err.message));
      await assert.rejects(store.list({ thread: 't', sort: 'oldest', limit: 1 }), /not an SQLite database/);
      await store.close();
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
      assert.throws(() => new SqliteStore(join(ro, 'sub', 'c.db')), (err: Error) => err.message.includes(join(ro, 'sub', 'c.db')) && /permission/.test(err.message));
      chmodSync(ro, 0o755);
    } finally {
      t.cleanup();
    }
  });

  it('refuses a database from a newer version', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'comments.db');
      const db = new Database(path);
      db.pragma('user_version = 99');
      db.close();
      const store = new SqliteStore(path);
      await assert.rejects(store.ready(), /newer than this server knows/);
      await store.close();
    } finally {
      t.cleanup();
    }
  });

  it('upgrades a version 1 file in place: comments kept, duplicates by author hash, a flood table', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'comments.db');
      const old = new Database(path);
      old.exec(SQLITE_MIGRATIONS[0]!);
      old.pragma('user_version = 1');
      old.prepare(
        `INSERT INTO comments (id, thread, parent_id, root_id, name, email, email_norm, website, body, body_hash, created_at, status, ip, idempotency_key, request_hash)
         VALUES ('old1', 'post-1', NULL, 'old1', 'Ada', 'Ada@example.com', 'ada@example.com', NULL, 'Hello', 'x', '2025-01-01T00:00:00.000Z', 'published', NULL, 'k1', 'h1')`,
      ).run();
      old.close();
      const store = new SqliteStore(path);
      await store.ready();
      const kept = await store.get('old1');
      assert.equal(kept?.authorHash, null);
      assert.equal(kept?.body, 'Hello');
      assert.deepEqual(await store.findByIdempotencyKey('k1'), { comment: kept, requestHash: 'h1' });
      // Version 1 refused the same email and body twice; version 2 does not look at the email.
      assert.equal((await store.create(comment({ email: 'ada@example.com', body: 'Hello' }))).kind, 'created');
      const flood = { keys: ['ip:x'], windowMs: 1000, nowMs: 1 };
      assert.equal((await store.create(comment(), { flood })).kind, 'created');
      assert.equal((await store.create(comment(), { flood })).kind, 'rate_limited');
      await store.close();
      const db = new Database(path, { readonly: true });
      assert.equal(db.pragma('user_version', { simple: true }), SQLITE_MIGRATIONS.length);
      db.close();
    } finally {
      t.cleanup();
    }
  });

  it('the list queries use the indexes', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'comments.db');
      const store = new SqliteStore(path);
      await store.ready();
      const db = new Database(path, { readonly: true });
      const plan = (sql: string) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((r: any) => r.detail).join(' | ');
      const top = plan(`SELECT * FROM comments WHERE thread = 'a' AND parent_id IS NULL AND status = 'published'
        AND (created_at, id) > ('x', 'y') ORDER BY created_at, id LIMIT 51`);
      assert.match(top, /USING INDEX comments_page/);
      assert.doesNotMatch(top, /TEMP B-TREE/);
      const replies = plan(`SELECT * FROM comments WHERE root_id IN (SELECT value FROM json_each('["a"]'))
        AND parent_id IS NOT NULL AND status = 'published' ORDER BY root_id, created_at, id`);
      assert.match(replies, /USING INDEX comments_root/);
      assert.match(plan(`SELECT 1 FROM comments WHERE thread = 'a' AND author_hash = 'h' AND body_hash = 'b'`), /comments_duplicate/);
      db.close();
      await store.close();
    } finally {
      t.cleanup();
    }
  });

  it('openStore: a postgres URL is never a file path', async () => {
    for (const url of ['postgres://u:p@localhost/db', 'postgresql://localhost/db', ' POSTGRES://h/d']) assert.equal(isPostgresUrl(url), true, url);
    for (const path of ['comments.db', './postgres/comments.db', 'postgres:comments.db', ':memory:']) assert.equal(isPostgresUrl(path), false, path);
    const t = tempDir();
    try {
      assert.ok(openStore('postgres://u:p@127.0.0.1:1/db') instanceof PostgresStore);
      const file = openStore(join(t.dir, 'c.db'));
      assert.ok(file instanceof SqliteStore);
      await file.close();
    } finally {
      t.cleanup();
    }
  });
});

describe('SqliteStore: other processes', () => {
  it('a write waiting for another process’s lock does not block reads, then succeeds when the lock is released', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'comments.db');
      const store = new SqliteStore(path);
      await store.create(comment());
      const other = new Database(path);
      other.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      const writing = store.create(comment());
      let written = false;
      void writing.then(() => (written = true));
      await new Promise((done) => setTimeout(done, 50));
      const readStart = performance.now();
      const page = await store.list({ thread: 'post-1', sort: 'oldest', limit: 10 });
      const readMs = performance.now() - readStart;
      assert.equal(page.total, 1);
      assert.ok(readMs < 200, `a read took ${readMs.toFixed(1)} ms while a write waited`);
      assert.equal(written, false, 'the write waits for the lock');
      await new Promise((done) => setTimeout(done, 200));
      other.exec('COMMIT');
      assert.equal((await writing).kind, 'created');
      assert.ok(performance.now() - started >= 250);
      other.close();
      assert.equal((await store.list({ thread: 'post-1', sort: 'oldest', limit: 10 })).total, 2);
      await store.close();
    } finally {
      t.cleanup();
    }
  });

  it('a write that cannot get the lock before its deadline fails with StoreUnavailableError', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'comments.db');
      const store = new SqliteStore(path, { lockTimeoutMs: 300 });
      await store.ready();
      const other = new Database(path);
      other.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      await assert.rejects(store.create(comment()), (err: unknown) => {
        assert.ok(err instanceof StoreUnavailableError);
        assert.ok(err.retryAfterSeconds >= 1);
        assert.match(err.message, /locked by another process/);
        return true;
      });
      clearInterval(ticker);
      const waited = performance.now() - started;
      assert.ok(waited >= 290 && waited < 3000, `waited ${waited} ms`);
      assert.ok(ticks >= 5, `the event loop ran ${ticks} timers while the write waited`);
      other.exec('ROLLBACK');
      other.close();
      assert.equal((await store.create(comment())).kind, 'created');
      await store.close();
    } finally {
      t.cleanup();
    }
  });

  it('several processes opening one fresh file at the same moment all migrate it and write', async () => {
    const storeModule = fileURLToPath(new URL('../../src/server/sqlite-store.ts', import.meta.url));
    // Each child loads the code, says "loaded", and opens the file only on "go", so all open it at one moment.
    const script = `
      const { SqliteStore } = await import(${JSON.stringify(storeModule)});
      const [path, n] = process.argv.slice(-2);
      process.stdout.write('loaded\\n');
      await new Promise((go) => process.stdin.once('data', go));
      const store = new SqliteStore(path);
      await store.ready();
      const result = await store.create({ id: 'p' + n, thread: 't', parentId: null, name: 'n', email: n + '@x.org',
        website: null, body: 'b' + n, createdAt: new Date().toISOString(), status: 'published', ip: null, authorHash: null });
      if (result.kind !== 'created') throw new Error(result.kind);
      await store.close();
      process.exit(0);`;
    for (let round = 0; round < 1; round++) {
      const t = tempDir();
      try {
        const path = join(t.dir, 'comments.db');
        const children = Array.from({ length: 4 }, (_, n) => {
          const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, path, String(n)]);
          let output = '';
          proc.stderr.on('data', (d) => (output += d));
          const loaded = new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()));
          const exited = new Promise<{ code: number | null; output: string }>((resolve) => proc.on('close', (code) => resolve({ code, output })));
          return { proc, loaded, exited };
        });
        await Promise.all(children.map((c) => c.loaded));
        for (const c of children) c.proc.stdin.write('go\n');
        for (const r of await Promise.all(children.map((c) => c.exited))) assert.equal(r.code, 0, r.output);
        const db = new Database(path, { readonly: true });
        assert.equal((db.prepare('SELECT count(*) AS n FROM comments').get() as { n: number }).n, 4);
        assert.equal(db.pragma('user_version', { simple: true }), SQLITE_MIGRATIONS.length);
        db.close();
      } finally {
        t.cleanup();
      }
    }
  });

  it('comments and idempotency keys survive reopening the file', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'comments.db');
      let store = new SqliteStore(path);
      const result = await store.create(comment({ thread: 'restart' }), { idempotencyKey: 'k', requestHash: 'h' });
      assert.equal(result.kind, 'created');
      await store.close();
      store = new SqliteStore(path);
      const replay = await store.create(comment({ thread: 'restart' }), { idempotencyKey: 'k', requestHash: 'h' });
      assert.deepEqual(replay, { kind: 'replayed', comment: (result as { comment: unknown }).comment });
      await store.close();
    } finally {
      t.cleanup();
    }
  });
});
