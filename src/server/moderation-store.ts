/**
 * The moderation half of the store contract (issue 16, SPEC section 6.2): what the admin routes read and change.
 * Every answer is decided by the database, never by memory, since several server processes may share it.
 * @module
 */
import type { ListPosition, StoredComment, StoredStatus } from './store.js';

/** A stored comment as a moderator sees it: with the author's approved count and the comment it replies to. */
export interface AdminComment extends StoredComment {
  /** Published comments stored with this comment's email (case-insensitive), this one included if published. */
  authorApproved: number;
  /** The comment this one replies to (its full body; the route shortens it), or null for a top-level one. */
  parent: { id: string; name: string; body: string } | null;
}

/** One page of the admin listing, newest first. */
export interface AdminListQuery {
  status: StoredStatus | 'all';
  /** Case-insensitive substring of the body, the name or the email; empty or null: no search. */
  q?: string | null;
  /** Exactly this thread, or every thread. */
  thread?: string | null;
  limit: number;
  /** The last comment of the previous page. */
  before?: ListPosition | null;
}

/** A page of the admin listing. */
export interface AdminListResult {
  comments: AdminComment[];
  /** Where the next page starts, or null when this page is the last. */
  next: ListPosition | null;
}

/** Comments per status, for the whole site or one thread. */
export interface StatusCounts {
  pending: number;
  published: number;
  spam: number;
}

/** `approve` publishes (from pending or spam), `spam` marks as spam, `restore` moves spam back to pending. */
export type StatusAction = 'approve' | 'spam' | 'restore';

/** A moderator, as listed: never the token or its hash. */
export interface Moderator {
  name: string;
  createdAt: string;
}

/** What one moderation action records. */
export interface NewAuditEntry {
  at: string;
  /** The moderator's name, or `owner` for the owner token. */
  moderator: string;
  action: 'approve' | 'spam' | 'restore' | 'edit' | 'delete' | 'block' | 'unblock';
  /** Null for block and unblock. */
  commentId: string | null;
}

/** A recorded action; `id` grows with every entry. */
export interface AuditEntry extends NewAuditEntry {
  id: string;
}

/** A page of the audit log, newest first. */
export interface AuditPage {
  entries: AuditEntry[];
  /** The id after which the next page starts, or null. */
  next: string | null;
}

export type BlockKind = 'email' | 'ip';

/** A block as created by the route: `value` already normalised (email lower-cased, network canonical). */
export interface NewBlock {
  id: string;
  kind: BlockKind;
  value: string;
  createdAt: string;
  createdBy: string;
  /**
   * For `ip`: the first and last address of the network, each as 32 lower-case hex digits (IPv4 as its
   * IPv4-mapped IPv6 form), so that text comparison in any database decides whether an address is inside.
   */
  rangeStart: string | null;
  rangeEnd: string | null;
}

/** A block as listed. */
export interface Block {
  id: string;
  kind: BlockKind;
  value: string;
  createdAt: string;
  createdBy: string;
}

/** See `CommentStore.moderation`. Emails are matched case-insensitively. */
export interface ModerationStore {
  /** Newest first (createdAt, then id, descending), filtered by status, search and thread. */
  list(query: AdminListQuery): Promise<AdminListResult>;
  /** Comments per status for the site, or for one thread; search and status filter do not apply. */
  counts(thread?: string | null): Promise<StatusCounts>;
  /** One comment as a moderator sees it, or null. */
  get(id: string): Promise<AdminComment | null>;
  /** Applies a status action; null when there is no such comment. `restore` changes only a spam comment. */
  setStatus(id: string, action: StatusAction): Promise<AdminComment | null>;
  /** Replaces the body (already validated); null when there is no such comment. */
  editBody(id: string, body: string): Promise<AdminComment | null>;
  /** Adds a moderator; false when the name is taken. Only the token's SHA-256 is stored. */
  addModerator(name: string, tokenHash: string, createdAt: string): Promise<boolean>;
  /** Every moderator, by name. */
  listModerators(): Promise<Moderator[]>;
  /** Removes a moderator (their token stops working at once); false when there is none by that name. */
  removeModerator(name: string): Promise<boolean>;
  /** The moderator whose token hashes to this, or null. */
  moderatorByTokenHash(tokenHash: string): Promise<Moderator | null>;
  /** Records one action. */
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** The audit log, newest first, `limit` entries after the cursor. */
  listAudit(options: { limit: number; after?: string | null }): Promise<AuditPage>;
  /** Adds a block; returns the existing block instead when the same kind and value is already blocked. */
  addBlock(block: NewBlock): Promise<Block>;
  /** Every block, newest first. */
  listBlocks(): Promise<Block[]>;
  /** Removes a block; false when there is no such block. */
  removeBlock(id: string): Promise<boolean>;
  /**
   * True when the email, or the address (32 hex digits, see `NewBlock.rangeStart`; null when unknown), is blocked.
   */
  isBlocked(email: string, addressHex: string | null): Promise<boolean>;
}
