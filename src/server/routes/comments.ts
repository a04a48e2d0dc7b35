/**
 * The public routes of protocol v1 (SPEC section 3): a page of a thread, counts, and posting a comment.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { CommentInputSchema, ThreadSchema, fieldErrors, validationMessages } from '../../schema.js';
import type { Comment, CommentStatus, ParsedCommentInput } from '../../schema.js';
import { entityTag, publicCacheControl, sendCacheable } from '../caching.js';
import { HttpError, isJsonContentType, queryError, readJsonObject, send } from '../http.js';
import type { RouteHandler } from '../http.js';
import { holdReason } from '../hold-rules.js';
import type { HoldRules } from '../hold-rules.js';
import { addressHex, clientIp, floodKeyForIp, truncateIp } from '../net.js';
import type { Settings } from '../options.js';
import type { CommentStore, ListPosition, StoredComment } from '../store.js';

/** Cap on `limit`: a page is bounded even when a client asks for more. */
export const MAX_PAGE_SIZE = 200;
/** Default `limit`. */
export const DEFAULT_PAGE_SIZE = 50;
/** Most threads one `counts` request may ask for. */
export const MAX_COUNT_THREADS = 100;

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** A UTF-16 surrogate without its pair: JSON can carry one, no database can store it. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * The public face of a stored comment, built field by field from an allowlist: a column added to the store later
 * stays private until someone adds it here on purpose.
 */
export function toPublic(comment: StoredComment): Comment {
  return {
    id: comment.id,
    thread: comment.thread,
    parentId: comment.parentId,
    name: comment.name,
    website: comment.website,
    body: comment.body,
    createdAt: comment.createdAt,
    // Spam is never listed; the one place it can come back is a retried post, whose author is told "held", as
    // a bot is: nothing tells a spammer what was decided.
    status: comment.status === 'spam' ? 'pending' : comment.status,
  };
}

const newId = (): string => `c_${randomBytes(12).toString('base64url')}`;
const digest = (text: string): string => createHash('sha256').update(text).digest('base64url');

function encodeCursor(sort: 'oldest' | 'newest', at: ListPosition): string {
  return Buffer.from(JSON.stringify([sort === 'newest' ? 'n' : 'o', at.createdAt, at.id])).toString('base64url');
}

function decodeCursor(sort: 'oldest' | 'newest', cursor: string): ListPosition | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [order, createdAt, id] = value as unknown[];
    if (order !== (sort === 'newest' ? 'n' : 'o')) return null;
    if (typeof createdAt !== 'string' || !ISO_MS.test(createdAt)) return null;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}

