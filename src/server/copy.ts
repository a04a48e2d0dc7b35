/**
 * `inkwell-server copy --from DB --to DB`: every comment, with every stored field, from one store to another
 * (SQLite ⇄ PostgreSQL, or between two of a kind), so a site can move whenever it wants and back again.
 *
 * The target is written in one transaction: a copy that is refused, fails or is interrupted leaves it as it was.
 * A row the target already holds with equal fields is skipped, so a copy can run again (after new comments came
 * in on the source, say); a row whose id holds other data refuses the whole copy, naming the id and the field.
 * @module
 */
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './cli-options.js';
import { openStore } from './open-store.js';
import { describeTarget, isPostgresUrl, redactUrl } from './postgres-connection.js';
import type { CommentStore, ImportResult, RowConflict, StoredRow } from './store.js';

/** The `inkwell-server copy --help` text. */
export const COPY_USAGE = `Usage: inkwell-server copy --from DB --to DB

Copies every comment with every stored field (ids, dates, statuses, idempotency keys, author hashes) from one
database to another: a SQLite file or a postgres:// URL on either side. The target gets everything in one
transaction, so a refused, failed or interrupted copy writes nothing. Running it again copies only what is new:
a comment already there with the same data is skipped; one with different data under the same id refuses the
copy and says which. Flood-control windows are not copied (they last seconds).

Options:
  --from PATH|URL   The database to copy from (a SQLite file must exist)
  --to PATH|URL     The database to copy into (a SQLite file is created if missing)
  -h, --help        Show this help
`;

/** One line for the server's own `--help`, pointing here. */
export const COPY_HELP_LINE = `
Commands:
  inkwell-server copy --from DB --to DB   Copy every comment between two stores (SQLite, PostgreSQL);
                                          inkwell-server copy --help for details
`;

/** Where the copy writes its progress line: a terminal gets one line redrawn in place. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Options of `copyStores`. */
export interface CopyOptions {
  /** The source: a SQLite path or a postgres:// URL. */
  from: string;
  /** The target: a SQLite path or a postgres:// URL. */
  to: string;
  /** Where progress goes (stderr in the CLI); nothing is written for a copy shorter than `progressEvery` rows. */
  progress?: ProgressOutput;
  /** Off a terminal, a progress line every this many rows (default 10,000). */
  progressEvery?: number;
  /** Rows per read and per write round trip (default 500). */
  batchSize?: number;
}

/** What a finished copy did. */
export interface CopySummary {
  /** Rows written to the target. */
  copied: number;
  /** Rows the target already held, every field equal. */
  alreadyThere: number;
  /** Rows read from the source. */
  total: number;
  seconds: number;
  /** Both databases, named without passwords. */
  from: string;
  to: string;
}

/** The target holds other data under some of the source's ids: nothing was written. */
export class CopyRefusedError extends Error {
  constructor(
    readonly result: ImportResult,
    readonly to: string,
  ) {
    super(refusalMessage(result, to));
    this.name = 'CopyRefusedError';
  }
}

/** Reads `copy`'s arguments; `'help'` for `--help`; throws `UsageError` with a sentence for anything wrong. */
export function parseCopyArgs(argv: readonly string[]): { from: string; to: string } | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const from = values.from?.trim();
  const to = values.to?.trim();
  if (!from || !to) {
    const missing = [!from && '--from', !to && '--to'].filter(Boolean).join(' and ');
    throw new UsageError(`copy needs ${missing}: inkwell-server copy --from DB --to DB, each a SQLite file or a postgres:// URL.`);
  }
  if (sameDatabase(from, to)) {
    throw new UsageError(`--from and --to name the same database (${nameOf(from)}); copy needs two different ones.`);
  }
  return { from, to };
}

/** A database as messages name it: a SQLite file by its full path, a URL without its password. */
function nameOf(db: string): string {
  return isPostgresUrl(db) ? redactUrl(db) : db === ':memory:' ? db : resolve(db);
}

function sameDatabase(a: string, b: string): boolean {
  if (isPostgresUrl(a) !== isPostgresUrl(b)) return false;
  if (isPostgresUrl(a)) {
    try {
      return describeTarget(a).where === describeTarget(b).where;
    } catch {
      return false; // a malformed URL fails with its own sentence when opened
    }
  }
  const real = (path: string) => {
    try {
      return realpathSync(resolve(path));
    } catch {
      return resolve(path);
    }
  };
  return a !== ':memory:' && real(a) === real(b);
}

/**
 * Copies every comment from `from` to `to` (see the module). Resolves with what it did; rejects with
 * `CopyRefusedError` when the target holds other data under the same ids, or with an `Error` whose message is one
 * sentence (a database that cannot be opened, a source that does not exist). Passwords never appear in messages.
 */
