// Issue 14, item 5: two processes on one database. A retry that lands on the other process while the first is
// storing the comment must get the same 201 (a replay), never "409 duplicate": the idempotency lookup and the
// duplicate check are one decision, taken inside the store's transaction.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { input, json, tempDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Starts one CLI process on `db`; resolves with its URL. */
function serve(db: string): Promise<{ url: string; child: ChildProcess; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--host', '127.0.0.1', '--db', db], {
    cwd: ROOT,
    env: { ...process.env, INKWELL_FLOOD_SECONDS: '0' },
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /on (http:\/\/\S+)\n/.exec(out);
      if (m) resolve({ url: m[1]!, child, exited });
    });
    exited.then((code) => reject(new Error(`exited ${code} before listening: ${err}`)));
  });
}

describe('same-key retries across two processes', () => {
  it('300 requests, each sent to both processes at once with one key: every answer is the same 201', { timeout: 300_000 }, async () => {
    const temp = tempDir();
    const db = join(temp.dir, 'shared.db');
    const a = await serve(db);
    const b = await serve(db);
    try {
      const wrong: string[] = [];
      for (let i = 0; i < 300; i++) {
        const body = JSON.stringify(input({ thread: 'race' }));
        const headers = { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() };
        const answers = await Promise.all([a.url, b.url].map((url) => fetch(url, { method: 'POST', headers, body })));
        const bodies = await Promise.all(answers.map((res) => json(res)));
        const statuses = answers.map((res) => res.status);
        if (statuses.some((s) => s !== 201) || bodies[0].comment?.id !== bodies[1].comment?.id) {
          wrong.push(`${i}: ${statuses.join(' and ')} ${JSON.stringify(bodies.map((x) => x.error?.code ?? x.comment?.id))}`);
        }
      }
      assert.deepEqual(wrong, []);
      const page = await json(await fetch(`${a.url}?thread=race&limit=1`));
      assert.equal(page.total, 300, 'one comment per key');
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);
      temp.cleanup();
    }
  });
});
