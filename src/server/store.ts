/**
 * The storage boundary of the reference server. The HTTP handler speaks only this interface, so a PostgreSQL (or
 * any other) store can replace SQLite without touching request handling. Every method returns a promise even
 * though SQLite answers synchronously: a networked database cannot.
 * @module
 */
import type { CommentStatus } from '../schema.js';
import type { ModerationStore } from './moderation-store.js';

/**
 * The status of a stored comment: the public ones plus `spam`, which is kept (and can be restored) but never
 * appears in a page, a count or a total, and never makes an author trusted.
 */
export type StoredStatus = CommentStatus | 'spam';

/**
 * Why a comment was held: `moderation` (every comment is held), `first-time`, `links` (`--hold-links`),
 * `blocklist` (`--blocklist`), `blocked` (its email or network is blocked). Null when it was published directly.
 */
export type HeldReason = 'moderation' | 'first-time' | 'links' | 'blocklist' | 'blocked';

/**
 * A comment as stored: the public fields plus what only the server and an admin may see. Kept apart from the
 * public `Comment` type so that sending a stored record by mistake is a type error, not a leak.
 */
export interface StoredComment {
  id: string;
  thread: string;
  parentId: string | null;
  /** The top-level ancestor (its own id for a top-level comment): one query fetches a whole page of replies. */
  rootId: string;
  name: string;
  /** As the author typed it (trimmed). Matching uses the lower-cased form. */
  email: string;
  website: string | null;
  body: string;
  /** ISO 8601 with milliseconds and `Z`; sorts as text. */
  createdAt: string;
  status: StoredStatus;
  /** Why it was held when posted (kept after approval, for the audit of a decision), or null. */
  heldReason: HeldReason | null;
  /** At most a /24 (IPv4) or /48 (IPv6) network, never a full address; null when unknown. */
  ip: string | null;
  /** The client's `Idempotency-Key`, kept as long as the comment so a late retry is still recognised. */
  idempotencyKey: string | null;
  /**
   * SHA-256 (base64url) of the author token the posting browser holds, or null. The token itself is never stored:
   * it is what tells a reader's own double post apart and what `first-time` moderation trusts, instead of an email
   * that anyone could type.
   */
  authorHash: string | null;
}

/** What the handler hands to `create`: the store derives `rootId` from the parent inside its transaction. */
export type NewComment = Omit<StoredComment, 'rootId' | 'idempotencyKey' | 'heldReason'> & { heldReason?: HeldReason | null };

/**
 * Flood control, decided by the store inside the insert's transaction so that it holds across every process that
 * shares the database. Keys name only what the asker holds (its network, its author token), never an email, so
 * the answer never tells one person about another's activity.
 */
export interface FloodCheck {
  /** E.g. `ip:203.0.113.0/24`, `author:<hash>`. A post is refused while any key is within its window. */
  keys: readonly string[];
  /** One post per this many ms per key; 0 or less turns the check off. */
  windowMs: number;
  /** The request's clock, in ms since the epoch. */
  nowMs: number;
}

/** Replay protection and flood control for `create`. */
export interface CreateOptions {
  /** The `Idempotency-Key` header, if the client sent one. */
  idempotencyKey?: string | null;
  /** A digest of the validated request, to tell an honest retry from a reused key carrying another comment. */
  requestHash?: string | null;
  /** Checked after replay and conflicts, before the insert; a replay never counts as a post. */
  flood?: FloodCheck | null;
}

/**
 * The outcome of `create`. Conflicts are values, not exceptions, because the store checks them inside the same
 * transaction as the insert: two identical requests racing each other cannot both pass.
 */
export type CreateResult =
  | { kind: 'created'; comment: StoredComment }
  /** The idempotency key was already used for this very request: nothing new was stored. */
  | { kind: 'replayed'; comment: StoredComment }
  /** The idempotency key was already used for a different request. */
  | { kind: 'idempotency_mismatch' }
  /** Same thread, body and author hash already stored (a comment without an author hash is never a duplicate). */
  | { kind: 'duplicate' }
  /** A flood key posted within its window; `retryAfterMs` counts from `FloodCheck.nowMs`. Nothing was stored. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** The parent does not exist, is in another thread, or is not published. */
  | { kind: 'parent_not_found' };

/** A keyset position: the last top-level comment of the previous page. */
export interface ListPosition {
  createdAt: string;
  id: string;
}

/** One page request. `limit` counts top-level comments only. */
export interface ListQuery {
  thread: string;
  sort: 'oldest' | 'newest';
  limit: number;
  after?: ListPosition | null;
}

/** One page: published top-level comments in `sort` order, each followed by its published replies, oldest first. */
export interface ListResult {
  /** Every published comment of the thread, replies included. */
  total: number;
  comments: StoredComment[];
  /** Where the next page starts, or null when this page is the last. */
  next: ListPosition | null;
}

/** What an idempotency key was used for. */
export interface IdempotentRecord {
  comment: StoredComment;
  requestHash: string | null;
}

/**
 * One comment with everything a store keeps for it: what `exportAll` yields and `importRows` takes, so that a copy
 * between stores loses nothing (an idempotency key keeps recognising its request's late retry after the move).
 */
export interface StoredRow extends StoredComment {
  /** The digest of the request that used `idempotencyKey` (see `CreateOptions.requestHash`), or null. */
  requestHash: string | null;
}

