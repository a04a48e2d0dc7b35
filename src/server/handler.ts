/**
 * The comments API as one Node request handler: protocol v1 (SPEC section 3) plus the admin routes. It owns only
 * the paths under `basePath`, so it mounts as-is under `node:http`, Express or Connect.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CommentInputSchema, EmailSchema, ThreadSchema, fieldErrors, validationMessages } from '../schema.js';
import type { Comment, CommentStatus, ParsedCommentInput } from '../schema.js';
import { FloodGuard, clientIp, floodKeyForIp, truncateIp } from './net.js';
import { SqliteStore } from './sqlite-store.js';
import type { CommentStore, ListPosition, StoredComment } from './store.js';

/** Who must approve a comment before readers see it. */
export type Moderation = 'none' | 'all' | 'first-time';

/** Options of `createHandler`. Every one has a default that suits a single-site deployment. */
export interface HandlerOptions {
  /** Where comments live. Default: a `SqliteStore` on `db`. A store passed in is not closed by `close()`. */
  store?: CommentStore;
  /** The SQLite file used when no `store` is given (default `./comments.db`; `:memory:` keeps nothing). */
  db?: string;
  /** The public path of the API (default `/api/comments`); `''` or `/` serves it at the root. */
  basePath?: string;
  /** Origins allowed to call the API from other sites, e.g. `https://blog.example` (`*` allows any). */
  origins?: readonly string[];
  /** Default `none`. */
  moderation?: Moderation;
  /** Enables the admin routes, which then need `Authorization: Bearer <token>`. Without it they answer 404. */
  adminToken?: string;
  /** One comment per this many seconds per client and per email (default 15; 0 turns it off). */
  floodSeconds?: number;
  /** Largest accepted request body (default 100,000 bytes). */
  maxBodyBytes?: number;
  /** Believe `X-Forwarded-For` (right-most entry) and `X-Forwarded-Host`: set only behind your own proxy. */
  trustProxy?: boolean;
  /** The clock, in ms since the epoch (tests move it). */
  now?: () => number;
}

/** A Node request handler that also fits Express and Connect (it calls `next()` for paths outside `basePath`). */
export interface InkwellHandler {
  (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /** The store in use, for seeding, backups or a custom admin tool. */
  readonly store: CommentStore;
  /** Closes the store if the handler opened it. */
  close(): Promise<void>;
}

/** Cap on `limit`: a page is bounded even when a client asks for more. */
export const MAX_PAGE_SIZE = 200;
/** Default `limit`. */
export const DEFAULT_PAGE_SIZE = 50;
/** Most threads one `counts` request may ask for. */
export const MAX_COUNT_THREADS = 100;

const JSON_TYPE = 'application/json; charset=utf-8';
const CORS_METHODS = 'GET, POST, DELETE, OPTIONS';
const CORS_HEADERS = 'Content-Type, Idempotency-Key, Authorization';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** A refusal with its HTTP status, error code and human sentence; anything else thrown is a 500. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The client hung up before its request was read. */
class ClientGone extends Error {}

/**
 * The public face of a stored comment, built field by field from an allowlist: a column added to the store later
 * stays private until someone adds it here on purpose.
 */
export function toPublic(c: StoredComment): Comment {
  return {
    id: c.id,
    thread: c.thread,
    parentId: c.parentId,
    name: c.name,
    website: c.website,
    body: c.body,
    createdAt: c.createdAt,
    status: c.status,
  };
}

/** What an admin sees: the public fields plus the email and the truncated network, also from an allowlist. */
function toAdmin(c: StoredComment) {
  return { ...toPublic(c), email: c.email, ip: c.ip, idempotencyKey: c.idempotencyKey };
}

const newId = (): string => `c_${randomBytes(12).toString('base64url')}`;
const digest = (s: string): string => createHash('sha256').update(s).digest('base64url');

function encodeCursor(sort: 'oldest' | 'newest', at: ListPosition): string {
  return Buffer.from(JSON.stringify([sort === 'newest' ? 'n' : 'o', at.createdAt, at.id])).toString('base64url');
}

function decodeCursor(sort: 'oldest' | 'newest', cursor: string): ListPosition | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 3) return null;
    const [s, createdAt, id] = v as unknown[];
    if (s !== (sort === 'newest' ? 'n' : 'o')) return null;
    if (typeof createdAt !== 'string' || !ISO_MS.test(createdAt)) return null;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}

