// Server throughput: autocannon on loopback against the reference server, the `inkwell-server` CLI from dist/, on
// SQLite and on PostgreSQL, with 1 and 2 workers (`--workers`): GET a 50-comment page, POST new comments. Next to
// it, a bare node:http server answering the same bytes with 1 and 2 processes: the ceiling of Node on this machine.
// Each server runs in child processes; autocannon runs in this one, so on a 2-core machine they share the CPU.
//
// PostgreSQL: INKWELL_BENCH_PG (or INKWELL_TEST_PG), a URL of a user allowed to create databases, else the same
// throw-away cluster the tests start (test/support/postgres.ts); the bench creates a fresh database and drops it.
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { root } from './env.mjs';
import { makeComments } from './fixtures.mjs';

const require = createRequire(import.meta.url);
const BARE = fileURLToPath(new URL('./load-server.mjs', import.meta.url));
const THREAD = 'load-get';
const POST_THREAD = 'load-post';
/** The worker counts measured. */
export const WORKERS = [1, 2];
/** The stores measured, in the order of the report. */
export const STORES = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** Waits for a child to exit, killing it after `ms`. */
function stopChild(child, ms = 10_000) {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const kill = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `inkwell-server` from dist/ on a free port (flood control off, moderation none: the bench measures request
 * handling, not the rate limiter); resolves with `{ url, stop }` once it prints its start-up line.
 */
function startReference({ db, workers, track }) {
  const cli = join(root, 'dist/server/cli.js');
  const args = [cli, '--port', '0', '--host', '127.0.0.1', '--db', db, '--flood-seconds', '0', '--moderation', 'none'];
  if (workers > 1) args.push('--workers', String(workers));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } });
    const untrack = track(child);
    child.once('exit', untrack);
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`inkwell-server (${workers} worker${workers > 1 ? 's' : ''}) did not start within 20 s: ${err.trim()}`));
    }, 20_000);
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`inkwell-server exited with code ${code} before listening: ${err.trim()}`));
    });
    child.stdout.on('data', (d) => {
      out += d;
      const url = /(http:\/\/\S+)/.exec(out)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({ url, stop: () => stopChild(child) });
    });
  });
}

/** Starts the bare server with `workers` processes; resolves with `{ url, stop }`. */
function startBare({ bodyFile, headers, workers, track }) {
  return new Promise((resolve, reject) => {
    const child = fork(BARE, ['bare', bodyFile, JSON.stringify(headers), String(workers)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const untrack = track(child);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the bare node:http server did not start within 15 s'));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      untrack();
      reject(new Error(`the bare node:http server exited with code ${code} before listening`));
    });
    child.once('message', (m) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.once('exit', untrack);
      resolve({
        url: `http://127.0.0.1:${m.port}`,
        stop: () => {
          if (child.connected) child.send('close');
          return stopChild(child, 3000);
        },
      });
    });
  });
}

/** One autocannon run, bounded by its duration; resolves with the figures the report uses. */
function cannon(opts) {
  const autocannon = require('autocannon');
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections: 10, pipelining: 1, timeout: 10, ...opts }, (err, r) => {
      if (err) return reject(err);
      const ok = r['2xx'];
      resolve({
        seconds: r.duration,
        requests: r.requests.total,
        ok,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        statusCodes: r.statusCodeStats,
        rps: Math.round(ok / r.duration),
        latency: { mean: round(r.latency.mean), p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
        bytesPerResponse: ok ? Math.round(r.throughput.total / ok) : 0,
      });
    });
    cannonStoppers.add(instance);
    instance.on('done', () => cannonStoppers.delete(instance));
  });
}
const round = (x) => Math.round(x * 100) / 100;
const cannonStoppers = new Set();
/** Stops a running autocannon (SIGINT). */
export const stopLoad = () => {
  for (const i of cannonStoppers) i.stop();
};

function commentInput(i, thread) {
  return {
    thread,
    parentId: null,
    name: `Load tester ${i % 97}`,
    email: `load${i % 97}@example.com`,
    website: null,
    body: `Load comment ${i} ${randomUUID()}: a body of about the usual length for a comment on an article, written by a bench.`,
    hp: '',
  };
}

/** 50 comments through the public API, as readers would post them; returns the GET answer of the page. */
async function seed(apiUrl) {
  for (const [i, c] of makeComments(50).entries()) {
    const res = await fetch(apiUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ thread: THREAD, parentId: null, name: c.name, email: c.email, website: c.website, body: `${c.body} (${i})`, hp: '' }),
    });
    if (res.status !== 201) throw new Error(`seeding the reference server: POST answered ${res.status} ${await res.text()}`);
  }
  const res = await fetch(`${apiUrl}?thread=${THREAD}&limit=50`);
  const body = Buffer.from(await res.arrayBuffer());
  const page = JSON.parse(body.toString('utf8'));
  if (res.status !== 200 || page.comments?.length !== 50) throw new Error(`the reference server's GET did not answer 50 comments (status ${res.status})`);
  return { res, body };
}

/** A PostgreSQL database for the bench, or `{ error }` saying why there is none. */
async function benchDatabase(addCleanup) {
  const given = process.env.INKWELL_BENCH_PG?.trim();
  if (given) process.env.INKWELL_TEST_PG = given;
  let server;
  try {
    // The tests' own helper (TypeScript, loaded through tsx): one way to find or start PostgreSQL, not two.
    const { tsImport } = await import('tsx/esm/api');
    const { testPostgres, HOW_TO_RUN_PG_TESTS } = await tsImport('../../test/support/postgres.ts', import.meta.url);
    server = await testPostgres();
    if ('skip' in server) {
      return { error: `${server.skip}. ${HOW_TO_RUN_PG_TESTS.replace(/INKWELL_TEST_PG=(\S+) npm test/, 'INKWELL_BENCH_PG=$1 npm run bench')}` };
    }
  } catch (e) {
    return { error: e.message };
  }
  addCleanup(() => server.stop());
  const database = await server.createDatabase();
  addCleanup(() => database.drop());
  return {
    url: database.url,
    where: given || process.env.INKWELL_TEST_PG ? `the server at ${server.description}` : `a throw-away local cluster (fsync off, as the tests run it) at ${server.description}`,
  };
}

