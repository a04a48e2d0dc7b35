/**
 * What `<ink-comment-form>` knows about its fields, as plain functions of their values: which fields there are,
 * their errors in the reader's words (from the shared rules, the ones the server's schema applies), and the web
 * address a reader probably meant.
 * @module
 */
import type { Translate } from '../i18n/index.js';
import { checkInput, isHttpUrl, limits, type ParsedCommentInput } from '../rules.js';

/** A field with a label, an error and maybe a note; the "remember me" box and the honeypot are not fields. */
export type Field = 'body' | 'name' | 'email' | 'website';

/** The fields, in the order of the form. */
export const FIELDS: readonly Field[] = ['body', 'name', 'email', 'website'];

/** What the reader typed and ticked, and the honeypot a bot fills. */
export interface FormValues {
  body: string;
  name: string;
  email: string;
  website: string;
  remember: boolean;
  hp: string;
}

/** An empty form. */
export const emptyValues = (): FormValues => ({ body: '', name: '', email: '', website: '', remember: false, hp: '' });

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
