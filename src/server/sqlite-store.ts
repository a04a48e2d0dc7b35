/**
 * The embedded default store: one SQLite file through better-sqlite3, in WAL mode so readers never wait for the
 * writer. Every write runs in an IMMEDIATE transaction. better-sqlite3 waits synchronously, so a write never
 * waits inside SQLite (`busy_timeout` 0): when another process holds the write lock, the store retries on a timer
 * and the process keeps answering reads meanwhile (issue 14: a waiting write froze every request for 2.5 s).
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_PAGE_CACHE_BYTES, PageCache, pageKey } from './page-cache.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { deleteOne, normEmail, prepare, readPage, sha256 } from './sqlite-queries.js';
import type { Statements } from './sqlite-queries.js';
import { SqliteModeration } from './sqlite-moderation.js';
import { exportSqliteRows, importSqliteRows } from './sqlite-rows.js';
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

/** Options of `SqliteStore`. */
export interface SqliteStoreOptions {
  /**
   * How long a write keeps retrying while another process holds the file's write lock, in ms (default 5000); then
   * it fails with `StoreUnavailableError`. The event loop is never blocked while it waits.
   */
  lockTimeoutMs?: number;
  /** The page cache's budget in (estimated) bytes; default 8 MiB, 0 turns the cache off. */
  cacheBytes?: number;
}

/**
 * A `CommentStore` on one SQLite file. The constructor creates the parent folder if it can and opens the file;
 * `ready()` (which every method awaits) switches it to WAL and runs pending migrations, so a fresh path just works
 * and an old file is upgraded in place.
 */
export class SqliteStore implements CommentStore {
  /** The resolved file path (or `:memory:`), for messages. */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly lockTimeoutMs: number;
  private opening: Promise<Statements> | undefined;
  /**
   * Pages already read, by query. Reading a page costs about 0.3 ms (most of it making row objects), four times
   * what the rest of a GET costs; a thread is read far more often than written. Emptied by every write through this
   * store, and when SQLite's `data_version` says another connection (another process) has written.
   */
  private readonly pages: PageCache;
  private seen = -1;
  /** @inheritdoc */
  readonly moderation: ModerationStore;

  /**
   * Opens (or creates) the database at `path`. Throws an `Error` naming the path and the reason when the folder
   * cannot be created or the file cannot be opened, so a misconfigured `--db` fails at start-up.
   */
  constructor(path: string, options: SqliteStoreOptions = {}) {
    const memory = path === ':memory:' || path === '';
    this.path = memory ? ':memory:' : resolve(path);
    this.lockTimeoutMs = Math.max(0, options.lockTimeoutMs ?? 5000);
    this.pages = new PageCache(Math.max(0, options.cacheBytes ?? DEFAULT_PAGE_CACHE_BYTES));
    if (!memory) {
      try {
        mkdirSync(dirname(this.path), { recursive: true });
      } catch (err) {
        throw new Error(`Cannot create the folder for the comments database ${this.path}: ${reason(err)}`, { cause: err });
      }
    }
    try {
      this.db = new Database(this.path);
      // Never wait inside SQLite: that wait is synchronous and would stall every request of this process.
      this.db.pragma('busy_timeout = 0');
    } catch (err) {
      throw new Error(`Cannot open the comments database ${this.path}: ${reason(err)}`, { cause: err });
    }
    this.moderation = new SqliteModeration(this.db, (work, write) => this.run(() => work(), write));
  }

  /** The page cache's estimated size in bytes (for tests and monitoring); never above its budget. */
  get cacheBytes(): number {
    return this.pages.bytes;
  }

  /** @inheritdoc */
  ready(): Promise<void> {
    return this.statements().then(() => undefined);
  }

  private statements(): Promise<Statements> {
    this.opening ??= (async () => {
      const db = this.db;
      try {
        await this.retrying(() => {
          db.pragma('journal_mode = WAL');
          db.pragma('synchronous = NORMAL');
          db.pragma('foreign_keys = ON');
        });
        await this.retrying(() => migrateSqlite(db));
        return prepare(db);
      } catch (err) {
        const why = err instanceof StoreUnavailableError ? `another process kept it locked for ${this.lockTimeoutMs} ms; try again` : reason(err);
        throw new Error(`Cannot open the comments database ${this.path}: ${why}`, { cause: err });
      }
    })();
    return this.opening;
  }

