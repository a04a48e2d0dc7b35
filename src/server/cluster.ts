/**
 * `inkwell-server --workers N`: N processes (node:cluster) share one port and one database, so one machine uses
 * all its cores. The primary checks the options and the database, forks the workers, prints the one start-up
 * line once they all listen, replaces a worker that dies (and gives up on a crash loop, saying so), and stops
 * them all on SIGINT or SIGTERM. Each worker is an ordinary `startServer()`. Nothing that decides an answer
 * lives in a worker's memory (SPEC 6.1), so any worker may answer any request.
 * @module
 */
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { startServer } from './index.js';
import type { RunningServer } from './index.js';
import { openStore } from './open-store.js';
import { validateOptions } from './options.js';
import type { ClusterOptions } from './options.js';

/** A crash loop: this many unexpected deaths within `CRASH_WINDOW_MS` stops the server instead of forking again. */
export const MAX_RESTARTS = 5;
const CRASH_WINDOW_MS = 60_000;
/** How long workers get to finish their requests and close the store on a stop, before they are killed. */
const STOP_GRACE_MS = 10_000;

/** What a worker tells the primary. */
type WorkerMessage = { inkwell: 'listening'; url: string } | { inkwell: 'failed'; message: string };
/** What the primary tells a worker. */
type PrimaryMessage = { inkwell: 'stop' };

const isWorkerMessage = (message: unknown): message is WorkerMessage =>
  typeof message === 'object' && message !== null && ((message as WorkerMessage).inkwell === 'listening' || (message as WorkerMessage).inkwell === 'failed');

/** Where the process writes; the CLI passes its own streams. */
export interface ClusterOutput {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: ClusterOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`inkwell-server: ${line}\n`),
};

/**
 * Runs this process's part of a cluster: the primary when called from the command line, a worker when forked by
 * it (the worker re-runs the same command line, so it gets the same options). Exits the process when done.
 */
export async function runCluster(options: ClusterOptions, output: ClusterOutput = processOutput): Promise<void> {
  if (cluster.isWorker) await runWorker(options);
  else await runPrimary(options, output);
}

/** A worker: one `startServer()`, reporting to the primary, stopping when the primary says so. */
async function runWorker(options: ClusterOptions): Promise<void> {
  // The primary owns the lifecycle. Ctrl+C reaches the whole process group, and a worker quitting on its own
  // would race the primary's orderly stop; if the primary itself dies, node:cluster exits the worker.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  let running: RunningServer | undefined;
  process.on('message', (message: PrimaryMessage) => {
    if (message?.inkwell !== 'stop') return;
    // Told to stop while still starting: nothing was served yet, nothing to finish.
    if (!running) process.exit(0);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  try {
    running = await startServer(options);
  } catch (err) {
    // The primary prints it (once, though every worker fails alike on a port in use). Exit once it has the
    // message: an exit right away could drop it.
    process.send?.({ inkwell: 'failed', message: (err as Error).message } satisfies WorkerMessage, () => process.exit(1));
    return;
  }
  process.send?.({ inkwell: 'listening', url: running.url } satisfies WorkerMessage);
}

/** The primary: checks, forks, watches, stops. */
async function runPrimary(options: ClusterOptions, output: ClusterOutput): Promise<void> {
  const { workers: count } = validateOptions(options);
  // Connect and migrate once, here: a bad --db then stops the CLI with one sentence instead of N workers each
  // failing the same way, and the workers find the schema ready.
  const store = openStore(options.db ?? 'comments.db');
  try {
    await store.ready();
  } catch (err) {
    output.err((err as Error).message);
    process.exit(1);
  } finally {
    await store.close().catch(() => undefined);
  }

  const workers = new Set<Worker>();
  const deaths: number[] = [];
  let starting = true;
  let stopping = false;
  let listening = 0;
  let url = '';

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    const killer = setTimeout(() => {
      for (const worker of workers) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS);
    killer.unref();
    const done = () => {
      if (workers.size > 0) return;
      clearTimeout(killer);
      process.exit(code);
    };
    cluster.on('exit', done);
    for (const worker of workers) {
      if (worker.isConnected()) worker.send({ inkwell: 'stop' } satisfies PrimaryMessage);
      else worker.process.kill('SIGTERM');
    }
    done();
  };

  const fork = () => {
    const worker = cluster.fork();
    workers.add(worker);
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.inkwell === 'failed') {
        // At start-up every other worker would say the same (port in use): one sentence, then stop. Later, a
        // replacement that cannot start says why, and the crash-loop limit decides.
        if (stopping) return;
        output.err(message.message);
        if (starting) stop(1);
      } else if (message.inkwell === 'listening' && starting) {
        url = message.url;
        if (++listening === count) {
          starting = false;
          output.out(`Inkwell comments API on ${url} (${count} workers)`);
        }
      }
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    workers.delete(worker);
    if (stopping) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (starting) {
      // A worker that reported its failure stopped the cluster already (and returned above).
      output.err(`worker ${worker.process.pid} ${how} before it could listen; stopping.`);
      stop(1);
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && deaths[0] < now - CRASH_WINDOW_MS) deaths.shift();
    if (deaths.length > MAX_RESTARTS) {
      output.err(
        `worker ${worker.process.pid} ${how}; workers died ${deaths.length} times within ${CRASH_WINDOW_MS / 1000} seconds, ` +
          `so the server stops instead of restarting them. The messages above say why.`,
      );
      stop(1);
      return;
    }
    output.err(`worker ${worker.process.pid} ${how}; starting another.`);
    fork();
  });
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  for (let i = 0; i < count; i++) fork();
}