/** True when this build's CLI knows `--workers`. */
function cliHasWorkers() {
  try {
    return execFileSync(process.execPath, [join(root, 'dist/server/cli.js'), '--help'], { encoding: 'utf8', timeout: 20_000 }).includes('--workers');
  } catch {
    return false;
  }
}

/**
 * Runs the server section. `seconds` per measured run, after a `warmup`-second run of each server. `tmp` is the
 * bench's temp folder (the SQLite file and the page's bytes go there); `track(child)` registers children for
 * emergency cleanup, `addCleanup(fn)` anything else (the PostgreSQL database and cluster).
 *
 * Resolves with `runs` (one entry per server, worker count and request: figures, or `error` when not measured)
 * and, for the goals, `get`, `post` and `bare`: SQLite and bare node:http with one process.
 */
export async function measureServer({ tmp, seconds = 8, warmup = 2, track, addCleanup = () => {}, log }) {
  const out = { connections: 10, seconds, runs: [] };
  const workersOk = cliHasWorkers();
  const noWorkers = 'NOT MEASURED: this build of inkwell-server has no --workers option yet (it comes with the multi-process work of issue 15).';
  const skip = (target, workers, requests, why) => {
    for (const request of requests) out.runs.push({ target, workers, request, error: why });
  };
  let page;

  log(`  PostgreSQL: ${process.env.INKWELL_BENCH_PG ? 'INKWELL_BENCH_PG' : 'looking for a server or a local installation'}…`);
  const pgDatabase = await benchDatabase(addCleanup);
  out.postgres = pgDatabase.error ? { error: pgDatabase.error } : { where: pgDatabase.where };
  const databases = { sqlite: join(tmp, 'load.db'), postgres: pgDatabase.url };

  for (const target of Object.keys(STORES)) {
    if (!databases[target]) {
      for (const workers of WORKERS) skip(target, workers, ['GET', 'POST'], `NOT MEASURED: ${pgDatabase.error}`);
      continue;
    }
    for (const workers of WORKERS) {
      if (workers > 1 && !workersOk) {
        skip(target, workers, ['GET', 'POST'], noWorkers);
        continue;
      }
      const name = `${STORES[target]}, ${workers} worker${workers > 1 ? 's' : ''}`;
      let server;
      try {
        server = await startReference({ db: databases[target], workers, track });
        const seeded = workers === WORKERS[0] ? await seed(server.url) : null;
        if (seeded && target === 'sqlite') page = seeded;
        const path = `?thread=${THREAD}&limit=50`;
        log(`  GET  ${name}: ${warmup} s warm-up + ${seconds} s…`);
        await cannon({ url: server.url + path, duration: warmup });
        out.runs.push({ target, workers, request: 'GET', ...(await cannon({ url: server.url + path, duration: seconds })) });
        log(`  POST ${name}: ${warmup} s warm-up + ${seconds} s…`);
        let n = 0;
        const post = () => ({
          method: 'POST',
          setupRequest(req) {
            n += 1;
            req.headers = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
            req.body = JSON.stringify(commentInput(n, POST_THREAD));
            return req;
          },
        });
        await cannon({ url: server.url, duration: warmup, requests: [post()] });
        out.runs.push({ target, workers, request: 'POST', ...(await cannon({ url: server.url, duration: seconds, requests: [post()] })) });
      } catch (e) {
        const done = new Set(out.runs.filter((r) => r.target === target && r.workers === workers).map((r) => r.request));
        skip(target, workers, ['GET', 'POST'].filter((r) => !done.has(r)), `FAILED: ${e.message}`);
      } finally {
        await server?.stop();
      }
    }
  }

  if (!page) throw new Error('the reference server on SQLite could not be seeded, so there is no page to measure');
  out.getBytes = page.body.length;
  out.getPath = `/api/comments?thread=${THREAD}&limit=50`;
  // The ceiling: the same bytes and headers from a server that does nothing else.
  const keep = ['content-type', 'cache-control', 'x-content-type-options', 'vary', 'etag'];
  const headers = Object.fromEntries(keep.filter((h) => page.res.headers.has(h)).map((h) => [h, page.res.headers.get(h)]));
  const bodyFile = join(tmp, 'get-body.json');
  writeFileSync(bodyFile, page.body);
  for (const workers of WORKERS) {
    let bare;
    try {
      bare = await startBare({ bodyFile, headers, workers, track });
      log(`  GET  bare node:http, ${workers} process${workers > 1 ? 'es' : ''}: ${warmup} s warm-up + ${seconds} s…`);
      await cannon({ url: bare.url + out.getPath, duration: warmup });
      out.runs.push({ target: 'bare', workers, request: 'GET', ...(await cannon({ url: bare.url + out.getPath, duration: seconds })) });
    } catch (e) {
      skip('bare', workers, ['GET'], `FAILED: ${e.message}`);
    } finally {
      await bare?.stop();
    }
  }

  const find = (target, workers, request) => out.runs.find((r) => r.target === target && r.workers === workers && r.request === request && !r.error);
  out.get = find('sqlite', 1, 'GET');
  out.post = find('sqlite', 1, 'POST');
  out.bare = find('bare', 1, 'GET');
  out.getVsBare = out.bare?.rps && out.get ? round(out.get.rps / out.bare.rps) : null;
  return out;
}
