/**
 * The HTTP transport of wire protocol v1, shared by every element: JSON in and out, an `Idempotency-Key` on posts,
 * a timeout on every request, responses read through the allowlists of `rules.ts`, and one error type whose `kind` says what
 * a reader should be told.
 * @module
 */
import { readApiError, readArticle, readComment, readCommentPage, readCounts, type Comment, type CommentPage, type ParsedArticle } from './rules.js';
import type { CommentInput } from './schema.js';
import { AUTHOR_TOKEN } from './storage.js';

/** The default time a request may take before it is aborted, in milliseconds. */
export const DEFAULT_TIMEOUT = 15_000;

/**
 * What kind of failure: `network` (no answer), `timeout`, `rate_limited` (429), `client` (another 4xx),
 * `server` (5xx), `bad_response` (not the JSON the protocol promises).
 */
export type InkErrorKind = 'network' | 'timeout' | 'rate_limited' | 'client' | 'server' | 'bad_response';

/** A failed request. `code` is the server's error code when it sent one, else the kind. */
export class InkClientError extends Error {
  /**
   * Known by its name, so that `instanceof` holds for the errors of every copy of this module on a page: the
   * script-tag file and the form piece it loads each bundle one (and an npm build may sit beside them).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'InkClientError';
  }

  override name = 'InkClientError';
  constructor(
    readonly kind: InkErrorKind,
    message: string,
    readonly status?: number,
    readonly code: string = kind,
    /** Server field errors of a 422, keyed by input field. */
    readonly fields?: Record<string, string>,
    /** Seconds to wait before retrying, from `Retry-After`. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** Options every request takes. */
export interface RequestOptions {
  /** Milliseconds before the request is aborted (default 15 s). */
  timeout?: number;
  /** Aborts the request early, e.g. when the element is removed. */
  signal?: AbortSignal;
}

/**
 * Seconds from a `Retry-After` value: a number of seconds or an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Resolves an endpoint (absolute or relative to the page) and appends a path and query. */
export function endpointUrl(endpoint: string, path = '', query?: Iterable<[string, string]>): string {
  const base = globalThis.location?.href;
  const url = new URL(endpoint, base);
  if (path) url.pathname = url.pathname.replace(/\/$/, '') + path;
  if (query) for (const [name, value] of query) url.searchParams.append(name, value);
  return url.href;
}

/**
 * The thread of the current page: `<link rel=canonical>`'s path (one thread for every URL of one article), else
 * `location.pathname`. Shared by every element that takes a `thread`, so that they all name the same one.
 */
export function defaultThread(): string {
  try {
    // No canonical link, or one whose href is not a URL, throws here: then the page's own path.
    return new URL(document.querySelector<HTMLLinkElement>('link[rel~="canonical" i]')!.href).pathname;
  } catch {
    return location.pathname;
  }
}

/** A fresh key for one comment, kept until the server accepts it so that every retry is the same post. */
export const newIdempotencyKey = (): string =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** Fetches `url` and reads its JSON with `read`; every failure becomes an InkClientError of the right kind. */
async function request<T>(url: string, read: (v: unknown) => T | undefined, init: RequestInit = {}, options: RequestOptions = {}): Promise<T> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  let response: Response;
  try {
    const signal = AbortSignal.any([AbortSignal.timeout(timeout), ...(options.signal ? [options.signal] : [])]);
    response = await fetch(url, { ...init, signal, headers: { Accept: 'application/json', ...init.headers } });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const name = (error as Error)?.name;
    throw name === 'TimeoutError' || name === 'AbortError'
      ? new InkClientError('timeout', `No answer from ${url} within ${Math.round(timeout / 1000)} seconds.`)
      : new InkClientError('network', `Could not reach ${url}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(await response.text());
  } catch {
    // Not JSON: a proxy's error page, say. Told apart below by the status.
  }
  if (response.ok) {
    const result = data === undefined ? undefined : read(data);
    // The status goes with "not JSON" only: a reader of the error tells the two cases apart by it.
    if (result === undefined) throw data === undefined
      ? new InkClientError('bad_response', `The answer from ${url} is not JSON.`, response.status)
      : new InkClientError('bad_response', `The answer from ${url} is not in the expected shape.`);
    return result;
  }
  const info = readApiError(data);
  const kind: InkErrorKind = response.status === 429 ? 'rate_limited' : response.status >= 500 ? 'server' : 'client';
  throw new InkClientError(
    kind,
    info?.message ?? `The server answered ${response.status}.`,
    response.status,
    info?.code ?? kind,
    info?.fields,
    parseRetryAfter(response.headers.get('Retry-After')),
  );
}

/** Query of one page of a thread. */
export interface ListQuery {
  thread: string;
  sort?: 'oldest' | 'newest';
  limit?: number;
  cursor?: string | null;
}

/** `GET {endpoint}?thread=…`: one page of top-level comments with their replies. */
export function listComments(endpoint: string, q: ListQuery, options?: RequestOptions): Promise<CommentPage> {
  const query = Object.entries(q).filter(([, value]) => value).map(([name, value]) => [name, String(value)] as [string, string]);
  return request(endpointUrl(endpoint, '', query), readCommentPage, {}, options);
}

/** Options of a post. */
export interface PostOptions extends RequestOptions {
  /** The author token this server gave the browser before (see `storage.ts`), sent back in the body. */
  authorToken?: string;
}

/** What a server answers an accepted post with (`201`). */
export interface PostResult {
  /** The accepted comment. */
  comment: Comment;
  /**
   * The token by which the server recognises this browser as the comment's author, when it sends one: a random
   * string of 22 to 64 characters `A-Z a-z 0-9 _ -`. Anything else in its place reads as undefined.
   */
  authorToken?: string;
}

/** Reads a `201` answer: the comment through the shared rules, the author token only if it has the right form. */
function readPostResult(data: unknown): PostResult | undefined {
  const { comment, authorToken } = (data ?? {}) as { comment?: unknown; authorToken?: unknown };
  const parsed = readComment(comment);
  return parsed && { comment: parsed, authorToken: typeof authorToken === 'string' && AUTHOR_TOKEN.test(authorToken) ? authorToken : undefined };
}

/**
 * `POST {endpoint}`: the accepted comment, and the server's author token when it sends one. Send the same
 * `idempotencyKey` on every retry of one comment, and `options.authorToken` when the browser holds one for this
 * endpoint.
 */
export function postComment(endpoint: string, input: CommentInput, idempotencyKey: string, options: PostOptions = {}): Promise<PostResult> {
  const { authorToken } = options;
  const body = JSON.stringify(authorToken ? { ...input, authorToken } : input);
  const init = { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey } };
  return request(endpointUrl(endpoint), readPostResult, init, options);
}

/** `GET {endpoint}/counts?thread=A&thread=B`: published comments per thread. */
export function fetchCounts(endpoint: string, threads: string[], options?: RequestOptions): Promise<Record<string, number>> {
  return request(endpointUrl(endpoint, '/counts', threads.map((thread) => ['thread', thread])), readCounts, {}, options);
}

/** An Article JSON from `url`. */
export function fetchArticle(url: string, options?: RequestOptions): Promise<ParsedArticle> {
  return request(endpointUrl(url), readArticle, {}, options);
}
