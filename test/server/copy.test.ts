/**
 * `inkwell-server copy`: a seeded SQLite database goes to PostgreSQL and back to a new SQLite file, and every
 * column of every row is compared; a second run changes nothing; a target with other data under an id refuses and
 * keeps what it had; the command runs as a real process. The PostgreSQL parts use test/support/postgres.ts and are
 * skipped, loudly, without one.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { copyStores, CopyRefusedError, runCopyCommand } from '../../src/server/copy.js';
import { SqliteStore } from '../../src/server/sqlite-store.js';
import type { StoredComment } from '../../src/server/store.js';
import { announceSkipped, testPostgres } from '../support/postgres.js';

const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const server = await testPostgres();
const postgres = 'skip' in server ? null : server;
after(async () => {
  await postgres?.stop();
});
const PG_TESTS = [
  'SQLite → PostgreSQL → a new SQLite file: every column of every row is equal, flood windows stay behind',
  'a second run copies nothing and changes nothing; new comments on the source are added; PostgreSQL → PostgreSQL',
  'a PostgreSQL target with other data under an id refuses, naming id and field, and keeps what it had',
  'the command as a real process: SQLite → PostgreSQL, summary on stdout; a bad password is never printed',
];
if (!postgres) announceSkipped((server as { skip: string }).skip, PG_TESTS.map((name) => `inkwell-server copy › ${name}`));

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'inkwell-copy-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `db-${++files}.db`);

const BASE = Date.parse('2026-03-01T00:00:00.000Z');

/**
 * `count` comments in 5 threads: replies to replies, pending ones, unicode everywhere, idempotency keys with and
 * without a request digest, author hashes and none, null websites and networks; a reply stamped 5 ms before its
 * parent (another server's clock); two deletes that moved replies up; one flood window.
 */
async function seed(path: string, count: number): Promise<void> {
  const store = new SqliteStore(path);
  const lastPublished = new Map<string, StoredComment>();
  const made: StoredComment[] = [];
  for (let i = 0; i < count; i++) {
    // Runs of 10 in one thread: a reply (i % 4 = 1) to the comment before it, then a reply to that reply.
    const thread = `/posts/thread-${Math.floor(i / 10) % 5}?lang=fr`;
    const parent = i % 4 === 1 || i % 4 === 2 ? lastPublished.get(thread) : undefined;
    const status = !parent && i % 9 === 0 ? 'pending' : 'published';
    const createdAt = new Date(parent && i % 8 === 1 ? Date.parse(parent.createdAt) - 5 : BASE + i * 1000).toISOString();
    const result = await store.create(
      {
        id: `c_${i.toString(36).padStart(6, '0')}`,
        thread,
        parentId: parent?.id ?? null,
        name: i % 3 === 0 ? `Zoë Ångström 🦊 ${i}` : `Ada ${i}`,
        email: `Reader${i % 40}@Example.COM`,
        website: i % 3 === 0 ? null : `https://site${i}.example/path?q=${i}&x=ü`,
        body: `Comment ${i}: ünïcødé — שלום — 日本語 👋🏽\nsecond line with "quotes" and <b>tags</b>`,
        createdAt,
        status,
        ip: i % 5 === 0 ? null : i % 2 ? '203.0.113.0/24' : '2001:db8:abcd::/48',
        authorHash: i % 7 === 0 ? null : `author-${i % 50}`,
      },
      i % 2 === 0 ? { idempotencyKey: `key-${i}`, requestHash: i % 4 === 0 ? `request-${i}` : null } : {},
    );
    assert.equal(result.kind, 'created', JSON.stringify(result));
    const stored = (result as { comment: StoredComment }).comment;
    made.push(stored);
    if (status === 'published') lastPublished.set(thread, stored);
  }
  // A top-level comment with replies and a reply with replies, deleted: their replies moved up.
  const withReplies = made.filter((c) => made.some((r) => r.parentId === c.id));
  const top = withReplies.find((c) => c.parentId === null)!;
  const middle = withReplies.find((c) => c.parentId !== null && c.rootId !== top.id)!;
  assert.ok(await store.delete(top.id));
  assert.ok(await store.delete(middle.id));
  await store.create(
    { ...made[0]!, id: 'c_flood', body: 'flooded', authorHash: null, createdAt: new Date(BASE - 1000).toISOString() },
    { flood: { keys: ['ip:203.0.113.0/24'], windowMs: 3_600_000, nowMs: Date.now() } },
  );
  await store.close();
}

