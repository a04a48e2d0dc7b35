/**
 * A `CommentStore` on PostgreSQL through node-postgres (`pg`, an optional peer dependency loaded on first use), for
 * sites that outgrow one SQLite file or run several server processes on several machines.
 *
 * Every write is one READ COMMITTED transaction that serialises only what can conflict: advisory locks on the
 * idempotency key, the duplicate key and the flood keys (taken in one sorted order, so never a deadlock), and row
 * locks on a parent and on a subtree being moved. Two processes racing cannot both pass a check.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DEFAULT_PAGE_CACHE_BYTES, PageCache, pageKey } from './page-cache.js';
import { connectFailure, describeTarget, isConnectionLost, isUnavailableError, redactUrl } from './postgres-connection.js';
import type { PostgresTarget } from './postgres-connection.js';
import { migratePostgres } from './postgres-migrations.js';
import { bumpVersions, COLUMNS, deleteOne, readPage } from './postgres-queries.js';
import { PostgresModeration } from './postgres-moderation.js';
import { exportPostgresRows, importPostgresRows } from './postgres-rows.js';
import { StoreUnavailableError } from './store.js';
import type {
  CommentStore,
  CreateOptions,
  CreateResult,
  IdempotentRecord,
  ImportOptions,
  ImportResult,
  ListQuery,
  ListResult,
  ModerationStore,
  NewComment,
  StoredComment,
  StoredRow,
} from './store.js';

export { redactUrl } from './postgres-connection.js';

/** Options of `PostgresStore`. */
export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /** How long one statement may run, in ms (default 5000); past it the request gets `503`, never hangs. */
  statementTimeoutMs?: number;
  /** How long connecting may take, in ms (default 5000). */
  connectTimeoutMs?: number;
  /** The page cache's budget in (estimated) bytes; default 8 MiB, 0 turns the cache off. */
  cacheBytes?: number;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64url');
const normEmail = (email: string): string => email.trim().toLowerCase();
/** A 64-bit advisory lock key for a string, as PostgreSQL's bigint. */
const lockKey = (s: string): string => createHash('sha256').update(s).digest().readBigInt64BE(0).toString();
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** How often a process prunes expired flood windows (expired rows never change an answer; they only take room). */
const PRUNE_EVERY_MS = 60_000;

/**
 * A `CommentStore` on one PostgreSQL database. Nothing it keeps in memory changes an answer: its page cache is
 * checked against a per-thread version that every write transaction bumps, in the same snapshot as the page.
 */
export class PostgresStore implements CommentStore {
  /** The URL with its password hidden, for messages and logs. */
  readonly url: string;
  private readonly target: PostgresTarget | Error;
  private readonly options: Required<PostgresStoreOptions>;
  private pool: Pool | undefined;
  private opening: Promise<Pool> | undefined;
  private closed = false;
  private readonly pages: PageCache<number>;
  private lastPrune = 0;
  /** @inheritdoc */
  readonly moderation: ModerationStore;

  /** Never throws and never connects; `ready()` (which every method awaits) does. */
  constructor(
    private readonly connectionString: string,
    options: PostgresStoreOptions = {},
  ) {
    this.url = redactUrl(connectionString);
    this.options = {
      maxConnections: options.maxConnections ?? 10,
      statementTimeoutMs: options.statementTimeoutMs ?? 5000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      cacheBytes: Math.max(0, options.cacheBytes ?? DEFAULT_PAGE_CACHE_BYTES),
    };
    this.pages = new PageCache(this.options.cacheBytes);
    try {
      this.target = describeTarget(connectionString);
    } catch (err) {
      this.target = err as Error;
    }
    this.moderation = new PostgresModeration({
      read: (work) => this.guard(work),
      write: (work) => this.guard((pool) => this.transaction(pool, work)),
    });
  }

  /** The page cache's estimated size in bytes; never above its budget. */
  get cacheBytes(): number {
    return this.pages.bytes;
  }

  /** @inheritdoc */
  async ready(): Promise<void> {
    await this.connected();
  }

  /** The pool, once connected and migrated. A failure is not kept: the next call tries again. */
  private connected(): Promise<Pool> {
    if (this.closed) return Promise.reject(new Error(`The PostgreSQL store ${this.url} is closed.`));
    this.opening ??= this.open().catch((err: unknown) => {
      this.opening = undefined;
      throw err;
    });
    return this.opening;
  }

