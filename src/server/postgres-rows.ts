/**
 * `exportAll` and `importRows` of the PostgreSQL store: every row out oldest first from one REPEATABLE READ
 * snapshot, and rows in as they are, all or nothing, in one transaction, a batch per round trip.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { isConnectionLost } from './postgres-connection.js';
import { bumpVersions, COLUMNS } from './postgres-queries.js';
import { conflictOn, COPY_IDLE_TIMEOUT_MS, DEFAULT_BATCH_SIZE, firstDifference, ImportTally, missingParentMessage, normalised } from './stored-rows.js';
import type { ImportOptions, ImportResult, StoredRow } from './store.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64url');
const normEmail = (email: string): string => email.trim().toLowerCase();
const ROW_COLUMNS = `${COLUMNS}, request_hash AS "requestHash"`;

/**
 * Runs `work` on one connection of its own, inside a transaction `begin` opens, and ends it (a refusal or an early
 * stop rolls back). A connection broken meanwhile is discarded, not returned to the pool.
 */
async function onConnection<T>(pool: Pool, begin: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  try {
    await client.query(begin);
    // The other store's batches come between ours: give them time (the pool's default is a few seconds).
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${COPY_IDLE_TIMEOUT_MS}`);
    return await work(client);
  } catch (err) {
    if (isConnectionLost(err)) lost = err as Error;
    throw err;
  } finally {
    // After COMMIT this is a harmless no-op; otherwise it ends the transaction without writing anything.
    if (!lost) await client.query('ROLLBACK').catch((err: Error) => (lost = err));
    client.release(lost);
  }
}

/** Every row, oldest first, `batchSize` at a time, from one snapshot. */
export async function* exportPostgresRows(pool: Pool, batchSize = DEFAULT_BATCH_SIZE): AsyncGenerator<StoredRow> {
  const size = Math.max(1, Math.floor(batchSize));
  const client = await pool.connect();
  let lost: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${COPY_IDLE_TIMEOUT_MS}`);
    let after: StoredRow | undefined;
    for (;;) {
      const { rows } = after
        ? await client.query<StoredRow>(
            `SELECT ${ROW_COLUMNS} FROM inkwell_comments WHERE (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT $3`,
            [after.createdAt, after.id, size],
          )
        : await client.query<StoredRow>(`SELECT ${ROW_COLUMNS} FROM inkwell_comments ORDER BY created_at, id LIMIT $1`, [size]);
      for (const row of rows) yield row;
      if (rows.length < size) return;
      after = rows.at(-1);
    }
  } catch (err) {
    if (isConnectionLost(err)) lost = err as Error;
    throw err;
  } finally {
    // Read only: ending the snapshot writes nothing. Also runs when the caller stops iterating early.
    if (!lost) await client.query('ROLLBACK').catch((err: Error) => (lost = err));
    client.release(lost);
  }
}

/** See `CommentStore.importRows`. */
export async function importPostgresRows(
  pool: Pool,
  rows: AsyncIterable<StoredRow> | Iterable<StoredRow>,
  options: ImportOptions,
): Promise<ImportResult> {
  return onConnection(pool, 'BEGIN', async (client) => {
    const tally = new ImportTally(options.maxConflicts);
    // A reply may come before its parent (two servers' clocks differ by a few ms): links are checked at commit.
    await client.query('SET CONSTRAINTS inkwell_comments_parent_id_fkey DEFERRED');
    const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
    const threads = new Set<string>();
    let batch: StoredRow[] = [];
    for await (const row of rows) {
      batch.push(normalised(row));
      if (batch.length >= batchSize) {
        await importBatch(client, batch, tally, threads);
        batch = [];
      }
    }
    if (batch.length > 0) await importBatch(client, batch, tally, threads);
    if (!tally.writing) return tally.result();
    // Every process's cached pages of these threads are stale now.
    await bumpVersions(client, [...threads]);
    try {
      await client.query('COMMIT');
    } catch (err) {
      if ((err as { code?: unknown }).code !== '23503') throw err;
      const parent = /\(parent_id\)=\((.*)\)/.exec((err as { detail?: string }).detail ?? '')?.[1] ?? null;
      throw new Error(missingParentMessage(null, parent), { cause: err });
    }
    return tally.result();
  });
}