/** `basePath` as the handler matches it: a leading slash, no trailing one, `''` for the root. */
export function normalizeBasePath(p: string | undefined): string {
  const s = (p ?? '/api/comments').trim();
  if (s === '' || s === '/') return '';
  return `/${s.replace(/^\/+|\/+$/g, '')}`;
}

function normalizeOrigin(o: string): string {
  if (o === '*') return o;
  let url: URL;
  try {
    url = new URL(o);
  } catch {
    throw new Error(`Invalid origin "${o}": write it as scheme and host, like https://blog.example.`);
  }
  if (url.origin === 'null') throw new Error(`Invalid origin "${o}": write it as scheme and host, like https://blog.example.`);
  return url.origin;
}

/** An Origin header as `normalizeOrigin` writes the allowed list; anything unparsable matches nothing. */
function canonicalOrigin(header: string): string {
  try {
    return new URL(header).origin;
  } catch {
    return '';
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, JSON.stringify(body), headers);
}

/** Sends JSON text already serialised. */
function sendJson(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function sendError(res: ServerResponse, err: HttpError): void {
  const error: { code: string; message: string; fields?: Record<string, string> } = { code: err.code, message: err.message };
  if (err.fields) error.fields = err.fields;
  send(res, err.status, { error }, err.headers);
}

/**
 * Reads a request body into memory, refusing with 413 the moment it passes `max` bytes: the rest is never
 * buffered, and the connection is closed after the answer so the sender stops.
 */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  const tooLarge = () => new HttpError(413, 'too_large', `The request is too large: at most ${max.toLocaleString('en')} bytes.`, undefined, { Connection: 'close' });
  if (Number.isFinite(declared) && declared > max) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        cleanup();
        chunks.length = 0;
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      reject(new ClientGone());
    };
    const onClose = () => {
      cleanup();
      reject(new ClientGone());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** The JSON object of a POST: from the stream, or from a body parser that already consumed it (Express). */
async function readJsonObject(req: IncomingMessage, max: number): Promise<Record<string, unknown>> {
  const parsed = (req as { body?: unknown }).body;
  let value: unknown;
  if (parsed !== undefined && req.readableEnded && typeof parsed !== 'string' && !Buffer.isBuffer(parsed)) {
    value = parsed;
  } else {
    const bytes = req.readableEnded ? Buffer.from(typeof parsed === 'string' ? parsed : ((parsed as Buffer | undefined) ?? '')) : await readBody(req, max);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The request body is not valid UTF-8 text.');
    }
    try {
      value = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'invalid_json', 'The request body must be a JSON object describing one comment.');
  }
  return value as Record<string, unknown>;
}

function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => !p.startsWith('charset=') || /^charset="?utf-8"?$/.test(p));
}

function queryError(fields: Record<string, string>): HttpError {
  return new HttpError(400, 'invalid_query', 'The request address has a parameter that is not valid.', fields);
}

/**
 * Builds the comments API handler. Throws at once on invalid options or an unusable database path, so a
 * misconfiguration stops start-up instead of failing the first reader.
 */
