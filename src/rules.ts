/**
 * The rules of wire protocol v1 as plain functions: limits, patterns, allowlist readers of the server's answers, and
 * the contract's types (declared here once; `schema.ts` re-exports them and its zod schemas are checked against
 * them when compiling). `schema.ts` builds the zod schemas (the published contract, used by the server) on these same functions; the
 * elements use them directly, because zod in the script-tag file would cost half of its size budget
 * (zod/mini with these schemas: about 9 KB brotli; this module: about 1.5 KB). A test holds both to the same answers.
 * No DOM and no Lit here.
 * @module
 */
import { regexes } from 'zod/v4/core';

/** Limits, in Unicode code points (WordPress core's numbers, which count bytes there). */
export const limits = {
  name: 245,
  email: 100,
  emailLocal: 64,
  website: 200,
  body: 65_525,
  thread: 200,
  parentId: 100,
} as const;

/** English text for every validation key; the elements' locales override these. */
export const validationMessages = {
  'body.required': 'Please write a comment.',
  'body.tooLong': `Your comment is too long: at most ${limits.body.toLocaleString('en')} characters.`,
  'body.control': 'Your comment contains control characters that cannot be stored.',
  'name.required': 'Please enter your name.',
  'name.tooLong': `Your name is too long: at most ${limits.name} characters.`,
  'name.control': 'Your name contains control characters or line breaks.',
  'email.required': 'Please enter your email address.',
  'email.invalid': 'Please enter a valid email address, like name@example.com.',
  'email.tooLong': `Your email address is too long: at most ${limits.email} characters.`,
  'website.invalid': 'Please enter a web address starting with http:// or https://.',
  'website.tooLong': `Your website address is too long: at most ${limits.website} characters.`,
  'website.control': 'Your website address contains line breaks or control characters.',
  'website.credentials': 'Please leave the user name and password out of your website address.',
  'thread.invalid': `The thread id must be 1 to ${limits.thread} characters, without line breaks or control characters.`,
  'parentId.invalid': 'The comment replied to is not valid.',
  'authorToken.invalid': 'The author token is not valid: send the one this server gave you, or none to get a new one.',
} as const;

/** A validation message key. */
export type ValidationKey = keyof typeof validationMessages;

/** The fields of a CommentInput that readers fill in or the page sets. */
export type InputField = 'thread' | 'parentId' | 'name' | 'email' | 'website' | 'body' | 'authorToken';

/** Counts code points, as both sides do, so that an emoji counts once wherever it is measured. */
export const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** True for an absolute `http:` or `https:` URL with a host. */
export const isHttpUrl = (s: string): boolean => {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    return !!new URL(s).hostname;
  } catch {
    return false;
  }
};

/** zod's default `z.email()` pattern: no quoted local parts, where markup can hide. */
export const EMAIL = regexes.email;

/**
 * An author token as the server hands it out (24 random bytes, base64url) or a client makes one: 22 to 64
 * characters of the base64url alphabet. Only its SHA-256 is stored.
 */
export const AUTHOR_TOKEN = /^[A-Za-z0-9_-]{22,64}$/;

// C0 and C1 controls: invisible, and a line break in a name can forge a second header line in a mail digest.
const CONTROL_IN_NAME = /[\u0000-\u001f\u007f-\u009f]/;
// Tab, line feed and carriage return lay a body out; the other controls have no place in it.
const CONTROL_IN_BODY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// A thread id or a website is one line: no controls, and no Unicode line or paragraph separator either. (The URL
// parser silently drops tabs and line breaks, so a website is checked as typed, before it is parsed.)
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Credentials before the host (`user@`, `user:pass@`, even a bare `@`): a link that shows one host and opens another.
const CREDENTIALS = /^https?:\/\/[^/?#]*@/i;
// What draws nothing: white space, format characters (zero-width, bidi controls, BOM…), combining marks with nothing
// to combine with, variation selectors, default-ignorable fillers (Hangul fillers…), the blank Braille pattern.
const INVISIBLE = /[\p{White_Space}\p{Cf}\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** The value a field is stored as: strings trimmed; an empty website, parent or author token is `null`. */
export function normalize(field: InputField, value: unknown): unknown {
  const v = typeof value === 'string' ? value.trim() : value;
  return (field === 'website' || field === 'parentId' || field === 'authorToken') && (v === '' || v === undefined) ? null : v;
}

/** What is wrong with a normalised field value, as a validation key; undefined when it is fine. */
export function fieldError(field: InputField, v: unknown): ValidationKey | undefined {
  const s = typeof v === 'string' ? v : '';
  const n = codePoints(s);
  switch (field) {
    case 'body':
    case 'name':
      // A name must show something: one made only of invisible characters is no name.
      if (!s || (field === 'name' && !s.replace(INVISIBLE, ''))) return `${field}.required`;
      if (n > limits[field]) return `${field}.tooLong`;
      if ((field === 'body' ? CONTROL_IN_BODY : CONTROL_IN_NAME).test(s)) return `${field}.control`;
      return;
    case 'email':
      if (!s) return 'email.required';
      if (n > limits.email) return 'email.tooLong';
      return EMAIL.test(s) && codePoints(s.slice(0, s.lastIndexOf('@'))) <= limits.emailLocal ? undefined : 'email.invalid';
    case 'website':
      if (v === null) return;
      if (typeof v !== 'string') return 'website.invalid';
      if (CONTROL_OR_BREAK.test(s)) return 'website.control';
      if (!isHttpUrl(s)) return 'website.invalid';
      if (CREDENTIALS.test(s)) return 'website.credentials';
      return n > limits.website ? 'website.tooLong' : undefined;
    case 'thread':
      return s && n <= limits.thread && !CONTROL_OR_BREAK.test(s) ? undefined : 'thread.invalid';
    case 'authorToken':
      return v === null || AUTHOR_TOKEN.test(s) ? undefined : 'authorToken.invalid';
    case 'parentId':
      return v === null || (s && s.length <= limits.parentId) ? undefined : 'parentId.invalid';
  }
}

const FIELDS: InputField[] = ['body', 'name', 'email', 'website', 'thread', 'parentId'];

/** A valid CommentInput: what the server stores (no unknown field survives). */
export interface ParsedCommentInput {
  thread: string;
  parentId: string | null;
  name: string;
  email: string;
  website: string | null;
  body: string;
  hp?: string;
  /**
   * The token the server gave this browser with an earlier comment (`null`: none yet). It is never stored (only its
   * SHA-256) and never published: it tells a reader's own double post apart, and `first-time` moderation trusts it.
   */
  authorToken?: string | null;
}

/**
 * Checks a CommentInput as the server will: the normalised input, or the first problem of each field as a key.
 */
export function checkInput(raw: Record<string, unknown>):
  | { ok: true; data: ParsedCommentInput }
  | { ok: false; errors: Partial<Record<InputField, ValidationKey>> } {
  const data: Record<string, unknown> = {};
  const errors: Partial<Record<InputField, ValidationKey>> = {};
  for (const f of FIELDS) {
    data[f] = normalize(f, raw[f]);
    const e = fieldError(f, data[f]);
    if (e) errors[f] = e;
  }
  if (typeof raw.hp === 'string') data.hp = raw.hp;
  // Optional: checked only when sent, so a form that has no token yet sends nothing.
  if (raw.authorToken !== undefined) {
    data.authorToken = normalize('authorToken', raw.authorToken);
    const e = fieldError('authorToken', data.authorToken);
    if (e) errors.authorToken = e;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: data as unknown as ParsedCommentInput };
}

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
