/**
 * The moderation routes (SPEC section 6.2, MODERATION-API.md): who am I, the listing with search, filters and
 * keyset paging, approve, spam, restore, edit, delete, bulk, and the audit log. Every action is audited with the
 * caller's name.
 * @module
 */
import { BodySchema, ThreadSchema, fieldErrors, validationMessages } from '../../schema.js';
import { HttpError, queryError, send } from '../http.js';
import type { Actor, RouteHandler } from '../http.js';
import type { AdminComment, NewAuditEntry, StatusAction } from '../moderation-store.js';
import type { Settings } from '../options.js';
import type { CommentStore, ListPosition, StoredStatus } from '../store.js';
import { readAdminJson } from './admin.js';
import { LONE_SURROGATE } from './comments.js';

/** Most comments, and audit entries, one admin page holds. */
export const MAX_ADMIN_PAGE = 100;
/** Most ids one bulk request may name. */
export const MAX_BULK_IDS = 200;
/** How much of the replied-to comment the listing shows, in code points. */
const PARENT_EXCERPT = 200;

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const STATUSES = ['pending', 'published', 'spam', 'all'] as const;

/** `404` for a comment that is gone, most likely deleted by another moderator a moment ago. */
export const commentGone = (): HttpError => new HttpError(404, 'not_found', 'This comment no longer exists; someone may have deleted it.');

/** A comment as the dashboard shows it, from an allowlist: the author hash and idempotency key stay inside. */
export function toAdminView(comment: AdminComment) {
  return {
    id: comment.id,
    thread: comment.thread,
    parentId: comment.parentId,
    name: comment.name,
    website: comment.website,
    body: comment.body,
    createdAt: comment.createdAt,
    status: comment.status,
    email: comment.email,
    ip: comment.ip,
    heldReason: comment.heldReason,
    authorApproved: comment.authorApproved,
    parent: comment.parent && { id: comment.parent.id, name: comment.parent.name, body: [...comment.parent.body].slice(0, PARENT_EXCERPT).join('') },
  };
}

function encodeCursor(at: ListPosition): string {
  return Buffer.from(JSON.stringify(['a', at.createdAt, at.id])).toString('base64url');
}

function decodeCursor(cursor: string): ListPosition | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3 || value[0] !== 'a') return null;
    const [, createdAt, id] = value as unknown[];
    if (typeof createdAt !== 'string' || !ISO_MS.test(createdAt) || typeof id !== 'string' || id === '' || id.length > 100) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}

/** `limit` from 1 to `MAX_ADMIN_PAGE` (default 50), or a field error. */
function limitParam(query: URLSearchParams, fields: Record<string, string>): number {
  const text = query.get('limit') || '50';
  const limit = /^\d{1,9}$/.test(text) ? Number(text) : 0;
  if (limit < 1 || limit > MAX_ADMIN_PAGE) fields.limit = `The limit must be a whole number from 1 to ${MAX_ADMIN_PAGE}.`;
  return limit;
}

