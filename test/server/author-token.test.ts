// Issue 14, items 2 to 4: what one client can learn about another through POST answers. Every answer must depend
// only on what the asker holds (its network, its author token), never on an email it typed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validationMessages } from '../../src/schema.js';
import { input, json, start } from './helpers.js';
import type { TestServer } from './helpers.js';

const TOKEN = 'admin-token-for-author-tests';
const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('the duplicate check does not confirm an email (issue 14.2)', () => {
  let s: TestServer;
  before(async () => (s = await start({ floodSeconds: 0 })));
  after(() => s.close());

  it('a client without the victim token gets the same answer whatever email it guesses', async () => {
    const victim = input({ thread: 'probe', email: 'victim@example.com', body: 'A comment anyone can read.' });
    const posted = await s.post(victim, from('198.51.100.1'));
    assert.equal(posted.status, 201);
    const { authorToken: victimToken } = await json(posted);

    // The attacker's own token, from a comment of its own.
    const attackerToken = (await json(await s.post(input({ thread: 'elsewhere' }), from('203.0.113.5')))).authorToken;
    // With its own token, the attacker's first copy is stored; its repeats are then its own duplicates.
    assert.equal((await s.post({ ...victim, email: 'first@example.com', authorToken: attackerToken }, from('203.0.113.5'))).status, 201);
    for (const token of [undefined, attackerToken]) {
      const answers: unknown[][] = [];
      for (const email of ['victim@example.com', 'VICTIM@example.com', 'nobody@example.com', 'guess@example.org']) {
        const res = await s.post({ ...victim, email, ...(token ? { authorToken: token } : {}) }, from('203.0.113.5'));
        const body = await json(res);
        answers.push([res.status, Object.keys(body).sort().join(), body.comment?.status ?? body.error?.code]);
      }
      assert.ok(answers.every((a) => JSON.stringify(a) === JSON.stringify(answers[0])), JSON.stringify(answers));
      // Without a token every post is new; with its own, each is its own duplicate. The victim's email changes nothing.
      if (token) assert.deepEqual(answers[0], [409, 'error', 'duplicate']);
      else assert.deepEqual(answers[0], [201, 'authorToken,comment', 'published']);
    }
    // The victim's own double post is still caught, by the token its browser holds, whatever email it types.
    const again = await s.post({ ...victim, email: 'typo@example.com', authorToken: victimToken }, from('198.51.100.1'));
    assert.equal(again.status, 409);
  });
});

describe('Retry-After and 429 depend only on the asker (issue 14.3)', () => {
  let clock = Date.parse('2026-02-01T00:00:00.000Z');
  let s: TestServer;
  before(async () => (s = await start({ floodSeconds: 15, trustProxy: true, now: () => clock })));
  after(() => s.close());

  it('a probe with a victim email gets its own window, not the victim’s', async () => {
    // The asker posts first; the victim four seconds later; the asker probes one second after that.
    const asker = await json(await s.post(input(), from('203.0.113.9')));
    clock += 4_000;
    assert.equal((await s.post(input({ email: 'victim@example.com' }), from('198.51.100.20'))).status, 201);
    clock += 1_000;
    const probe = await s.post(input({ email: 'victim@example.com', authorToken: asker.authorToken }), from('203.0.113.9'));
    assert.equal(probe.status, 429);
    assert.equal(probe.headers.get('retry-after'), '10', 'the asker’s own 15 − 5 seconds, not the victim’s 14');
    // From a fresh network, with no token, the victim's email is no reason to refuse.
    assert.equal((await s.post(input({ email: 'victim@example.com' }), from('192.0.2.77'))).status, 201);
  });
});

describe('first-time moderation trusts the author token, not the email (issue 14.4)', () => {
  let s: TestServer;
  before(async () => (s = await start({ moderation: 'first-time', adminToken: TOKEN, floodSeconds: 0 })));
  after(() => s.close());

  it('knowing an approved commenter’s name and email is not enough to post unmoderated', async () => {
    const approved = await json(await s.post(input({ name: 'Grace', email: 'grace@example.com' })));
    assert.equal(approved.comment.status, 'pending');
    const ok = await fetch(`${s.url}/admin/comments/${approved.comment.id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(ok.status, 200);

    const impostor = await json(await s.post(input({ name: 'Grace', email: 'grace@example.com', body: 'Buy now!' })));
    assert.equal(impostor.comment.status, 'pending');
    const impostorWithToken = await json(await s.post(input({ name: 'Grace', email: 'grace@example.com', authorToken: impostor.authorToken })));
    assert.equal(impostorWithToken.comment.status, 'pending');

    const grace = await json(await s.post(input({ name: 'Grace', email: 'grace@example.com', authorToken: approved.authorToken })));
    assert.equal(grace.comment.status, 'published');
    assert.equal(grace.authorToken, approved.authorToken, 'the token sent is the token answered');
  });
});

describe('the author token on the wire', () => {
  let s: TestServer;
  before(async () => (s = await start({ floodSeconds: 0 })));
  after(() => s.close());

  it('is new and random without one, the same when sent, never stored raw, never in a public comment', async () => {
    const a = await json(await s.post(input()));
    const b = await json(await s.post(input()));
    assert.match(a.authorToken, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(a.authorToken, b.authorToken);
    const mine = 'my-own-token_0123456789abcdef';
    const c = await json(await s.post(input({ authorToken: mine })));
    assert.equal(c.authorToken, mine);
    assert.ok(!('authorToken' in c.comment));
    const stored = JSON.stringify(s.rows());
    for (const token of [a.authorToken, b.authorToken, mine]) assert.ok(!stored.includes(token), 'only a hash is stored');
    const page = await (await s.get('?thread=post-1')).text();
    assert.ok(!page.includes(mine) && !page.includes(a.authorToken));
  });

  it('a replay returns the token the retry carried', async () => {
    const key = crypto.randomUUID();
    const body = input({ authorToken: 'retry-token-0123456789abcdef' });
    const first = await json(await s.post(body, { 'idempotency-key': key }));
    const retry = await s.post(body, { 'idempotency-key': key });
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await json(retry), first);
    assert.equal(first.authorToken, 'retry-token-0123456789abcdef');
  });

  for (const bad of ['short', 'has spaces in it and is long enough', 'x'.repeat(65), 'plus+and/slash=0123456789ab', 42]) {
    it(`422 with fields.authorToken for ${JSON.stringify(bad).slice(0, 30)}`, async () => {
      const res = await s.post(input({ authorToken: bad }));
      assert.equal(res.status, 422);
      assert.equal((await json(res)).error.fields.authorToken, validationMessages['authorToken.invalid']);
    });
  }

  it('an empty or null token means none', async () => {
    for (const none of ['', null]) {
      const res = await s.post(input({ authorToken: none }));
      assert.equal(res.status, 201);
      assert.match((await json(res)).authorToken, /^[A-Za-z0-9_-]{32}$/);
    }
  });
});