export function createHandler(options: HandlerOptions = {}): InkwellHandler {
  const basePath = normalizeBasePath(options.basePath);
  const origins = new Set((options.origins ?? []).map(normalizeOrigin));
  const moderation = options.moderation ?? 'none';
  if (!['none', 'all', 'first-time'].includes(moderation)) {
    throw new Error(`Invalid moderation "${String(moderation)}": use none, all or first-time.`);
  }
  const floodSeconds = options.floodSeconds ?? 15;
  if (!Number.isFinite(floodSeconds) || floodSeconds < 0) {
    throw new Error(`Invalid floodSeconds ${floodSeconds}: use a number of seconds, 0 to turn flood control off.`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? 100_000;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new Error(`Invalid maxBodyBytes ${maxBodyBytes}: use a positive whole number of bytes.`);
  }
  const adminDigest = options.adminToken ? createHash('sha256').update(options.adminToken).digest() : null;
  const trustProxy = options.trustProxy ?? false;
  const now = options.now ?? Date.now;
  const ownsStore = !options.store;
  const store: CommentStore = options.store ?? new SqliteStore(options.db ?? 'comments.db');
  const flood = new FloodGuard(floodSeconds * 1000);

  /** The path below `basePath`, without a trailing slash; null when the path is not ours. */
  function ownPath(pathname: string): string | null {
    if (basePath === '') return pathname.replace(/\/+$/, '');
    if (pathname === basePath) return '';
    if (!pathname.startsWith(`${basePath}/`)) return null;
    return pathname.slice(basePath.length).replace(/\/+$/, '');
  }

  function isSameOrigin(req: IncomingMessage, origin: string): boolean {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false;
    }
    const forwarded = trustProxy ? String(req.headers['x-forwarded-host'] ?? '').split(',')[0]!.trim() : '';
    return host !== '' && (host === req.headers.host || host === forwarded);
  }

  function requireAdmin(req: IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // Both sides hashed first, so the comparison takes the same time whatever the length of the guess.
    const given = createHash('sha256').update(m?.[1] ?? '').digest();
    if (!m || !adminDigest || !timingSafeEqual(given, adminDigest)) {
      throw new HttpError(401, 'unauthorized', 'This needs a valid admin token.', undefined, { 'WWW-Authenticate': 'Bearer' });
    }
  }

  function methodNotAllowed(method: string, allow: string): HttpError {
    return new HttpError(405, 'method_not_allowed', `This address does not accept ${method} requests.`, undefined, { Allow: allow });
  }

  const pageJson = new WeakMap<object, string>();

  async function listComments(res: ServerResponse, params: URLSearchParams): Promise<void> {
    const fields: Record<string, string> = {};
    const thread = ThreadSchema.safeParse(params.get('thread') ?? undefined);
    if (!thread.success) fields.thread = validationMessages['thread.invalid'];
    const sortParam = params.get('sort') || 'oldest';
    if (sortParam !== 'oldest' && sortParam !== 'newest') fields.sort = 'The sort order must be oldest or newest.';
    const sort = sortParam === 'newest' ? 'newest' : 'oldest';
    const limitParam = params.get('limit') || String(DEFAULT_PAGE_SIZE);
    const limit = /^\d{1,9}$/.test(limitParam) ? Number(limitParam) : 0;
    if (limit < 1) fields.limit = `The limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`;
    const cursorParam = params.get('cursor') || null;
    const after = cursorParam === null ? null : decodeCursor(sort, cursorParam);
    if (cursorParam !== null && after === null) fields.cursor = 'The page cursor is not valid; start again from the first page.';
    if (!thread.success || Object.keys(fields).length > 0) throw queryError(fields);
    const page = await store.list({ thread: thread.data, sort, limit: Math.min(limit, MAX_PAGE_SIZE), after });
    // A store may hand back the same page object while nothing changed (SqliteStore does): its JSON is then reused.
    let text = pageJson.get(page);
    if (!text) {
      text = JSON.stringify({
        thread: thread.data,
        total: page.total,
        comments: page.comments.map(toPublic),
        nextCursor: page.next ? encodeCursor(sort, page.next) : null,
      });
      pageJson.set(page, text);
    }
    sendJson(res, 200, text);
  }

  async function counts(res: ServerResponse, params: URLSearchParams): Promise<void> {
    const asked = params.getAll('thread');
    if (asked.length === 0) throw queryError({ thread: 'Name at least one thread, like ?thread=post-1.' });
    if (asked.length > MAX_COUNT_THREADS) throw queryError({ thread: `Ask for at most ${MAX_COUNT_THREADS} threads at once.` });
    const threads: string[] = [];
    for (const t of asked) {
      const r = ThreadSchema.safeParse(t);
      if (!r.success) throw queryError({ thread: validationMessages['thread.invalid'] });
      if (!threads.includes(r.data)) threads.push(r.data);
    }
    send(res, 200, { counts: await store.counts(threads) });
  }

  async function postComment(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isJsonContentType(req.headers['content-type'])) {
      throw new HttpError(415, 'unsupported_media_type', 'Send the comment as JSON, with Content-Type: application/json.');
    }
    const raw = await readJsonObject(req, maxBodyBytes);
    const broken: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v === 'string' && LONE_SURROGATE.test(v)) broken[k] = 'This text contains a broken character (a lone UTF-16 surrogate) that cannot be stored.';
    }
    const parsed = CommentInputSchema.safeParse(raw);
    if (!parsed.success || Object.keys(broken).length > 0) {
      const fields = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...broken };
      throw new HttpError(422, 'validation', 'Some fields need attention before this comment can be posted.', fields);
    }
    const input: ParsedCommentInput = parsed.data;
    const createdAt = new Date(now()).toISOString();

    const keyHeader = req.headers['idempotency-key'];
    const key = typeof keyHeader === 'string' && keyHeader !== '' ? keyHeader : null;
    if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
      throw new HttpError(400, 'invalid_idempotency_key', 'The Idempotency-Key header must be 1 to 200 visible ASCII characters.');
    }

    // A bot filled the hidden field: answer as if the comment were held for moderation, and keep nothing.
    // A retry with the same key gets the same id, as a real comment would.
    if (input.hp !== undefined && input.hp.trim() !== '') {
      const fake: StoredComment = {
        ...input,
        id: key === null ? newId() : `c_${digest(`hp:${key}`).slice(0, 16)}`,
        rootId: '',
        email: '',
        createdAt,
        status: 'pending',
        ip: null,
        idempotencyKey: null,
      };
      send(res, 201, { comment: toPublic(fake) });
      return;
    }

    const requestHash = digest(JSON.stringify([input.thread, input.parentId, input.name, input.email.toLowerCase(), input.website, input.body]));
    const mismatch = () =>
      new HttpError(422, 'idempotency_mismatch', 'This Idempotency-Key was already used for a different comment; send a new key with a new comment.');
    const replay = (c: StoredComment) => send(res, 201, { comment: toPublic(c) }, { 'Idempotent-Replayed': 'true' });

    // A retry of an accepted request gets its answer again, before any check that time or a new comment could change.
    if (key !== null) {
      const previous = await store.findByIdempotencyKey(key);
      if (previous) {
        if (previous.requestHash !== requestHash) throw mismatch();
        replay(previous.comment);
        return;
      }
    }
    const parentMissing = () =>
      new HttpError(404, 'not_found', 'The comment you are replying to does not exist.', {
        parentId: 'The comment you are replying to was not found in this thread; it may have been deleted.',
      });
    if (input.parentId !== null) {
      const parent = await store.get(input.parentId);
      if (!parent || parent.thread !== input.thread || parent.status !== 'published') throw parentMissing();
    }
    const duplicate = () => new HttpError(409, 'duplicate', 'You have already posted this comment here.');
    if (await store.findDuplicate(input.thread, input.email, input.body)) throw duplicate();

    const ip = clientIp(req, trustProxy);
    const emailKey = `email:${digest(input.email.toLowerCase())}`;
    const slot = flood.take([`ip:${floodKeyForIp(ip)}`, emailKey], now());
    if ('retryAfter' in slot) {
      const s = slot.retryAfter;
      throw new HttpError(429, 'rate_limited', `You are posting too quickly. Please wait ${s} second${s === 1 ? '' : 's'} and try again.`, undefined, {
        'Retry-After': String(s),
      });
    }
    try {
      let status: CommentStatus = 'published';
      if (moderation === 'all' || (moderation === 'first-time' && !(await store.hasApproved(input.email)))) status = 'pending';
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
          ip: truncateIp(ip),
        },
        { idempotencyKey: key, requestHash },
      );
      switch (result.kind) {
        case 'created':
          send(res, 201, { comment: toPublic(result.comment) });
          return;
        case 'replayed':
          slot.undo();
          replay(result.comment);
          return;
        case 'idempotency_mismatch':
          throw mismatch();
        case 'duplicate':
          throw duplicate();
        case 'parent_not_found':
          throw parentMissing();
      }
    } catch (err) {
      slot.undo();
      throw err;
    }
  }

  async function admin(req: IncomingMessage, res: ServerResponse, route: string, params: URLSearchParams): Promise<void> {
    if (!adminDigest) throw new HttpError(404, 'not_found', 'There is nothing at this address.');
    requireAdmin(req);
    const method = req.method ?? 'GET';
    const emailParam = () => {
      const r = EmailSchema.safeParse(params.get('email') ?? undefined);
      if (!r.success) throw queryError({ email: fieldErrors(r.error)._ ?? validationMessages['email.invalid'] });
      return r.data;
    };
    if (route === '/admin/pending') {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, 'GET');
      send(res, 200, { comments: (await store.pending()).map(toAdmin) });
      return;
    }
    if (route === '/admin/export') {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, 'GET');
      const email = emailParam();
      send(res, 200, { email, comments: (await store.exportByEmail(email)).map(toAdmin) });
      return;
    }
    if (route === '/admin/erase') {
      if (method !== 'DELETE') throw methodNotAllowed(method, 'DELETE');
      send(res, 200, { erased: await store.eraseByEmail(emailParam()) });
      return;
    }
    const m = /^\/admin\/comments\/([^/]+)(\/approve)?$/.exec(route);
    if (m) {
      let id: string;
      try {
        id = decodeURIComponent(m[1]!);
      } catch {
        throw new HttpError(404, 'not_found', 'There is no comment with this id.');
      }
      if (m[2]) {
        if (method !== 'POST') throw methodNotAllowed(method, 'POST');
        const c = await store.approve(id);
        if (!c) throw new HttpError(404, 'not_found', 'There is no comment with this id.');
        send(res, 200, { comment: toAdmin(c) });
        return;
      }
      if (method !== 'DELETE') throw methodNotAllowed(method, 'DELETE');
      if (!(await store.delete(id))) throw new HttpError(404, 'not_found', 'There is no comment with this id.');
      send(res, 200, { deleted: id });
      return;
    }
    throw new HttpError(404, 'not_found', 'There is nothing at this address.');
  }

  async function handle(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): Promise<void> {
    // Express and Connect strip their mount path from req.url; originalUrl keeps what the client asked for.
    const target = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    let url: URL;
    try {
      url = new URL(target, 'http://localhost');
    } catch {
      url = new URL('http://localhost/');
    }
    const route = ownPath(url.pathname);
    if (route === null) {
      if (next) return next();
      throw new HttpError(404, 'not_found', 'There is nothing at this address.');
    }
    const method = (req.method ?? 'GET').toUpperCase();
    // Answers differ by Origin; keep whatever Vary a framework set before us.
    const vary = res.getHeader('Vary');
    if (!vary) res.setHeader('Vary', 'Origin');
    else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(String(vary))) res.setHeader('Vary', `${String(vary)}, Origin`);
    const origin = req.headers.origin;
    if (origin !== undefined && !isSameOrigin(req, origin)) {
      if (!origins.has('*') && !origins.has(canonicalOrigin(origin))) {
        throw new HttpError(403, 'forbidden_origin', 'This site is not allowed to use this comments service.');
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After, Idempotent-Replayed');
      if (method === 'OPTIONS') {
        res.statusCode = 204;
        res.setHeader('Access-Control-Allow-Methods', CORS_METHODS);
        res.setHeader('Access-Control-Allow-Headers', CORS_HEADERS);
        res.setHeader('Access-Control-Max-Age', '7200');
        res.end();
        return;
      }
    }
    if (method === 'OPTIONS') {
      res.statusCode = 204;
      res.setHeader('Allow', CORS_METHODS);
      res.end();
      return;
    }
    const params = url.searchParams;
    if (route === '') {
      if (method === 'GET' || method === 'HEAD') return listComments(res, params);
      if (method === 'POST') return postComment(req, res);
      throw methodNotAllowed(method, 'GET, POST, OPTIONS');
    }
    if (route === '/counts') {
      if (method === 'GET' || method === 'HEAD') return counts(res, params);
      throw methodNotAllowed(method, 'GET, OPTIONS');
    }
    if (route === '/admin' || route.startsWith('/admin/')) return admin(req, res, route, params);
    throw new HttpError(404, 'not_found', 'There is nothing at this address.');
  }

  function fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    // A refused upload carries `Connection: close`: the rest of it is never read, and the socket goes after the answer.
    if (err instanceof HttpError) return sendError(res, err);
    // Nobody is left to answer.
    if (err instanceof ClientGone || res.destroyed || req.socket?.destroyed) return;
    // The path only: a query string can carry an email (admin export), and a body is never logged.
    const path = (req.url ?? '').split('?')[0];
    console.error(`inkwell: internal error on ${req.method} ${path}:`, err instanceof Error ? err.stack : String(err));
    sendError(res, new HttpError(500, 'internal', 'Something went wrong on our side. Please try again later.'));
  }

  const handler = ((req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => {
    handle(req, res, next).catch((err: unknown) => fail(req, res, err));
  }) as InkwellHandler;
  Object.defineProperty(handler, 'store', { value: store, enumerable: true });
  handler.close = async () => {
    if (ownsStore) await store.close();
  };
  return handler;
}
