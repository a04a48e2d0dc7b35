/**
 * The comment form's second half, loaded on the reader's first interaction with the form (see `lazy.ts`), so that a
 * page that only shows comments never downloads it: the field checks in the reader's words (the shared input rules,
 * the ones the server's schema applies), the web address a reader probably meant, the Idempotency-Key of a new
 * comment, and what the browser remembers (the reader's identity while they ask, the author token of each server).
 * The form reaches all of it through this module's exports, plain functions of plain data: the script-tag
 * build shortens the form's `_` names, and this file, loaded beside it, must not depend on them.
 * @module
 */
import type { FormValues } from './elements/comment-form-fields.js';
import type { Translate } from './i18n/index.js';
import { checkInput, type ParsedCommentInput } from './input-rules.js';
import { isHttpUrl, limits } from './limits.js';

// Used only once the reader writes or posts, so they travel here; storage.ts stays the one file that touches the
// reader's storage, client.ts the one that speaks to the server.
export { clearIdentity, getAuthorToken, setAuthorToken, setIdentity } from './storage.js';
export { newIdempotencyKey, postComment } from './client.js';

/** The outcome of a check: the input to post, or nothing, and the error message of each invalid field. */
export interface FieldCheck {
  input?: ParsedCommentInput;
  errors: Record<string, string>;
}

/**
 * Checks the values with the shared rules; errors are messages in the reader's language (`lang` formats the
 * limits they name). `parent` '' is a top-level comment.
 */
export function checkFields(values: FormValues, thread: string, parent: string, t: Translate, lang: string): FieldCheck {
  // checkInput() takes only the fields of a CommentInput (and hp) from what it is given; parentId '' is null.
  const result = checkInput({ ...values, thread, parentId: parent });
  if (result.ok) return { input: result.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const [field, key] of Object.entries(result.errors)) {
    errors[field] = t(key, { max: limits[field as keyof typeof limits].toLocaleString(lang) });
  }
  return { errors };
}

// A bare host such as `example.com` or `www.example.com/about`: what readers type when they mean a web address.
const HOST_LIKE = /^https:\/\/[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(:\d+)?([/?#]\S*)?$/u;

/** The https address a reader probably meant by a value without a scheme, if it looks like a host. */
export function suggestUrl(value: string): string | undefined {
  const url = 'https://' + value.trim();
  return HOST_LIKE.test(url) && isHttpUrl(url) ? url : undefined;
}
