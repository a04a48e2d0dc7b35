/**
 * The PostgreSQL schema, one step per version, recorded in `inkwell_migrations`. Append, never edit. Tables carry
 * an `inkwell_` prefix so they can live beside a site's own tables in one database.
 *
 * Text that is ordered (`id`, `created_at`) uses the "C" collation: byte order, as SQLite compares, so both stores
 * page identically whatever the database's locale.
 * @module
 */
import type { PoolClient, QueryConfig } from 'pg';

export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: comments (the SQLite schema at version 2), flood windows, and a version per thread that every write bumps so
  // each process can tell whether its cached pages are still current.
  `CREATE TABLE inkwell_comments (
     id              text COLLATE "C" PRIMARY KEY,
     thread          text COLLATE "C" NOT NULL,
     parent_id       text COLLATE "C" REFERENCES inkwell_comments (id),
     root_id         text COLLATE "C" NOT NULL,
     name            text NOT NULL,
     email           text NOT NULL,
     email_norm      text NOT NULL,
     website         text,
     body            text NOT NULL,
     body_hash       text NOT NULL,
     created_at      text COLLATE "C" NOT NULL,
     status          text NOT NULL CHECK (status IN ('published', 'pending')),
     ip              text,
     idempotency_key text,
     request_hash    text,
     author_hash     text
   );
   CREATE INDEX inkwell_comments_page ON inkwell_comments (thread, created_at, id)
     WHERE parent_id IS NULL AND status = 'published';
   CREATE INDEX inkwell_comments_root ON inkwell_comments (root_id, created_at, id);
   CREATE INDEX inkwell_comments_parent ON inkwell_comments (parent_id);
   CREATE INDEX inkwell_comments_thread_status ON inkwell_comments (thread, status);
   CREATE INDEX inkwell_comments_email ON inkwell_comments (email_norm);
   CREATE INDEX inkwell_comments_pending ON inkwell_comments (created_at, id) WHERE status = 'pending';
   CREATE INDEX inkwell_comments_author ON inkwell_comments (author_hash) WHERE author_hash IS NOT NULL;
   CREATE UNIQUE INDEX inkwell_comments_duplicate ON inkwell_comments (thread, author_hash, body_hash)
     WHERE author_hash IS NOT NULL;
   CREATE UNIQUE INDEX inkwell_comments_idempotency ON inkwell_comments (idempotency_key)
     WHERE idempotency_key IS NOT NULL;
   CREATE TABLE inkwell_flood (
     key      text PRIMARY KEY,
     until_ms bigint NOT NULL
   );
   CREATE INDEX inkwell_flood_until ON inkwell_flood (until_ms);
   CREATE TABLE inkwell_thread_versions (
     thread  text COLLATE "C" PRIMARY KEY,
     version bigint NOT NULL
   );`,
  // 2: `inkwell-server copy` writes a whole database in one transaction, oldest first. A reply that another
  // server's clock stamped a few ms before its parent arrives first: its parent link is checked at commit. And the
  // index that export pages through.
  `ALTER TABLE inkwell_comments ALTER CONSTRAINT inkwell_comments_parent_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
   CREATE INDEX inkwell_comments_created ON inkwell_comments (created_at, id);`,
  // 3: moderation (issue 16): the `spam` status, why a comment was held, the admin listing's indexes, moderators
  // (token hashes only), the audit log, and blocks (an IP block as a range of 32-hex-digit addresses, compared as
  // text in byte order).
  `ALTER TABLE inkwell_comments DROP CONSTRAINT inkwell_comments_status_check;
   ALTER TABLE inkwell_comments ADD CONSTRAINT inkwell_comments_status_check CHECK (status IN ('published', 'pending', 'spam'));
   ALTER TABLE inkwell_comments ADD COLUMN held_reason text
     CHECK (held_reason IN ('moderation', 'first-time', 'links', 'blocklist', 'blocked'));
   UPDATE inkwell_comments SET held_reason = 'moderation' WHERE status = 'pending';
   CREATE INDEX inkwell_comments_admin ON inkwell_comments (status, created_at, id);
   CREATE INDEX inkwell_comments_thread_created ON inkwell_comments (thread, created_at, id);
   CREATE TABLE inkwell_moderators (
     name       text PRIMARY KEY,
     token_hash text NOT NULL UNIQUE,
     created_at text NOT NULL
   );
   CREATE TABLE inkwell_audit (
     id         bigserial PRIMARY KEY,
     at         text NOT NULL,
     moderator  text NOT NULL,
     action     text NOT NULL,
     comment_id text
   );
   CREATE TABLE inkwell_blocks (
     id          text PRIMARY KEY,
     kind        text NOT NULL CHECK (kind IN ('email', 'ip')),
     value       text NOT NULL,
     range_start text COLLATE "C",
     range_end   text COLLATE "C",
     created_at  text COLLATE "C" NOT NULL,
     created_by  text NOT NULL,
     UNIQUE (kind, value)
   );`,
];

/** The advisory lock every migrating process takes first: "inkw" in ASCII. */
const MIGRATION_LOCK = 0x696e6b77;

/** Ten minutes: building an index on a large table may take a while, once. */
const MIGRATION_TIMEOUT_MS = 600_000;

/**
 * Brings the schema up to date inside the caller's transaction. The advisory lock is taken before anything is
 * read, so a second process starting at the same moment waits, then finds the work done. Throws a sentence when
 * the database was migrated by a newer Inkwell.
 */
export async function migratePostgres(client: PoolClient): Promise<void> {
  // node-postgres reads `query_timeout` from a query's config too; its types do not list it.
  const query = (text: string, values?: unknown[]) =>
    client.query({ text, values, query_timeout: MIGRATION_TIMEOUT_MS } as QueryConfig);
  await query(`SET LOCAL statement_timeout = ${MIGRATION_TIMEOUT_MS}`);
  await query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await query(
    `CREATE TABLE IF NOT EXISTS inkwell_migrations (
       version    integer PRIMARY KEY,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await query('SELECT coalesce(max(version), 0)::int AS version FROM inkwell_migrations');
  const current = (rows[0] as { version: number }).version;
  if (current > POSTGRES_MIGRATIONS.length) {
    throw new Error(
      `its schema version ${current} is newer than this server knows (${POSTGRES_MIGRATIONS.length}); upgrade inkwell`,
    );
  }
  for (let v = current; v < POSTGRES_MIGRATIONS.length; v++) {
    await query(POSTGRES_MIGRATIONS[v]);
    await query('INSERT INTO inkwell_migrations (version) VALUES ($1)', [v + 1]);
  }
}
