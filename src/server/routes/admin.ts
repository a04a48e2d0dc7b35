/**
 * The admin routes: moderation, deletion, and a person's data (export, erase). Enabled by an admin token; every
 * route then needs `Authorization: Bearer <token>`.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { EmailSchema, fieldErrors, validationMessages } from '../../schema.js';
import { HttpError, notFound, queryError, send } from '../http.js';
import type { RouteHandler } from '../http.js';
import type { CommentStore, StoredComment } from '../store.js';
import { toPublic } from './comments.js';

/** What an admin sees: the public fields plus the email and the truncated network, also from an allowlist. */
function toAdmin(comment: StoredComment) {
  return { ...toPublic(comment), email: comment.email, ip: comment.ip, idempotencyKey: comment.idempotencyKey };
}

const noSuchComment = () => new HttpError(404, 'not_found', 'There is no comment with this id.');

/** The `email` query parameter, validated as a CommentInput email. */
function emailParam(query: URLSearchParams): string {
  const parsed = EmailSchema.safeParse(query.get('email') ?? undefined);
  if (!parsed.success) throw queryError({ email: fieldErrors(parsed.error)._ ?? validationMessages['email.invalid'] });
  return parsed.data;
}

/**
 * The gate in front of every path under `/admin`, whatever route it names: `404` while no admin token is
 * configured (the admin API does not exist then), `401` without the right bearer token.
 */
export function adminGate(adminToken: string | null): (req: IncomingMessage) => void {
  const expected = adminToken === null ? null : createHash('sha256').update(adminToken).digest();
  return (req) => {
    if (!expected) throw notFound();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    // Both sides hashed first, so the comparison takes the same time whatever the length of the guess.
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    if (!match || !timingSafeEqual(given, expected)) {
      throw new HttpError(401, 'unauthorized', 'This needs a valid admin token.', undefined, { 'WWW-Authenticate': 'Bearer' });
    }
  };
}

/** The handlers of the admin routes, bound to one store. They run behind `adminGate`. */
export function adminRoutes(store: CommentStore): Record<'pending' | 'exportByEmail' | 'eraseByEmail' | 'approve' | 'remove', RouteHandler> {
  return {
    async pending({ res }) {
      send(res, 200, { comments: (await store.pending()).map(toAdmin) });
    },
    async exportByEmail({ res, query }) {
      const email = emailParam(query);
      send(res, 200, { email, comments: (await store.exportByEmail(email)).map(toAdmin) });
    },
    async eraseByEmail({ res, query }) {
      send(res, 200, { erased: await store.eraseByEmail(emailParam(query)) });
    },
    async approve({ res, params }) {
      const comment = await store.approve(params.id);
      if (!comment) throw noSuchComment();
      send(res, 200, { comment: toAdmin(comment) });
    },
    async remove({ res, params }) {
      if (!(await store.delete(params.id))) throw noSuchComment();
      send(res, 200, { deleted: params.id });
    },
  };
}
