/**
 * Issue 15: correct across processes, proved with real processes. Two `inkwell-server` CLIs on ONE database (a
 * SQLite file, then a PostgreSQL database): a post on A is in B's very next GET, one Idempotency-Key stores one
 * comment whichever process gets it, flood control counts posts through either, moderation on A is seen by B.
 * Then `--workers 2` on one port, a worker that dies, a crash loop, and PostgreSQL restarted under a serving CLI.
 * Every child is killed after its suite, and every wait is bounded.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { announceSkipped, testPostgres } from '../support/postgres.js';
import { input, tempDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN = 'multi-process-admin';
const START_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A running CLI: its endpoint, its pid, everything it printed. */
interface Served {
  url: string;
  child: ChildProcess;
  /** stdout and stderr together, as an operator's log would hold them. */
  output(): string;
  /** SIGTERM, then the exit code (SIGKILL after 15 s). */
  stop(): Promise<number | null>;
}

const children = new Set<ChildProcess>();
// Whatever happens to the test run, no server outlives it.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts `inkwell-server` on an ephemeral port of 127.0.0.1 and waits for its start-up line. */
function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd: ROOT,
    env: { ...process.env, INKWELL_FLOOD_SECONDS: '', INKWELL_ADMIN_TOKEN: '', DATABASE_URL: '' },
  });
  children.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => (children.delete(child), resolve(code))));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start-up line in ${START_TIMEOUT_MS / 1000} s: ${output}`));
    }, START_TIMEOUT_MS);
    const onData = () => {
      const match = /Inkwell comments API on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url: match[1]!,
        child,
        output: () => output,
        stop: () => {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          return exited.finally(() => clearTimeout(killer));
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before listening: ${output}`));
    });
  });
}

/** Runs the CLI to its exit, with a bound. */
function runToExit(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--host', '127.0.0.1', ...args], { cwd: ROOT });
  children.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, output });
    }),
  );
}

let network = 0;
/** A network of its own (through X-Forwarded-For, the servers trust the proxy), so flood control leaves it alone. */
const newNetwork = () => `10.${Math.floor(++network / 250)}.${network % 250}.7`;

/** What the tests read of an answer (the API's JSON, loosely typed). */
interface Body {
  comment: { id: string; status: string };
  comments: { id: string }[];
  total: number;
  counts: Record<string, number>;
  error?: { code: string };
}

interface Answer {
  status: number;
  headers: Headers;
  body: Body;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Body };
}

function post(server: Served, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  return call(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': newNetwork(), ...headers },
    body: JSON.stringify(body),
  });
}

const page = (server: Served, thread: string) => call(`${server.url}?thread=${encodeURIComponent(thread)}&limit=200`);
const ids = (answer: Answer): string[] => answer.body.comments.map((c: { id: string }) => c.id);
const admin = (server: Served, method: string, path: string) =>
  call(`${server.url}/admin${path}`, { method, headers: { authorization: `Bearer ${ADMIN}` } });

/**
 * The cross-process suite, for one database both processes open, with flood control of 15 s per network and
 * author (each request comes from a network of its own unless a test says otherwise).
 */
