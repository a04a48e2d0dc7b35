/**
 * The moderation side of the PostgreSQL store (`ModerationStore`). Status changes and edits bump the thread's
 * version in the same transaction, so every process's cached pages of that thread are read again.
 * @module
 */
import type { Pool, PoolClient } from 'pg';
import type {
  AdminComment,
  AdminListQuery,
  AdminListResult,
  AuditEntry,
  AuditPage,
  Block,
  ModerationStore,
  Moderator,
  NewAuditEntry,
  NewBlock,
  StatusAction,
  StatusCounts,
} from './moderation-store.js';
import { bumpVersions } from './postgres-queries.js';

/** The store's ways in: a read on the pool, or one write transaction; both turn an outage into `StoreUnavailableError`. */
export interface PostgresRunner {
  read<T>(work: (pool: Pool) => Promise<T>): Promise<T>;
  write<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
}

const ADMIN_SELECT = `SELECT c.id, c.thread, c.parent_id AS "parentId", c.root_id AS "rootId", c.name, c.email, c.website,
    c.body, c.created_at AS "createdAt", c.status, c.held_reason AS "heldReason", c.ip,
    c.idempotency_key AS "idempotencyKey", c.author_hash AS "authorHash",
    (SELECT count(*)::int FROM inkwell_comments a WHERE a.email_norm = c.email_norm AND a.status = 'published') AS "authorApproved",
    p.name AS "parentName", p.body AS "parentBody"
  FROM inkwell_comments c LEFT JOIN inkwell_comments p ON p.id = c.parent_id`;

type AdminRow = Omit<AdminComment, 'parent'> & { parentName: string | null; parentBody: string | null };

function toAdminComment(row: AdminRow): AdminComment {
  const { parentName, parentBody, ...comment } = row;
  return {
    ...comment,
    parent: comment.parentId !== null && parentName !== null ? { id: comment.parentId, name: parentName, body: parentBody ?? '' } : null,
  };
}

const STATUS_UPDATE: Record<StatusAction, string> = {
  approve: `UPDATE inkwell_comments SET status = 'published' WHERE id = $1 RETURNING thread`,
  spam: `UPDATE inkwell_comments SET status = 'spam' WHERE id = $1 RETURNING thread`,
  restore: `UPDATE inkwell_comments SET status = 'pending' WHERE id = $1 AND status = 'spam' RETURNING thread`,
};

const BLOCK_COLUMNS = 'id, kind, value, created_at AS "createdAt", created_by AS "createdBy"';

async function readOne(client: Pool | PoolClient, id: string): Promise<AdminComment | null> {
  const { rows } = await client.query<AdminRow>(`${ADMIN_SELECT} WHERE c.id = $1`, [id]);
  return rows[0] ? toAdminComment(rows[0]) : null;
}

/** `ModerationStore` on the PostgreSQL store's pool. */
export class PostgresModeration implements ModerationStore {
  constructor(private readonly runner: PostgresRunner) {}

