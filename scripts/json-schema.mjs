// Writes docs/protocol.schema.json: the wire contract's zod schemas rendered by zod's toJSONSchema, for server
// authors in other languages. The code-point limits and rules that JSON Schema cannot state are added as text.
import { writeFileSync } from 'node:fs';
import * as z from 'zod/mini';

export async function writeJsonSchema(distUrl, outFile) {
  const s = await import(new URL('schema.js', distUrl).href);
  const { limits } = s;
  const render = (schema, io = 'output') => {
    const j = z.toJSONSchema(schema, { unrepresentable: 'any', io });
    delete j.$schema;
    return j;
  };
  const input = render(s.CommentInputSchema, 'input');
  input.required = ['thread', 'name', 'email', 'body'];
  const notes = {
    thread: `1 to ${limits.thread} Unicode code points after trimming, with no control characters or line breaks.`,
    parentId: 'The id of the comment replied to, in the same thread; null or absent for a top-level comment.',
    name: `Required: not blank after trimming, at most ${limits.name} code points, no control characters, not made only of invisible characters.`,
    email: `Required, never published: trimmed, zod's default email pattern (no quoted local part), local part at most ${limits.emailLocal} and the whole at most ${limits.email} code points.`,
    website: `Optional: an absolute http: or https: URL of at most ${limits.website} code points, with no control characters or line breaks and no credentials before the host; empty means none.`,
    body: `Required: not blank after trimming, at most ${limits.body} code points, no control characters but tab, LF and CR.`,
    hp: 'The honeypot: people leave it empty; a filled one is accepted and never published.',
    authorToken: 'Optional: the token an earlier 201 answer gave this browser, 22 to 64 base64url characters; empty or null means none. Only its SHA-256 is stored; it decides duplicates, one of the flood keys and first-time moderation trust, never the email.',
  };
  for (const [k, d] of Object.entries(notes)) input.properties[k].description = d;
  input.description = 'POST {endpoint} with Content-Type: application/json and an Idempotency-Key header. Unknown fields are ignored.';
  const comment = render(s.CommentSchema);
  comment.properties.website = { type: ['string', 'null'], description: 'An http(s) URL, or null.' };
  comment.description = 'A comment as anyone may see it. There is no email field, ever.';
  const doc = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://inkwell.invalid/protocol-v1.schema.json',
    title: 'Inkwell wire protocol v1',
    description: 'Generated from src/schema.ts by scripts/json-schema.mjs at build time; do not edit.',
    $defs: {
      CommentInput: input,
      Comment: comment,
      CommentPage: { ...render(s.CommentPageSchema), description: 'GET {endpoint}?thread=T&sort=oldest|newest&limit=N&cursor=C' },
      Counts: { ...render(s.CountsSchema), description: 'GET {endpoint}/counts?thread=A&thread=B' },
      Article: render(s.ArticleSchema, 'input'),
      ApiError: render(s.ApiErrorSchema),
    },
  };
  doc.$defs.CommentPage.properties.comments.items = { $ref: '#/$defs/Comment' };
  writeFileSync(outFile, JSON.stringify(doc, null, 2) + '\n');
}