/** A row that `importRows` refused: the target holds something else under that id (or under one of its keys). */
export interface RowConflict {
  /** The incoming row's id. */
  id: string;
  /** The first field that differs; for a key held by another comment, that key's field. */
  field: keyof StoredRow;
  /** What the target holds in that field. */
  existing: string | null;
  /** What the incoming row holds in that field. */
  incoming: string | null;
  /** Set when another comment of the target holds the incoming row's idempotency key or body (same author, thread). */
  otherId?: string;
}

/** What `importRows` did. */
export interface ImportResult {
  /** Rows written (0 whenever `conflictCount` is not). */
  inserted: number;
  /** Rows the target already held, every field equal: skipped, so that a copy can run again. */
  identical: number;
  /** Every refused row, counted. */
  conflictCount: number;
  /** The first refused rows (at most `ImportOptions.maxConflicts`), in the order they came. */
  conflicts: RowConflict[];
}

/** Options of `importRows`. */
export interface ImportOptions {
  /** How many conflicts to describe (default 10); all of them are counted. */
  maxConflicts?: number;
  /** Rows checked and written per round trip, where the store makes round trips (default 500). */
  batchSize?: number;
}

/**
 * Thrown by a store that cannot answer right now (SQLite: another process held the write lock past the timeout;
 * PostgreSQL: the server is down or restarting). The handler answers `503` with `Retry-After`, never `500`.
 */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    /** When a retry may succeed, in whole seconds. */
    readonly retryAfterSeconds = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Everything the handler needs from storage. Emails are matched case-insensitively by every method that takes one.
 *
 * Several server processes may share one database: nothing a store keeps in memory may change an answer. A store
 * may cache pages, but its cache is bounded in bytes and never serves a page older than the last write committed
 * by any process.
 */
export interface CommentStore {
  /**
   * Resolves once the store can serve (connected, migrations run); rejects with a sentence naming the database
   * (never a password) and what to do. Safe to call many times; `startServer` awaits it before listening.
   */
  ready(): Promise<void>;
  /** One page of a thread (see `ListResult`). */
  list(query: ListQuery): Promise<ListResult>;
  /** Published comments per thread; every asked thread appears, with 0 when it has none. */
  counts(threads: readonly string[]): Promise<Record<string, number>>;
  /** Stores a comment unless a conflict says otherwise; see `CreateResult`. */
  create(comment: NewComment, options?: CreateOptions): Promise<CreateResult>;
  /** A comment by id, whatever its status. */
  get(id: string): Promise<StoredComment | null>;
  /** The comment an idempotency key stored, if any. */
  findByIdempotencyKey(key: string): Promise<IdempotentRecord | null>;
  /** Comments awaiting moderation, oldest first. */
  pending(): Promise<StoredComment[]>;
  /** Publishes a comment; null when there is no such comment. */
  approve(id: string): Promise<StoredComment | null>;
  /**
   * Deletes one comment; its direct replies move up to its parent (or become top-level), so other people's words
   * survive. Returns false when there is no such comment.
   */
  delete(id: string): Promise<boolean>;
  /** Every comment stored with this email, oldest first, internal fields included (for a data-access request). */
  exportByEmail(email: string): Promise<StoredComment[]>;
  /** Deletes every comment stored with this email (replies by others move up, as in `delete`); returns how many. */
  eraseByEmail(email: string): Promise<number>;
  /**
   * True when a published comment carries both this author hash and this email: the `first-time` moderation test.
   * Knowing someone's email is not enough; the browser must also hold the token that posted their approved comment.
   */
  isTrustedAuthor(authorHash: string, email: string): Promise<boolean>;
  /** How many comments are stored, whatever their status (flood windows are not comments). */
  countAll(): Promise<number>;
  /**
   * Every comment with every stored field, parents before their replies (SQLite: the order rows were written;
   * PostgreSQL: oldest first, by `createdAt` then `id`, which misplaces a reply only when two servers' clocks
   * disagreed by more than the time between parent and reply), read from one snapshot in keyset-paged batches of
   * `batchSize` (default 500), so memory stays bounded whatever the database holds. Flood windows are left out: they expire within seconds. Stopping the iteration
   * early releases the snapshot.
   */
  exportAll(options?: { batchSize?: number }): AsyncIterable<StoredRow>;
  /**
   * Writes rows as they are, all or nothing, in one transaction: a row whose id the store holds with every field
   * equal is skipped (`identical`); a row whose id holds other data, or whose idempotency key or duplicate key
   * (thread, author hash, body) another comment holds, is a conflict, and any conflict rolls everything back
   * (`inserted: 0`). A reply may come before its parent: parent links are checked at commit. Derived columns
   * (normalised email, body hash, page versions) are computed as `create` computes them. Nothing else may use this
   * store object while it runs.
   */
  importRows(rows: AsyncIterable<StoredRow> | Iterable<StoredRow>, options?: ImportOptions): Promise<ImportResult>;
  /** The moderation side: admin listing, status changes, moderators, audit log, blocks (`ModerationStore`). */
  readonly moderation: ModerationStore;
  /** Releases the connection. Further calls fail. */
  close(): Promise<void>;
}

export type {
  AdminComment,
  AdminListQuery,
  AdminListResult,
  AuditEntry,
  AuditPage,
  Block,
  BlockKind,
  ModerationStore,
  Moderator,
  NewAuditEntry,
  NewBlock,
  StatusAction,
  StatusCounts,
} from './moderation-store.js';
