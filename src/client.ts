/**
 * The HTTP transport of wire protocol v1, shared by every element: JSON in and out, an `Idempotency-Key` on posts,
 * a timeout on every request, responses read through the allowlists of `rules.ts`, and one error type whose `kind` says what
 * a reader should be told.
 * @module
 */
import { readApiError, readArticle, readComment, readCommentPage, readCounts, type Comment, type CommentPage, type ParsedArticle } from './rules.js';
import type { CommentInput } from './schema.js';

/** The default time a request may take before it is aborted, in milliseconds. */
export const DEFAULT_TIMEOUT = 15_000;

/**
 * What kind of failure: `network` (no answer), `timeout`, `rate_limited` (429), `client` (another 4xx),
 * `server` (5xx), `bad_response` (not the JSON the protocol promises).
 */
export type InkErrorKind = 'network' | 'timeout' | 'rate_limited' | 'client' | 'server' | 'bad_response';

/** A failed request. `code` is the server's error code when it sent one, else the kind. */
export class InkClientError extends Error {
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
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Resolves an endpoint (absolute or relative to the page) and appends a path and query. */
export function endpointUrl(endpoint: string, path = '', query?: Iterable<[string, string]>): string {
  const base = globalThis.location?.href;
  const url = new URL(endpoint, base);
  if (path) url.pathname = url.pathname.replace(/\/$/, '') + path;
  if (query) for (const [k, v] of query) url.searchParams.append(k, v);
  return url.href;
}

/** A fresh key for one comment, kept until the server accepts it so that every retry is the same post. */
export const newIdempotencyKey = (): string =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

async function request(url: string, init: RequestInit, options: RequestOptions = {}): Promise<unknown> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const signals = [AbortSignal.timeout(timeout)];
  if (options.signal) signals.push(options.signal);
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.any(signals), headers: { Accept: 'application/json', ...init.headers } });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    const name = (e as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new InkClientError('timeout', `No answer from ${url} within ${Math.round(timeout / 1000)} seconds.`);
    }
    throw new InkClientError('network', `Could not reach ${url}.`);
  }
  let data: unknown;
  let text = '';
  try {
    text = await res.text();
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (res.ok) {
    if (data === undefined) throw new InkClientError('bad_response', `The answer from ${url} was not JSON.`, res.status);
    return data;
  }
  const info = readApiError(data);
  const kind: InkErrorKind = res.status === 429 ? 'rate_limited' : res.status >= 500 ? 'server' : 'client';
  throw new InkClientError(
    kind,
    info?.message ?? `The server answered ${res.status} ${res.statusText}`.trim() + '.',
    res.status,
    info?.code ?? kind,
    info?.fields,
    parseRetryAfter(res.headers.get('Retry-After')),
  );
}

function parse<T>(read: (v: unknown) => T | undefined, data: unknown, url: string): T {
  const r = read(data);
  if (r === undefined) throw new InkClientError('bad_response', `The answer from ${url} is not in the expected shape.`);
  return r;
}

/** Query of one page of a thread. */
export interface ListQuery {
  thread: string;
  sort?: 'oldest' | 'newest';
  limit?: number;
  cursor?: string | null;
}

/** `GET {endpoint}?thread=…`: one page of top-level comments with their replies. */
export async function listComments(endpoint: string, q: ListQuery, options?: RequestOptions): Promise<CommentPage> {
  const query: [string, string][] = [['thread', q.thread]];
  if (q.sort) query.push(['sort', q.sort]);
  if (q.limit) query.push(['limit', String(q.limit)]);
  if (q.cursor) query.push(['cursor', q.cursor]);
  const url = endpointUrl(endpoint, '', query);
  return parse(readCommentPage, await request(url, { method: 'GET' }, options), url);
}

/** `POST {endpoint}`: the accepted comment. Send the same `idempotencyKey` on every retry of one comment. */
export async function postComment(
  endpoint: string,
  input: CommentInput,
  idempotencyKey: string,
  options?: RequestOptions,
): Promise<Comment> {
  const url = endpointUrl(endpoint);
  const data = await request(
    url,
    { method: 'POST', body: JSON.stringify(input), headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey } },
    options,
  );
  return parse(readComment, (data as { comment?: unknown })?.comment, url);
}

/** `GET {endpoint}/counts?thread=A&thread=B`: published comments per thread. */
export async function fetchCounts(endpoint: string, threads: string[], options?: RequestOptions): Promise<Record<string, number>> {
  const url = endpointUrl(endpoint, '/counts', threads.map((t) => ['thread', t]));
  return parse(readCounts, await request(url, { method: 'GET' }, options), url);
}

/** An Article JSON from `url`. */
export async function fetchArticle(url: string, options?: RequestOptions): Promise<ParsedArticle> {
  const abs = endpointUrl(url);
  return parse(readArticle, await request(abs, { method: 'GET' }, options), abs);
}
