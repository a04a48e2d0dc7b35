/**
 * The SQL of the SQLite store: its prepared statements and the multi-statement steps, each run inside the
 * caller's transaction.
 * @module
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ListQuery, ListResult, StoredComment, StoredRow } from './store.js';

/** The columns of a `StoredComment`, under their TypeScript names. */
export const COLUMNS = `id, thread, parent_id AS parentId, root_id AS rootId, name, email, website, body,
  created_at AS createdAt, status, held_reason AS heldReason, ip, idempotency_key AS idempotencyKey, author_hash AS authorHash`;

/** The body's digest, for the duplicate check: the index holds 43 characters, not the body. */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64url');
/** The form of an email that matching uses. */
export const normEmail = (email: string): string => email.trim().toLowerCase();

type Query<Params extends unknown[] | object = unknown[], Row = unknown> = Database.Statement<Params, Row>;
type RowWithHash = StoredComment & { requestHash: string | null };

/**
 * The prepared statements of one connection, named by what they answer. Written out (not inferred) so that the
 * declaration files can name better-sqlite3's statement type.
 */
export interface Statements {
  firstOldest: Query<unknown[], StoredComment>;
  firstNewest: Query<unknown[], StoredComment>;
  afterOldest: Query<unknown[], StoredComment>;
  afterNewest: Query<unknown[], StoredComment>;
  replies: Query<[string], StoredComment>;
  total: Query<[string], { n: number }>;
  counts: Query<[string], { thread: string; n: number }>;
  get: Query<[string], StoredComment>;
  dataVersion: Query<[], number>;
  byKey: Query<[string], RowWithHash>;
  duplicate: Query<[string, string, string], { one: number }>;
  pruneFlood: Query<[number]>;
  floodUntil: Query<[string], number | null>;
  recordFlood: Query<[string, number]>;
  insert: Query<[Record<string, unknown>]>;
  pending: Query<[], StoredComment>;
  approve: Query<[string]>;
  byEmail: Query<[string], StoredComment>;
  trusted: Query<[string, string], { one: number }>;
  children: Query<[string], { id: string }>;
  moveChildren: Query<[string | null, string]>;
  promote: Query<[string]>;
  reroot: Query<{ root: string }>;
  remove: Query<[string]>;
  countAll: Query<[], number>;
  row: Query<[string], StoredRow>;
  duplicateOwner: Query<[string, string, string], StoredRow>;
}

/** Prepares every statement the store runs, once per connection. */
export function prepare(db: Database.Database): Statements {
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
    total: db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM comments WHERE thread = ? AND status = 'published'`),
    counts: db.prepare<[string], { thread: string; n: number }>(
      `SELECT thread, count(*) AS n FROM comments
       WHERE thread IN (SELECT value FROM json_each(?)) AND status = 'published' GROUP BY thread`,
    ),
    get: db.prepare<[string], StoredComment>(`SELECT ${COLUMNS} FROM comments WHERE id = ?`),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    byKey: db.prepare<[string], StoredComment & { requestHash: string | null }>(
      `SELECT ${COLUMNS}, request_hash AS requestHash FROM comments WHERE idempotency_key = ?`,
    ),
    duplicate: db.prepare<[string, string, string], { one: number }>(
      `SELECT 1 AS one FROM comments WHERE thread = ? AND author_hash = ? AND body_hash = ?`,
    ),
    pruneFlood: db.prepare<[number]>(`DELETE FROM flood WHERE until_ms <= ?`),
    floodUntil: db.prepare<[string], number | null>(
      `SELECT max(until_ms) FROM flood WHERE key IN (SELECT value FROM json_each(?))`,
    ).pluck(),
    recordFlood: db.prepare<[string, number]>(
      `INSERT INTO flood (key, until_ms) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET until_ms = max(until_ms, excluded.until_ms)`,
    ),
    insert: db.prepare(
      `INSERT INTO comments (id, thread, parent_id, root_id, name, email, email_norm, website, body, body_hash,
         created_at, status, held_reason, ip, idempotency_key, request_hash, author_hash)
       VALUES (@id, @thread, @parentId, @rootId, @name, @email, @emailNorm, @website, @body, @bodyHash,
         @createdAt, @status, @heldReason, @ip, @idempotencyKey, @requestHash, @authorHash)`,
    ),
    pending: db.prepare<[], StoredComment>(`SELECT ${COLUMNS} FROM comments WHERE status = 'pending' ORDER BY created_at, id`),
    approve: db.prepare<[string]>(`UPDATE comments SET status = 'published' WHERE id = ?`),
    byEmail: db.prepare<[string], StoredComment>(`SELECT ${COLUMNS} FROM comments WHERE email_norm = ? ORDER BY created_at, id`),
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
    countAll: db.prepare<[], number>('SELECT count(*) FROM comments').pluck(),
    row: db.prepare<[string], StoredRow>(`SELECT ${COLUMNS}, request_hash AS requestHash FROM comments WHERE id = ?`),
    duplicateOwner: db.prepare<[string, string, string], StoredRow>(
      `SELECT ${COLUMNS}, request_hash AS requestHash FROM comments WHERE thread = ? AND author_hash = ? AND body_hash = ?`,
    ),
  };
}

/** One page from one snapshot; call inside a read transaction. */
export function readPage(s: Statements, query: ListQuery): ListResult {
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
}

/** Re-parents the replies of `id` one level up, then deletes it. Call inside a write transaction. */
export function deleteOne(s: Statements, id: string): boolean {
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