/** Compares one batch with the target in three queries, then inserts its new rows in one statement. */
async function importBatch(client: PoolClient, batch: readonly StoredRow[], tally: ImportTally, threads: Set<string>): Promise<void> {
  const bodyHashes = batch.map((row) => sha256(row.body));
  const duplicateKey = (row: StoredRow, bodyHash: string) => `${row.thread}\0${row.authorHash}\0${bodyHash}`;
  const byId = new Map<string, StoredRow>();
  const byKey = new Map<string, StoredRow>();
  const byDuplicate = new Map<string, StoredRow>();
  const { rows: sameIds } = await client.query<StoredRow>(`SELECT ${ROW_COLUMNS} FROM inkwell_comments WHERE id = ANY($1::text[])`, [
    batch.map((row) => row.id),
  ]);
  for (const row of sameIds) byId.set(row.id, row);
  const keys = batch.flatMap((row) => (row.idempotencyKey === null ? [] : [row.idempotencyKey]));
  if (keys.length > 0) {
    const { rows } = await client.query<StoredRow>(`SELECT ${ROW_COLUMNS} FROM inkwell_comments WHERE idempotency_key = ANY($1::text[])`, [keys]);
    for (const row of rows) byKey.set(row.idempotencyKey!, row);
  }
  const authored = batch.flatMap((row, i) => (row.authorHash === null ? [] : [{ row, bodyHash: bodyHashes[i] }]));
  if (authored.length > 0) {
    const { rows } = await client.query<StoredRow & { bodyHash: string }>(
      `SELECT ${ROW_COLUMNS}, body_hash AS "bodyHash" FROM inkwell_comments
       WHERE (thread, author_hash, body_hash) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
      [authored.map((a) => a.row.thread), authored.map((a) => a.row.authorHash), authored.map((a) => a.bodyHash)],
    );
    for (const { bodyHash, ...row } of rows) byDuplicate.set(duplicateKey(row, bodyHash), row);
  }

  const fresh: { row: StoredRow; bodyHash: string }[] = [];
  for (const [i, row] of batch.entries()) {
    const bodyHash = bodyHashes[i];
    const existing = byId.get(row.id);
    if (existing) {
      const field = firstDifference(existing, row);
      if (field === null) tally.identical++;
      else tally.conflict(conflictOn(field, existing, row));
      continue;
    }
    const keyOwner = row.idempotencyKey === null ? undefined : byKey.get(row.idempotencyKey);
    if (keyOwner) {
      tally.conflict(conflictOn('idempotencyKey', keyOwner, row, keyOwner.id));
      continue;
    }
    const duplicateOwner = row.authorHash === null ? undefined : byDuplicate.get(duplicateKey(row, bodyHash));
    if (duplicateOwner) {
      tally.conflict(conflictOn('body', duplicateOwner, row, duplicateOwner.id));
      continue;
    }
    if (!tally.writing) continue;
    // Later rows of this batch see this one, as they would in the table.
    byId.set(row.id, row);
    if (row.idempotencyKey !== null) byKey.set(row.idempotencyKey, row);
    if (row.authorHash !== null) byDuplicate.set(duplicateKey(row, bodyHash), row);
    fresh.push({ row, bodyHash });
    threads.add(row.thread);
    tally.inserted++;
  }
  if (fresh.length === 0 || !tally.writing) return;
  const column = (pick: (entry: { row: StoredRow; bodyHash: string }) => string | null) => fresh.map(pick);
  await client.query(
    `INSERT INTO inkwell_comments (id, thread, parent_id, root_id, name, email, email_norm, website, body, body_hash,
       created_at, status, ip, idempotency_key, request_hash, author_hash, held_reason)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
       $17::text[])`,
    [
      column((e) => e.row.id),
      column((e) => e.row.thread),
      column((e) => e.row.parentId),
      column((e) => e.row.rootId),
      column((e) => e.row.name),
      column((e) => e.row.email),
      column((e) => normEmail(e.row.email)),
      column((e) => e.row.website),
      column((e) => e.row.body),
      column((e) => e.bodyHash),
      column((e) => e.row.createdAt),
      column((e) => e.row.status),
      column((e) => e.row.ip),
      column((e) => e.row.idempotencyKey),
      column((e) => e.row.requestHash),
      column((e) => e.row.authorHash),
      column((e) => e.row.heldReason),
    ],
  );
}
