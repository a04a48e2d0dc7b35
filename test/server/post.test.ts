import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { validationMessages } from '../../src/schema.js';
import { PUBLIC_FIELDS, input, json, start } from './helpers.js';
import type { TestServer } from './helpers.js';

/** Asserts the request was refused with `status`/`code` and that the database did not change. */
async function refused(s: TestServer, send: () => Promise<Response>, status: number, code: string) {
  const before = JSON.stringify(s.rows());
  const res = await send();
  const body = await json(res);
  assert.equal(res.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 10, 'a human sentence');
  assert.match(res.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/);
  assert.equal(JSON.stringify(s.rows()), before, 'the database is unchanged');
  return body.error as { code: string; message: string; fields?: Record<string, string> };
}

describe('POST: accepted comments', () => {
  let s: TestServer;
  before(async () => (s = await start()));
  after(() => s.close());

  it('stores a comment and answers 201 with exactly the public fields', async () => {
    const res = await s.post(input({ name: '  Ada  ', body: '\n  Hello <b>world</b> & "you"  \n' }));
    assert.equal(res.status, 201);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/);
    const { comment } = await json(res);
    assert.deepEqual(Object.keys(comment).sort(), PUBLIC_FIELDS);
    assert.match(comment.id, /^c_[A-Za-z0-9_-]{16}$/);
    assert.match(comment.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(comment.status, 'published');
    assert.equal(comment.name, 'Ada');
    assert.equal(comment.body, 'Hello <b>world</b> & "you"', 'trimmed, never HTML-escaped');
    const [row] = s.rows().filter((r) => r.id === comment.id);
    assert.equal(row!.body, 'Hello <b>world</b> & "you"');
  });

  it('ignores status, id, createdAt and unknown fields sent by the client', async () => {
    const res = await s.post(
      input({ status: 'pending', id: 'c_mine', createdAt: '2000-01-01T00:00:00.000Z', admin: true, rootId: 'x', ip: '1.2.3.4' }),
    );
    assert.equal(res.status, 201);
    const { comment } = await json(res);
    assert.notEqual(comment.id, 'c_mine');
    assert.notEqual(comment.createdAt, '2000-01-01T00:00:00.000Z');
    assert.equal(comment.status, 'published');
    const row = s.rows().find((r) => r.id === comment.id)!;
    assert.equal(row.root_id, comment.id);
    assert.equal(row.ip, '127.0.0.0', 'only the /24 is stored');
  });

  it('accepts a website of exactly 200 code points, a name of 245 emoji, a 200-character thread', async () => {
    const website = `https://example.com/${'a'.repeat(200 - 20)}`;
    assert.equal(website.length, 200);
    const res = await s.post(input({ website, name: '😀'.repeat(245), thread: 't'.repeat(200) }));
    assert.equal(res.status, 201);
  });

  it('treats an empty website and an empty or missing parentId as none, and a blank honeypot as empty', async () => {
    const res = await s.post(input({ website: '  ', parentId: '', hp: '   ' }));
    assert.equal(res.status, 201);
    const { comment } = await json(res);
    assert.equal(comment.website, null);
    assert.equal(comment.parentId, null);
    assert.equal(comment.status, 'published');
    const res2 = await s.post({ thread: 'post-1', name: 'Min', email: 'min@example.com', body: 'Minimal.' });
    assert.equal(res2.status, 201);
  });

  it('accepts a name with bidi characters around visible text (the element isolates it)', async () => {
    const res = await s.post(input({ name: '\u202eAda\u202c \u05d0\u05d3\u05d4' }));
    assert.equal(res.status, 201);
    assert.equal((await json(res)).comment.name, '\u202eAda\u202c \u05d0\u05d3\u05d4');
  });

  it('accepts Content-Type with a utf-8 charset parameter', async () => {
    const res = await s.post(input(), { 'content-type': 'Application/JSON; charset=UTF-8' });
    assert.equal(res.status, 201);
  });

  it('stores a reply to a published comment of the same thread', async () => {
    const { comment: parent } = await json(await s.post(input()));
    const res = await s.post(input({ parentId: parent.id }));
    assert.equal(res.status, 201);
    const { comment } = await json(res);
    assert.equal(comment.parentId, parent.id);
    assert.equal(s.rows().find((r) => r.id === comment.id)!.root_id, parent.id);
  });
});

