// Server throughput: autocannon on loopback against the reference server on SQLite (GET a 50-comment page, POST new
// comments), next to a bare node:http server that answers with the same bytes: the ceiling of Node on this machine.
// Each server runs in a child process; autocannon runs in this one. On a 2-core machine the two share the CPU.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { makeComments } from './fixtures.mjs';

const require = createRequire(import.meta.url);
const SERVER = fileURLToPath(new URL('./load-server.mjs', import.meta.url));
const THREAD = 'load-get';
const POST_THREAD = 'load-post';

/** Starts a load server child; resolves with `{ url, stop }`. `track` registers the child for emergency cleanup. */
function startChild(args, track) {
  return new Promise((resolve, reject) => {
    const child = fork(SERVER, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const untrack = track(child);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the ${args[0]} load server did not start within 15 s`));
    }, 15_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      untrack();
      reject(new Error(`the ${args[0]} load server exited with code ${code} before listening`));
    });
    child.once('message', (m) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.once('exit', untrack);
      resolve({
        url: `http://127.0.0.1:${m.port}`,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            if (child.connected) child.send('close');
            else child.kill('SIGTERM');
          }),
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

/**
 * Runs the server section. `seconds` per measured run (after a short warm-up of each server). `tmp` is the
 * bench's temp folder (the SQLite file goes there); `track(child)` registers children for cleanup.
 */
export async function measureServer({ tmp, seconds = 8, warmup = 2, track, log }) {
  const out = { connections: 10, seconds, note: '' };
  const ref = await startChild(['ref', join(tmp, 'load.db')], track);
  let bare;
  try {
    // 50 comments, through the public API, as a reader would post them.
    const seed = makeComments(50);
    for (const [i, c] of seed.entries()) {
      const res = await fetch(`${ref.url}/api/comments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
        body: JSON.stringify({ thread: THREAD, parentId: null, name: c.name, email: c.email, website: c.website, body: `${c.body} (${i})`, hp: '' }),
      });
      if (res.status !== 201) throw new Error(`seeding the reference server: POST answered ${res.status} ${await res.text()}`);
    }
    const path = `/api/comments?thread=${THREAD}&limit=50`;
    const first = await fetch(ref.url + path);
    const body = Buffer.from(await first.arrayBuffer());
    const page = JSON.parse(body.toString('utf8'));
    if (first.status !== 200 || page.comments?.length !== 50) throw new Error(`the reference server's GET ${path} did not answer 50 comments (status ${first.status})`);
    out.getBytes = body.length;
    out.getPath = path;

    log(`  GET  reference server, ${warmup} s warm-up + ${seconds} s…`);
    await cannon({ url: ref.url + path, duration: warmup });
    out.get = await cannon({ url: ref.url + path, duration: seconds });

    log(`  POST reference server, ${warmup} s warm-up + ${seconds} s…`);
    let n = 0;
    const post = () => ({
      method: 'POST',
      path: '/api/comments',
      setupRequest(req) {
        n += 1;
        req.headers = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
        req.body = JSON.stringify(commentInput(n, POST_THREAD));
        return req;
      },
    });
    await cannon({ url: ref.url, duration: warmup, requests: [post()] });
    out.post = await cannon({ url: ref.url, duration: seconds, requests: [post()] });
    out.postedTotal = n;
    await ref.stop();

    // The ceiling: the same bytes and headers from a server that does nothing else.
    const keep = ['content-type', 'cache-control', 'x-content-type-options', 'vary'];
    const headers = Object.fromEntries(keep.filter((h) => first.headers.has(h)).map((h) => [h, first.headers.get(h)]));
    const bodyFile = join(tmp, 'get-body.json');
    writeFileSync(bodyFile, body);
    bare = await startChild(['bare', bodyFile, JSON.stringify(headers)], track);
    log(`  GET  bare node:http, ${warmup} s warm-up + ${seconds} s…`);
    await cannon({ url: bare.url + path, duration: warmup });
    out.bare = await cannon({ url: bare.url + path, duration: seconds });
  } finally {
    await ref.stop();
    await bare?.stop();
  }
  out.getVsBare = out.bare?.rps ? round(out.get.rps / out.bare.rps) : null;
  return out;
}
