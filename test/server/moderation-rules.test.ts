/**
 * Issue 16's hold rules, blocks, moderators CLI and dashboard page, against real servers, real files and real
 * processes: a blocked email's or network's comments are held, never published; `--hold-links`; `--blocklist`
 * (and a missing file stopping start-up); `inkwell-server moderators` printing a token once; the dashboard's
 * headers; an old SQLite file upgraded in place.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { parseCliArgs, UsageError } from '../../src/server/cli-options.js';
import { countLinks, matchesBlocklist, readBlocklist } from '../../src/server/hold-rules.js';
import { addressHex, parseNetwork } from '../../src/server/net.js';
import { SQLITE_MIGRATIONS } from '../../src/server/sqlite-migrations.js';
import { SqliteStore } from '../../src/server/sqlite-store.js';
import { startServer } from '../../src/server/index.js';
import { input, json, start, tempDir } from './helpers.js';
import type { TestServer } from './helpers.js';

const OWNER = 'owner-token-rules-0123456789';
const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const admin = (s: TestServer, method: string, path: string, body?: unknown, token = OWNER) =>
  fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function heldReasonOf(s: TestServer, id: string): Promise<string | null> {
  const { comments } = await json(await admin(s, 'GET', `/admin/comments?status=all&q=`));
  return comments.find((c: { id: string }) => c.id === id)?.heldReason ?? 'not listed';
}

describe('blocks: a blocked author is held, never published', () => {
  let s: TestServer;
  before(async () => (s = await start({ adminToken: OWNER, trustProxy: true })));
  after(() => s.close());

  it('an email block (any case) holds that email\'s comments with heldReason blocked; unblocking publishes again', async () => {
    const created = await admin(s, 'POST', '/admin/blocks', { kind: 'email', value: 'Spammer@Example.com' });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    const { block } = await json(created);
    assert.equal(block.kind, 'email');
    assert.equal(block.value, 'spammer@example.com');
    assert.equal(block.createdBy, 'owner');
    const res = await s.post(input({ thread: 'blocked', email: 'SPAMMER@example.com' }));
    const { comment } = await json(res);
    assert.equal(comment.status, 'pending');
    assert.equal((await json(await s.get('?thread=blocked'))).total, 0);
    assert.equal(await heldReasonOf(s, comment.id), 'blocked');
    assert.deepEqual((await json(await admin(s, 'GET', '/admin/blocks'))).blocks.map((b: { id: string }) => b.id), [block.id]);
    assert.deepEqual(await json(await admin(s, 'DELETE', `/admin/blocks/${block.id}`)), { deleted: block.id });
    assert.equal((await admin(s, 'DELETE', `/admin/blocks/${block.id}`)).status, 404);
    assert.equal((await json(await s.post(input({ thread: 'blocked', email: 'spammer@example.com' })))).comment.status, 'published');
  });

  it('an IPv4 or IPv6 network block holds every address inside it, and only those', async () => {
    const v4 = await json(await admin(s, 'POST', '/admin/blocks', { kind: 'ip', value: '198.51.100.77/24' }));
    assert.equal(v4.block.value, '198.51.100.0/24', 'host bits cleared');
    await admin(s, 'POST', '/admin/blocks', { kind: 'ip', value: '2001:db8::/32' });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    assert.equal((await json(await s.post(input({ thread: 'net' }), from('198.51.100.200')))).comment.status, 'pending');
    assert.equal((await json(await s.post(input({ thread: 'net' }), from('198.51.101.1')))).comment.status, 'published');
    assert.equal((await json(await s.post(input({ thread: 'net' }), from('2001:db8:ffff::1')))).comment.status, 'pending');
    assert.equal((await json(await s.post(input({ thread: 'net' }), from('2001:db9::1')))).comment.status, 'published');
    assert.equal((await json(await s.get('?thread=net'))).total, 2);
  });

  it('refuses a bad block with a sentence', async () => {
    for (const body of [{ kind: 'email', value: 'nope' }, { kind: 'ip', value: '300.1.1.1' }, { kind: 'ip', value: '10.0.0.0/33' }, { kind: 'name', value: 'x' }]) {
      const res = await admin(s, 'POST', '/admin/blocks', body);
      assert.equal(res.status, 422, JSON.stringify(body));
      const { error } = await json(res);
      assert.ok(error.fields.value || error.fields.kind);
    }
  });
});

describe('hold rules', () => {
  it('--hold-links: N or more links hold a comment (reason links); 0 turns it off', async () => {
    const s = await start({ adminToken: OWNER });
    try {
      const one = await json(await s.post(input({ body: 'See https://a.example for more.' })));
      assert.equal(one.comment.status, 'published');
      const two = await json(await s.post(input({ body: 'See https://a.example and http://b.example now.' })));
      assert.equal(two.comment.status, 'pending');
      assert.equal(await heldReasonOf(s, two.comment.id), 'links');
    } finally {
      await s.close();
    }
    const off = await start({ holdLinks: 0 });
    try {
      assert.equal((await json(await off.post(input({ body: 'https://a.example https://b.example https://c.example' })))).comment.status, 'published');
    } finally {
      await off.close();
    }
  });

  it('--blocklist: a listed word or phrase (whole words, any case) holds the comment (reason blocklist)', async () => {
    const temp = tempDir();
    const file = join(temp.dir, 'blocklist.txt');
    writeFileSync(file, '# words\ncasino\n\ncheap   Watches\n');
    const s = await start({ adminToken: OWNER, blocklist: file });
    try {
      const held = await json(await s.post(input({ body: 'Best CASINO in town' })));
      assert.equal(held.comment.status, 'pending');
      assert.equal(await heldReasonOf(s, held.comment.id), 'blocklist');
      assert.equal((await json(await s.post(input({ body: 'I sell cheap\nwatches.' })))).comment.status, 'pending');
      assert.equal((await json(await s.post(input({ body: 'Occasional casinos are other words.' })))).comment.status, 'published');
    } finally {
      await s.close();
      temp.cleanup();
    }
  });

  it('a missing blocklist file stops start-up with a sentence naming it', async () => {
    await assert.rejects(startServer({ port: 0, db: ':memory:', blocklist: '/no/such/blocklist.txt' }), /Cannot read the blocklist \/no\/such\/blocklist.txt: there is no such file/);
    assert.throws(() => parseCliArgs(['--blocklist', '/no/such/blocklist.txt']), (err: Error) => err instanceof UsageError && /blocklist/.test(err.message));
    assert.throws(() => parseCliArgs(['--hold-links', 'many']), /Invalid link limit "many"/);
    assert.throws(() => parseCliArgs(['--dashboard-frame-ancestors', "'self'; script-src *"]), /frame ancestors/);
  });

  it('the pure rules: links counted, blocklist by whole words, networks as ranges', () => {
    assert.equal(countLinks('http://a.example https://b.example/x?y ftp://c.example'), 2);
    assert.equal(matchesBlocklist({ name: 'A', email: 'a@example.com', website: null, body: 'Viagra!' }, ['viagra']), true);
    assert.equal(matchesBlocklist({ name: 'A', email: 'a@example.com', website: null, body: 'scunthorpe' }, ['cunt']), false);
    const temp = tempDir();
    writeFileSync(join(temp.dir, 'b.txt'), 'One\r\none\r\n# no\r\n');
    assert.deepEqual(readBlocklist(join(temp.dir, 'b.txt')), ['one']);
    temp.cleanup();
    const net = parseNetwork('10.1.2.3/8')!;
    assert.equal(net.value, '10.0.0.0/8');
    assert.ok(addressHex('10.255.0.1')! >= net.rangeStart && addressHex('10.255.0.1')! <= net.rangeEnd);
    assert.ok(addressHex('11.0.0.0')! > net.rangeEnd);
    assert.equal(parseNetwork('::ffff:192.0.2.1')!.value, '192.0.2.1');
    assert.equal(parseNetwork('not an ip'), null);
  });

  it('spam never makes an author trusted under first-time moderation', async () => {
    const s = await start({ adminToken: OWNER, moderation: 'first-time' });
    try {
      const first = await json(await s.post(input({ email: 'trust@example.com' })));
      assert.equal(first.comment.status, 'pending');
      assert.equal(await heldReasonOf(s, first.comment.id), 'first-time');
      await admin(s, 'POST', `/admin/comments/${first.comment.id}/spam`);
      const again = await json(await s.post(input({ email: 'trust@example.com', authorToken: first.authorToken })));
      assert.equal(again.comment.status, 'pending');
    } finally {
      await s.close();
    }
  });
});

/** Runs the CLI to completion. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('inkwell-server moderators (real processes)', () => {
  it('add prints a token once; list shows names, never tokens; the token works until remove, then 401', async () => {
    const s = await start({ adminToken: OWNER });
    try {
      const added = await runCli(['moderators', 'add', 'alice', '--db', s.dbPath]);
      assert.equal(added.code, 0, added.stderr);
      const token = /(inkmod_[A-Za-z0-9_-]{32})/.exec(added.stdout)?.[1];
      assert.ok(token, added.stdout);
      assert.match(added.stdout, /will not be shown again/);
      const db = new Database(s.dbPath, { readonly: true });
      const stored = JSON.stringify(db.prepare('SELECT * FROM moderators').all());
      db.close();
      assert.equal(stored.includes(token), false, 'only the hash is stored');

      const listed = await runCli(['moderators', 'list', '--db', s.dbPath]);
      assert.equal(listed.code, 0);
      assert.match(listed.stdout, /^alice\tadded \d{4}-/);
      assert.equal(listed.stdout.includes('inkmod_'), false);

      const twice = await runCli(['moderators', 'add', 'alice', '--db', s.dbPath]);
      assert.equal(twice.code, 1);
      assert.match(twice.stderr, /already exists/);
      assert.equal(twice.stdout, '');

      assert.deepEqual(await json(await admin(s, 'GET', '/admin/me', undefined, token)), { name: 'alice', role: 'moderator' });
      const removed = await runCli(['moderators', 'remove', 'alice', '--db', s.dbPath]);
      assert.equal(removed.code, 0, removed.stderr);
      assert.equal((await admin(s, 'GET', '/admin/me', undefined, token)).status, 401);
      const gone = await runCli(['moderators', 'remove', 'alice', '--db', s.dbPath]);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /no moderator named "alice"/);
    } finally {
      await s.close();
    }
  });

  it('wrong arguments exit 2 with a sentence', async () => {
    for (const args of [['moderators'], ['moderators', 'add'], ['moderators', 'add', 'owner'], ['moderators', 'list', 'x'], ['moderators', 'fire', 'x']]) {
      const result = await runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^inkwell-server moderators: .+\nRun inkwell-server moderators --help/);
    }
  });
});

describe('the dashboard page', () => {
  it('serves the page with a strict CSP and the configured frame-ancestors, and the built script; no token needed', async () => {
    const temp = tempDir();
    const script = join(temp.dir, 'inkwell-admin.js');
    writeFileSync(script, 'customElements.define("ink-moderation", class extends HTMLElement {});\n');
    const s = await start({ adminToken: OWNER, dashboardScript: script, dashboardFrameAncestors: "'self' https://admin.example" });
    try {
      const page = await fetch(`${s.origin}/api/comments/dashboard`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(
        page.headers.get('content-security-policy'),
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self' https://admin.example",
      );
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      const html = await page.text();
      assert.match(html, /<ink-moderation endpoint="\/api\/comments"><\/ink-moderation>/);
      assert.match(html, /<script type="module" src="\/api\/comments\/dashboard\/inkwell-admin.js"><\/script>/);
      assert.doesNotMatch(html, /style=|<style|onload=/, 'nothing inline that the CSP would block');
      const js = await fetch(`${s.origin}/api/comments/dashboard/inkwell-admin.js`);
      assert.equal(js.status, 200);
      assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.match(await js.text(), /ink-moderation/);
    } finally {
      await s.close();
      temp.cleanup();
    }
  });

  it("defaults frame-ancestors to 'none'; without a build it answers 503 with what to do", async () => {
    const s = await start({ dashboardScript: '/no/such/inkwell-admin.js' });
    try {
      const page = await fetch(`${s.origin}/api/comments/dashboard`);
      assert.equal(page.status, 503);
      assert.match((await json(page)).error.message, /Build the package \(npm run build\) to serve the dashboard\./);
      assert.equal((await fetch(`${s.origin}/api/comments/dashboard/inkwell-admin.js`)).status, 503);
    } finally {
      await s.close();
    }
    const temp = tempDir();
    writeFileSync(join(temp.dir, 'a.js'), '');
    const other = await start({ dashboardScript: join(temp.dir, 'a.js') });
    try {
      assert.match((await fetch(`${other.origin}/api/comments/dashboard`)).headers.get('content-security-policy')!, /frame-ancestors 'none'$/);
    } finally {
      await other.close();
      temp.cleanup();
    }
  });
});

describe('SQLite migration 3', () => {
  it('upgrades a version-2 file in place: rows, rowid order and links kept, pending ones marked held by moderation, spam allowed', async () => {
    const temp = tempDir();
    const path = join(temp.dir, 'old.db');
    const old = new Database(path);
    old.exec(SQLITE_MIGRATIONS[0]!);
    old.exec(SQLITE_MIGRATIONS[1]!);
    old.pragma('user_version = 2');
    const insert = old.prepare(
      `INSERT INTO comments (id, thread, parent_id, root_id, name, email, email_norm, website, body, body_hash, created_at, status, ip)
       VALUES (?, 't', ?, ?, 'A', 'a@example.com', 'a@example.com', NULL, ?, ?, ?, ?, NULL)`,
    );
    insert.run('c_z', null, 'c_z', 'parent', 'h1', '2026-01-01T00:00:02.000Z', 'published');
    insert.run('c_a', 'c_z', 'c_z', 'reply', 'h2', '2026-01-01T00:00:01.000Z', 'published');
    insert.run('c_m', null, 'c_m', 'held', 'h3', '2026-01-01T00:00:03.000Z', 'pending');
    old.close();

    const store = new SqliteStore(path);
    try {
      await store.ready();
      const rows = [];
      for await (const row of store.exportAll()) rows.push(row);
      assert.deepEqual(rows.map((r) => [r.id, r.parentId, r.heldReason]), [
        ['c_z', null, null],
        ['c_a', 'c_z', null],
        ['c_m', null, 'moderation'],
      ]);
      assert.equal((await store.moderation.setStatus('c_m', 'spam'))?.status, 'spam');
      assert.equal((await store.list({ thread: 't', sort: 'oldest', limit: 10 })).total, 2);
    } finally {
      await store.close();
    }
    const check = new Database(path, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), SQLITE_MIGRATIONS.length);
    assert.match(String(check.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'comments'`).pluck().get()), /parent_id\s+TEXT REFERENCES comments\(id\)/);
    assert.deepEqual(check.pragma('foreign_key_check'), []);
    check.close();
    temp.cleanup();
  });
});