/** The handlers of the comment routes, bound to one store and one set of settings. */
export function commentRoutes(store: CommentStore, settings: Settings): Record<'list' | 'counts' | 'post', RouteHandler> {
  const { moderation, maxBodyBytes, trustProxy, floodSeconds, now } = settings;
  const rules: HoldRules = { moderation, holdLinks: settings.holdLinks, blocklist: settings.blocklist };
  const cacheControl = publicCacheControl(settings.cacheSeconds);
  // The JSON of a page and its ETag, kept as long as the store keeps that very page object (a WeakMap entry goes
  // with its key): a page served from the store's cache is serialised and hashed once.
  const pageJson = new WeakMap<object, { text: string; etag: string }>();

  const list: RouteHandler = async ({ req, res, query }) => {
    const fields: Record<string, string> = {};
    const thread = ThreadSchema.safeParse(query.get('thread') ?? undefined);
    if (!thread.success) fields.thread = validationMessages['thread.invalid'];
    const sortParam = query.get('sort') || 'oldest';
    if (sortParam !== 'oldest' && sortParam !== 'newest') fields.sort = 'The sort order must be oldest or newest.';
    const sort = sortParam === 'newest' ? 'newest' : 'oldest';
    const limitParam = query.get('limit') || String(DEFAULT_PAGE_SIZE);
    const limit = /^\d{1,9}$/.test(limitParam) ? Number(limitParam) : 0;
    if (limit < 1) fields.limit = `The limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`;
    const cursorParam = query.get('cursor') || null;
    const after = cursorParam === null ? null : decodeCursor(sort, cursorParam);
    if (cursorParam !== null && after === null) fields.cursor = 'The page cursor is not valid; start again from the first page.';
    if (!thread.success || Object.keys(fields).length > 0) throw queryError(fields);
    const page = await store.list({ thread: thread.data, sort, limit: Math.min(limit, MAX_PAGE_SIZE), after });
    // A store may hand back the same page object while nothing changed (SqliteStore does): its JSON is then reused.
    let answer = pageJson.get(page);
    if (!answer) {
      const text = JSON.stringify({
        thread: thread.data,
        total: page.total,
        comments: page.comments.map(toPublic),
        nextCursor: page.next ? encodeCursor(sort, page.next) : null,
      });
      answer = { text, etag: entityTag(text) };
      pageJson.set(page, answer);
    }
    sendCacheable(req, res, answer.text, answer.etag, cacheControl);
  };

  const counts: RouteHandler = async ({ req, res, query }) => {
    const asked = query.getAll('thread');
    if (asked.length === 0) throw queryError({ thread: 'Name at least one thread, like ?thread=post-1.' });
    if (asked.length > MAX_COUNT_THREADS) throw queryError({ thread: `Ask for at most ${MAX_COUNT_THREADS} threads at once.` });
    const threads: string[] = [];
    for (const asking of asked) {
      const parsed = ThreadSchema.safeParse(asking);
      if (!parsed.success) throw queryError({ thread: validationMessages['thread.invalid'] });
      if (!threads.includes(parsed.data)) threads.push(parsed.data);
    }
    // Counts are small and not cached by the stores: serialised and hashed on each request.
    const text = JSON.stringify({ counts: await store.counts(threads) });
    sendCacheable(req, res, text, entityTag(text), cacheControl);
  };

  const post: RouteHandler = async ({ req, res }) => {
    if (!isJsonContentType(req.headers['content-type'])) {
      throw new HttpError(415, 'unsupported_media_type', 'Send the comment as JSON, with Content-Type: application/json.');
    }
    const raw = await readJsonObject(req, maxBodyBytes);
    const broken: Record<string, string> = {};
    for (const [field, value] of Object.entries(raw)) {
      if (typeof value === 'string' && LONE_SURROGATE.test(value)) {
        broken[field] = 'This text contains a broken character (a lone UTF-16 surrogate) that cannot be stored.';
      }
    }
    const parsed = CommentInputSchema.safeParse(raw);
    if (!parsed.success || Object.keys(broken).length > 0) {
      const fields = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...broken };
      throw new HttpError(422, 'validation', 'Some fields need attention before this comment can be posted.', fields);
    }
    const input: ParsedCommentInput = parsed.data;

    const keyHeader = req.headers['idempotency-key'];
    const key = typeof keyHeader === 'string' && keyHeader !== '' ? keyHeader : null;
    if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
      throw new HttpError(400, 'invalid_idempotency_key', 'The Idempotency-Key header must be 1 to 200 visible ASCII characters.');
    }

    // The token the browser holds from an earlier comment, or a new one. Only its hash is stored.
    const carried = input.authorToken ?? null;
    const authorToken = carried ?? randomBytes(24).toString('base64url');
    const authorHash = digest(authorToken);
    const nowMs = now();
    const createdAt = new Date(nowMs).toISOString();

    // A bot filled the hidden field: answer as if the comment were held for moderation, and keep nothing.
    // A retry with the same key gets the same id, as a real comment would.
    if (input.hp !== undefined && input.hp.trim() !== '') {
      const fake: Comment = {
        id: key === null ? newId() : `c_${digest(`hp:${key}`).slice(0, 16)}`,
        thread: input.thread,
        parentId: input.parentId,
        name: input.name,
        website: input.website,
        body: input.body,
        createdAt,
        status: 'pending',
      };
      send(res, 201, { comment: fake, authorToken });
      return;
    }

    const requestHash = digest(JSON.stringify([input.thread, input.parentId, input.name, input.email.toLowerCase(), input.website, input.body]));
    const ip = clientIp(req, trustProxy);
    // Flood keys name only what the asker holds: its network and its author token (a new token is recorded too, so
    // the next post that carries it counts from this one). Never the email, which anyone can type: the answer must
    // not tell one person about another's activity.
    const floodKeys = [`ip:${floodKeyForIp(ip)}`, `author:${authorHash}`];
    // Blocks and trust are asked of the store (shared by every process); the rules are in hold-rules.ts.
    const heldReason = await holdReason(input, rules, {
      isBlocked: () => store.moderation.isBlocked(input.email, addressHex(ip)),
      // Trust needs the token that posted an approved comment, together with that comment's email.
      isTrusted: async () => carried !== null && (await store.isTrustedAuthor(authorHash, input.email)),
    });
    const status: CommentStatus = heldReason === null ? 'published' : 'pending';

    // One decision, in the store's transaction: idempotent replay, parent, duplicate, flood, insert. Two processes
    // racing on the same key or the same comment cannot both pass, and a retry is never told "duplicate".
    const result = await store.create(
      {
        id: newId(),
        thread: input.thread,
        parentId: input.parentId,
        name: input.name,
        email: input.email,
        website: input.website,
        body: input.body,
        createdAt,
        status,
        heldReason,
        ip: truncateIp(ip),
        authorHash,
      },
      { idempotencyKey: key, requestHash, flood: { keys: floodKeys, windowMs: floodSeconds * 1000, nowMs } },
    );
    switch (result.kind) {
      case 'created':
        send(res, 201, { comment: toPublic(result.comment), authorToken });
        return;
      case 'replayed':
        // The token this request carried (a retry sends the same input), else a new one: only the hash is stored.
        send(res, 201, { comment: toPublic(result.comment), authorToken }, { 'Idempotent-Replayed': 'true' });
        return;
      case 'idempotency_mismatch':
        throw new HttpError(422, 'idempotency_mismatch', 'This Idempotency-Key was already used for a different comment; send a new key with a new comment.');
      case 'duplicate':
        throw new HttpError(409, 'duplicate', 'You have already posted this comment here.');
      case 'rate_limited': {
        const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
        throw new HttpError(429, 'rate_limited', `You are posting too quickly. Please wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`, undefined, {
          'Retry-After': String(seconds),
        });
      }
      case 'parent_not_found':
        throw new HttpError(404, 'not_found', 'The comment you are replying to does not exist.', {
          parentId: 'The comment you are replying to was not found in this thread; it may have been deleted.',
        });
    }
  };

  return { list, counts, post };
}