  /**
   * Runs `work` (synchronous, one transaction at most), again and again on a short jittered timer while SQLite
   * answers "busy", until the lock timeout; then throws `StoreUnavailableError`.
   */
  private async retrying<T>(work: () => T): Promise<T> {
    const deadline = Date.now() + this.lockTimeoutMs;
    let delay = 2;
    for (;;) {
      try {
        return work();
      } catch (err) {
        if (!isBusy(err)) throw err;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new StoreUnavailableError(
            `The comments database ${this.path} is locked by another process; try again in a moment.`,
            Math.max(1, Math.ceil(this.lockTimeoutMs / 5000)),
            { cause: err },
          );
        }
        // Jitter keeps two waiting processes from retrying in lock step.
        await new Promise((done) => setTimeout(done, Math.min(left, delay * (0.5 + Math.random()))));
        delay = Math.min(delay * 2, 50);
      }
    }
  }

  /** Runs a read (or a write, `immediate`) on the prepared statements; writes empty the page cache. */
  private async run<T>(work: (s: Statements) => T, write?: { changed(result: T): boolean }): Promise<T> {
    const s = await this.statements();
    if (!write) return this.retrying(() => work(s));
    const result = await this.retrying(() => this.db.transaction(() => work(s)).immediate());
    if (write.changed(result)) this.pages.clear();
    return result;
  }

  /** @inheritdoc */
  async list(query: ListQuery): Promise<ListResult> {
    return this.run((s) => {
      const version = s.dataVersion.get()!;
      if (version !== this.seen) {
        this.seen = version;
        this.pages.clear();
      }
      const key = pageKey(query);
      const cached = this.pages.get(key, undefined);
      if (cached) return cached;
      // A read transaction: the page, its replies and the total come from one snapshot.
      const result = this.db.transaction(() => readPage(s, query))();
      this.pages.set(key, result, undefined);
      return result;
    });
  }

  /** @inheritdoc */
  async counts(threads: readonly string[]): Promise<Record<string, number>> {
    return this.run((s) => {
      const out = Object.create(null) as Record<string, number>;
      for (const t of threads) out[t] = 0;
      if (threads.length > 0) for (const row of s.counts.all(JSON.stringify(threads))) out[row.thread] = row.n;
      return { ...out };
    });
  }

  /** @inheritdoc */
  async create(comment: NewComment, options: CreateOptions = {}): Promise<CreateResult> {
    const key = options.idempotencyKey ?? null;
    const requestHash = options.requestHash ?? null;
    const flood = options.flood && options.flood.windowMs > 0 && options.flood.keys.length > 0 ? options.flood : null;
    return this.run(
      (s): CreateResult => {
        if (key !== null) {
          const previous = s.byKey.get(key);
          if (previous) {
            const { requestHash: storedHash, ...stored } = previous;
            return storedHash === requestHash ? { kind: 'replayed', comment: stored } : { kind: 'idempotency_mismatch' };
          }
        }
        let rootId = comment.id;
        if (comment.parentId !== null) {
          const parent = s.get.get(comment.parentId);
          if (!parent || parent.thread !== comment.thread || parent.status !== 'published') return { kind: 'parent_not_found' };
          rootId = parent.rootId;
        }
        const bodyHash = sha256(comment.body);
        if (comment.authorHash !== null && s.duplicate.get(comment.thread, comment.authorHash, bodyHash)) {
          return { kind: 'duplicate' };
        }
        if (flood) {
          s.pruneFlood.run(flood.nowMs);
          const until = s.floodUntil.get(JSON.stringify(flood.keys));
          if (until != null && until > flood.nowMs) return { kind: 'rate_limited', retryAfterMs: until - flood.nowMs };
        }
        const stored: StoredComment = { ...comment, heldReason: comment.heldReason ?? null, rootId, idempotencyKey: key };
        s.insert.run({ ...stored, emailNorm: normEmail(comment.email), bodyHash, requestHash });
        if (flood) for (const floodKey of flood.keys) s.recordFlood.run(floodKey, flood.nowMs + flood.windowMs);
        return { kind: 'created', comment: stored };
      },
      { changed: (result) => result.kind === 'created' },
    );
  }

  /** @inheritdoc */
  async get(id: string): Promise<StoredComment | null> {
    return this.run((s) => s.get.get(id) ?? null);
  }

  /** @inheritdoc */
  async findByIdempotencyKey(key: string): Promise<IdempotentRecord | null> {
    return this.run((s) => {
      const row = s.byKey.get(key);
      if (!row) return null;
      const { requestHash, ...comment } = row;
      return { comment, requestHash };
    });
  }

  /** @inheritdoc */
  async pending(): Promise<StoredComment[]> {
    return this.run((s) => s.pending.all());
  }

  /** @inheritdoc */
  async approve(id: string): Promise<StoredComment | null> {
    return this.run(
      (s) => {
        s.approve.run(id);
        return s.get.get(id) ?? null;
      },
      { changed: (result) => result !== null },
    );
  }

  /** @inheritdoc */
  async delete(id: string): Promise<boolean> {
    return this.run((s) => deleteOne(s, id), { changed: (deleted) => deleted });
  }

  /** @inheritdoc */
  async exportByEmail(email: string): Promise<StoredComment[]> {
    return this.run((s) => s.byEmail.all(normEmail(email)));
  }

  /** @inheritdoc */
  async eraseByEmail(email: string): Promise<number> {
    return this.run(
      (s) => {
        let n = 0;
        for (const { id } of s.byEmail.all(normEmail(email))) if (deleteOne(s, id)) n++;
        return n;
      },
      { changed: (n) => n > 0 },
    );
  }

  /** @inheritdoc */
  async isTrustedAuthor(authorHash: string, email: string): Promise<boolean> {
    return this.run((s) => s.trusted.get(authorHash, normEmail(email)) !== undefined);
  }

  /** @inheritdoc */
  async countAll(): Promise<number> {
    return this.run((s) => s.countAll.get()!);
  }

  /** @inheritdoc */
  async *exportAll(options: { batchSize?: number } = {}): AsyncGenerator<StoredRow> {
    await this.statements();
    const retrying = <T>(work: () => T) => this.retrying(work);
    yield* exportSqliteRows({ db: this.db, path: this.path, batchSize: options.batchSize, retrying });
  }

  /** @inheritdoc */
  async importRows(rows: AsyncIterable<StoredRow> | Iterable<StoredRow>, options: ImportOptions = {}): Promise<ImportResult> {
    const statements = await this.statements();
    try {
      return await importSqliteRows({ db: this.db, statements, rows, options, retrying: (work) => this.retrying(work) });
    } finally {
      this.pages.clear();
    }
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    await this.opening?.catch(() => undefined);
    this.pages.clear();
    if (this.db.open) this.db.close();
  }
}

/** SQLite's "another connection holds the lock" family (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED…). */
function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_CANTOPEN') return 'unable to open the file (does the folder exist and is it writable?)';
  if (code === 'SQLITE_READONLY') return 'the file or its folder is read-only';
  if (code === 'SQLITE_NOTADB') return 'the file is not an SQLite database';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way where a folder should be';
  return err.message;
}
