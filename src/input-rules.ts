/**
 * The input rules of wire protocol v1: what a CommentInput must be, field by field, as plain functions. The server's
 * zod schemas (`schema.ts`) are built on them, and the comment form checks with them, in a piece loaded on the
 * reader's first interaction with the form (so a page that only shows comments does not download them). `rules.ts`
 * re-exports all of it. No DOM and no Lit here.
 * @module
 */
import { AUTHOR_TOKEN, EMAIL, codePoints, isHttpUrl, limits } from './limits.js';

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

/* eslint-disable no-control-regex -- these patterns are there to find control characters */
// C0 and C1 controls: invisible, and a line break in a name can forge a second header line in a mail digest.
const CONTROL_IN_NAME = /[\u0000-\u001f\u007f-\u009f]/;
// Tab, line feed and carriage return lay a body out; the other controls have no place in it.
const CONTROL_IN_BODY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// A thread id or a website is one line: no controls, and no Unicode line or paragraph separator either. (The URL
// parser silently drops tabs and line breaks, so a website is checked as typed, before it is parsed.)
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/* eslint-enable no-control-regex */
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
