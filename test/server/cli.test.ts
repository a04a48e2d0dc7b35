import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { UsageError, parseCliArgs } from '../../src/server/cli-options.js';
import { input, json, tempDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the CLI and waits for its one line; `stop()` sends SIGTERM and waits for the exit code. */
function serve(args: string[], env: Record<string, string> = {}): Promise<{ line: string; stop(): Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('close', r));
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        resolve({
          line: out.trim(),
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    exited.then((code) => reject(new Error(`exited ${code} before listening: ${err}`)));
    setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('no start-up line in 60 s'));
    }, 60_000).unref();
  });
}

describe('inkwell-server CLI', { concurrency: true }, () => {
  it('--help prints the options and exits 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    for (const flag of ['--port', '--db', '--origin', '--moderation', '--admin-token', '--flood-seconds', 'INKWELL_FLOOD_SECONDS', 'INKWELL_ADMIN_TOKEN', '--workers', '--cache-seconds']) {
      assert.ok(r.stdout.includes(flag), flag);
    }
  });

  it('exits 2 with a clear message for a bad flag', async () => {
    const r = await run(['--bogus']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /bogus/);
    assert.match(r.stderr, /--help/);
    assert.equal(r.stdout, '');
  });

  it('exits 1 naming the port when it is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, r));
    const port = (blocker.address() as AddressInfo).port;
    const t = tempDir();
    try {
      const r = await run(['--port', String(port), '--db', join(t.dir, 'c.db')]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`Port ${port} is already in use; choose another with --port or PORT\\.`));
      // With workers, the same sentence once (every worker fails alike), and no start-up line.
      const workers = await run(['--port', String(port), '--db', join(t.dir, 'c.db'), '--workers', '3']);
      assert.equal(workers.code, 1);
      assert.equal(workers.stderr, `inkwell-server: Port ${port} is already in use; choose another with --port or PORT.\n`);
      assert.equal(workers.stdout, '');
    } finally {
      blocker.close();
      t.cleanup();
    }
  });

  it('serves the API, honours INKWELL_FLOOD_SECONDS and INKWELL_ADMIN_TOKEN, and stops on SIGTERM', async () => {
    const t = tempDir();
    try {
      const server = await serve(['--port', '0', '--db', join(t.dir, 'sub', 'c.db'), '--origin', 'https://blog.example', '--moderation', 'none', '--cache-seconds', '30'], {
        INKWELL_FLOOD_SECONDS: '0',
        INKWELL_ADMIN_TOKEN: 'cli-token',
      });
      const m = /^Inkwell comments API on (http:\/\/localhost:\d+\/api\/comments)$/.exec(server.line);
      assert.ok(m, server.line);
      const url = m[1]!;
      const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input({ email: 'cli@example.com' })) });
      assert.equal((await post()).status, 201);
      assert.equal((await post()).status, 201, 'flood control off');
      const page = await fetch(`${url}?thread=post-1`);
      assert.equal((await json(page)).total, 2);
      assert.equal(page.headers.get('cache-control'), 'public, max-age=30, stale-while-revalidate=300', '--cache-seconds 30');
      assert.match(page.headers.get('etag') ?? '', /^"/);
      const pending = await fetch(`${url}/admin/pending`, { headers: { authorization: 'Bearer cli-token' } });
      assert.equal(pending.status, 200);
      const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://blog.example', 'access-control-request-method': 'POST' } });
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://blog.example');
      assert.equal(await server.stop(), 0);
    } finally {
      t.cleanup();
    }
  });
});

describe('parseCliArgs', () => {
  it('defaults: port 8787, ./comments.db, moderation none, flood 15 s, no origins, no admin', () => {
    assert.deepEqual(parseCliArgs([], {}), {
      port: 8787,
      host: undefined,
      db: 'comments.db',
      origins: [],
      moderation: 'none',
      adminToken: undefined,
      floodSeconds: 15,
      trustProxy: false,
      workers: 1,
      cacheSeconds: 0,
    });
  });

  it('reads --workers and --cache-seconds', () => {
    const o = parseCliArgs(['--workers', '4', '--cache-seconds=60'], {});
    assert.ok(o !== 'help');
    assert.equal(o.workers, 4);
    assert.equal(o.cacheSeconds, 60);
  });

  it('reads flags, repeated origins and the environment; flags win', () => {
    const o = parseCliArgs(
      ['--port=9000', '--db', 'x.db', '--origin', 'https://a.example', '--origin', 'https://b.example/', '--moderation', 'first-time', '--flood-seconds', '30', '--trust-proxy'],
      { PORT: '1234', INKWELL_FLOOD_SECONDS: '0', INKWELL_ADMIN_TOKEN: 'env-token' },
    );
    assert.ok(o !== 'help');
    assert.equal(o.port, 9000);
    assert.equal(o.db, 'x.db');
    assert.deepEqual(o.origins, ['https://a.example', 'https://b.example/']);
    assert.equal(o.moderation, 'first-time');
    assert.equal(o.floodSeconds, 30);
    assert.equal(o.adminToken, 'env-token');
    assert.equal(o.trustProxy, true);
    const env = parseCliArgs([], { PORT: '1234', INKWELL_FLOOD_SECONDS: '0' });
    assert.ok(env !== 'help');
    assert.equal(env.port, 1234);
    assert.equal(env.floodSeconds, 0);
    assert.equal(parseCliArgs(['-h']), 'help');
  });

  const bad: [string[], Record<string, string>, RegExp][] = [
    [['--bogus'], {}, /bogus/],
    [['stray'], {}, /stray|positional/i],
    [['--port', 'abc'], {}, /Invalid port "abc"/],
    [['--port', '70000'], {}, /Invalid port/],
    [[], { PORT: 'eighty' }, /Invalid port "eighty"/],
    [['--moderation', 'maybe'], {}, /^Invalid moderation "maybe": use none, all or first-time \(set by --moderation or the moderation option\)\.$/],
    [['--flood-seconds=-1'], {}, /Invalid flood interval -1: .*--flood-seconds, INKWELL_FLOOD_SECONDS or the floodSeconds option/],
    [['--flood-seconds', ''], {}, /Invalid flood interval/],
    [[], { INKWELL_FLOOD_SECONDS: 'soon' }, /Invalid flood interval "soon"/],
    [['--origin', 'blog.example'], {}, /Invalid origin "blog.example": write it as scheme and host/],
    [['--db'], {}, /argument missing|db/],
    [['--workers', '0'], {}, /^Invalid worker count 0: use a whole number from 1 to 256; this machine has \d+ cores \(set by --workers\)\.$/],
    [['--workers', 'all'], {}, /^Invalid worker count "all"/],
    [['--workers', '257'], {}, /^Invalid worker count 257/],
    [['--workers', '2', '--db', ':memory:'], {}, /^Invalid database ":memory:": several workers need one shared database; give --db a file path or a postgres:\/\/ URL/],
    [['--cache-seconds=-5'], {}, /^Invalid cache time "-5": use a whole number of seconds .*\(set by --cache-seconds or the cacheSeconds option\)\.$/],
    [['--cache-seconds', '1.5'], {}, /^Invalid cache time "1.5"/],
  ];
  for (const [args, env, message] of bad) {
    it(`UsageError for ${args.join(' ') || JSON.stringify(env)}`, () => {
      assert.throws(() => parseCliArgs(args, env), (err: Error) => err instanceof UsageError && message.test(err.message));
    });
  }
});