describe('POST: refused requests change nothing', () => {
  let s: TestServer;
  let parentId: string;
  before(async () => {
    s = await start();
    parentId = (await json(await s.post(input({ thread: 'other-thread' })))).comment.id;
  });
  after(() => s.close());

  for (const [label, text] of [
    ['a malformed JSON body', '{"thread": "post-1", '],
    ['a JSON array', '[{"thread":"post-1"}]'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['a JSON string', '"hello"'],
    ['an empty body', ''],
    ['text before the JSON', 'x{"a":1}'],
  ] as const) {
    it(`400 invalid_json for ${label}`, async () => {
      await refused(s, () => s.post(text), 400, 'invalid_json');
    });
  }

  it('400 invalid_json for bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('{"thread":"post-1","name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    await refused(s, () => fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes }), 400, 'invalid_json');
  });

  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonp']) {
    it(`415 for Content-Type ${type}`, async () => {
      await refused(s, () => s.post(input(), { 'content-type': type }), 415, 'unsupported_media_type');
    });
  }

  it('415 without a Content-Type', async () => {
    await refused(s, () => fetch(s.url, { method: 'POST', body: new Blob([JSON.stringify(input())]) }), 415, 'unsupported_media_type');
  });

  it('413 for a body over 100 KB with a Content-Length', async () => {
    await refused(s, () => s.post(input({ body: 'x'.repeat(100_001) })), 413, 'too_large');
  });

  it('413 for a chunked upload, answered long before the sender finishes', async () => {
    const before = JSON.stringify(s.rows());
    const { hostname, port, pathname } = new URL(s.url);
    const result = await new Promise<{ response: string; sent: number }>((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      let response = '';
      let sent = 0;
      let done = false;
      const chunk = `${(64 * 1024).toString(16)}\r\n${'x'.repeat(64 * 1024)}\r\n`;
      const finish = () => {
        if (done) return;
        done = true;
        resolve({ response, sent });
      };
      socket.on('data', (d) => (response += d.toString()));
      socket.on('close', finish);
      socket.on('error', () => finish());
      socket.on('connect', () => {
        socket.write(`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
        const pump = () => {
          // Up to 50 MB; a server that buffered everything would read it all.
          while (!done && sent < 50 * 1024 * 1024 && !response) {
            sent += 64 * 1024;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
          if (response && !done) setTimeout(() => socket.destroy(), 200);
        };
        pump();
      });
      setTimeout(() => reject(new Error('no answer in 10 s')), 10_000).unref();
    });
    assert.match(result.response, /^HTTP\/1\.1 413 /);
    assert.match(result.response, /"too_large"/);
    assert.ok(result.sent < 20 * 1024 * 1024, `stopped early (client had written ${result.sent} bytes)`);
    assert.equal(JSON.stringify(s.rows()), before);
  });

  const invalid: [string, Record<string, unknown>, string, string][] = [
    ['a missing name', { name: undefined }, 'name', validationMessages['name.required']],
    ['a blank name', { name: '  \t ' }, 'name', validationMessages['name.required']],
    ['a name that is a number', { name: 5 }, 'name', validationMessages['name.required']],
    ['a name of 246 code points', { name: 'é'.repeat(246) }, 'name', validationMessages['name.tooLong']],
    ['a name with a NUL', { name: 'A\u0000B' }, 'name', validationMessages['name.control']],
    ['a name with a line break', { name: 'Ada\nBcc: x' }, 'name', validationMessages['name.control']],
    ['a missing body', { body: undefined }, 'body', validationMessages['body.required']],
    ['a blank body', { body: ' \n\t ' }, 'body', validationMessages['body.required']],
    ['a body of 65,526 code points', { body: 'b'.repeat(65_526) }, 'body', validationMessages['body.tooLong']],
    ['a body with a BEL', { body: 'ding\u0007' }, 'body', validationMessages['body.control']],
    ['a body with a C1 control', { body: 'next\u0085line' }, 'body', validationMessages['body.control']],
    ['a body with an escape sequence', { body: '\u001b[31mred' }, 'body', validationMessages['body.control']],
    ['a body with a lone surrogate', { body: 'half \ud83d emoji' }, 'body', 'lone UTF-16 surrogate'],
    ['a missing email', { email: undefined }, 'email', validationMessages['email.required']],
    ['a blank email', { email: '   ' }, 'email', validationMessages['email.required']],
    ['an invalid email', { email: 'not-an-email' }, 'email', validationMessages['email.invalid']],
    ['an email with a quoted local part', { email: '"<b>x</b>"@example.com' }, 'email', validationMessages['email.invalid']],
    ['an email of 500 characters', { email: `${'a'.repeat(60)}@${'b'.repeat(435)}.com` }, 'email', validationMessages['email.tooLong']],
    ['an email with a 65-character local part', { email: `${'a'.repeat(65)}@example.com` }, 'email', validationMessages['email.invalid']],
    ['a javascript: website', { website: 'javascript:alert(1)' }, 'website', validationMessages['website.invalid']],
    ['a data: website', { website: 'data:text/html,<script>alert(1)</script>' }, 'website', validationMessages['website.invalid']],
    ['an ftp: website', { website: 'ftp://example.com/' }, 'website', validationMessages['website.invalid']],
    ['a relative website', { website: '/about' }, 'website', validationMessages['website.invalid']],
    ['a website of 201 code points', { website: `https://example.com/${'a'.repeat(181)}` }, 'website', validationMessages['website.tooLong']],
    ['a missing thread', { thread: undefined }, 'thread', validationMessages['thread.invalid']],
    ['a blank thread', { thread: '  ' }, 'thread', validationMessages['thread.invalid']],
    ['a thread of 201 code points', { thread: 't'.repeat(201) }, 'thread', validationMessages['thread.invalid']],
    ['a parentId that is a number', { parentId: 42 }, 'parentId', validationMessages['parentId.invalid']],
    // Issue 14: input tightening.
    ['a website with CR/LF', { website: 'https://ada.example/\r\nSet-Cookie: x=1' }, 'website', validationMessages['website.control']],
    ['a website with a tab', { website: 'https://ada.example/a\tb' }, 'website', validationMessages['website.control']],
    ['a website with a line separator', { website: 'https://ada.example/\u2028x' }, 'website', validationMessages['website.control']],
    ['a website with user@host', { website: 'https://bank.example@evil.example/' }, 'website', validationMessages['website.credentials']],
    ['a website with user:pass@host', { website: 'http://user:pass@evil.example' }, 'website', validationMessages['website.credentials']],
    ['a thread with a NUL', { thread: 'post\u00001' }, 'thread', validationMessages['thread.invalid']],
    ['a thread with a line break', { thread: 'post-1\nSubject: x' }, 'thread', validationMessages['thread.invalid']],
    ['a thread with a C1 control', { thread: 'post\u00851' }, 'thread', validationMessages['thread.invalid']],
    ['a name of zero-width spaces', { name: '\u200b\u200c\u200d' }, 'name', validationMessages['name.required']],
    ['a name of bidi controls only', { name: '\u202e\u2066\u200f' }, 'name', validationMessages['name.required']],
    ['a name of word joiners and invisible operators', { name: '\u2060\u2061\u2062\u2063\u2064' }, 'name', validationMessages['name.required']],
    ['a name of combining marks alone', { name: '\u0301\u0308\u20dd' }, 'name', validationMessages['name.required']],
    ['a name of variation selectors', { name: '\ufe0f\u{e0100}' }, 'name', validationMessages['name.required']],
    ['a name of Hangul fillers and a blank Braille cell', { name: '\u3164\u115f\u2800' }, 'name', validationMessages['name.required']],
    ['a parentId of 101 characters', { parentId: 'p'.repeat(101) }, 'parentId', validationMessages['parentId.invalid']],
  ];
  for (const [label, override, field, message] of invalid) {
    it(`422 validation for ${label}`, async () => {
      const body = input(override);
      const error = await refused(s, () => s.post(body), 422, 'validation');
      assert.ok(error.fields, 'fields present');
      assert.ok(error.fields[field]?.includes(message), `fields.${field} = ${error.fields[field]}`);
    });
  }

  it('422 lists every invalid field at once', async () => {
    const error = await refused(s, () => s.post({ website: 'javascript:x' }), 422, 'validation');
    assert.deepEqual(Object.keys(error.fields!).sort(), ['body', 'email', 'name', 'thread', 'website']);
  });

  it('404 not_found with fields.parentId for an unknown parent', async () => {
    const error = await refused(s, () => s.post(input({ parentId: 'c_doesnotexist0000' })), 404, 'not_found');
    assert.ok(error.fields?.parentId);
  });

  it('404 not_found for a parent from another thread', async () => {
    const error = await refused(s, () => s.post(input({ parentId })), 404, 'not_found');
    assert.ok(error.fields?.parentId);
  });

  it('400 for an Idempotency-Key that is not visible ASCII', async () => {
    await refused(s, () => s.post(input(), { 'idempotency-key': 'x'.repeat(201) }), 400, 'invalid_idempotency_key');
  });

  it('405 for PUT and DELETE on the collection', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const before = JSON.stringify(s.rows());
      const res = await fetch(s.url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(input()) });
      assert.equal(res.status, 405);
      assert.equal((await json(res)).error.code, 'method_not_allowed');
      assert.match(res.headers.get('allow') ?? '', /POST/);
      assert.equal(JSON.stringify(s.rows()), before);
    }
  });
});

describe('POST: duplicates and idempotency', () => {
  let s: TestServer;
  before(async () => (s = await start()));
  after(() => s.close());

  it('409 duplicate for the same thread, body and author token, whatever the email', async () => {
    const first = input();
    const res = await s.post(first);
    assert.equal(res.status, 201);
    const { authorToken } = await json(res);
    assert.match(authorToken, /^[A-Za-z0-9_-]{32}$/, 'a new token: 24 random bytes');
    await refused(s, () => s.post({ ...first, authorToken, name: 'Someone else', email: 'other@example.com' }), 409, 'duplicate');
    // The same words in another thread, or without the token, are not duplicates.
    assert.equal((await s.post({ ...first, authorToken, thread: 'post-2' })).status, 201);
    assert.equal((await s.post(first)).status, 201);
  });

  it('the same Idempotency-Key with the same body returns the same 201 and stores one row', async () => {
    const body = input();
    const key = crypto.randomUUID();
    const first = await s.post(body, { 'idempotency-key': key });
    assert.equal(first.status, 201);
    const a = await json(first);
    const count = s.rows().length;
    // JSON written differently is the same request.
    const second = await s.post(JSON.stringify(body, null, 2), { 'idempotency-key': key });
    assert.equal(second.status, 201);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual((await json(second)).comment, a.comment);
    assert.equal(s.rows().length, count);
    assert.equal(s.rows().filter((r) => r.idempotency_key === key).length, 1);
  });

  it('the same Idempotency-Key with a different body is 422 idempotency_mismatch', async () => {
    const key = crypto.randomUUID();
    assert.equal((await s.post(input(), { 'idempotency-key': key })).status, 201);
    await refused(s, () => s.post(input(), { 'idempotency-key': key }), 422, 'idempotency_mismatch');
  });

  it('a filled honeypot answers 201 pending with a normal-looking comment, and stores nothing', async () => {
    const before = JSON.stringify(s.rows());
    const res = await s.post(input({ hp: 'https://spam.example', thread: 'honey' }));
    assert.equal(res.status, 201);
    const { comment } = await json(res);
    assert.deepEqual(Object.keys(comment).sort(), PUBLIC_FIELDS);
    assert.match(comment.id, /^c_[A-Za-z0-9_-]{16}$/);
    assert.equal(comment.status, 'pending');
    assert.equal(JSON.stringify(s.rows()), before);
    const page = await json(await s.get('?thread=honey'));
    assert.equal(page.total, 0);
    assert.deepEqual(page.comments, []);
    // A retry with the same key looks like a replay, as for a real comment.
    const key = crypto.randomUUID();
    const bot = input({ hp: 'x' });
    const a = await json(await s.post(bot, { 'idempotency-key': key }));
    const b = await json(await s.post(bot, { 'idempotency-key': key }));
    assert.equal(a.comment.id, b.comment.id);
    assert.equal(JSON.stringify(s.rows()), before);
  });
});

describe('POST: flood control', () => {
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  let s: TestServer;
  before(async () => (s = await start({ floodSeconds: 15, trustProxy: true, now: () => clock })));
  after(() => s.close());
  const from = (ip: string) => ({ 'x-forwarded-for': `203.0.113.77, ${ip}` });

  it('429 with Retry-After for a second comment from the same client inside the window', async () => {
    assert.equal((await s.post(input(), from('198.51.100.1'))).status, 201);
    clock += 5_000;
    const before = JSON.stringify(s.rows());
    const res = await s.post(input(), from('198.51.100.1'));
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '10');
    const { error } = await json(res);
    assert.equal(error.code, 'rate_limited');
    assert.match(error.message, /10 seconds/);
    assert.equal(JSON.stringify(s.rows()), before);
  });

  it('429 for the same author token from another network, 201 once the window has passed; the email plays no part', async () => {
    const body = input();
    const { authorToken } = await json(await s.post(body, from('198.51.100.2')));
    const again = { ...body, body: 'Another comment.', authorToken };
    assert.equal((await s.post(again, from('198.51.100.3'))).status, 429);
    assert.equal((await s.post({ ...body, body: 'Same email, no token.' }, from('198.51.100.4'))).status, 201);
    clock += 15_000;
    assert.equal((await s.post(again, from('198.51.100.3'))).status, 201);
  });

  it('an IPv6 client is limited on its /64, and an IPv4-mapped address as IPv4', async () => {
    assert.equal((await s.post(input(), from('2001:db8:1:2::1'))).status, 201);
    assert.equal((await s.post(input(), from('2001:db8:1:2:ffff::9'))).status, 429);
    assert.equal((await s.post(input(), from('2001:db8:1:3::1'))).status, 201);
    assert.equal((await s.post(input(), from('::ffff:192.0.2.9'))).status, 201);
    assert.equal((await s.post(input(), from('192.0.2.9'))).status, 429);
    const v6 = s.rows().find((r) => String(r.ip).startsWith('2001'));
    assert.equal(v6!.ip, '2001:db8:1::', 'only the /48 is stored');
  });

  it('a duplicate is 409 (not 429), and an idempotent retry inside the window is the same 201', async () => {
    clock += 60_000;
    const body = input();
    const key = crypto.randomUUID();
    const first = await json(await s.post(body, { ...from('198.51.100.9'), 'idempotency-key': key }));
    const retry = await s.post(body, { ...from('198.51.100.9'), 'idempotency-key': key });
    assert.equal(retry.status, 201);
    assert.deepEqual((await json(retry)).comment, first.comment);
    assert.equal((await s.post({ ...body, authorToken: first.authorToken }, from('198.51.100.9'))).status, 409);
  });

  it('floodSeconds 0 turns flood control off', async () => {
    const off = await start({ floodSeconds: 0 });
    try {
      const email = 'fast@example.com';
      for (let i = 0; i < 5; i++) assert.equal((await off.post(input({ email }))).status, 201);
    } finally {
      await off.close();
    }
  });
});
