/**
 * The moderation side of the SQLite store (`ModerationStore`): its SQL and its statements, prepared on first use.
 * Status changes and edits go through the store's write path, so they empty its page cache like any write.
 * @module
 */
import type Database from 'better-sqlite3';
import type {
  AdminComment,
  AdminListQuery,
  AdminListResult,
  AuditPage,
  Block,
  ModerationStore,
  Moderator,
  NewAuditEntry,
  NewBlock,
  StatusAction,
  StatusCounts,
} from './moderation-store.js';
import { normEmail } from './sqlite-queries.js';

/** The store's runner: reads retried while busy; writes in an IMMEDIATE transaction, emptying the page cache when `changed`. */
export type SqliteRunner = <T>(work: () => T, write?: { changed(result: T): boolean }) => Promise<T>;

/** The columns of an `AdminComment`, with its parent's summary and the author's approved count, flat. */
const ADMIN_SELECT = `SELECT c.id, c.thread, c.parent_id AS parentId, c.root_id AS rootId, c.name, c.email, c.website,
    c.body, c.created_at AS createdAt, c.status, c.held_reason AS heldReason, c.ip,
    c.idempotency_key AS idempotencyKey, c.author_hash AS authorHash,
    (SELECT count(*) FROM comments a WHERE a.email_norm = c.email_norm AND a.status = 'published') AS authorApproved,
    p.name AS parentName, p.body AS parentBody
  FROM comments c LEFT JOIN comments p ON p.id = c.parent_id`;

type AdminRow = Omit<AdminComment, 'parent'> & { parentName: string | null; parentBody: string | null };

/** The flat row as an `AdminComment`. */
export function toAdminComment(row: AdminRow): AdminComment {
  const { parentName, parentBody, ...comment } = row;
  return {
    ...comment,
    parent: comment.parentId !== null && parentName !== null ? { id: comment.parentId, name: parentName, body: parentBody ?? '' } : null,
  };
}

const STATUS_UPDATE: Record<StatusAction, string> = {
  approve: `UPDATE comments SET status = 'published' WHERE id = ?`,
  spam: `UPDATE comments SET status = 'spam' WHERE id = ?`,
  restore: `UPDATE comments SET status = 'pending' WHERE id = ? AND status = 'spam'`,
};

