/**
 * The rules of wire protocol v1 as plain functions: limits, patterns, the input checks, allowlist readers of the
 * server's answers, and the contract's types (declared here once; `schema.ts` re-exports them and its zod schemas are
 * checked against them when compiling). `schema.ts` builds the zod schemas (the published contract, used by the
 * server) on these same functions; the elements use them directly, because zod in the script-tag file would cost half
 * of its size budget (zod/mini with these schemas: about 9 KB brotli; these modules: about 1.5 KB). A test holds both
 * to the same answers. The readers are here; the limits and the input checks are in `limits.ts` and `input-rules.ts`
 * (re-exported here), so that the checks load only with the comment form's posting piece.
 * No DOM and no Lit here.
 * @module
 */
import { isHttpUrl } from './limits.js';

export { AUTHOR_TOKEN, EMAIL, codePoints, isHttpUrl, limits } from './limits.js';
export { checkInput, fieldError, normalize, validationMessages, type InputField, type ParsedCommentInput, type ValidationKey } from './input-rules.js';

// Readers of the server's answers. Each builds its result from an allowlist, so that a field the protocol does
// not have (an email, above all) never reaches the page; a wrong shape gives undefined.

type Check = (x: unknown) => boolean;
const str: Check = (x) => typeof x === 'string';
const count: Check = (x) => Number.isInteger(x) && (x as number) >= 0;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;
const date: Check = (x) => str(x) && ISO.test(x as string) && !Number.isNaN(Date.parse(x as string));
/** Present, and null or a string. */
const nullable: Check = (x) => x === null || str(x);
/** Absent, null, or passing `c`. */
const opt =
  (c: Check): Check =>
  (x) =>
    x == null || c(x);
const oneOf =
  (...values: unknown[]): Check =>
  (x) =>
    values.includes(x);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The fields of `v` that `shape` names, if every one passes its check; undefined fields are left out. */
function pick<T>(v: unknown, shape: Record<string, Check>): T | undefined {
  const o = obj(v);
  if (!o) return;
  const out: Record<string, unknown> = {};
  for (const k in shape) {
    if (!shape[k](o[k])) return;
    if (o[k] !== undefined) out[k] = o[k];
  }
  return out as T;
}

/** The status of a stored comment. */
export type CommentStatus = 'published' | 'pending';

/** A comment as anyone may see it: there is no email field, ever. */
export interface Comment {
  id: string;
  thread: string;
  parentId: string | null;
  name: string;
  /** An http(s) URL, or null: a stored website that is not http(s) is never linked. */
  website: string | null;
  body: string;
  createdAt: string;
  status: CommentStatus;
}

const COMMENT = { id: str, thread: str, parentId: nullable, name: str, website: opt(str), body: str, createdAt: date, status: oneOf('published', 'pending') };

/** A Comment from untrusted JSON, or undefined. */
export function readComment(v: unknown): Comment | undefined {
  const c = pick<Comment>(v, COMMENT);
  if (c) c.website = c.website && isHttpUrl(c.website) ? c.website : null;
  return c;
}

/** One page of a thread: top-level comments and their replies. */
export interface CommentPage {
  thread: string;
  total: number;
  comments: Comment[];
  nextCursor: string | null;
}

/** A CommentPage from untrusted JSON, or undefined (also when any comment in it is malformed). */
export function readCommentPage(v: unknown): CommentPage | undefined {
  const p = pick<CommentPage>(v, { thread: str, total: count, comments: Array.isArray, nextCursor: nullable });
  if (!p) return;
  p.comments = p.comments.map(readComment) as Comment[];
  return p.comments.every(Boolean) ? p : undefined;
}

/** `GET {endpoint}/counts`: published comments per thread. */
export interface Counts {
  counts: Record<string, number>;
}

/** The `counts` map from untrusted JSON, or undefined. */
export function readCounts(v: unknown): Record<string, number> | undefined {
  const c = obj(obj(v)?.counts);
  return c && Object.values(c).every(count) ? ({ ...c } as Record<string, number>) : undefined;
}

/** An article body format. */
export type ArticleFormat = 'text' | 'html' | 'markdown';

/** An article, as `<ink-article>` renders it. */
export interface ParsedArticle {
  title: string;
  body: string;
  author?: string | null;
  publishedAt?: string | null;
  updatedAt?: string | null;
  format: ArticleFormat;
  url?: string | null;
  image?: { src: string; alt: string } | null;
}

const IMAGE = { src: str, alt: str };

/** An Article from untrusted JSON (format `text` when absent), or undefined. */
export function readArticle(v: unknown): ParsedArticle | undefined {
  const a = pick<ParsedArticle>(v, {
    title: str,
    body: str,
    author: opt(str),
    publishedAt: opt(date),
    updatedAt: opt(date),
    format: opt(oneOf('text', 'html', 'markdown')),
    url: opt(str),
    image: opt((x) => !!pick(x, IMAGE)),
  });
  if (a) {
    a.format ??= 'text';
    if (a.image) a.image = pick(a.image, IMAGE);
  }
  return a;
}

/** Every error the server answers with. `fields` maps an input field to a human sentence. */
export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, string> };
}

/** The error body of a failed request, or undefined. */
export function readApiError(v: unknown): ApiError['error'] | undefined {
  const e = pick<ApiError['error']>(obj(v)?.error, { code: str, message: str });
  const f = obj(obj(obj(v)?.error)?.fields);
  if (e && f && Object.values(f).every(str)) e.fields = f as Record<string, string>;
  return e;
}
