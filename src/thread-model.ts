/**
 * The data of one discussion as `<ink-comments>` shows it, as plain functions: pages merged in the server's order,
 * comments posted here shown at once where they belong, a comment awaiting moderation shown to its author only,
 * and the search for a permalinked comment. No DOM and no Lit here, so node tests call it directly
 * (`test/node/thread-model.test.ts`). A `Thread` is never changed in place: each function returns a new one, so
 * the element can tell by identity whether its list is up to date.
 * @module
 */
import { readComment, type Comment, type CommentPage } from './rules.js';

/** A comment awaiting moderation is shown to its author this long at most (30 days, in milliseconds). */
export const KEEP_PENDING_MS = 30 * 86_400_000;

/**
 * A published comment posted here is kept for its author this long at most (one day) until a page lists it: a CDN
 * may serve a page cached before the post (`--cache-seconds`), and the author must still see their comment. Past
 * that, a comment that is still not listed was removed by a moderator, and goes.
 */
export const KEEP_POSTED_MS = 86_400_000;

/** A permalink is looked for through this many loaded comments at most: one to a deleted comment must not load them all. */
export const PERMALINK_SEEK_LIMIT = 1000;

/** The order of top-level comments; replies are always oldest first. */
export type SortOrder = 'oldest' | 'newest';

/** One discussion as loaded so far. */
export interface Thread {
  /** The order the first page was asked for (another order is another `Thread`). */
  readonly sort: SortOrder;
  /** Comments from the server, in its order: each page's top-level comments, each followed by its replies. */
  readonly listed: readonly Comment[];
  /** Comments posted here (or kept as pending for their author) that the server has not listed yet. */
  readonly local: readonly Comment[];
  /** The comments shown under each parent id (null: top level), in the order they are shown. */
  readonly children: ReadonlyMap<string | null, readonly Comment[]>;
  /** Every comment shown, by id. */
  readonly byId: ReadonlyMap<string, Comment>;
  /** Published comments of the thread: the server's total plus those posted here since (0 before the first page). */
  readonly total: number;
  /** The cursor of the next page; null when there is none (or before the first page). */
  readonly nextCursor: string | null;
}

/**
 * Children by parent id and every comment by id, built once per change: the server's order, then the local
 * additions in place. A local top-level comment goes where the sort order puts it: first for newest, last for
 * oldest. A comment the server lists and that is also local (its id twice) is shown once, as the server has it.
 */
function index(sort: SortOrder, listed: readonly Comment[], local: readonly Comment[]) {
  const children = new Map<string | null, Comment[]>();
  const byId = new Map<string, Comment>();
  listed.concat(local).forEach((comment, i) => {
    if (byId.has(comment.id)) return;
    byId.set(comment.id, comment);
    let siblings = children.get(comment.parentId);
    if (!siblings) children.set(comment.parentId, (siblings = []));
    if (i >= listed.length && sort === 'newest' && !comment.parentId) siblings.unshift(comment);
    else siblings.push(comment);
  });
  return { children, byId };
}

const published = (comments: readonly Comment[]) => comments.filter((c) => c.status === 'published').length;

/** A thread before its first page: only the comments kept in this browser for their author, if any. */
export function createThread(sort: SortOrder, local: readonly Comment[] = []): Thread {
  return { sort, listed: [], local, ...index(sort, [], local), total: 0, nextCursor: null };
}

/** `comments` without those that `page` lists (a local comment the server now lists has done its job). */
export function withoutListed<T extends { id: string }>(comments: readonly T[], page: CommentPage): T[] {
  const ids = new Set(page.comments.map((c) => c.id));
  return comments.filter((c) => !ids.has(c.id));
}

/** The thread with the next page appended (or the first one). */
export function addPage(thread: Thread, page: CommentPage): Thread {
  const listed = thread.listed.concat(page.comments);
  const local = withoutListed(thread.local, page);
  return { sort: thread.sort, listed, local, ...index(thread.sort, listed, local), total: page.total + published(local), nextCursor: page.nextCursor };
}

/**
 * The thread with a comment posted here, shown at once where it belongs; undefined when it is already shown.
 * A published one counts in the total; one awaiting moderation does not.
 */
export function addPosted(thread: Thread, comment: Comment): Thread | undefined {
  if (thread.byId.has(comment.id)) return;
  const local = thread.local.concat(comment);
  return { ...thread, local, ...index(thread.sort, thread.listed, local), total: thread.total + (comment.status === 'published' ? 1 : 0) };
}

/**
 * The comments posted here and kept for their author until a page lists them, from what storage held. Stored
 * text is untrusted: whatever is not a Comment is dropped (and any field a Comment lacks).
 */
export function readKeptComments(stored: unknown): Comment[] {
  return ([] as unknown[])
    .concat(stored ?? [])
    .map(readComment)
    .filter((c): c is Comment => !!c);
}

/**
 * The kept comments still shown to their author at `now`: pending ones younger than `KEEP_PENDING_MS`, published
 * ones younger than `KEEP_POSTED_MS`.
 */
export function stillShownComments(kept: readonly Comment[], now: number): Comment[] {
  return kept.filter((c) => now - Date.parse(c.createdAt) < (c.status === 'pending' ? KEEP_PENDING_MS : KEEP_POSTED_MS));
}

/** The comment id a `#comment-ID` hash names (percent-decoded), or undefined for any other hash. */
export function permalinkId(hash: string): string | undefined {
  let fragment: string;
  try {
    fragment = decodeURIComponent(hash.slice(1));
  } catch {
    return;
  }
  return fragment.startsWith('comment-') ? fragment.slice('comment-'.length) : undefined;
}

/**
 * Whether to load the next page to look for a permalinked comment that is not shown: there is a next page, and
 * fewer than `PERMALINK_SEEK_LIMIT` comments have been loaded.
 */
export function shouldSeekPermalink(thread: Thread, id: string): boolean {
  return !thread.byId.has(id) && !!thread.nextCursor && thread.listed.length < PERMALINK_SEEK_LIMIT;
}

/** Top-level comments asked for per page: the `page-size` attribute as a whole number from 1 to 1,000 (50 if unset or 0). */
export function pageLimit(pageSize: number): number {
  return Math.min(Math.max(pageSize | 0 || 50, 1), 1000);
}