/** `ModerationStore` on the SQLite store's connection. */
export class SqliteModeration implements ModerationStore {
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly run: SqliteRunner,
  ) {}

  /** A statement, prepared once per SQL text (the listing has a few shapes, by its filters). */
  private statement<Params extends unknown[] | object = unknown[], Row = unknown>(sql: string): Database.Statement<Params, Row> {
    let statement = this.prepared.get(sql);
    if (!statement) {
      if (this.prepared.size === 0) {
        // Case folding beyond ASCII: SQLite's lower() and LIKE fold only A–Z.
        this.db.function('inkwell_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : text));
      }
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement as Database.Statement<Params, Row>;
  }

  private readOne(id: string): AdminComment | null {
    const row = this.statement<[string], AdminRow>(`${ADMIN_SELECT} WHERE c.id = ?`).get(id);
    return row ? toAdminComment(row) : null;
  }

  /** @inheritdoc */
  list(query: AdminListQuery): Promise<AdminListResult> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: Math.max(1, Math.floor(query.limit)) + 1 };
    if (query.status !== 'all') {
      where.push('c.status = @status');
      params.status = query.status;
    }
    if (query.thread) {
      where.push('c.thread = @thread');
      params.thread = query.thread;
    }
    if (query.q) {
      // instr, not LIKE: `%` and `_` in a search are plain characters.
      where.push('(instr(inkwell_fold(c.body), @q) > 0 OR instr(inkwell_fold(c.name), @q) > 0 OR instr(c.email_norm, @q) > 0)');
      params.q = query.q.toLowerCase();
    }
    if (query.before) {
      where.push('(c.created_at, c.id) < (@at, @id)');
      params.at = query.before.createdAt;
      params.id = query.before.id;
    }
    const sql = `${ADMIN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.created_at DESC, c.id DESC LIMIT @limit`;
    return this.run(() => {
      const rows = this.statement<[Record<string, unknown>], AdminRow>(sql).all(params).map(toAdminComment);
      const more = rows.length > query.limit;
      if (more) rows.length = Math.max(1, Math.floor(query.limit));
      const last = rows.at(-1);
      return { comments: rows, next: more && last ? { createdAt: last.createdAt, id: last.id } : null };
    });
  }

  /** @inheritdoc */
  counts(thread: string | null = null): Promise<StatusCounts> {
    return this.run(() => {
      const rows =
        thread === null
          ? this.statement<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM comments GROUP BY status').all()
          : this.statement<[string], { status: string; n: number }>('SELECT status, count(*) AS n FROM comments WHERE thread = ? GROUP BY status').all(thread);
      const counts: StatusCounts = { pending: 0, published: 0, spam: 0 };
      for (const row of rows) if (row.status in counts) counts[row.status as keyof StatusCounts] = row.n;
      return counts;
    });
  }

  /** @inheritdoc */
  get(id: string): Promise<AdminComment | null> {
    return this.run(() => this.readOne(id));
  }

  /** @inheritdoc */
  setStatus(id: string, action: StatusAction): Promise<AdminComment | null> {
    return this.run(
      () => {
        this.statement<[string]>(STATUS_UPDATE[action]).run(id);
        return this.readOne(id);
      },
      { changed: (result) => result !== null },
    );
  }

  /** @inheritdoc */
  editBody(id: string, body: string): Promise<AdminComment | null> {
    return this.run(
      () => {
        // The body hash stays the hash of what the author sent: their retry of it is still a duplicate.
        this.statement<[string, string]>('UPDATE comments SET body = ? WHERE id = ?').run(body, id);
        return this.readOne(id);
      },
      { changed: (result) => result !== null },
    );
  }

  /** @inheritdoc */
  addModerator(name: string, tokenHash: string, createdAt: string): Promise<boolean> {
    return this.run(
      () => this.statement<[string, string, string]>('INSERT INTO moderators (name, token_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(name, tokenHash, createdAt).changes > 0,
      { changed: () => false },
    );
  }

  /** @inheritdoc */
  listModerators(): Promise<Moderator[]> {
    return this.run(() => this.statement<[], Moderator>('SELECT name, created_at AS createdAt FROM moderators ORDER BY name').all());
  }

  /** @inheritdoc */
  removeModerator(name: string): Promise<boolean> {
    return this.run(() => this.statement<[string]>('DELETE FROM moderators WHERE name = ?').run(name).changes > 0, { changed: () => false });
  }

  /** @inheritdoc */
  moderatorByTokenHash(tokenHash: string): Promise<Moderator | null> {
    return this.run(() => this.statement<[string], Moderator>('SELECT name, created_at AS createdAt FROM moderators WHERE token_hash = ?').get(tokenHash) ?? null);
  }

  /** @inheritdoc */
  async appendAudit(entry: NewAuditEntry): Promise<void> {
    await this.run(
      () => this.statement<[string, string, string, string | null]>('INSERT INTO audit (at, moderator, action, comment_id) VALUES (?, ?, ?, ?)').run(entry.at, entry.moderator, entry.action, entry.commentId),
      { changed: () => false },
    );
  }

  /** @inheritdoc */
  listAudit(options: { limit: number; after?: string | null }): Promise<AuditPage> {
    const limit = Math.max(1, Math.floor(options.limit));
    const after = options.after && /^\d{1,18}$/.test(options.after) ? Number(options.after) : Number.MAX_SAFE_INTEGER;
    return this.run(() => {
      const entries = this.statement<[number, number], AuditPage['entries'][number]>(
        `SELECT CAST(id AS TEXT) AS id, at, moderator, action, comment_id AS commentId FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?`,
      ).all(after, limit + 1);
      const more = entries.length > limit;
      if (more) entries.length = limit;
      return { entries, next: more ? entries.at(-1)!.id : null };
    });
  }

  /** @inheritdoc */
  addBlock(block: NewBlock): Promise<Block> {
    return this.run(
      () => {
        this.statement<[Record<string, unknown>]>(
          `INSERT INTO blocks (id, kind, value, range_start, range_end, created_at, created_by)
           VALUES (@id, @kind, @value, @rangeStart, @rangeEnd, @createdAt, @createdBy) ON CONFLICT DO NOTHING`,
        ).run({ ...block });
        return this.statement<[string, string], Block>(
          'SELECT id, kind, value, created_at AS createdAt, created_by AS createdBy FROM blocks WHERE kind = ? AND value = ?',
        ).get(block.kind, block.value)!;
      },
      { changed: () => false },
    );
  }

  /** @inheritdoc */
  listBlocks(): Promise<Block[]> {
    return this.run(() =>
      this.statement<[], Block>('SELECT id, kind, value, created_at AS createdAt, created_by AS createdBy FROM blocks ORDER BY created_at DESC, id DESC').all(),
    );
  }

  /** @inheritdoc */
  removeBlock(id: string): Promise<boolean> {
    return this.run(() => this.statement<[string]>('DELETE FROM blocks WHERE id = ?').run(id).changes > 0, { changed: () => false });
  }

  /** @inheritdoc */
  isBlocked(email: string, addressHex: string | null): Promise<boolean> {
    return this.run(
      () =>
        this.statement<[{ email: string; address: string | null }], { one: number }>(
          `SELECT 1 AS one FROM blocks
           WHERE (kind = 'email' AND value = @email)
              OR (kind = 'ip' AND @address IS NOT NULL AND range_start <= @address AND range_end >= @address)
           LIMIT 1`,
        ).get({ email: normEmail(email), address: addressHex }) !== undefined,
    );
  }
}
