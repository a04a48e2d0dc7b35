/**
 * Chooses the store for a `--db` / `db` / `DATABASE_URL` value: PostgreSQL for a `postgres://` or `postgresql://`
 * URL, else a SQLite file at that path. A PostgreSQL URL is never taken for a file path (it used to create a
 * folder named `postgres:`).
 * @module
 */
import { isPostgresUrl } from './postgres-connection.js';
import { PostgresStore } from './postgres-store.js';
import type { PostgresStoreOptions } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { SqliteStoreOptions } from './sqlite-store.js';
import type { CommentStore } from './store.js';

export { isPostgresUrl } from './postgres-connection.js';

/** Options for whichever store `openStore` picks; each store reads the ones it knows. */
export type OpenStoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/**
 * Opens the store `db` names. Connecting (PostgreSQL) and migrating happen in the store's `ready()`, which the
 * caller should await before serving; a SQLite path whose folder cannot be created throws here, naming it.
 */
export function openStore(db: string, options: OpenStoreOptions = {}): CommentStore {
  if (isPostgresUrl(db)) return new PostgresStore(db.trim(), options);
  return new SqliteStore(db, options);
}
