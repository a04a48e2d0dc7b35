/**
 * The wire contract (protocol v1): zod schemas shared by the elements, the reference server and anyone writing
 * their own backend. No DOM and no Lit here, so that both sides can import it.
 *
 * Validation messages are keys (`name.required`), not sentences: the server turns them into English with
 * `validationMessages`, the elements into the reader's language. `fieldErrors()` does the mapping.
 * @module
 */
import * as z from 'zod/mini';

// Zod compiles object parsers with `new Function` unless told not to. A strict CSP (`script-src 'self'`) reports
// even the probe as a violation, and the parse cost of a comment page is small either way.
z.config({ jitless: true });

/** Limits, in Unicode code points (WordPress core's numbers, which count bytes there). */
export const limits = {
  name: 245,
  email: 100,
  emailLocal: 64,
  website: 200,
  body: 65_525,
  thread: 200,
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
  'thread.invalid': `The thread id must be 1 to ${limits.thread} characters.`,
  'parentId.invalid': 'The comment replied to is not valid.',
} as const;

/** A validation message key. */
export type ValidationKey = keyof typeof validationMessages;

/** Counts code points, as both sides do, so that an emoji counts once wherever it is measured. */
export const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

const maxPoints = (n: number, key: ValidationKey) => z.refine<string>((s) => codePoints(s) <= n, key);
const notBlank = (key: ValidationKey) => z.refine<string>((s) => s.length > 0, key);
// C0 and C1 controls: invisible, and a name with a line break can forge a second header line in a mail digest.
const CONTROL_IN_NAME = /[\u0000-\u001f\u007f-\u009f]/;
// Tab, line feed and carriage return are how a body is laid out; the other controls have no place in it.
const CONTROL_IN_BODY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const noControl = (re: RegExp, key: ValidationKey) => z.refine<string>((s) => !re.test(s), key);

/** The comment text: ends trimmed, not blank, at most 65,525 code points. */
export const BodySchema = z.string('body.required').check(
  z.trim(),
  notBlank('body.required'),
  maxPoints(limits.body, 'body.tooLong'),
  noControl(CONTROL_IN_BODY, 'body.control'),
);

/** The author's name: trimmed, not blank, at most 245 code points, one line. */
export const NameSchema = z.string('name.required').check(
  z.trim(),
  notBlank('name.required'),
  maxPoints(limits.name, 'name.tooLong'),
  noControl(CONTROL_IN_NAME, 'name.control'),
);

/** The author's email: trimmed, zod's default pattern (no quoted local parts), local part ≤ 64, ≤ 100 in all. */
export const EmailSchema = z.pipe(
  z.string('email.required').check(z.trim(), notBlank('email.required'), maxPoints(limits.email, 'email.tooLong')),
  z.email('email.invalid').check(z.refine((s) => codePoints(s.slice(0, s.lastIndexOf('@'))) <= limits.emailLocal, 'email.invalid')),
);

/** True for an absolute `http:` or `https:` URL with a host. */
export const isHttpUrl = (s: string): boolean => {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
};

/** The optional website: an absolute http(s) URL of at most 200 code points; empty means none (`null`). */
export const WebsiteSchema = z.pipe(
  z.transform((v: unknown) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : v)),
  z.nullable(
    z.string('website.invalid').check(
      z.trim(),
      maxPoints(limits.website, 'website.tooLong'),
      z.refine(isHttpUrl, 'website.invalid'),
    ),
  ),
);

/** A thread id: 1 to 200 code points, ends trimmed. */
export const ThreadSchema = z.string('thread.invalid').check(
  z.trim(),
  notBlank('thread.invalid'),
  maxPoints(limits.thread, 'thread.invalid'),
);

const ParentIdSchema = z.pipe(
  z.transform((v: unknown) => (v === undefined || v === '' ? null : v)),
  z.nullable(z.string('parentId.invalid').check(z.minLength(1, 'parentId.invalid'), z.maxLength(100, 'parentId.invalid'))),
);

/** What a reader posts. Unknown fields (`status`, `id`, `createdAt`…) are dropped, never stored. */
export const CommentInputSchema = z.object({
  thread: ThreadSchema,
  parentId: ParentIdSchema,
  name: NameSchema,
  email: EmailSchema,
  website: WebsiteSchema,
  body: BodySchema,
  /** The honeypot: people leave it empty. */
  hp: z.optional(z.string()),
});

/** The status of a stored comment. */
export const CommentStatusSchema = z.enum(['published', 'pending']);

/** A comment as anyone may see it. There is no email field, ever: an email in a response is dropped here. */
export const CommentSchema = z.object({
  id: z.string(),
  thread: z.string(),
  parentId: z.nullable(z.string()),
  name: z.string(),
  website: z.pipe(
    z.nullable(z.optional(z.string())),
    // A stored website that is not http(s) is never linked: drop it rather than trust it.
    z.transform((w) => (w && isHttpUrl(w) ? w : null)),
  ),
  body: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  status: CommentStatusSchema,
});

/** `GET {endpoint}?thread=T`: top-level comments of one page and all their replies. */
export const CommentPageSchema = z.object({
  thread: z.string(),
  total: z.int().check(z.nonnegative()),
  comments: z.array(CommentSchema),
  nextCursor: z.nullable(z.string()),
});

/** `GET {endpoint}/counts?thread=A&thread=B`. */
export const CountsSchema = z.object({
  counts: z.record(z.string(), z.int().check(z.nonnegative())),
});

/** An article body format. */
export const ArticleFormatSchema = z.enum(['text', 'html', 'markdown']);

/** An article for `<ink-article src>` or `.article`. Only `title` and `body` are required. */
export const ArticleSchema = z.object({
  title: z.string(),
  body: z.string(),
  author: z.optional(z.nullable(z.string())),
  publishedAt: z.optional(z.nullable(z.iso.datetime({ offset: true }))),
  updatedAt: z.optional(z.nullable(z.iso.datetime({ offset: true }))),
  format: z._default(ArticleFormatSchema, 'text'),
  url: z.optional(z.nullable(z.string())),
  image: z.optional(z.nullable(z.object({ src: z.string(), alt: z.string() }))),
});

/** Every error the server answers with. `fields` maps an input field to a human sentence. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.optional(z.record(z.string(), z.string())),
  }),
});

export type CommentInput = z.input<typeof CommentInputSchema>;
export type ParsedCommentInput = z.output<typeof CommentInputSchema>;
export type Comment = z.output<typeof CommentSchema>;
export type CommentStatus = z.output<typeof CommentStatusSchema>;
export type CommentPage = z.output<typeof CommentPageSchema>;
export type Counts = z.output<typeof CountsSchema>;
export type ArticleFormat = z.output<typeof ArticleFormatSchema>;
export type Article = z.input<typeof ArticleSchema>;
export type ParsedArticle = z.output<typeof ArticleSchema>;
export type ApiError = z.output<typeof ApiErrorSchema>;

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