function sharedDatabaseSuite(name: string, database: () => Promise<{ db: string; cleanup(): Promise<void> }>) {
  const slug = name.toLowerCase().replace(/\W+/g, '-');
  describe(`two server processes on one ${name}`, { timeout: 240_000 }, () => {
    let db = '';
    let a: Served;
    let b: Served;
    let cleanup: () => Promise<void> = async () => undefined;
    const args = () => ['--db', db, '--flood-seconds', '15', '--trust-proxy', '--admin-token', ADMIN];
    before(async () => {
      const opened = await database();
      db = opened.db;
      cleanup = opened.cleanup;
      // One after the other: the second finds the schema the first made (the race is covered in store tests).
      a = await serve(args());
      b = await serve(args());
    });
    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await cleanup();
    });

    it("a comment posted on A is in B's very next GET, and the other way round (no stale cached page)", async () => {
      const thread = `visible-${slug}`;
      for (const [writer, reader] of [
        [a, b],
        [b, a],
        [a, b],
      ] as const) {
        // Both processes have just served (and may cache) the page before each post.
        const before = await page(reader, thread);
        await page(writer, thread);
        const posted = await post(writer, input({ thread }));
        assert.equal(posted.status, 201);
        const seen = await page(reader, thread);
        assert.deepEqual(ids(seen), [...ids(before), posted.body.comment.id]);
        assert.equal(seen.body.total, before.body.total + 1);
        assert.notEqual(seen.headers.get('etag'), before.headers.get('etag'));
        assert.equal((await call(`${reader.url}/counts?thread=${thread}`)).body.counts[thread], seen.body.total);
      }
    });

    it("a moderation decision on A (approve, delete) is in B's next GET", async () => {
      // Two more processes on the same database, holding every new comment for moderation.
      const [moderatedA, moderatedB] = await Promise.all([serve([...args(), '--moderation', 'all']), serve([...args(), '--moderation', 'all'])]);
      try {
        const thread = `moderated-${slug}`;
        const pending = await post(moderatedA, input({ thread }));
        const id = pending.body.comment.id as string;
        assert.equal(pending.body.comment.status, 'pending');
        assert.deepEqual(ids(await page(moderatedB, thread)), []);
        assert.equal((await call(`${moderatedB.url}/counts?thread=${thread}`)).body.counts[thread], 0);
        assert.ok((await admin(moderatedB, 'GET', '/pending')).body.comments.some((c: { id: string }) => c.id === id));

        assert.equal((await admin(moderatedA, 'POST', `/comments/${id}/approve`)).status, 200);
        assert.deepEqual(ids(await page(moderatedB, thread)), [id]);
        assert.equal((await call(`${moderatedB.url}/counts?thread=${thread}`)).body.counts[thread], 1);

        assert.equal((await admin(moderatedA, 'DELETE', `/comments/${id}`)).status, 200);
        assert.deepEqual(ids(await page(moderatedB, thread)), []);
        assert.equal((await call(`${moderatedB.url}/counts?thread=${thread}`)).body.counts[thread], 0);

        // And through the first pair: a deletion on A is gone from B's next page.
        const published = await post(a, input({ thread }));
        assert.deepEqual(ids(await page(b, thread)), [published.body.comment.id]);
        assert.equal((await admin(a, 'DELETE', `/comments/${published.body.comment.id}`)).status, 200);
        assert.deepEqual(ids(await page(b, thread)), []);
      } finally {
        await Promise.all([moderatedA.stop(), moderatedB.stop()]);
      }
    });

    it('the same Idempotency-Key sent to A and B stores one comment; both answer 201 with its id', async () => {
      for (const round of [1, 2, 3]) {
        const email = `idempotent-${slug}-${round}@example.com`;
        const body = input({ thread: `idempotent-${slug}`, email });
        const headers = { 'idempotency-key': `key-${slug}-${round}-${Date.now()}`, 'x-forwarded-for': newNetwork() };
        // At the same moment, then once more on each: the retries are replays, not posts (flood control is on).
        const racing = await Promise.all([post(a, body, headers), post(b, body, headers)]);
        const retries = await Promise.all([post(b, body, headers), post(a, body, headers)]);
        for (const answer of [...racing, ...retries]) {
          assert.equal(answer.status, 201, JSON.stringify(answer.body));
          assert.equal(answer.body.comment.id, racing[0]!.body.comment.id);
        }
        assert.equal(racing.filter((answer) => answer.headers.get('idempotent-replayed') === 'true').length, 1);
        const stored = await admin(b, 'GET', `/export?email=${encodeURIComponent(email)}`);
        assert.equal(stored.body.comments.length, 1, `round ${round}: one comment stored`);
      }
    });

    it('flood control counts posts made through either process', async () => {
      const thread = `flood-${slug}`;
      for (const [first, second] of [
        [a, b],
        [b, a],
      ] as const) {
        const net = newNetwork();
        const accepted = await post(first, input({ thread }), { 'x-forwarded-for': net });
        assert.equal(accepted.status, 201);
        // Another author (new email, no token) from the same network, through the other process.
        const refused = await post(second, input({ thread }), { 'x-forwarded-for': net });
        assert.equal(refused.status, 429, JSON.stringify(refused.body));
        const retryAfter = Number(refused.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 15, `Retry-After ${retryAfter}`);
        assert.equal((await post(second, input({ thread }))).status, 201, 'another network may post');
      }
    });
  });
}

