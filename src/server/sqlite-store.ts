/**
 * The embedded default store: one SQLite file through better-sqlite3, in WAL mode so readers never wait for the
 * writer. Every write runs in an IMMEDIATE transaction, so a second process on the same file queues on
 * `busy_timeout` instead of failing halfway.
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from './store.js';
import type {
  CommentStore,
  CreateOptions,
  CreateResult,
  IdempotentRecord,
  ListQuery,
  ListResult,
  NewComment,
  StoredComment,
} from './store.js';

/** Options of `SqliteStore`. */
export interface SqliteStoreOptions {
  /** How long a write waits for another process holding the file, in ms (default 5000). */
  busyTimeoutMs?: number;
}

/** The schema, one step per version; `PRAGMA user_version` records how many have run. Append, never edit. */
const MIGRATIONS: readonly string[] = [
  // 1: comments, with the top-level ancestor stored so a page and all its replies take two indexed queries.
  `CREATE TABLE comments (
     id              TEXT PRIMARY KEY,
     thread          TEXT NOT NULL,
     parent_id       TEXT REFERENCES comments(id),
     root_id         TEXT NOT NULL,
     name            TEXT NOT NULL,
     email           TEXT NOT NULL,
     email_norm      TEXT NOT NULL,
     website         TEXT,
     body            TEXT NOT NULL,
     body_hash       TEXT NOT NULL,
     created_at      TEXT NOT NULL,
     status          TEXT NOT NULL CHECK (status IN ('published', 'pending')),
     ip              TEXT,
     idempotency_key TEXT,
     request_hash    TEXT
   ) STRICT;
   CREATE INDEX comments_page ON comments (thread, parent_id, created_at, id);
   CREATE INDEX comments_root ON comments (root_id, created_at, id);
   CREATE INDEX comments_parent ON comments (parent_id);
   CREATE INDEX comments_thread_status ON comments (thread, status);
   CREATE INDEX comments_email ON comments (email_norm, status);
   CREATE INDEX comments_pending ON comments (created_at) WHERE status = 'pending';
   CREATE UNIQUE INDEX comments_duplicate ON comments (thread, email_norm, body_hash);
   CREATE UNIQUE INDEX comments_idempotency ON comments (idempotency_key) WHERE idempotency_key IS NOT NULL;`,
  // 2 (temporary, h-server; h-pg's store replaces it): duplicates by author token, not email; flood in the database.
  `ALTER TABLE comments ADD COLUMN author_hash TEXT;
   DROP INDEX comments_duplicate;
   CREATE INDEX comments_author_duplicate ON comments (thread, author_hash, body_hash) WHERE author_hash IS NOT NULL;
   CREATE TABLE flood (key TEXT PRIMARY KEY, last_ms INTEGER NOT NULL) STRICT;`,
];

const COLUMNS = `id, thread, parent_id AS parentId, root_id AS rootId, name, email, website, body,
  created_at AS createdAt, status, ip, idempotency_key AS idempotencyKey, author_hash AS authorHash`;

/** Most bytes the page cache may hold (temporary, h-server; h-pg's store sets its own bound). */
const PAGE_CACHE_BYTES = 16 * 1024 * 1024;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64url');
const normEmail = (email: string): string => email.trim().toLowerCase();

/**
 * A `CommentStore` on one SQLite file. Opening creates the parent folder if it can, then the schema, and runs
 * pending migrations, so a fresh path just works and an old file is upgraded in place.
 */
export class SqliteStore implements CommentStore {
  /** The resolved file path (or `:memory:`), for messages. */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly stmt: ReturnType<SqliteStore['prepare']>;
  /**
   * Pages already read, by query. Reading a page costs about 0.3 ms (most of it making row objects), four times
   * what the rest of a GET costs; a thread is read far more often than written. Emptied by every write through this
   * store, and when SQLite's `data_version` says another connection (another process) has written.
   */
  private readonly pages = new Map<string, { page: ListResult; bytes: number }>();
  private pageBytes = 0;
  private seen = -1;

