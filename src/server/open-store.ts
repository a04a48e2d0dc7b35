/**
 * Temporary (h-server): opens the store a `db` string names. h-pg's version (SQLite path or PostgreSQL URL)
 * replaces this file at merge.
 * @module
 */
import { SqliteStore } from './sqlite-store.js';
import type { CommentStore } from './store.js';

/** The store for `db`: here always a SQLite file. */
export function openStore(db: string): CommentStore {
  return new SqliteStore(db);
}
