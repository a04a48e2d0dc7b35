/**
 * The SQLite schema, one step per version; `PRAGMA user_version` records how many have run. Append, never edit:
 * a file written by any released version must upgrade in place.
 * @module
 */
import type Database from 'better-sqlite3';

export const SQLITE_MIGRATIONS: readonly string[] = [
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
  // 2: duplicates are told apart by the author token's hash, which only the poster holds, not by an email anyone
  // can type (issue 14, item 2); flood windows live in the database so every process sharing it counts them.
  `ALTER TABLE comments ADD COLUMN author_hash TEXT;
   DROP INDEX comments_duplicate;
   CREATE UNIQUE INDEX comments_duplicate ON comments (thread, author_hash, body_hash) WHERE author_hash IS NOT NULL;
   CREATE INDEX comments_author ON comments (author_hash) WHERE author_hash IS NOT NULL;
   CREATE TABLE flood (
     key      TEXT PRIMARY KEY,
     until_ms INTEGER NOT NULL
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX flood_until ON flood (until_ms);`,
  // 3: moderation (issue 16). SQLite cannot change a CHECK in place: the table is rebuilt with the `spam` status
  // and `held_reason`, keeping every row and its rowid (the order `exportAll` reads). `migrateSqlite` turns
  // foreign keys off around this step and checks them before committing. Then moderators (token hashes only), the
  // audit log and blocks (an IP block as a range of 32-hex-digit addresses, compared as text).
  `CREATE TABLE comments_v3 (
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
     status          TEXT NOT NULL CHECK (status IN ('published', 'pending', 'spam')),
     ip              TEXT,
     idempotency_key TEXT,
     request_hash    TEXT,
     author_hash     TEXT,
     held_reason     TEXT CHECK (held_reason IN ('moderation', 'first-time', 'links', 'blocklist', 'blocked'))
   ) STRICT;
   INSERT INTO comments_v3 (rowid, id, thread, parent_id, root_id, name, email, email_norm, website, body, body_hash,
     created_at, status, ip, idempotency_key, request_hash, author_hash, held_reason)
   SELECT rowid, id, thread, parent_id, root_id, name, email, email_norm, website, body, body_hash,
     created_at, status, ip, idempotency_key, request_hash, author_hash,
     CASE WHEN status = 'pending' THEN 'moderation' END
   FROM comments ORDER BY rowid;
   DROP TABLE comments;
   ALTER TABLE comments_v3 RENAME TO comments;
   CREATE INDEX comments_page ON comments (thread, parent_id, created_at, id);
   CREATE INDEX comments_root ON comments (root_id, created_at, id);
   CREATE INDEX comments_parent ON comments (parent_id);
   CREATE INDEX comments_thread_status ON comments (thread, status);
   CREATE INDEX comments_email ON comments (email_norm, status);
   CREATE INDEX comments_pending ON comments (created_at) WHERE status = 'pending';
   CREATE UNIQUE INDEX comments_duplicate ON comments (thread, author_hash, body_hash) WHERE author_hash IS NOT NULL;
   CREATE UNIQUE INDEX comments_idempotency ON comments (idempotency_key) WHERE idempotency_key IS NOT NULL;
   CREATE INDEX comments_author ON comments (author_hash) WHERE author_hash IS NOT NULL;
   CREATE INDEX comments_admin ON comments (status, created_at, id);
   CREATE INDEX comments_created ON comments (created_at, id);
   CREATE INDEX comments_thread_created ON comments (thread, created_at, id);
   CREATE TABLE moderators (
     name       TEXT PRIMARY KEY,
     token_hash TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE audit (
     id         INTEGER PRIMARY KEY AUTOINCREMENT,
     at         TEXT NOT NULL,
     moderator  TEXT NOT NULL,
     action     TEXT NOT NULL,
     comment_id TEXT
   ) STRICT;
   CREATE TABLE blocks (
     id          TEXT PRIMARY KEY,
     kind        TEXT NOT NULL CHECK (kind IN ('email', 'ip')),
     value       TEXT NOT NULL,
     range_start TEXT,
     range_end   TEXT,
     created_at  TEXT NOT NULL,
     created_by  TEXT NOT NULL,
     UNIQUE (kind, value)
   ) STRICT;
   CREATE INDEX blocks_range ON blocks (range_start, range_end) WHERE kind = 'ip';`,
];

/** Migrations that rebuild a table: foreign keys are off while they run (SQLite cannot switch them in a transaction). */
const REBUILDS = new Set([3]);

/**
 * Runs the migrations a file lacks. Safe when several processes open a fresh file at once: the version is read
 * again after taking the write lock (`BEGIN IMMEDIATE`), so the process that waited finds the work done instead
 * of creating the tables a second time. Throws SQLITE_BUSY when another process holds the lock: the caller
 * retries without blocking the event loop.
 */
export function migrateSqlite(db: Database.Database): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  const check = (v: number): void => {
    if (v > SQLITE_MIGRATIONS.length) {
      throw new Error(`its schema version ${v} is newer than this server knows (${SQLITE_MIGRATIONS.length}); upgrade inkwell`);
    }
  };
  check(version());
  if (version() === SQLITE_MIGRATIONS.length) return;
  const rebuilding = [...REBUILDS].some((step) => step > version());
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  if (rebuilding) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      const current = version();
      check(current);
      for (let v = current; v < SQLITE_MIGRATIONS.length; v++) db.exec(SQLITE_MIGRATIONS[v]);
      if (rebuilding && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
        throw new Error('a reply names a parent that does not exist; the upgrade was not applied (restore a backup, or delete that reply)');
      }
      db.pragma(`user_version = ${SQLITE_MIGRATIONS.length}`);
    }).immediate();
  } finally {
    if (rebuilding) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}
