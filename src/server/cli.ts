#!/usr/bin/env node
/**
 * `inkwell-server`: runs the reference comments API from the command line. Everything reusable lives in
 * `index.ts` and `cli-options.ts`; this file only wires them to the process (output, exit codes, signals).
 * @module
 */
import cluster from 'node:cluster';
import { USAGE, UsageError, parseCliArgs } from './cli-options.js';
import { runCluster } from './cluster.js';
import { COPY_HELP_LINE, runCopyCommand } from './copy.js';
import { startServer } from './index.js';
import { MODERATORS_HELP_LINE, runModeratorsCommand } from './moderators-command.js';
import type { ClusterOptions } from './options.js';

async function main(): Promise<void> {
  // Subcommands first: `inkwell-server copy --from DB --to DB`.
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'copy') process.exit(await runCopyCommand(rest, { stdout: process.stdout, stderr: process.stderr }));
  if (command === 'moderators') process.exit(await runModeratorsCommand(rest, { stdout: process.stdout, stderr: process.stderr }, process.env));
  let options: ClusterOptions | 'help';
  try {
    options = parseCliArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`inkwell-server: ${err.message}\nRun inkwell-server --help for the options.\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}${COPY_HELP_LINE}${MODERATORS_HELP_LINE}`);
    return;
  }
  // --workers N above 1: this process forks the workers (and each worker re-runs this command line).
  if ((options.workers ?? 1) > 1 || cluster.isWorker) return runCluster(options);
  let running;
  try {
    running = await startServer(options);
  } catch (err) {
    process.stderr.write(`inkwell-server: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`Inkwell comments API on ${running.url}\n`);
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
