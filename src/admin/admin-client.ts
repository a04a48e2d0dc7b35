/**
 * The HTTP client of the moderation API (`{endpoint}/admin/…`, see SPEC §6.2): a Bearer token on every request, a
 * timeout, answers checked for their shape before use, and one error type that carries the server's own sentence.
 * It imports nothing of the reader's transport (`src/client.ts` pulls in the reader's storage module).
 * @module
 */

/** Statuses a moderator sees. */
export type AdminStatus = 'published' | 'pending' | 'spam';
/** What the queue lists: one status, or every one. */
export type StatusFilter = AdminStatus | 'all';
/** One-click actions on a comment. */
export type Action = 'approve' | 'spam' | 'delete';

/** A comment as the admin routes give it: the public fields plus what only a moderator sees. */
export interface AdminComment {
  id: string;
  thread: string;
  parentId: string | null;
  name: string;
  website: string | null;
  body: string;
  createdAt: string;
  status: AdminStatus;
  email: string;
  /** A truncated network, never the full address. */
  ip: string | null;
  /** Why it was held: `moderation`, `first-time`, `links`, `blocklist`, `blocked`; null when published directly. */
  heldReason: string | null;
  /** How many of this email's comments are published. */
  authorApproved: number;
  /** The comment it replies to, its body cut short. */
  parent: { id: string; name: string; body: string } | null;
}

/** Comments per status, for the whole site (or one thread). */
export interface StatusCounts {
  pending: number;
  published: number;
  spam: number;
}

/** One page of the queue. */
export interface AdminPage {
  comments: AdminComment[];
  nextCursor: string | null;
  counts: StatusCounts;
}

/** One line of the audit log. */
export interface AuditEntry {
  id: string;
  at: string;
  moderator: string;
  action: string;
  commentId: string | null;
}

/** A block of an email address or an IP network. */
export interface Block {
  id: string;
  kind: 'email' | 'ip';
  value: string;
  createdAt: string;
  createdBy: string;
}

/** `network` (no answer), `timeout`, `unauthorized` (401: wrong or revoked token), `gone` (404), `client`, `server`, `bad_response`. */
export type AdminErrorKind = 'network' | 'timeout' | 'unauthorized' | 'gone' | 'client' | 'server' | 'bad_response';