  private async open(): Promise<Pool> {
    const target = this.target;
    if (target instanceof Error) throw target;
    const pool = (this.pool ??= await this.createPool());
    try {
      await this.transaction(pool, (client) => migratePostgres(client));
    } catch (err) {
      const sentence = /newer than this server knows/.test((err as Error).message)
        ? `The PostgreSQL database at ${target.where} cannot be used: ${(err as Error).message}.`
        : connectFailure(target, err);
      throw new Error(sentence, { cause: err });
    }
    return pool;
  }

  private async createPool(): Promise<Pool> {
    let pg: typeof import('pg');
    try {
      const loaded = await import('pg');
      pg = (loaded as unknown as { default?: typeof import('pg') }).default ?? loaded;
    } catch (err) {
      throw new Error('Install pg to use PostgreSQL: npm install pg', { cause: err });
    }
    const { statementTimeoutMs, connectTimeoutMs, maxConnections } = this.options;
    const pool = new pg.Pool({
      connectionString: this.connectionString,
      max: maxConnections,
      connectionTimeoutMillis: connectTimeoutMs,
      // The server cancels a slow statement; the client gives up a little later should the server not answer at all.
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 1000,
      idle_in_transaction_session_timeout: statementTimeoutMs * 2,
      keepAlive: true,
      application_name: 'inkwell',
    });
    // An idle connection broken by a server restart must not crash the process: the pool drops it and the next
    // query opens a fresh one.
    pool.on('error', () => undefined);
    return pool;
  }

