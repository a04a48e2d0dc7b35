/**
 * The admin gate and the data-protection routes (pending list, export, erase). The moderation routes live in
 * `admin-comments.ts` and `admin-blocks.ts`. Enabled by the owner's token (`--admin-token`) or a moderator's.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { EmailSchema, fieldErrors, validationMessages } from '../../schema.js';
import { HttpError, isJsonContentType, notFound, queryError, readJsonObject, send } from '../http.js';
import type { Actor, RouteHandler } from '../http.js';
import type { CommentStore, StoredComment } from '../store.js';
import { toPublic } from './comments.js';

/** What the v1 admin routes show: the public fields plus the email and the truncated network, from an allowlist. */
function toAdmin(comment: StoredComment) {
  return {
    ...toPublic(comment),
    status: comment.status,
    email: comment.email,
    ip: comment.ip,
    heldReason: comment.heldReason,
    idempotencyKey: comment.idempotencyKey,
  };
}

/** The SHA-256 of a moderator token, as stored (base64url). */
export const moderatorTokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** `403 forbidden` for a moderator on an owner-only route. */
export const ownerOnly = (): HttpError => new HttpError(403, 'forbidden', 'Moderators cannot export or erase data; ask the site owner.');

/** The `email` query parameter, validated as a CommentInput email. */
function emailParam(query: URLSearchParams): string {
  const parsed = EmailSchema.safeParse(query.get('email') ?? undefined);
  if (!parsed.success) throw queryError({ email: fieldErrors(parsed.error)._ ?? validationMessages['email.invalid'] });
  return parsed.data;
}

/** The JSON object of an admin POST or PATCH; JSON only, so a cross-site form cannot send one without a preflight. */
export async function readAdminJson(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the request as JSON, with Content-Type: application/json.');
  }
  return readJsonObject(req, maxBytes);
}

/**
 * The gate in front of every path under `/admin`, whatever route it names. The owner's token is compared in
 * constant time; a moderator's is looked up by its SHA-256 in the database (so a removed moderator is refused at
 * once, by every process). Without an owner token, a caller that is not a moderator gets `404` (the admin API does
 * not exist for them); with one, `401`.
 */
export function adminGate(adminToken: string | null, store: CommentStore): (req: IncomingMessage) => Promise<Actor> {
  const expected = adminToken === null ? null : createHash('sha256').update(adminToken).digest();
  return async (req) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const token = match?.[1] ?? '';
    // Both sides hashed first, so the comparison takes the same time whatever the length of the guess.
    if (expected && match && timingSafeEqual(createHash('sha256').update(token).digest(), expected)) return { name: 'owner', role: 'owner' };
    const moderator = match ? await store.moderation.moderatorByTokenHash(moderatorTokenHash(token)) : null;
    if (moderator) return { name: moderator.name, role: 'moderator' };
    if (!expected) throw notFound();
    throw new HttpError(401, 'unauthorized', 'This needs a valid admin or moderator token; a removed moderator\'s token no longer works.', undefined, {
      'WWW-Authenticate': 'Bearer',
    });
  };
}

/** The v1 data routes, bound to one store. They run behind `adminGate`; export and erase are the owner's alone. */
export function adminRoutes(store: CommentStore): Record<'pending' | 'exportByEmail' | 'eraseByEmail', RouteHandler> {
  return {
    async pending({ res }) {
      send(res, 200, { comments: (await store.pending()).map(toAdmin) });
    },
    async exportByEmail({ res, query, actor }) {
      if (actor?.role !== 'owner') throw ownerOnly();
      const email = emailParam(query);
      send(res, 200, { email, comments: (await store.exportByEmail(email)).map(toAdmin) });
    },
    async eraseByEmail({ res, query, actor }) {
      if (actor?.role !== 'owner') throw ownerOnly();
      send(res, 200, { erased: await store.eraseByEmail(emailParam(query)) });
    },
  };
}