/** A failed admin request; `message` is the server's sentence when it sent one. */
export class AdminError extends Error {
  override name = 'AdminError';
  constructor(
    readonly kind: AdminErrorKind,
    message: string,
    readonly status?: number,
    readonly code: string = kind,
    /** Field errors of a 422, by field. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Milliseconds an admin request may take. */
export const ADMIN_TIMEOUT = 15_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringOrNull = (v: unknown) => v === null || isString(v);

/** An AdminComment, or undefined when the value does not have its shape. */
export function readAdminComment(v: unknown): AdminComment | undefined {
  if (!isObject(v)) return undefined;
  const { id, thread, name, body, createdAt, status, email, parentId, website, ip, heldReason, authorApproved, parent } = v;
  const ok =
    [id, thread, name, body, createdAt, email].every(isString) &&
    [parentId, website, ip, heldReason].every((f) => f === undefined || isStringOrNull(f)) &&
    (status === 'published' || status === 'pending' || status === 'spam');
  if (!ok) return undefined;
  const parentOk = isObject(parent) && isString(parent.id) && isString(parent.name) && isString(parent.body);
  return {
    ...(v as unknown as AdminComment),
    parentId: (parentId as string | null) ?? null,
    website: (website as string | null) ?? null,
    ip: (ip as string | null) ?? null,
    heldReason: (heldReason as string | null) ?? null,
    authorApproved: typeof authorApproved === 'number' ? authorApproved : 0,
    parent: parentOk ? { id: parent.id as string, name: parent.name as string, body: parent.body as string } : null,
  };
}

const readCounts = (v: unknown): StatusCounts => {
  const c = isObject(v) ? v : {};
  const n = (x: unknown) => (typeof x === 'number' && x >= 0 ? x : 0);
  return { pending: n(c.pending), published: n(c.published), spam: n(c.spam) };
};

const readPage = (v: unknown): AdminPage | undefined => {
  if (!isObject(v) || !Array.isArray(v.comments)) return undefined;
  const comments = v.comments.map(readAdminComment);
  if (comments.some((c) => !c)) return undefined;
  return { comments: comments as AdminComment[], nextCursor: isString(v.nextCursor) ? v.nextCursor : null, counts: readCounts(v.counts) };
};

const readCommentAnswer = (v: unknown) => (isObject(v) ? readAdminComment(v.comment) : undefined);
const readStringList = (v: unknown) => (Array.isArray(v) && v.every(isString) ? v : undefined);

/** A client bound to one endpoint and token. */
export class AdminClient {
  constructor(
    /** The comments endpoint (`basePath`), absolute or relative to the page. */
    readonly endpoint: string,
    readonly token: string,
    readonly timeout = ADMIN_TIMEOUT,
  ) {}

  /** The URL of an admin route with its query (empty values left out). */
  url(path: string, query: Record<string, string | number | null | undefined> = {}): string {
    const url = new URL(this.endpoint, globalThis.location?.href);
    url.pathname = url.pathname.replace(/\/$/, '') + '/admin' + path;
    for (const [name, value] of Object.entries(query)) if (value !== '' && value != null) url.searchParams.set(name, String(value));
    return url.href;
  }

  /** Sends a request and reads its JSON answer with `read`; every failure becomes an AdminError. */
  async request<T>(method: string, path: string, read: (v: unknown) => T | undefined, body?: unknown, query?: Record<string, string | number | null | undefined>): Promise<T> {
    const url = this.url(path, query);
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.timeout), cache: 'no-store' });
    } catch (error) {
      throw (error as Error)?.name === 'TimeoutError'
        ? new AdminError('timeout', `No answer from ${url} within ${Math.round(this.timeout / 1000)} seconds.`)
        : new AdminError('network', `Could not reach ${url}.`);
    }
    let data: unknown;
    try {
      data = JSON.parse(await response.text());
    } catch {
      // Not JSON (a proxy's error page): told by the status below.
    }
    if (response.ok) {
      const result = read(data);
      if (result === undefined) throw new AdminError('bad_response', `The answer from ${url} is not in the expected shape.`, response.status);
      return result;
    }
    const error = isObject(data) && isObject(data.error) ? data.error : {};
    const fields = isObject(error.fields) && Object.values(error.fields).every(isString) ? (error.fields as Record<string, string>) : undefined;
    const { status } = response;
    const kind: AdminErrorKind = status === 401 ? 'unauthorized' : status === 404 ? 'gone' : status >= 500 ? 'server' : 'client';
    throw new AdminError(kind, isString(error.message) ? error.message : `The server answered ${status}.`, status, isString(error.code) ? error.code : kind, fields);
  }

  /** `GET /admin/me`: who this token belongs to (checks it at sign-in). */
  me() {
    return this.request('GET', '/me', (v) =>
      isObject(v) && isString(v.name) && (v.role === 'owner' || v.role === 'moderator') ? { name: v.name, role: v.role === 'owner' ? ('owner' as const) : ('moderator' as const) } : undefined,
    );
  }

  /** `GET /admin/comments`: one page of the queue, newest first. */
  list(query: { status: StatusFilter; q?: string; thread?: string; cursor?: string | null; limit?: number }) {
    return this.request('GET', '/comments', readPage, undefined, query);
  }

  /** Approve or mark as spam: the comment as it is now. */
  act(id: string, action: 'approve' | 'spam' | 'restore') {
    return this.request('POST', `/comments/${encodeURIComponent(id)}/${action}`, readCommentAnswer);
  }

  /** `PATCH /admin/comments/:id` with a new body. */
  edit(id: string, body: string) {
    return this.request('PATCH', `/comments/${encodeURIComponent(id)}`, readCommentAnswer, { body });
  }

  /** `DELETE /admin/comments/:id`. */
  remove(id: string) {
    return this.request('DELETE', `/comments/${encodeURIComponent(id)}`, (v) => (isObject(v) && isString(v.deleted) ? v.deleted : undefined));
  }

  /** `POST /admin/bulk`: which ids were changed and which no longer exist. */
  bulk(action: Action, ids: string[]) {
    return this.request('POST', '/bulk', (v) => {
      const done = isObject(v) ? readStringList(v.done) : undefined;
      return done && { done, missing: (isObject(v) && readStringList(v.missing)) || [] };
    }, { action, ids });
  }

  /** `GET /admin/audit`: the moderation log, newest first. */
  audit(cursor?: string | null) {
    return this.request('GET', '/audit', (v) => {
      if (!isObject(v) || !Array.isArray(v.entries)) return undefined;
      const entries = v.entries.filter((e): e is AuditEntry => isObject(e) && isString(e.at) && isString(e.moderator) && isString(e.action));
      return { entries, nextCursor: isString(v.nextCursor) ? v.nextCursor : null };
    }, undefined, { cursor });
  }

  /** `GET /admin/blocks`. */
  blocks() {
    return this.request('GET', '/blocks', (v) =>
      isObject(v) && Array.isArray(v.blocks) ? v.blocks.filter((b): b is Block => isObject(b) && isString(b.id) && isString(b.value) && (b.kind === 'email' || b.kind === 'ip')) : undefined,
    );
  }

  /** `POST /admin/blocks`: the new block. */
  addBlock(kind: Block['kind'], value: string) {
    return this.request('POST', '/blocks', (v) => (isObject(v) && isObject(v.block) && isString(v.block.id) ? (v.block as unknown as Block) : undefined), { kind, value });
  }

  /** `DELETE /admin/blocks/:id`. */
  removeBlock(id: string) {
    return this.request('DELETE', `/blocks/${encodeURIComponent(id)}`, (v) => (isObject(v) ? true : undefined));
  }
}