  /**
   * Runs `work` in one transaction on one connection, again (up to 5 times) when PostgreSQL reports a
   * serialization failure, a deadlock or a unique violation from a racing insert, which a new attempt answers as a
   * conflict value.
   */
  private async transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      let lost: Error | undefined;
      try {
        await client.query(begin);
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (isConnectionLost(err)) lost = err as Error;
        else await client.query('ROLLBACK').catch((rollbackError: Error) => (lost = rollbackError));
        const code = (err as { code?: unknown }).code;
        if (attempt < 5 && (code === '40001' || code === '40P01' || code === '23505')) {
          await sleep(attempt * 5 * Math.random());
          continue;
        }
        throw err;
      } finally {
        client.release(lost);
      }
    }
  }

  /** Runs a store operation; an unreachable or restarting server becomes `StoreUnavailableError`. */
  private async guard<T>(work: (pool: Pool) => Promise<T>): Promise<T> {
    try {
      return await work(await this.connected());
    } catch (err) {
      throw this.unavailable(err);
    }
  }

  /** The error to throw for `err`: a `StoreUnavailableError` when the server cannot answer now, else `err`. */
  private unavailable(err: unknown): unknown {
    const cause = err instanceof Error && err.cause !== undefined && !isUnavailableError(err) ? err.cause : err;
    if (!isUnavailableError(cause)) return err;
    const where = this.target instanceof Error ? this.url : this.target.where;
    return new StoreUnavailableError(`PostgreSQL at ${where} cannot answer right now; try again in a moment.`, 1, { cause });
  }

  /** @inheritdoc */
  async list(query: ListQuery): Promise<ListResult> {
    return this.guard(async (pool) => {
      const key = pageKey(query);
      if (this.pages.budgetBytes > 0) {
        const { rows } = await pool.query<{ version: string }>(
          'SELECT version FROM inkwell_thread_versions WHERE thread = $1',
          [query.thread],
        );
        const cached = this.pages.get(key, Number(rows[0]?.version ?? 0));
        if (cached) return cached;
      }
      // One snapshot for the version, the page, its replies and the total: the cached page matches its version.
      const { page, version } = await this.transaction(pool, (client) => readPage(client, query), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      this.pages.set(key, page, version);
      return page;
    });
  }

  /** @inheritdoc */
  async counts(threads: readonly string[]): Promise<Record<string, number>> {
    return this.guard(async (pool) => {
      const out = Object.create(null) as Record<string, number>;
      for (const t of threads) out[t] = 0;
      if (threads.length > 0) {
        const { rows } = await pool.query<{ thread: string; n: number }>(
          `SELECT thread, count(*)::int AS n FROM inkwell_comments
           WHERE thread = ANY($1::text[]) AND status = 'published' GROUP BY thread`,
          [threads],
        );
        for (const row of rows) out[row.thread] = row.n;
      }
      return { ...out };
    });
  }

  /** @inheritdoc */
  async create(comment: NewComment, options: CreateOptions = {}): Promise<CreateResult> {
    const key = options.idempotencyKey ?? null;
    const requestHash = options.requestHash ?? null;
    const flood = options.flood && options.flood.windowMs > 0 && options.flood.keys.length > 0 ? options.flood : null;
    const floodKeys = flood ? [...new Set(flood.keys)] : [];
    const bodyHash = sha256(comment.body);
    const locks = [
      ...(key !== null ? [`idempotency\0${key}`] : []),
      ...(comment.authorHash !== null ? [`duplicate\0${comment.thread}\0${comment.authorHash}\0${bodyHash}`] : []),
      ...floodKeys.map((k) => `flood\0${k}`),
    ]
      .map(lockKey)
      .sort();
    const result = await this.guard((pool) =>
      this.transaction(pool, async (client): Promise<CreateResult> => {
        // Whoever holds these locks decides first; the statements below see what it committed.
        if (locks.length > 0) await client.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k', [locks]);
        if (key !== null) {
          const { rows } = await client.query<StoredComment & { requestHash: string | null }>(
            `SELECT ${COLUMNS}, request_hash AS "requestHash" FROM inkwell_comments WHERE idempotency_key = $1`,
            [key],
          );
          if (rows[0]) {
            const { requestHash: storedHash, ...stored } = rows[0];
            return storedHash === requestHash ? { kind: 'replayed', comment: stored } : { kind: 'idempotency_mismatch' };
          }
        }
        let rootId = comment.id;
        if (comment.parentId !== null) {
          // FOR SHARE: a delete moving this parent's subtree waits for this insert, or this insert sees the move.
          const { rows } = await client.query<{ thread: string; status: string; rootId: string }>(
            `SELECT thread, status, root_id AS "rootId" FROM inkwell_comments WHERE id = $1 FOR SHARE`,
            [comment.parentId],
          );
          const parent = rows[0];
          if (!parent || parent.thread !== comment.thread || parent.status !== 'published') return { kind: 'parent_not_found' };
          rootId = parent.rootId;
        }
        if (comment.authorHash !== null) {
          const { rowCount } = await client.query(
            'SELECT 1 FROM inkwell_comments WHERE thread = $1 AND author_hash = $2 AND body_hash = $3',
            [comment.thread, comment.authorHash, bodyHash],
          );
          if (rowCount) return { kind: 'duplicate' };
        }
        if (flood) {
          const { rows } = await client.query<{ until: string | null }>(
            'SELECT max(until_ms)::text AS until FROM inkwell_flood WHERE key = ANY($1::text[])',
            [floodKeys],
          );
          const until = rows[0]?.until == null ? null : Number(rows[0].until);
          if (until !== null && until > flood.nowMs) return { kind: 'rate_limited', retryAfterMs: until - flood.nowMs };
        }
        const stored: StoredComment = { ...comment, heldReason: comment.heldReason ?? null, rootId, idempotencyKey: key };
        await client.query(
          `INSERT INTO inkwell_comments (id, thread, parent_id, root_id, name, email, email_norm, website, body,
             body_hash, created_at, status, ip, idempotency_key, request_hash, author_hash, held_reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
          [stored.id, stored.thread, stored.parentId, rootId, stored.name, stored.email, normEmail(stored.email),
            stored.website, stored.body, bodyHash, stored.createdAt, stored.status, stored.ip, key, requestHash,
            stored.authorHash, stored.heldReason],
        );
        if (flood) {
          await client.query(
            `INSERT INTO inkwell_flood (key, until_ms) SELECT k, $2 FROM unnest($1::text[]) AS k
             ON CONFLICT (key) DO UPDATE SET until_ms = greatest(inkwell_flood.until_ms, excluded.until_ms)`,
            [floodKeys, flood.nowMs + flood.windowMs],
          );
        }
        await bumpVersions(client, [comment.thread]);
        return { kind: 'created', comment: stored };
      }),
    );
    if (flood && flood.nowMs - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = flood.nowMs;
      void this.pool?.query('DELETE FROM inkwell_flood WHERE until_ms <= $1', [flood.nowMs]).catch(() => undefined);
    }
    return result;
  }

  /** @inheritdoc */
  async get(id: string): Promise<StoredComment | null> {
    return this.guard(async (pool) => {
      const { rows } = await pool.query<StoredComment>(`SELECT ${COLUMNS} FROM inkwell_comments WHERE id = $1`, [id]);
      return rows[0] ?? null;
    });
  }

  /** @inheritdoc */
  async findByIdempotencyKey(key: string): Promise<IdempotentRecord | null> {
    return this.guard(async (pool) => {
      const { rows } = await pool.query<StoredComment & { requestHash: string | null }>(
        `SELECT ${COLUMNS}, request_hash AS "requestHash" FROM inkwell_comments WHERE idempotency_key = $1`,
        [key],
      );
      if (!rows[0]) return null;
      const { requestHash, ...comment } = rows[0];
      return { comment, requestHash };
    });
  }

  /** @inheritdoc */
  async pending(): Promise<StoredComment[]> {
    return this.guard(async (pool) => {
      const { rows } = await pool.query<StoredComment>(
        `SELECT ${COLUMNS} FROM inkwell_comments WHERE status = 'pending' ORDER BY created_at, id`,
      );
      return rows;
    });
  }

  /** @inheritdoc */
  async approve(id: string): Promise<StoredComment | null> {
    return this.guard((pool) =>
      this.transaction(pool, async (client) => {
        const { rows } = await client.query<StoredComment>(
          `UPDATE inkwell_comments SET status = 'published' WHERE id = $1 RETURNING ${COLUMNS}`,
          [id],
        );
        if (rows[0]) await bumpVersions(client, [rows[0].thread]);
        return rows[0] ?? null;
      }),
    );
  }

  /** @inheritdoc */
  async delete(id: string): Promise<boolean> {
    return this.guard((pool) =>
      this.transaction(pool, async (client) => {
        const thread = await deleteOne(client, id);
        if (thread !== null) await bumpVersions(client, [thread]);
        return thread !== null;
      }),
    );
  }

  /** @inheritdoc */
  async exportByEmail(email: string): Promise<StoredComment[]> {
    return this.guard(async (pool) => {
      const { rows } = await pool.query<StoredComment>(
        `SELECT ${COLUMNS} FROM inkwell_comments WHERE email_norm = $1 ORDER BY created_at, id`,
        [normEmail(email)],
      );
      return rows;
    });
  }

  /** @inheritdoc */
  async eraseByEmail(email: string): Promise<number> {
    return this.guard((pool) =>
      this.transaction(pool, async (client) => {
        const { rows } = await client.query<{ id: string }>(
          'SELECT id FROM inkwell_comments WHERE email_norm = $1 ORDER BY created_at, id',
          [normEmail(email)],
        );
        const threads: string[] = [];
        for (const { id } of rows) {
          const thread = await deleteOne(client, id);
          if (thread !== null) threads.push(thread);
        }
        await bumpVersions(client, threads);
        return threads.length;
      }),
    );
  }

  /** @inheritdoc */
  async isTrustedAuthor(authorHash: string, email: string): Promise<boolean> {
    return this.guard(async (pool) => {
      const { rowCount } = await pool.query(
        `SELECT 1 FROM inkwell_comments WHERE author_hash = $1 AND email_norm = $2 AND status = 'published' LIMIT 1`,
        [authorHash, normEmail(email)],
      );
      return (rowCount ?? 0) > 0;
    });
  }

  /** @inheritdoc */
  async countAll(): Promise<number> {
    return this.guard(async (pool) => {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM inkwell_comments');
      return Number(rows[0]?.n ?? 0);
    });
  }

  /** @inheritdoc */
  async *exportAll(options: { batchSize?: number } = {}): AsyncGenerator<StoredRow> {
    try {
      yield* exportPostgresRows(await this.connected(), options.batchSize);
    } catch (err) {
      throw this.unavailable(err);
    }
  }

  /** @inheritdoc */
  async importRows(rows: AsyncIterable<StoredRow> | Iterable<StoredRow>, options: ImportOptions = {}): Promise<ImportResult> {
    return this.guard((pool) => importPostgresRows(pool, rows, options));
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    this.pages.clear();
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
