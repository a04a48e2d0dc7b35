// The zod schemas (the published contract, used by the server) and the plain rules (used by the elements) must
// give the same answer for every input: this holds them together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ArticleSchema, CommentInputSchema, CommentPageSchema, CommentSchema } from '../../src/schema.js';
import { checkInput, readArticle, readComment, readCommentPage } from '../../src/rules.js';

const blns: string[] = JSON.parse(readFileSync(new URL('../corpora/blns.json', import.meta.url), 'utf8'));

function viaZod(input: unknown) {
  const r = CommentInputSchema.safeParse(input);
  if (r.success) return { ok: true, data: r.data };
  const errors: Record<string, string> = {};
  for (const i of r.error.issues) errors[String(i.path[0])] ??= i.message;
  return { ok: false, errors };
}

function same(input: Record<string, unknown>) {
  const a = viaZod(input);
  const b = checkInput(input);
  assert.equal(b.ok, a.ok, `ok differs for ${JSON.stringify(input)}`);
  if (a.ok && b.ok) assert.deepEqual({ ...b.data }, { ...a.data });
  if (!a.ok && !b.ok) assert.deepEqual(b.errors, a.errors, `errors differ for ${JSON.stringify(input)}`);
}

const base = { thread: '/post', name: 'Ada', email: 'ada@example.com', body: 'Hello', website: '' };

test('CommentInput: zod schema and plain rules agree on curated cases', () => {
  const cases: Record<string, unknown>[] = [
    base,
    {},
    { ...base, name: '   ' },
    { ...base, body: ' \n\t ' },
    { ...base, email: 'a@b' },
    { ...base, email: '"x"@example.com' },
    { ...base, email: 'a@b.c\r\nBcc:x' },
    { ...base, email: 'x'.repeat(300) + '@example.com' },
    { ...base, email: 'x'.repeat(65) + '@example.com' },
    { ...base, email: 'x'.repeat(64) + '@example.com' },
    { ...base, website: 'javascript:alert(1)' },
    { ...base, website: 'data:text/html,x' },
    { ...base, website: 'example.com' },
    { ...base, website: 'ftp://x' },
    { ...base, website: 'https://ada.example/' + 'a'.repeat(200) },
    { ...base, website: ' https://ada.example ' },
    { ...base, website: null },
    { ...base, body: 'x'.repeat(65_525) },
    { ...base, body: 'x'.repeat(65_526) },
    { ...base, body: '😀'.repeat(65_525) },
    { ...base, name: 'a\nb' },
    { ...base, body: 'a\u0000b' },
    { ...base, body: 'line\r\nline\ttab' },
    { ...base, thread: 'x'.repeat(201) },
    { ...base, thread: '' },
    { ...base, parentId: '' },
    { ...base, parentId: 'c_1' },
    { ...base, parentId: 5 },
    { ...base, name: 42 },
    { ...base, hp: 'bot' },
    { ...base, status: 'published', id: 'x', createdAt: '2020-01-01T00:00:00Z' },
    { ...base, website: 'https://a.example/\r\nx' },
    { ...base, website: 'https://user:pass@a.example' },
    { ...base, website: 'https://@a.example' },
    { ...base, thread: 'a\u0000b' },
    { ...base, thread: 'a\u2028b' },
    { ...base, name: '\u200b\ufe0f\u0301' },
    { ...base, name: '\u202eAda' },
    { ...base, authorToken: 'a'.repeat(22) },
    { ...base, authorToken: 'a'.repeat(21) },
    { ...base, authorToken: '' },
    { ...base, authorToken: null },
    { ...base, authorToken: 7 },
  ];
  for (const c of cases) same(c);
});

test('CommentInput: zod schema and plain rules agree on the 515 naughty strings in every field', () => {
  for (const s of blns) {
    for (const field of ['name', 'body', 'email', 'website', 'thread', 'parentId', 'authorToken']) same({ ...base, [field]: s });
  }
});

test('Comment, CommentPage and Article readers accept and refuse what the zod schemas do', () => {
  const c = { id: 'c_1', thread: 't', parentId: null, name: 'Ada', website: 'https://a.example', body: 'b', createdAt: '2026-11-27T10:00:00.000Z', status: 'published' };
  const comments: unknown[] = [
    c,
    { ...c, email: 'leak@example.com' },
    { ...c, website: 'javascript:alert(1)' },
    { ...c, website: null },
    { ...c, status: 'spam' },
    { ...c, createdAt: 'yesterday' },
    { ...c, id: 5 },
    { ...c, parentId: undefined },
    null,
    [],
  ];
  for (const v of comments) {
    const z = CommentSchema.safeParse(v);
    const r = readComment(v);
    assert.equal(r !== undefined, z.success, JSON.stringify(v));
    if (z.success) assert.deepEqual(r, z.data);
    if (r) assert.ok(!('email' in r));
  }
  const pages: unknown[] = [
    { thread: 't', total: 1, comments: [c], nextCursor: null },
    { thread: 't', total: -1, comments: [], nextCursor: null },
    { thread: 't', total: 1, comments: [{ ...c, status: 'x' }], nextCursor: 'n' },
    { thread: 't', total: 1, comments: 'nope', nextCursor: null },
  ];
  for (const v of pages) assert.equal(readCommentPage(v) !== undefined, CommentPageSchema.safeParse(v).success, JSON.stringify(v));
  const articles: unknown[] = [
    { title: 'T', body: 'B' },
    { title: 'T', body: 'B', format: 'html', author: 'A', publishedAt: '2026-11-27T08:00:00Z', updatedAt: null, image: { src: '/a.png', alt: 'x' } },
    { title: 'T' },
    { title: 'T', body: 'B', format: 'rtf' },
    { title: 'T', body: 'B', image: { src: 1 } },
  ];
  for (const v of articles) {
    const z = ArticleSchema.safeParse(v);
    assert.equal(readArticle(v) !== undefined, z.success, JSON.stringify(v));
  }
});