/** Every column of every row of a SQLite file, and its flood windows. */
function sqliteRows(path: string): { comments: Record<string, unknown>[]; flood: unknown[] } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      comments: db.prepare('SELECT * FROM comments ORDER BY id').all() as Record<string, unknown>[],
      flood: db.prepare('SELECT * FROM flood').all(),
    };
  } finally {
    db.close();
  }
}

/** Every column of every row of a PostgreSQL database, under SQLite's table's column order and names. */
async function postgresRows(url: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>('SELECT * FROM inkwell_comments ORDER BY id');
    return rows;
  } finally {
    await client.end();
  }
}

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

/** A writable that keeps what it is given, as stdout or stderr would show it. */
function capture(isTTY = false): { write(text: string): boolean; isTTY: boolean; text: string } {
  return {
    isTTY,
    text: '',
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

describe('inkwell-server copy', () => {
  it('SQLite → SQLite: every column of every row is equal; a rerun copies nothing; progress lines and a summary', async () => {
    const source = newFile();
    await seed(source, 1200);
    const target = newFile();
    const stdout = capture();
    const stderr = capture();
    // In-process, as the CLI runs it, with a progress line every 500 rows (the CLI's is 10,000).
    const summary = await copyStores({ from: source, to: target, progress: stderr, progressEvery: 500, batchSize: 128 });
    const expected = sqliteRows(source);
    assert.equal(expected.comments.length, 1199, '1,200 made, 2 deleted, 1 flooded');
    assert.equal(expected.flood.length, 1);
    assert.deepEqual(summary, { ...summary, copied: 1199, alreadyThere: 0, total: 1199, from: source, to: target });
    assert.deepEqual(sqliteRows(target), { comments: expected.comments, flood: [] });
    assert.match(stderr.text, /^Copying: 500 of 1,199 comments \(41%\), [\d,]+ a second\nCopying: 1,000 of 1,199 comments \(83%\), [\d,]+ a second\n$/);

    const code = await runCopyCommand(['--from', source, '--to', target], { stdout, stderr: capture() });
    assert.equal(code, 0);
    assert.match(stdout.text, new RegExp(`^Copied from ${source} to ${target}: 0 copied, 1,199 already there, 1,199 in total \\(\\d+\\.\\d s\\)\\.\\n$`));
    assert.deepEqual(sqliteRows(target).comments, expected.comments);
  });

  it('a target with other data under an id refuses, naming id and field, and writes nothing (not even new rows)', async () => {
    const source = newFile();
    await seed(source, 60);
    const target = newFile();
    await copyStores({ from: source, to: target });
    const [victim] = sqliteRows(source).comments as { id: string; body: string }[];
    const db = new Database(target);
    db.prepare(`UPDATE comments SET body = 'Changed in the target' WHERE id = ?`).run(victim!.id);
    db.close();
    const before = sqliteRows(target);
    // Something new on the source, after the conflicting row in the copy's order.
    const store = new SqliteStore(source);
    await store.create({ id: 'c_new', thread: 't', parentId: null, name: 'New', email: 'new@example.com', website: null, body: 'New', createdAt: new Date().toISOString(), status: 'published', ip: null, authorHash: null });
    await store.close();

    const err = await copyStores({ from: source, to: target }).then(() => null, (e: Error) => e);
    assert.ok(err instanceof CopyRefusedError, String(err));
    assert.equal(err.result.conflictCount, 1);
    assert.equal(
      err.message,
      [
        `Refused: the target ${target} already holds different data under an id of the source; nothing was written.`,
        `  comment ${victim!.id}: body differs (target "Changed in the target", source ${JSON.stringify(victim!.body.slice(0, 57) + '…')}).`,
        'Copy into an empty database, or remove or correct those comments in the target first.',
      ].join('\n'),
    );
    assert.deepEqual(sqliteRows(target), before, 'the target is as it was: no new row, no change');

    const stderr = capture();
    const stdout = capture();
    assert.equal(await runCopyCommand(['--from', source, '--to', target], { stdout, stderr }), 1);
    assert.equal(stdout.text, '');
    assert.match(stderr.text, /^inkwell-server copy: Refused: .* nothing was written\.\n {2}comment c_000000: body differs/);
  });

  it('wrong arguments: a usage sentence and exit 2; a missing source file: exit 1 and nothing created', async () => {
    const cases: [string[], RegExp][] = [
      [['--from', 'a.db'], /^inkwell-server copy: copy needs --to: inkwell-server copy --from DB --to DB/],
      [[], /copy needs --from and --to/],
      [['--from', 'a.db', '--to', './a.db'], /--from and --to name the same database \(.*\/a\.db\); copy needs two different ones\./],
      [['--from', 'postgres://u:pw1@db.example/x', '--to', 'postgresql://u:pw2@db.example:5432/x'], /the same database \(postgres:\/\/u:\*\*\*@db\.example\/x\)/],
      [['--from', 'a.db', '--to', 'b.db', '--bogus'], /Unknown option '--bogus'/],
      [['--from', 'a.db', '--to', 'b.db', 'extra'], /Unexpected argument 'extra'|positional/i],
    ];
    for (const [argv, expected] of cases) {
      const stderr = capture();
      const stdout = capture();
      assert.equal(await runCopyCommand(argv, { stdout, stderr }), 2, argv.join(' '));
      assert.match(stderr.text, expected);
      assert.match(stderr.text, /Run inkwell-server copy --help for the options\.\n$/);
      assert.doesNotMatch(stderr.text, /pw1|pw2/);
      assert.equal(stdout.text, '');
    }
    const help = capture();
    assert.equal(await runCopyCommand(['--help'], { stdout: help, stderr: capture() }), 0);
    assert.match(help.text, /^Usage: inkwell-server copy --from DB --to DB/);

    const missing = join(dir, 'missing', 'nothing.db');
    const stderr = capture();
    assert.equal(await runCopyCommand(['--from', missing, '--to', newFile()], { stdout: capture(), stderr }), 1);
    assert.equal(stderr.text, `inkwell-server copy: The source database ${missing} does not exist; check --from.\n`);
    assert.equal(existsSync(join(dir, 'missing')), false, 'a mistyped source is not created');
  });

  it('the command as a real process: SQLite → SQLite, summary on stdout; --help of the server names the command', async () => {
    const source = newFile();
    await seed(source, 30);
    const target = newFile();
    const done = await runCli(['copy', '--from', source, '--to', target]);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /^Copied from .* 29 copied, 0 already there, 29 in total/);
    assert.equal(done.stderr, '');
    assert.deepEqual(sqliteRows(target).comments, sqliteRows(source).comments);
    const usage = await runCli(['copy', '--to', target]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /copy needs --from/);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /inkwell-server copy --from DB --to DB/);
  });

  describe('with PostgreSQL', { skip: postgres ? false : 'no PostgreSQL (see the message above)' }, () => {
    const pgServer = postgres!;

    it(PG_TESTS[0]!, async () => {
      const source = newFile();
      await seed(source, 1500);
      const database = await pgServer.createDatabase();
      try {
        const toPostgres = await copyStores({ from: source, to: database.url, batchSize: 200 });
        assert.equal(toPostgres.copied, 1499);
        const expected = sqliteRows(source).comments;
        assert.deepEqual(await postgresRows(database.url), expected, 'PostgreSQL holds every column as SQLite did');
        const back = newFile();
        const fromPostgres = await copyStores({ from: database.url, to: back, batchSize: 200 });
        assert.deepEqual([fromPostgres.copied, fromPostgres.alreadyThere, fromPostgres.total], [1499, 0, 1499]);
        assert.deepEqual(sqliteRows(back), { comments: expected, flood: [] });
        assert.ok(!fromPostgres.from.includes(new URL(database.url).password), 'the summary names the URL without its password');
      } finally {
        await database.drop();
      }
    });

    it(PG_TESTS[1]!, async () => {
      const source = newFile();
      await seed(source, 300);
      const database = await pgServer.createDatabase();
      try {
        await copyStores({ from: source, to: database.url });
        const first = await postgresRows(database.url);
        const again = await copyStores({ from: source, to: database.url });
        assert.deepEqual([again.copied, again.alreadyThere, again.total], [0, 299, 299]);
        assert.deepEqual(await postgresRows(database.url), first);
        // New comments on the source: only they are copied.
        const store = new SqliteStore(source);
        await store.create({ id: 'c_later', thread: 't', parentId: null, name: 'Later', email: 'later@example.com', website: null, body: 'Later', createdAt: new Date().toISOString(), status: 'published', ip: null, authorHash: null });
        await store.close();
        const later = await copyStores({ from: source, to: database.url });
        assert.deepEqual([later.copied, later.alreadyThere, later.total], [1, 299, 300]);
        assert.deepEqual(await postgresRows(database.url), sqliteRows(source).comments);
        // PostgreSQL → PostgreSQL, twice.
        const other = await pgServer.createDatabase();
        try {
          const toOther = await copyStores({ from: database.url, to: other.url });
          assert.deepEqual([toOther.copied, toOther.alreadyThere], [300, 0]);
          assert.deepEqual(await postgresRows(other.url), await postgresRows(database.url));
          const rerun = await copyStores({ from: database.url, to: other.url });
          assert.deepEqual([rerun.copied, rerun.alreadyThere], [0, 300]);
        } finally {
          await other.drop();
        }
      } finally {
        await database.drop();
      }
    });

    it(PG_TESTS[2]!, async () => {
      const source = newFile();
      await seed(source, 80);
      const database = await pgServer.createDatabase();
      try {
        await copyStores({ from: source, to: database.url });
        const rows = sqliteRows(source).comments as { id: string; status: string }[];
        const victim = rows.find((r) => r.status === 'published')!;
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        await client.query(`UPDATE inkwell_comments SET status = 'pending' WHERE id = $1`, [victim.id]);
        await client.end();
        const before = await postgresRows(database.url);
        const store = new SqliteStore(source);
        await store.create({ id: 'c_new', thread: 't', parentId: null, name: 'New', email: 'new@example.com', website: null, body: 'New', createdAt: new Date().toISOString(), status: 'published', ip: null, authorHash: null });
        await store.close();
        const err = await copyStores({ from: source, to: database.url }).then(() => null, (e: Error) => e);
        assert.ok(err instanceof CopyRefusedError, String(err));
        assert.match(err.message, new RegExp(`comment ${victim.id}: status differs \\(target "pending", source "published"\\)`));
        assert.deepEqual(await postgresRows(database.url), before);
      } finally {
        await database.drop();
      }
    });

    it(PG_TESTS[3]!, async () => {
      const source = newFile();
      await seed(source, 40);
      const database = await pgServer.createDatabase();
      try {
        const done = await runCli(['copy', '--from', source, '--to', database.url]);
        assert.equal(done.code, 0, done.stderr);
        assert.match(done.stdout, /^Copied from .* to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/inkwell_test_\w+: 39 copied, 0 already there, 39 in total/);
        assert.deepEqual(await postgresRows(database.url), sqliteRows(source).comments);
        const wrong = new URL(database.url);
        wrong.password = 'Wrong-Secret-Pw';
        const refused = await runCli(['copy', '--from', wrong.toString(), '--to', newFile()]);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /^inkwell-server copy: Cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/inkwell_test_\w+: /);
        assert.doesNotMatch(refused.stderr + refused.stdout, /Wrong-Secret-Pw/);
      } finally {
        await database.drop();
      }
    });
  });
});