/** The handlers of the moderation routes, bound to one store and one set of settings. They run behind `adminGate`. */
export function moderationRoutes(
  store: CommentStore,
  settings: Settings,
): Record<'me' | 'list' | 'approve' | 'spam' | 'restore' | 'edit' | 'remove' | 'bulk' | 'audit', RouteHandler> {
  const moderation = store.moderation;
  const audit = (actor: Actor | undefined, action: NewAuditEntry['action'], commentId: string | null) =>
    moderation.appendAudit({ at: new Date(settings.now()).toISOString(), moderator: actor?.name ?? 'owner', action, commentId });

  const statusRoute =
    (action: StatusAction): RouteHandler =>
    async ({ res, params, actor }) => {
      const comment = await moderation.setStatus(params.id, action);
      if (!comment) throw commentGone();
      await audit(actor, action, comment.id);
      send(res, 200, { comment: toAdminView(comment) });
    };

  return {
    async me({ res, actor }) {
      send(res, 200, { name: actor?.name ?? 'owner', role: actor?.role ?? 'owner' });
    },

    async list({ res, query }) {
      const fields: Record<string, string> = {};
      const status = query.get('status') || 'pending';
      if (!(STATUSES as readonly string[]).includes(status)) fields.status = 'The status must be pending, published, spam or all.';
      const q = (query.get('q') ?? '').trim();
      if ([...q].length > 200) fields.q = 'The search may be at most 200 characters long.';
      const threadText = query.get('thread');
      const thread = threadText ? ThreadSchema.safeParse(threadText) : null;
      if (thread && !thread.success) fields.thread = validationMessages['thread.invalid'];
      const limit = limitParam(query, fields);
      const cursorText = query.get('cursor') || null;
      const before = cursorText === null ? null : decodeCursor(cursorText);
      if (cursorText !== null && before === null) fields.cursor = 'The page cursor is not valid; start again from the first page.';
      if (Object.keys(fields).length > 0) throw queryError(fields);
      const threadName = thread?.success ? thread.data : null;
      const [page, counts] = await Promise.all([
        moderation.list({ status: status as StoredStatus | 'all', q: q || null, thread: threadName, limit, before }),
        moderation.counts(threadName),
      ]);
      send(res, 200, { comments: page.comments.map(toAdminView), nextCursor: page.next ? encodeCursor(page.next) : null, counts });
    },

    approve: statusRoute('approve'),
    spam: statusRoute('spam'),
    restore: statusRoute('restore'),

    async edit({ req, res, params, actor }) {
      const raw = await readAdminJson(req, settings.maxBodyBytes);
      const parsed = BodySchema.safeParse(raw.body);
      const broken = typeof raw.body === 'string' && LONE_SURROGATE.test(raw.body);
      if (!parsed.success || broken) {
        const message = broken
          ? 'This text contains a broken character (a lone UTF-16 surrogate) that cannot be stored.'
          : (parsed.error && fieldErrors(parsed.error)._) ?? validationMessages['body.required'];
        throw new HttpError(422, 'validation', 'The comment needs attention before it can be saved.', { body: message });
      }
      const comment = await moderation.editBody(params.id, parsed.data);
      if (!comment) throw commentGone();
      await audit(actor, 'edit', comment.id);
      send(res, 200, { comment: toAdminView(comment) });
    },

    async remove({ res, params, actor }) {
      if (!(await store.delete(params.id))) throw commentGone();
      await audit(actor, 'delete', params.id);
      send(res, 200, { deleted: params.id });
    },

    async bulk({ req, res, actor }) {
      const raw = await readAdminJson(req, settings.maxBodyBytes);
      const fields: Record<string, string> = {};
      const action = raw.action;
      if (action !== 'approve' && action !== 'spam' && action !== 'delete') fields.action = 'The action must be approve, spam or delete.';
      const ids = raw.ids;
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_BULK_IDS || !ids.every((id) => typeof id === 'string' && id !== '' && id.length <= 100)) {
        fields.ids = `Name from 1 to ${MAX_BULK_IDS} comment ids, as a list of texts.`;
      }
      if (Object.keys(fields).length > 0) throw new HttpError(422, 'validation', 'The bulk request needs attention.', fields);
      const done: string[] = [];
      const missing: string[] = [];
      // One id at a time, each in its own transaction: whatever happens midway, the answer says which were done.
      for (const id of new Set(ids as string[])) {
        const ok = action === 'delete' ? await store.delete(id) : (await moderation.setStatus(id, action as StatusAction)) !== null;
        if (!ok) {
          missing.push(id);
          continue;
        }
        await audit(actor, action as NewAuditEntry['action'], id);
        done.push(id);
      }
      send(res, 200, { done, missing });
    },

    async audit({ res, query }) {
      const fields: Record<string, string> = {};
      const limit = limitParam(query, fields);
      const cursor = query.get('cursor') || null;
      if (cursor !== null && !/^\d{1,18}$/.test(cursor)) fields.cursor = 'The page cursor is not valid; start again from the first page.';
      if (Object.keys(fields).length > 0) throw queryError(fields);
      const page = await moderation.listAudit({ limit, after: cursor });
      send(res, 200, {
        entries: page.entries.map((entry) => ({ id: entry.id, at: entry.at, moderator: entry.moderator, action: entry.action, commentId: entry.commentId })),
        nextCursor: page.next,
      });
    },
  };
}