  /**
   * Opens (or creates) the database at `path`. Throws an `Error` naming the path and the reason when the folder
   * cannot be created or the file cannot be opened or written, so a misconfigured `--db` fails at start-up.
   */
  constructor(path: string, options: SqliteStoreOptions = {}) {
    const memory = path === ':memory:' || path === '';
    this.path = memory ? ':memory:' : resolve(path);
    if (!memory) {
      try {
        mkdirSync(dirname(this.path), { recursive: true });
      } catch (err) {
        throw new Error(`Cannot create the folder for the comments database ${this.path}: ${reason(err)}`, { cause: err });
      }
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(this.path);
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (err) {
      db?.close();
      throw new Error(`Cannot open the comments database ${this.path}: ${reason(err)}`, { cause: err });
    }
    this.db = db;
    this.stmt = this.prepare();
  }

  private prepare() {
    const db = this.db;
    const page = (op: '>' | '<', dir: 'ASC' | 'DESC', keyset: boolean) =>
      db.prepare<unknown[], StoredComment>(
        `SELECT ${COLUMNS} FROM comments
         WHERE thread = ? AND parent_id IS NULL AND status = 'published'
         ${keyset ? `AND (created_at, id) ${op} (?, ?)` : ''}
         ORDER BY created_at ${dir}, id ${dir} LIMIT ?`,
      );
    return {
      firstOldest: page('>', 'ASC', false),
      firstNewest: page('<', 'DESC', false),
      afterOldest: page('>', 'ASC', true),
      afterNewest: page('<', 'DESC', true),
      replies: db.prepare<[string], StoredComment>(
        `SELECT ${COLUMNS} FROM comments
         WHERE root_id IN (SELECT value FROM json_each(?)) AND parent_id IS NOT NULL AND status = 'published'
         ORDER BY root_id, created_at, id`,
      ),
      total: db.prepare<[string], { n: number }>(
        `SELECT count(*) AS n FROM comments WHERE thread = ? AND status = 'published'`,
      ),
      counts: db.prepare<[string], { thread: string; n: number }>(
        `SELECT thread, count(*) AS n FROM comments
         WHERE thread IN (SELECT value FROM json_each(?)) AND status = 'published' GROUP BY thread`,
      ),
      get: db.prepare<[string], StoredComment>(`SELECT ${COLUMNS} FROM comments WHERE id = ?`),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      byKey: db.prepare<[string], StoredComment & { requestHash: string | null }>(
        `SELECT ${COLUMNS}, request_hash AS requestHash FROM comments WHERE idempotency_key = ?`,
      ),
      duplicate: db.prepare<[string, string, string], StoredComment>(
        `SELECT ${COLUMNS} FROM comments WHERE thread = ? AND author_hash = ? AND body_hash = ?`,
      ),
      floodLast: db.prepare<[string], number>(`SELECT last_ms FROM flood WHERE key = ?`).pluck(),
      floodSet: db.prepare<[string, number]>(
        `INSERT INTO flood (key, last_ms) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET last_ms = excluded.last_ms`,
      ),
      floodPrune: db.prepare<[number]>(`DELETE FROM flood WHERE last_ms <= ?`),
      insert: db.prepare(
        `INSERT INTO comments (id, thread, parent_id, root_id, name, email, email_norm, website, body, body_hash,
           created_at, status, ip, idempotency_key, request_hash, author_hash)
         VALUES (@id, @thread, @parentId, @rootId, @name, @email, @emailNorm, @website, @body, @bodyHash,
           @createdAt, @status, @ip, @idempotencyKey, @requestHash, @authorHash)`,
      ),
      pending: db.prepare<[], StoredComment>(
        `SELECT ${COLUMNS} FROM comments WHERE status = 'pending' ORDER BY created_at, id`,
      ),
      approve: db.prepare<[string]>(`UPDATE comments SET status = 'published' WHERE id = ?`),
      byEmail: db.prepare<[string], StoredComment>(
        `SELECT ${COLUMNS} FROM comments WHERE email_norm = ? ORDER BY created_at, id`,
      ),
      trusted: db.prepare<[string, string], { one: number }>(
        `SELECT 1 AS one FROM comments WHERE author_hash = ? AND email_norm = ? AND status = 'published' LIMIT 1`,
      ),
      children: db.prepare<[string], { id: string }>(`SELECT id FROM comments WHERE parent_id = ?`),
      moveChildren: db.prepare<[string | null, string]>(`UPDATE comments SET parent_id = ? WHERE parent_id = ?`),
      promote: db.prepare<[string]>(`UPDATE comments SET parent_id = NULL WHERE id = ?`),
      reroot: db.prepare<{ root: string }>(
        `WITH RECURSIVE sub(id) AS (
           SELECT @root UNION ALL SELECT c.id FROM comments c JOIN sub ON c.parent_id = sub.id
         )
         UPDATE comments SET root_id = @root WHERE id IN (SELECT id FROM sub)`,
      ),
      remove: db.prepare<[string]>(`DELETE FROM comments WHERE id = ?`),
    };
  }

  /** @inheritdoc */
  async list(query: ListQuery): Promise<ListResult> {
    const s = this.stmt;
    const version = s.dataVersion.get()!;
    if (version !== this.seen) {
      this.seen = version;
      this.clearPages();
    }
    const key = [query.thread, query.sort, query.limit, query.after?.createdAt, query.after?.id].join('\0');
    const cached = this.pages.get(key);
    if (cached) return cached.page;
    const read = this.db.transaction((): ListResult => {
      const limit = Math.max(1, Math.floor(query.limit));
      const newest = query.sort === 'newest';
      const top = query.after
        ? (newest ? s.afterNewest : s.afterOldest).all(query.thread, query.after.createdAt, query.after.id, limit + 1)
        : (newest ? s.firstNewest : s.firstOldest).all(query.thread, limit + 1);
      const more = top.length > limit;
      if (more) top.length = limit;
      const byRoot = new Map<string, StoredComment[]>(top.map((c) => [c.id, [c]]));
      if (top.length > 0) {
        for (const reply of s.replies.all(JSON.stringify(top.map((c) => c.id)))) byRoot.get(reply.rootId)?.push(reply);
      }
      const last = top.at(-1);
      return {
        total: s.total.get(query.thread)?.n ?? 0,
        comments: [...byRoot.values()].flat(),
        next: more && last ? { createdAt: last.createdAt, id: last.id } : null,
      };
    });
    // A read transaction: the page, its replies and the total come from one snapshot.
    const result = read();
    // Bounded in bytes (temporary, h-server): text counted at two bytes a character, plus a row's overhead.
    const bytes = result.comments.reduce((n, c) => n + 200 + 2 * (c.body.length + c.name.length + c.email.length + (c.website?.length ?? 0)), 0);
    while (this.pages.size > 0 && this.pageBytes + bytes > PAGE_CACHE_BYTES) {
      const [oldest, entry] = this.pages.entries().next().value!;
      this.pages.delete(oldest);
      this.pageBytes -= entry.bytes;
    }
    if (bytes <= PAGE_CACHE_BYTES) {
      this.pages.set(key, { page: result, bytes });
      this.pageBytes += bytes;
    }
    return result;
  }

  /** @inheritdoc */
  async counts(threads: readonly string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = Object.create(null);
    for (const t of threads) out[t] = 0;
    if (threads.length > 0) for (const row of this.stmt.counts.all(JSON.stringify(threads))) out[row.thread] = row.n;
    return { ...out };
  }

  /** @inheritdoc */
  async create(comment: NewComment, options: CreateOptions = {}): Promise<CreateResult> {
    const s = this.stmt;
    const key = options.idempotencyKey ?? null;
    const requestHash = options.requestHash ?? null;
    const write = this.db.transaction((): CreateResult => {
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
      const emailNorm = normEmail(comment.email);
      const bodyHash = sha256(comment.body);
      if (comment.authorHash !== null && s.duplicate.get(comment.thread, comment.authorHash, bodyHash)) return { kind: 'duplicate' };
      const flood = options.flood;
      if (flood && flood.windowMs > 0) {
        s.floodPrune.run(flood.nowMs - flood.windowMs);
        let wait = 0;
        for (const k of flood.keys) {
          const last = s.floodLast.get(k);
          if (last !== undefined) wait = Math.max(wait, last + flood.windowMs - flood.nowMs);
        }
        if (wait > 0) return { kind: 'rate_limited', retryAfterMs: wait };
        for (const k of flood.keys) s.floodSet.run(k, flood.nowMs);
      }
      const stored: StoredComment = { ...comment, rootId, idempotencyKey: key };
      s.insert.run({ ...stored, emailNorm, bodyHash, requestHash });
      return { kind: 'created', comment: stored };
    });
    return this.written(busy(() => write.immediate()));
  }

  /** @inheritdoc */
  async ready(): Promise<void> {}

  /** @inheritdoc */
  async isTrustedAuthor(authorHash: string, email: string): Promise<boolean> {
    return this.stmt.trusted.get(authorHash, normEmail(email)) !== undefined;
  }

  private clearPages(): void {
    this.pages.clear();
    this.pageBytes = 0;
  }

  /** Passes a write's result through, after dropping the pages it may have changed. */
  private written<T>(result: T): T {
    this.clearPages();
    return result;
  }

  /** @inheritdoc */
  async get(id: string): Promise<StoredComment | null> {
    return this.stmt.get.get(id) ?? null;
  }

  /** @inheritdoc */
  async findByIdempotencyKey(key: string): Promise<IdempotentRecord | null> {
    const row = this.stmt.byKey.get(key);
    if (!row) return null;
    const { requestHash, ...comment } = row;
    return { comment, requestHash };
  }

  /** @inheritdoc */
  async pending(): Promise<StoredComment[]> {
    return this.stmt.pending.all();
  }

  /** @inheritdoc */
  async approve(id: string): Promise<StoredComment | null> {
    const write = this.db.transaction(() => {
      this.stmt.approve.run(id);
      return this.stmt.get.get(id) ?? null;
    });
    return this.written(write.immediate());
  }

  /** @inheritdoc */
  async delete(id: string): Promise<boolean> {
    const write = this.db.transaction(() => this.deleteOne(id));
    return this.written(write.immediate());
  }

  /** @inheritdoc */
  async exportByEmail(email: string): Promise<StoredComment[]> {
    return this.stmt.byEmail.all(normEmail(email));
  }

  /** @inheritdoc */
  async eraseByEmail(email: string): Promise<number> {
    const write = this.db.transaction(() => {
      let n = 0;
      for (const { id } of this.stmt.byEmail.all(normEmail(email))) if (this.deleteOne(id)) n++;
      return n;
    });
    return this.written(write.immediate());
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Re-parents the replies of `id` one level up, then deletes it. Call inside a transaction. */
  private deleteOne(id: string): boolean {
    const s = this.stmt;
    const row = s.get.get(id);
    if (!row) return false;
    if (row.parentId !== null) {
      // Same root: only the parent link changes.
      s.moveChildren.run(row.parentId, id);
    } else {
      // Each direct reply becomes top-level and the root of its own subtree.
      for (const child of s.children.all(id)) {
        s.promote.run(child.id);
        s.reroot.run({ root: child.id });
      }
    }
    s.remove.run(id);
    return true;
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`its schema version ${version} is newer than this server knows (${MIGRATIONS.length}); upgrade inkwell`);
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/** Runs a write; SQLite's "busy" past `busy_timeout` becomes a `StoreUnavailableError` (a 503, not a 500). */
function busy<T>(write: () => T): T {
  try {
    return write();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new StoreUnavailableError('Another process held the comments database for too long.', 1, { cause: err });
    }
    throw err;
  }
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
