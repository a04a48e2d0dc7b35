// Issue 14: a store that cannot answer in time (SQLite busy past its timeout, PostgreSQL down) is a 503 with
// Retry-After that the client may retry, never a 500, and nothing is logged as an internal error.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore, startServer } from '../../src/server/index.js';
import { input, json, tempDir } from './helpers.js';

describe('a busy store', () => {
  it('503 unavailable with Retry-After while another process holds the write lock; 201 once it lets go', async () => {
    const temp = tempDir();
    const path = join(temp.dir, 'comments.db');
    const store = new SqliteStore(path, { lockTimeoutMs: 200 });
    const running = await startServer({ port: 0, host: '127.0.0.1', store, floodSeconds: 0 });
    // Another process, as far as SQLite can tell: its own connection holding the write lock.
    const other = new Database(path);
    const logged: unknown[] = [];
    const spy = mock.method(console, 'error', (...args: unknown[]) => logged.push(args));
    try {
      const post = () => fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input()) });
      assert.equal((await post()).status, 201);
      other.exec('BEGIN IMMEDIATE');
      const res = await post();
      const text = await res.text();
      assert.equal(res.status, 503, text);
      assert.deepEqual(JSON.parse(text), {
        error: { code: 'unavailable', message: 'The comments service is busy; please try again in a few seconds.' },
      });
      assert.ok(Number(res.headers.get('retry-after')) >= 1, `Retry-After ${res.headers.get('retry-after')}`);
      // Readers are not refused: WAL lets them read past the writer.
      assert.equal((await fetch(`${running.url}?thread=post-1`)).status, 200);
      assert.deepEqual(logged, [], 'not an internal error');
      other.exec('ROLLBACK');
      assert.equal((await post()).status, 201);
      assert.equal((await json(await fetch(`${running.url}?thread=post-1`))).total, 2);
    } finally {
      spy.mock.restore();
      other.close();
      await running.close();
      await store.close();
      temp.cleanup();
    }
  });
});