export async function copyStores(options: CopyOptions): Promise<CopySummary> {
  const started = performance.now();
  const from = nameOf(options.from);
  const to = nameOf(options.to);
  if (!isPostgresUrl(options.from) && options.from !== ':memory:' && !existsSync(resolve(options.from))) {
    throw new Error(`The source database ${from} does not exist; check --from.`);
  }
  const stores: CommentStore[] = [];
  try {
    // No page cache: a copy reads each row once.
    const source = openStore(options.from, { cacheBytes: 0 });
    stores.push(source);
    await source.ready();
    const target = openStore(options.to, { cacheBytes: 0 });
    stores.push(target);
    await target.ready();
    const total = await source.countAll();
    const progress = new Progress(options.progress, total, options.progressEvery ?? 10_000);
    let read = 0;
    async function* counted(rows: AsyncIterable<StoredRow>): AsyncGenerator<StoredRow> {
      for await (const row of rows) {
        read++;
        progress.update(read);
        yield row;
      }
    }
    let result: ImportResult;
    try {
      result = await target.importRows(counted(source.exportAll({ batchSize: options.batchSize })), { batchSize: options.batchSize });
    } catch (err) {
      // The target's transaction rolled back: say so, once.
      const message = (err as Error).message;
      throw /nothing was written/i.test(message) ? err : new Error(`${message} Nothing was written to ${to}.`, { cause: err });
    } finally {
      progress.end();
    }
    if (result.conflictCount > 0) throw new CopyRefusedError(result, to);
    return {
      copied: result.inserted,
      alreadyThere: result.identical,
      total: read,
      seconds: (performance.now() - started) / 1000,
      from,
      to,
    };
  } finally {
    for (const store of stores) await store.close().catch(() => undefined);
  }
}

/** The summary line: copied, already there, total. */
export function summaryLine(summary: CopySummary): string {
  const n = (x: number) => x.toLocaleString('en');
  return (
    `Copied from ${summary.from} to ${summary.to}: ${n(summary.copied)} copied, ` +
    `${n(summary.alreadyThere)} already there, ${n(summary.total)} in total (${summary.seconds.toFixed(1)} s).`
  );
}

function refusalMessage(result: ImportResult, to: string): string {
  const count = result.conflictCount;
  const lines = [
    `Refused: the target ${to} already holds different data under ${count === 1 ? 'an id' : `${count.toLocaleString('en')} ids`} ` +
      'of the source; nothing was written.',
    ...result.conflicts.map((conflict) => `  ${describeConflict(conflict)}`),
  ];
  if (count > result.conflicts.length) lines.push(`  … and ${(count - result.conflicts.length).toLocaleString('en')} more.`);
  lines.push('Copy into an empty database, or remove or correct those comments in the target first.');
  return lines.join('\n');
}

/** One line per conflict: the id, the field, both values (shortened). */
export function describeConflict(conflict: RowConflict): string {
  const show = (value: string | null) => {
    if (value === null) return 'null';
    const text = value.length > 60 ? `${value.slice(0, 57)}…` : value;
    return JSON.stringify(text);
  };
  if (conflict.otherId !== undefined && conflict.field === 'idempotencyKey') {
    return `comment ${conflict.id}: its idempotency key ${show(conflict.incoming)} belongs to comment ${conflict.otherId} in the target.`;
  }
  if (conflict.otherId !== undefined) {
    return `comment ${conflict.id}: comment ${conflict.otherId} in the target has the same thread, author and body.`;
  }
  return `comment ${conflict.id}: ${conflict.field} differs (target ${show(conflict.existing)}, source ${show(conflict.incoming)}).`;
}

/**
 * The progress line: on a terminal one line redrawn in place (at most 4 times a second, from the first second on,
 * so a short copy draws nothing), elsewhere a line every `every` rows.
 */
class Progress {
  private readonly started = performance.now();
  private lastDrawn = 0;
  private drawn = false;

  constructor(
    private readonly out: ProgressOutput | undefined,
    private readonly total: number,
    private readonly every: number,
  ) {}

  update(count: number): void {
    if (!this.out) return;
    if (this.out.isTTY) {
      const now = performance.now();
      if (now - this.started < 1000 || now - this.lastDrawn < 250) return;
      this.lastDrawn = now;
      this.drawn = true;
      this.out.write(`\r\x1b[K${this.line(count)}`);
    } else if (count % Math.max(1, this.every) === 0) {
      this.out.write(`${this.line(count)}\n`);
    }
  }

  end(): void {
    if (this.drawn) this.out?.write('\r\x1b[K');
  }

  private line(count: number): string {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(count / seconds) : 0;
    const percent = this.total > 0 ? ` (${Math.min(100, Math.floor((count / this.total) * 100))}%)` : '';
    return `Copying: ${count.toLocaleString('en')} of ${this.total.toLocaleString('en')} comments${percent}, ${rate.toLocaleString('en')} a second`;
  }
}

/**
 * The `copy` subcommand as the CLI runs it: parses `argv`, copies, prints the summary on `stdout` and progress
 * and errors on `stderr`. Resolves with the exit status: 0 done, 1 refused or failed, 2 wrong arguments.
 */
export async function runCopyCommand(
  argv: readonly string[],
  io: { stdout: ProgressOutput; stderr: ProgressOutput },
): Promise<number> {
  let args;
  try {
    args = parseCopyArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`inkwell-server copy: ${err.message}\nRun inkwell-server copy --help for the options.\n`);
    return 2;
  }
  if (args === 'help') {
    io.stdout.write(COPY_USAGE);
    return 0;
  }
  try {
    const summary = await copyStores({ ...args, progress: io.stderr });
    io.stdout.write(`${summaryLine(summary)}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`inkwell-server copy: ${(err as Error).message}\n`);
    return 1;
  }
}
