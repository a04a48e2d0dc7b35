import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { json, start } from './helpers.js';
import type { TestServer } from './helpers.js';

// The corpora live in test/corpora/ (sources and licences in its README).
const blns: string[] = JSON.parse(readFileSync(new URL('../corpora/blns.json', import.meta.url), 'utf8'));
const xss: string[] = readFileSync(new URL('../corpora/xss-payload-list.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  // Every fifth payload keeps the variety and the suite fast.
  .filter((_, i) => i % 5 === 0);

/** Every published comment of a thread, across pages. */
async function everything(s: TestServer, thread: string): Promise<any[]> {
  const out = [];
  let cursor: string | null = null;
  do {
    const res: Response = await s.get(`?thread=${encodeURIComponent(thread)}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200);
    const page: any = await json(res);
    out.push(...page.comments);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Runs `fn` over `items`, `width` at a time. */
async function inBatches<T>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map((x, j) => fn(x, i + j)));
}

describe('naughty strings (blns.json, 515 strings)', () => {
  let s: TestServer;
  before(async () => (s = await start()));
  after(() => s.close());

  it('has the whole corpus', () => assert.equal(blns.length, 515));

  for (const field of ['name', 'body', 'thread'] as const) {
    it(`as ${field}: each comes back byte-identical (after trim) or is refused with a 422 field error`, async () => {
      const thread = `blns-${field}`;
      const accepted = new Map<string, string>(); // id -> expected text
      let refusedCount = 0;
      await inBatches(blns, 25, async (str, i) => {
        const input = {
          thread: field === 'thread' ? str : thread,
          name: field === 'name' ? str : `Tester ${i}`,
          email: `blns-${field}-${i}@example.com`,
          body: field === 'body' ? str : `Body ${i}`,
        };
        const res = await s.post(input);
        const body = await json(res);
        if (res.status === 201) {
          assert.equal(body.comment[field], str.trim(), `string ${i} echoed byte-identical`);
          accepted.set(body.comment.id, str.trim());
        } else {
          assert.equal(res.status, 422, `string ${i}: ${JSON.stringify(str)} → ${res.status} ${JSON.stringify(body)}`);
          assert.equal(body.error.code, 'validation');
          assert.equal(typeof body.error.fields[field], 'string', `string ${i} refused on the ${field} field`);
          refusedCount++;
        }
      });
      assert.ok(accepted.size > 450, `most strings are accepted (${accepted.size})`);
      if (field === 'thread') {
        // Each in its own thread: read back a sample through the query string (all ≤ 100 threads per counts call).
        const ids = [...accepted.keys()];
        for (const id of ids) {
          const t = accepted.get(id)!;
          const page = await json(await s.get(`?thread=${encodeURIComponent(t)}`));
          assert.ok(page.comments.some((c: any) => c.id === id && c.thread === t), `thread ${JSON.stringify(t)} lists its comment`);
        }
      } else {
        const listed = await everything(s, thread);
        assert.equal(listed.length, accepted.size);
        for (const c of listed) assert.equal(c[field], accepted.get(c.id), 'listed byte-identical');
      }
      assert.equal(accepted.size + refusedCount, blns.length);
    });
  }

  it('the server still answers', async () => {
    assert.equal((await s.get('?thread=blns-body&limit=1')).status, 200);
  });
});

describe(`XSS payloads (${xss.length} of xss-payload-list.txt) as comment bodies`, () => {
  let s: TestServer;
  // Storage and escaping are under test here, not hold rules: a payload with two links would otherwise be held.
  before(async () => (s = await start({ holdLinks: 0 })));
  after(() => s.close());

  it('are stored and listed exactly as sent, never escaped', async () => {
    const sent = new Map<string, string>();
    await inBatches(xss, 50, async (payload, i) => {
      const res = await s.post({ thread: 'xss', name: `X ${i}`, email: `x${i}@example.com`, body: payload });
      if (res.status === 201) {
        const { comment } = await json(res);
        sent.set(comment.id, payload.trim());
      } else {
        assert.equal(res.status, 422, payload);
      }
    });
    const listed = await everything(s, 'xss');
    assert.equal(listed.length, sent.size);
    assert.ok(sent.size > xss.length * 0.95);
    for (const c of listed) assert.equal(c.body, sent.get(c.id));
  });
});