  /** @inheritdoc */
  list(query: AdminListQuery): Promise<AdminListResult> {
    const limit = Math.max(1, Math.floor(query.limit));
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown) => `$${values.push(value)}`;
    if (query.status !== 'all') where.push(`c.status = ${param(query.status)}`);
    if (query.thread) where.push(`c.thread = ${param(query.thread)}`);
    if (query.q) {
      // strpos, not LIKE: `%` and `_` in a search are plain characters.
      const q = param(query.q);
      where.push(`(strpos(lower(c.body), lower(${q})) > 0 OR strpos(lower(c.name), lower(${q})) > 0 OR strpos(c.email_norm, lower(${q})) > 0)`);
    }
    if (query.before) where.push(`(c.created_at, c.id) < (${param(query.before.createdAt)}, ${param(query.before.id)})`);
    const sql = `${ADMIN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.created_at DESC, c.id DESC LIMIT ${param(limit + 1)}`;
    return this.runner.read(async (pool) => {
      const rows = (await pool.query<AdminRow>(sql, values)).rows.map(toAdminComment);
      const more = rows.length > limit;
      if (more) rows.length = limit;
      const last = rows.at(-1);
      return { comments: rows, next: more && last ? { createdAt: last.createdAt, id: last.id } : null };
    });
  }

  /** @inheritdoc */
  counts(thread: string | null = null): Promise<StatusCounts> {
    return this.runner.read(async (pool) => {
      const { rows } =
        thread === null
          ? await pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM inkwell_comments GROUP BY status')
          : await pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM inkwell_comments WHERE thread = $1 GROUP BY status', [thread]);
      const counts: StatusCounts = { pending: 0, published: 0, spam: 0 };
      for (const row of rows) if (row.status in counts) counts[row.status as keyof StatusCounts] = row.n;
      return counts;
    });
  }

  /** @inheritdoc */
  get(id: string): Promise<AdminComment | null> {
    return this.runner.read((pool) => readOne(pool, id));
  }

  /** @inheritdoc */
  setStatus(id: string, action: StatusAction): Promise<AdminComment | null> {
    return this.runner.write(async (client) => {
      const { rows } = await client.query<{ thread: string }>(STATUS_UPDATE[action], [id]);
      if (rows[0]) await bumpVersions(client, [rows[0].thread]);
      return readOne(client, id);
    });
  }

  /** @inheritdoc */
  editBody(id: string, body: string): Promise<AdminComment | null> {
    return this.runner.write(async (client) => {
      // The body hash stays the hash of what the author sent: their retry of it is still a duplicate.
      const { rows } = await client.query<{ thread: string }>('UPDATE inkwell_comments SET body = $1 WHERE id = $2 RETURNING thread', [body, id]);
      if (rows[0]) await bumpVersions(client, [rows[0].thread]);
      return readOne(client, id);
    });
  }

  /** @inheritdoc */
  addModerator(name: string, tokenHash: string, createdAt: string): Promise<boolean> {
    return this.runner.read(async (pool) => {
      const { rowCount } = await pool.query(
        'INSERT INTO inkwell_moderators (name, token_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [name, tokenHash, createdAt],
      );
      return (rowCount ?? 0) > 0;
    });
  }

  /** @inheritdoc */
  listModerators(): Promise<Moderator[]> {
    return this.runner.read(async (pool) => (await pool.query<Moderator>('SELECT name, created_at AS "createdAt" FROM inkwell_moderators ORDER BY name')).rows);
  }

  /** @inheritdoc */
  removeModerator(name: string): Promise<boolean> {
    return this.runner.read(async (pool) => ((await pool.query('DELETE FROM inkwell_moderators WHERE name = $1', [name])).rowCount ?? 0) > 0);
  }

  /** @inheritdoc */
  moderatorByTokenHash(tokenHash: string): Promise<Moderator | null> {
    return this.runner.read(async (pool) => {
      const { rows } = await pool.query<Moderator>('SELECT name, created_at AS "createdAt" FROM inkwell_moderators WHERE token_hash = $1', [tokenHash]);
      return rows[0] ?? null;
    });
  }

  /** @inheritdoc */
  async appendAudit(entry: NewAuditEntry): Promise<void> {
    await this.runner.read((pool) =>
      pool.query('INSERT INTO inkwell_audit (at, moderator, action, comment_id) VALUES ($1, $2, $3, $4)', [entry.at, entry.moderator, entry.action, entry.commentId]),
    );
  }

  /** @inheritdoc */
  listAudit(options: { limit: number; after?: string | null }): Promise<AuditPage> {
    const limit = Math.max(1, Math.floor(options.limit));
    const after = options.after && /^\d{1,18}$/.test(options.after) ? options.after : null;
    return this.runner.read(async (pool) => {
      const { rows: entries } = await pool.query<AuditEntry>(
        `SELECT id::text AS id, at, moderator, action, comment_id AS "commentId" FROM inkwell_audit
         WHERE $1::bigint IS NULL OR id < $1::bigint ORDER BY id DESC LIMIT $2`,
        [after, limit + 1],
      );
      const more = entries.length > limit;
      if (more) entries.length = limit;
      return { entries, next: more ? entries.at(-1)!.id : null };
    });
  }

  /** @inheritdoc */
  addBlock(block: NewBlock): Promise<Block> {
    return this.runner.write(async (client) => {
      await client.query(
        `INSERT INTO inkwell_blocks (id, kind, value, range_start, range_end, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [block.id, block.kind, block.value, block.rangeStart, block.rangeEnd, block.createdAt, block.createdBy],
      );
      const { rows } = await client.query<Block>(`SELECT ${BLOCK_COLUMNS} FROM inkwell_blocks WHERE kind = $1 AND value = $2`, [block.kind, block.value]);
      return rows[0];
    });
  }

  /** @inheritdoc */
  listBlocks(): Promise<Block[]> {
    return this.runner.read(async (pool) => (await pool.query<Block>(`SELECT ${BLOCK_COLUMNS} FROM inkwell_blocks ORDER BY created_at DESC, id DESC`)).rows);
  }

  /** @inheritdoc */
  removeBlock(id: string): Promise<boolean> {
    return this.runner.read(async (pool) => ((await pool.query('DELETE FROM inkwell_blocks WHERE id = $1', [id])).rowCount ?? 0) > 0);
  }

  /** @inheritdoc */
  isBlocked(email: string, addressHex: string | null): Promise<boolean> {
    return this.runner.read(async (pool) => {
      const { rowCount } = await pool.query(
        `SELECT 1 FROM inkwell_blocks
         WHERE (kind = 'email' AND value = $1)
            OR (kind = 'ip' AND $2::text IS NOT NULL AND range_start <= $2::text COLLATE "C" AND range_end >= $2::text COLLATE "C")
         LIMIT 1`,
        [email.trim().toLowerCase(), addressHex],
      );
      return (rowCount ?? 0) > 0;
    });
  }
}
