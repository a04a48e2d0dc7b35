/**
 * The wire contract (protocol v1) as zod schemas: what the reference server validates with, what `inkwell/schema`
 * publishes for anyone writing their own backend or client, and what `docs/protocol.schema.json` is generated from.
 * No DOM and no Lit here. The field rules and the types live in `rules.ts`, as plain functions and interfaces that
 * the elements use without zod (zod would cost the script-tag file half its size budget); these schemas apply
 * those rules, compile only when they match those types, and `test/node/rules.test.ts` holds both to the same
 * answers.
 *
 * Validation messages are keys (`name.required`), not sentences: the server turns them into English with
 * `validationMessages`, the elements into the reader's language. `fieldErrors()` does the mapping.
 * @module
 */
import * as z from 'zod/mini';
import { fieldError, isHttpUrl as isHttpUrlFn, normalize, validationMessages, type InputField, type ValidationKey } from './rules.js';
import type { ApiError, ArticleFormat, Comment, CommentPage, CommentStatus, Counts, ParsedArticle, ParsedCommentInput } from './rules.js';

// Zod compiles object parsers with `new Function` unless told not to. A strict CSP (`script-src 'self'`) reports
// even the probe as a violation, and the parse cost of a comment page is small either way.
z.config({ jitless: true });

export { limits, validationMessages, codePoints, isHttpUrl, EMAIL, AUTHOR_TOKEN, checkInput, fieldError, normalize } from './rules.js';
export type { ValidationKey, InputField } from './rules.js';
// The contract's types are declared once, as plain interfaces in rules.ts (the elements use them without zod);
// each schema below is checked against its type at compile time by `matching<T>()`.
export type { ApiError, ArticleFormat, Comment, CommentPage, CommentStatus, Counts, ParsedArticle, ParsedCommentInput } from './rules.js';

/** True when A and B are the same type (not merely assignable one way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Returns the schema unchanged, and compiles only when the schema's output type is exactly `T`: a field added to
 * a schema but not to its interface in rules.ts (or the other way round) stops the build.
 */
const matching =
  <T>() =>
  <S extends z.ZodMiniType>(schema: S & (Same<z.output<S>, T> extends true ? unknown : { 'output differs from the type in rules.ts': T })): S =>
    schema;

/** One field's rule from rules.ts as a zod check, its key as the issue message. */
const rule = (field: InputField) =>
  z.check<unknown>((ctx) => {
    const key = fieldError(field, ctx.value);
    if (key) ctx.issues.push({ code: 'custom', message: key, input: ctx.value });
  });
/** Empty website and parent mean none. */
const orNull = (field: InputField) => z.transform((v: unknown) => normalize(field, v));

/** The comment text: ends trimmed, not blank, at most 65,525 code points, no control characters but tab and newlines. */
export const BodySchema = z.string('body.required').check(z.trim(), rule('body'));
/** The author's name: trimmed, not blank, at most 245 code points, one line. */
export const NameSchema = z.string('name.required').check(z.trim(), rule('name'));
/** The author's email: trimmed, zod's default email pattern, local part ≤ 64, ≤ 100 code points in all. */
export const EmailSchema = z.string('email.required').check(z.trim(), rule('email'));
/** The optional website: an absolute http(s) URL of at most 200 code points; empty means none (`null`). */
export const WebsiteSchema = z.pipe(orNull('website'), z.nullable(z.string('website.invalid').check(rule('website'))));
/** A thread id: 1 to 200 code points, ends trimmed. */
export const ThreadSchema = z.string('thread.invalid').check(z.trim(), rule('thread'));
const ParentIdSchema = z.pipe(orNull('parentId'), z.nullable(z.string('parentId.invalid').check(rule('parentId'))));
/** The author token a browser got with an earlier comment: 22 to 64 base64url characters; empty means none. */
export const AuthorTokenSchema = z.pipe(orNull('authorToken'), z.nullable(z.string('authorToken.invalid').check(rule('authorToken'))));

/** What a reader posts. Unknown fields (`status`, `id`, `createdAt`…) are dropped, never stored. */
export const CommentInputSchema = matching<ParsedCommentInput>()(
  z.object({
    thread: ThreadSchema,
    parentId: ParentIdSchema,
    name: NameSchema,
    email: EmailSchema,
    website: WebsiteSchema,
    body: BodySchema,
    /** The honeypot: people leave it empty. */
    hp: z.optional(z.string()),
    authorToken: z.optional(AuthorTokenSchema),
  }),
);

/** The status of a stored comment. */
export const CommentStatusSchema = matching<CommentStatus>()(z.enum(['published', 'pending']));

/** A comment as anyone may see it. There is no email field, ever: an email in a response is dropped here. */
export const CommentSchema = matching<Comment>()(
  z.object({
    id: z.string(),
    thread: z.string(),
    parentId: z.nullable(z.string()),
    name: z.string(),
    website: z.pipe(
    z.nullable(z.optional(z.string())),
    // A stored website that is not http(s) is never linked: drop it rather than trust it.
    z.transform((w) => (w && isHttpUrlFn(w) ? w : null)),
    ),
    body: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
    status: CommentStatusSchema,
  }),
);

/** `GET {endpoint}?thread=T`: top-level comments of one page and all their replies. */
export const CommentPageSchema = matching<CommentPage>()(
  z.object({
    thread: z.string(),
    total: z.int().check(z.nonnegative()),
    comments: z.array(CommentSchema),
    nextCursor: z.nullable(z.string()),
  }),
);

/** `GET {endpoint}/counts?thread=A&thread=B`. */
export const CountsSchema = matching<Counts>()(
  z.object({
    counts: z.record(z.string(), z.int().check(z.nonnegative())),
  }),
);

/** An article body format. */
export const ArticleFormatSchema = matching<ArticleFormat>()(z.enum(['text', 'html', 'markdown']));

/** An article for `<ink-article src>` or `.article`. Only `title` and `body` are required. */
export const ArticleSchema = matching<ParsedArticle>()(
  z.object({
    title: z.string(),
    body: z.string(),
    author: z.optional(z.nullable(z.string())),
    publishedAt: z.optional(z.nullable(z.iso.datetime({ offset: true }))),
    updatedAt: z.optional(z.nullable(z.iso.datetime({ offset: true }))),
    format: z._default(ArticleFormatSchema, 'text'),
    url: z.optional(z.nullable(z.string())),
    image: z.optional(z.nullable(z.object({ src: z.string(), alt: z.string() }))),
  }),
);

/** Every error the server answers with. `fields` maps an input field to a human sentence. */
export const ApiErrorSchema = matching<ApiError>()(
  z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.optional(z.record(z.string(), z.string())),
    }),
  }),
);

/** What a client sends (before the server normalises it into a `ParsedCommentInput`). */
export type CommentInput = z.input<typeof CommentInputSchema>;
/** An article as a page or server may write it (`format` may be absent). */
export type Article = z.input<typeof ArticleSchema>;

/**
 * Field errors of a failed parse, one per field (the first), as sentences from `messages`
 * (English by default). A key with no sentence is returned as it is.
 */
export function fieldErrors(
  error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> },
  messages: Partial<Record<string, string>> = validationMessages,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '_');
    out[field] ??= messages[issue.message] ?? validationMessages[issue.message as ValidationKey] ?? issue.message;
  }
  return out;
}