sharedDatabaseSuite('SQLite file', async () => {
  const temp = tempDir();
  return { db: join(temp.dir, 'shared.db'), cleanup: async () => temp.cleanup() };
});

const pgServer = await testPostgres();
after(async () => {
  if (!('skip' in pgServer)) await pgServer.stop();
});
if ('skip' in pgServer) {
  announceSkipped(pgServer.skip, [
    'two server processes on one PostgreSQL database (4 tests)',
    'PostgreSQL restarted under a serving CLI',
  ]);
} else {
  sharedDatabaseSuite('PostgreSQL database', async () => {
    const database = await pgServer.createDatabase();
    return { db: database.url, cleanup: () => database.drop() };
  });
}

/** A GET on a connection of its own, so node:cluster hands each one to the next worker. */
function freshConnectionGet(url: string): Promise<{ status: number; body: Body }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' }, timeout: 20_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Body }));
    });
    req.on('timeout', () => req.destroy(new Error('GET timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** The pids of a primary's workers. */
function workerPids(primary: ChildProcess): number[] {
  const result = spawnSync('ps', ['-o', 'pid=', '--ppid', String(primary.pid)], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('--workers 2 on one port', { timeout: 240_000 }, () => {
  it('both workers answer; a post is in every following GET; a killed worker is replaced; SIGTERM stops them all', async () => {
    const temp = tempDir();
    const server = await serve(['--db', join(temp.dir, 'c.db'), '--workers', '2', '--flood-seconds', '0']);
    try {
      assert.match(server.output(), /Inkwell comments API on http:\/\/127\.0\.0\.1:\d+\/api\/comments \(2 workers\)\n/);
      const pids = workerPids(server.child);
      assert.equal(pids.length, 2, `two workers: ${pids.join(', ')}`);

      const thread = 'workers';
      for (let i = 0; i < 3; i++) {
        const posted = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input({ thread })) });
        assert.equal(posted.status, 201);
        // Each GET on a new connection: the primary deals them out to the workers in turn.
        const reads = await Promise.all(Array.from({ length: 10 }, () => freshConnectionGet(`${server.url}?thread=${thread}`)));
        for (const read of reads) {
          assert.equal(read.status, 200);
          assert.ok(
            read.body.comments.some((c: { id: string }) => c.id === posted.body.comment.id),
            'every following GET has the post',
          );
          assert.equal(read.body.total, i + 1);
        }
      }

      process.kill(pids[0]!, 'SIGKILL');
      await until('a replacement worker', () => {
        const now = workerPids(server.child);
        return now.length === 2 && !now.includes(pids[0]!) ? now : undefined;
      });
      const restartLine = new RegExp(`^inkwell-server: worker ${pids[0]} was killed by SIGKILL; starting another\\.$`, 'm');
      await until('the restart line', () => (restartLine.test(server.output()) ? true : undefined), 5000);
      const reads = await Promise.all(Array.from({ length: 6 }, () => freshConnectionGet(`${server.url}?thread=${thread}`)));
      assert.deepEqual(
        reads.map((read) => read.body.total),
        [3, 3, 3, 3, 3, 3],
      );

      const survivors = workerPids(server.child);
      assert.equal(await server.stop(), 0);
      for (const pid of survivors) assert.throws(() => process.kill(pid, 0), 'the worker is gone');
    } finally {
      await server.stop();
      temp.cleanup();
    }
  });

  it('a crash loop stops the server with a clear message and exit code 1', async () => {
    const temp = tempDir();
    const db = join(temp.dir, 'c.db');
    const server = await serve(['--db', db, '--workers', '2', '--flood-seconds', '0']);
    try {
      // The database file is replaced by something that is not a database: every new worker fails to open it.
      writeFileSync(join(temp.dir, 'garbage'), 'this is not a SQLite database '.repeat(200));
      renameSync(join(temp.dir, 'garbage'), db);
      process.kill(workerPids(server.child)[0]!, 'SIGKILL');
      const code = await until(
        'the primary to give up',
        () => (server.child.exitCode !== null ? server.child.exitCode : undefined),
        90_000,
      );
      assert.equal(code, 1);
      assert.match(server.output(), /workers died 6 times within 60 seconds, so the server stops instead of restarting them\./);
    } finally {
      await server.stop();
      temp.cleanup();
    }
  });
});

describe('PostgreSQL restarted under a serving CLI', { timeout: 240_000, skip: 'skip' in pgServer ? 'no PostgreSQL (see the message above)' : false }, () => {
  const postgres = pgServer as Exclude<typeof pgServer, { skip: string }>;

  it('requests in flight get 503 with Retry-After (never 500, never a hang), the pool reconnects, nothing acknowledged is lost', async (t) => {
    if (!postgres.server) {
      t.skip('INKWELL_TEST_PG names a server these tests cannot restart');
      return;
    }
    const database = await postgres.createDatabase();
    const password = new URL(database.url).password;
    const server = await serve(['--db', database.url, '--flood-seconds', '0', '--workers', '2']);
    try {
      const thread = 'restart';
      const acknowledged: string[] = [];
      const outcomes: { status: number; ms: number; retryAfter: string | null }[] = [];
      let sending = true;
      // A steady stream of posts and reads from before the stop until after the restart.
      const stream = (async () => {
        const inFlight: Promise<void>[] = [];
        while (sending) {
          const started = Date.now();
          inFlight.push(
            (async () => {
              for (const answer of await Promise.all([
                call(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input({ thread })) }),
                page(server, thread),
              ])) {
                outcomes.push({ status: answer.status, ms: Date.now() - started, retryAfter: answer.headers.get('retry-after') });
                if (answer.status === 201) acknowledged.push(answer.body.comment.id);
              }
            })(),
          );
          await sleep(50);
        }
        await Promise.all(inFlight);
      })();

      await sleep(500);
      postgres.server.halt();
      await sleep(2000);
      postgres.server.resume();
      await until('the API to answer again', async () => ((await page(server, thread)).status === 200 ? true : undefined), 30_000);
      await sleep(300);
      sending = false;
      await stream;

      const statuses = new Set(outcomes.map((o) => o.status));
      assert.deepEqual([...statuses].filter((s) => s !== 200 && s !== 201 && s !== 503), [], 'only 200, 201 and 503');
      assert.ok(outcomes.some((o) => o.status === 503), 'some requests met the stopped server');
      for (const o of outcomes.filter((o) => o.status === 503)) assert.ok(Number(o.retryAfter) >= 1, `Retry-After ${o.retryAfter}`);
      const slowest = Math.max(...outcomes.map((o) => o.ms));
      const count = (status: number) => outcomes.filter((o) => o.status === status).length;
      t.diagnostic(`${outcomes.length} answers: ${count(200)} × 200, ${count(201)} × 201, ${count(503)} × 503; slowest ${slowest} ms`);
      assert.ok(slowest < 15_000, `no request hangs: the slowest took ${slowest} ms`);

      // The pool reconnected: both workers post and read again; every acknowledged comment is there, once.
      const after = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input({ thread })) });
      assert.equal(after.status, 201);
      acknowledged.push(after.body.comment.id);
      const stored = ids(await page(server, thread));
      assert.deepEqual([...stored].sort(), [...acknowledged].sort());

      assert.ok(password.length > 0);
      assert.ok(!server.output().includes(password), 'the password never reaches the log');
      assert.doesNotMatch(server.output(), /internal error/);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});

describe('PostgreSQL down at start', { timeout: 120_000 }, () => {
  it('the CLI names the URL without its password and exits 1, with one worker or several', async () => {
    // A port where nothing listens: bind one, note it, close it.
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    const url = `postgres://inkwell:Sup3r-s3cret@127.0.0.1:${port}/comments`;
    const runs = await Promise.all([runToExit(['--db', url]), runToExit(['--db', url, '--workers', '2'])]);
    for (const run of runs) {
      assert.equal(run.code, 1, run.output);
      assert.match(
        run.output,
        new RegExp(`^inkwell-server: Cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/comments: the server refused the connection; is PostgreSQL running`, 'm'),
      );
      assert.ok(!run.output.includes('Sup3r-s3cret'), run.output);
      assert.doesNotMatch(run.output, /Inkwell comments API on/);
    }
  });
});
