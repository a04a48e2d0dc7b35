/**
 * `exportAll` and `importRows` of the SQLite store: every row out in the order it was written (so a parent always
 * comes before its replies), and rows in as they are, all or nothing, in one write transaction.
 * @module
 */
import Database from 'better-sqlite3';
import { COLUMNS, normEmail, sha256 } from './sqlite-queries.js';
import type { Statements } from './sqlite-queries.js';
import { conflictOn, DEFAULT_BATCH_SIZE, firstDifference, ImportTally, missingParentMessage, normalised } from './stored-rows.js';
import type { ImportOptions, ImportResult, StoredRow } from './store.js';

/** Runs synchronous work again on a timer while another process holds the lock (the store's own retry loop). */
type Retrying = <T>(work: () => T) => Promise<T>;

/**
 * Every row, in batches, from one snapshot. A file is read through a second, read-only connection that holds the
 * snapshot, so the store's own connection is never left inside a transaction while the caller awaits between rows.
 * The rowid order is the order rows were written: a reply is written after its parent, and a reply moved up by a
 * delete moves to an older comment, so parents always come first.
 */
export async function* exportSqliteRows(options: {
  db: Database.Database;
  path: string;
  batchSize?: number | undefined;
  retrying: Retrying;
}): AsyncGenerator<StoredRow> {
  const size = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  const memory = options.path === ':memory:';
  const reader = memory ? options.db : new Database(options.path, { readonly: true, fileMustExist: true });
  try {
    // Deferred: the first read takes the snapshot, and WAL lets writers go on meanwhile.
    if (!memory) reader.exec('BEGIN');
    const first = reader.prepare<[number], StoredRow & { position: number }>(
      `SELECT rowid AS position, ${COLUMNS}, request_hash AS requestHash FROM comments ORDER BY rowid LIMIT ?`,
    );
    const next = reader.prepare<[number, number], StoredRow & { position: number }>(
      `SELECT rowid AS position, ${COLUMNS}, request_hash AS requestHash FROM comments
       WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    );
    let after: number | null = null;
    for (;;) {
      const from: number | null = after;
      const batch: (StoredRow & { position: number })[] = await options.retrying(() => (from === null ? first.all(size) : next.all(from, size)));
      for (const { position: _position, ...row } of batch) yield row;
      if (batch.length < size) return;
      after = batch.at(-1)!.position;
    }
  } finally {
    // Closing the reader ends its read transaction.
    if (!memory) reader.close();
  }
}

/** See `CommentStore.importRows`. Runs on the store's own connection: nothing else may use it meanwhile. */
export async function importSqliteRows(options: {
  db: Database.Database;
  statements: Statements;
  rows: AsyncIterable<StoredRow> | Iterable<StoredRow>;
  options: ImportOptions;
  retrying: Retrying;
}): Promise<ImportResult> {
  const { db, statements } = options;
  const tally = new ImportTally(options.options.maxConflicts);
  // The write lock for the whole import: a refusal leaves the file as it was, and no reader ever sees half a copy.
  await options.retrying(() => db.exec('BEGIN IMMEDIATE'));
  try {
    // A reply may come before its parent (two processes' clocks differ by a few ms): links are checked at commit.
    db.pragma('defer_foreign_keys = ON');
    for await (const row of options.rows) importOne(statements, normalised(row), tally);
    if (!tally.writing) return tally.result();
    try {
      db.exec('COMMIT');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw err;
      const [broken] = db.pragma('foreign_key_check(comments)') as { rowid: number }[];
      const row = broken
        ? db.prepare<[number], { id: string; parentId: string | null }>('SELECT id, parent_id AS parentId FROM comments WHERE rowid = ?').get(broken.rowid)
        : undefined;
      throw new Error(missingParentMessage(row?.id ?? null, row?.parentId ?? null), { cause: err });
    }
    return tally.result();
  } finally {
    // A refusal, an error, or a failed commit (SQLite keeps the transaction open then): nothing stays written.
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/** Checks one row against what the store holds, and writes it when it is new and nothing has conflicted yet. */
function importOne(s: Statements, row: StoredRow, tally: ImportTally): void {
  const existing = s.row.get(row.id);
  if (existing) {
    const field = firstDifference(existing, row);
    if (field === null) tally.identical++;
    else tally.conflict(conflictOn(field, existing, row));
    return;
  }
  if (row.idempotencyKey !== null) {
    const owner = s.byKey.get(row.idempotencyKey);
    if (owner) return tally.conflict(conflictOn('idempotencyKey', owner, row, owner.id));
  }
  const bodyHash = sha256(row.body);
  if (row.authorHash !== null) {
    const owner = s.duplicateOwner.get(row.thread, row.authorHash, bodyHash);
    if (owner) return tally.conflict(conflictOn('body', owner, row, owner.id));
  }
  if (!tally.writing) return;
  s.insert.run({ ...row, emailNorm: normEmail(row.email), bodyHash });
  tally.inserted++;
}
