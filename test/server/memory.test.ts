// Issue 14, item 1: no request shape grows memory without bound. Forged cursors (any date, any id) used to make a
// new cache entry each, about 7 MB apiece on a thread of large comments, until the process died. A server with a
// 256 MB heap must survive 500 of them, GET and HEAD, and still answer.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { json, tempDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const cursor = (i: number) => Buffer.from(JSON.stringify(['o', '2000-01-01T00:00:00.000Z', `z${i}`])).toString('base64url');

describe('memory under forged cursors', () => {
  it('a server with --max-old-space-size=256 survives 500 distinct cursors on a thread of 60 comments of 60 KB', { timeout: 300_000 }, async () => {
    const temp = tempDir();
    const child = spawn(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', CLI, '--port', '0', '--host', '127.0.0.1', '--db', join(temp.dir, 'c.db')], {
      cwd: ROOT,
      env: { ...process.env, INKWELL_FLOOD_SECONDS: '0' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /on (http:\/\/\S+)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        exited.then((code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
      });
      // 60 comments of 60 KB (60,000 code points each), posted as readers would (flood control off).
      for (let i = 0; i < 60; i++) {
        const body = `${i} `.padEnd(60_000, 'lorem ipsum dolor sit amet ');
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ thread: 'big', name: `Reader ${i}`, email: `r${i}@example.com`, body }),
        });
        assert.equal(res.status, 201);
      }
      let died: number | null | undefined;
      exited.then((code) => (died = code));
      // 500 requests, two at a time, alternating GET and HEAD, each with a cursor never seen before.
      let next = 0;
      const worker = async () => {
        while (next < 500 && died === undefined) {
          const i = next++;
          let status: number;
          try {
            const res = await fetch(`${url}?thread=big&cursor=${cursor(i)}`, { method: i % 2 ? 'HEAD' : 'GET' });
            await res.arrayBuffer();
            status = res.status;
          } catch {
            // The connection broke: the process is gone; `died` says how, below.
            await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
            break;
          }
          assert.equal(status, 200, `request ${i}`);
        }
      };
      await Promise.all([worker(), worker()]);
      assert.equal(died, undefined, `the server died (exit ${died}) after ${next} requests: ${stderr.slice(-300)}`);
      const page = await json(await fetch(`${url}?thread=big&limit=1`));
      assert.equal(page.total, 60, 'and it still answers');
    } finally {
      child.kill('SIGTERM');
      await exited;
      temp.cleanup();
    }
  });
});
