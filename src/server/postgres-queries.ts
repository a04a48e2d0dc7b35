/**
 * The multi-statement steps of the PostgreSQL store, each run inside the caller's transaction.
 * @module
 */
import type { PoolClient } from 'pg';
import type { ListQuery, ListResult, StoredComment } from './store.js';

/** The columns of a `StoredComment`, under their TypeScript names. */
export const COLUMNS = `id, thread, parent_id AS "parentId", root_id AS "rootId", name, email, website, body,
  created_at AS "createdAt", status, held_reason AS "heldReason", ip, idempotency_key AS "idempotencyKey", author_hash AS "authorHash"`;

/** Reads one page and the thread's version; call inside a REPEATABLE READ transaction (one snapshot). */
export async function readPage(client: PoolClient, query: ListQuery): Promise<{ page: ListResult; version: number }> {
  const limit = Math.max(1, Math.floor(query.limit));
  const newest = query.sort === 'newest';
  const { rows: head } = await client.query<{ total: number; version: string | null }>(
    `SELECT (SELECT count(*)::int FROM inkwell_comments WHERE thread = $1 AND status = 'published') AS total,
            (SELECT version FROM inkwell_thread_versions WHERE thread = $1) AS version`,
    [query.thread],
  );
  const dir = newest ? 'DESC' : 'ASC';
  const keyset = query.after ? `AND (created_at, id) ${newest ? '<' : '>'} ($3, $4)` : '';
  const { rows: top } = await client.query<StoredComment>(
    `SELECT ${COLUMNS} FROM inkwell_comments
     WHERE thread = $1 AND parent_id IS NULL AND status = 'published' ${keyset}
     ORDER BY created_at ${dir}, id ${dir} LIMIT $2`,
    query.after ? [query.thread, limit + 1, query.after.createdAt, query.after.id] : [query.thread, limit + 1],
  );
  const more = top.length > limit;
  if (more) top.length = limit;
  const byRoot = new Map<string, StoredComment[]>(top.map((c) => [c.id, [c]]));
  if (top.length > 0) {
    const { rows: replies } = await client.query<StoredComment>(
      `SELECT ${COLUMNS} FROM inkwell_comments
       WHERE root_id = ANY($1::text[]) AND parent_id IS NOT NULL AND status = 'published'
       ORDER BY root_id, created_at, id`,
      [top.map((c) => c.id)],
    );
    for (const reply of replies) byRoot.get(reply.rootId)?.push(reply);
  }
  const last = top.at(-1);
  return {
    page: {
      total: head[0]?.total ?? 0,
      comments: [...byRoot.values()].flat(),
      next: more && last ? { createdAt: last.createdAt, id: last.id } : null,
    },
    version: Number(head[0]?.version ?? 0),
  };
}

/**
 * Re-parents the replies of `id` one level up, then deletes it; returns its thread, or null when there is no such
 * comment. Locks the comment (and, for a top-level one, its whole subtree) first, so a reply being inserted under
 * it either commits before the move and is moved too, or waits and then finds its parent gone or moved.
 */
export async function deleteOne(client: PoolClient, id: string): Promise<string | null> {
  const { rows } = await client.query<{ thread: string; parentId: string | null }>(
    'SELECT thread, parent_id AS "parentId" FROM inkwell_comments WHERE id = $1 FOR UPDATE',
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.parentId !== null) {
    // Same root: only the parent link changes.
    await client.query('UPDATE inkwell_comments SET parent_id = $1 WHERE parent_id = $2', [row.parentId, id]);
  } else {
    await client.query('SELECT 1 FROM inkwell_comments WHERE root_id = $1 ORDER BY id FOR UPDATE', [id]);
    // Each direct reply becomes top-level and the root of its own subtree.
    await client.query(
      `WITH RECURSIVE sub (id, root) AS (
         SELECT id, id FROM inkwell_comments WHERE parent_id = $1
         UNION ALL
         SELECT c.id, sub.root FROM inkwell_comments c JOIN sub ON c.parent_id = sub.id
       )
       UPDATE inkwell_comments c
       SET root_id = sub.root, parent_id = CASE WHEN c.parent_id = $1 THEN NULL ELSE c.parent_id END
       FROM sub WHERE c.id = sub.id`,
      [id],
    );
  }
  await client.query('DELETE FROM inkwell_comments WHERE id = $1', [id]);
  return row.thread;
}

/** Marks threads as changed, so every process's cached pages of them are read again. Sorted: no deadlock. */
export async function bumpVersions(client: PoolClient, threads: readonly string[]): Promise<void> {
  if (threads.length === 0) return;
  await client.query(
    `INSERT INTO inkwell_thread_versions (thread, version)
     SELECT t, 1 FROM unnest($1::text[]) AS t ORDER BY t
     ON CONFLICT (thread) DO UPDATE SET version = inkwell_thread_versions.version + 1`,
    [[...new Set(threads)].sort()],
  );
}
