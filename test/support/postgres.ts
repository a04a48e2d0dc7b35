/**
 * A real PostgreSQL server for the tests. In order:
 * 1. `INKWELL_TEST_PG`: a URL (a user that may create databases) to a server someone else runs, e.g. CI's;
 * 2. else, when `/usr/lib/postgresql/VERSION/bin/initdb` exists, a throw-away cluster in a temp folder on a free port
 *    (run as the `postgres` user when the tests run as root, since PostgreSQL refuses to run as root), stopped after;
 * 3. else the PostgreSQL tests are skipped with a loud message saying which and how to run them. With `CI=true` a
 *    missing PostgreSQL fails instead: CI must run every test.
 * Each caller gets fresh databases (`inkwell_test_<random>`), dropped after.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A server the tests may create databases on. */
export interface TestPostgres {
  /** Where it is, without the password, for messages. */
  description: string;
  /** A new empty database; `drop()` removes it (closing whatever is still connected). */
  createDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }>;
  /** Runs one statement as the admin user (e.g. `pg_terminate_backend`). */
  admin(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** Stops the throw-away cluster, if this helper started one. */
  stop(): Promise<void>;
  /**
   * Only for the throw-away cluster (undefined for `INKWELL_TEST_PG`, a server we do not own): stops the server
   * the way an administrator restarts it (`pg_ctl stop -m fast`: sessions are ended, commits are kept) and starts
   * it again on the same port, for tests of a restart while serving.
   */
  server?: { halt(): void; resume(): void };
}

/** How to run the skipped tests, for the loud message. */
export const HOW_TO_RUN_PG_TESTS =
  'Run them with INKWELL_TEST_PG=postgres://USER:PASSWORD@HOST:PORT/postgres npm test (a user allowed to CREATE DATABASE), ' +
  'or install PostgreSQL (Debian: apt-get install postgresql) so the tests start a throw-away server themselves.';

/**
 * A PostgreSQL server for this test file, or the reason there is none. Throws (so the file fails) when `CI=true`
 * and no server is available.
 */
export async function testPostgres(): Promise<TestPostgres | { skip: string }> {
  const given = process.env.INKWELL_TEST_PG?.trim();
  if (given) return connectTo(given, async () => undefined);
  const bin = postgresBin();
  if (bin) return startCluster(bin);
  const reason = 'no PostgreSQL: INKWELL_TEST_PG is not set and no /usr/lib/postgresql/*/bin/initdb is installed';
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}. ${HOW_TO_RUN_PG_TESTS}`);
  return { skip: reason };
}

/** Prints the names of skipped PostgreSQL tests where nobody can miss them. */
export function announceSkipped(reason: string, testNames: readonly string[]): void {
  const line = '!'.repeat(100);
  process.stderr.write(
    `\n${line}\n!! SKIPPED ${testNames.length} PostgreSQL tests: ${reason}.\n` +
      testNames.map((name) => `!!   - ${name}\n`).join('') +
      `!! ${HOW_TO_RUN_PG_TESTS}\n${line}\n\n`,
  );
}

function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startCluster(bin: string): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'inkwell-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL will not run as root: the cluster belongs to the postgres user, which must own the folder.
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
    const result = spawnSync(file, argv, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout || result.error?.message}`);
    }
  };
  writeFileSync(join(dir, 'password'), password);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'password'), uid, gid);
  }
  run('initdb', ['-D', data, '-U', 'postgres', '--pwfile', join(dir, 'password'), '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start']);
  let stopped = false;
  // Halted by a test (server.halt) and not resumed: there is nothing to stop, only the folder to remove.
  let halted = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (!halted) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test run that dies must not leave a server behind.
  process.once('exit', stopNow);
  const server = await connectTo(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`, async () => {
    process.off('exit', stopNow);
    stopNow();
  });
  server.server = {
    halt: () => {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      halted = true;
    },
    resume: () => {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start']);
      halted = false;
    },
  };
  return server;
}

async function connectTo(adminUrl: string, stopServer: () => Promise<void>): Promise<TestPostgres> {
  const adminPool = new pg.Pool({ connectionString: adminUrl, max: 2 });
  adminPool.on('error', () => undefined);
  const target = new URL(adminUrl);
  const description = `${target.hostname}:${target.port || 5432}`;
  try {
    await adminPool.query('SELECT 1');
  } catch (err) {
    await adminPool.end();
    await stopServer();
    throw new Error(`Cannot reach the test PostgreSQL at ${description}: ${(err as Error).message}`, { cause: err });
  }
  return {
    description,
    admin: (sql, values) => adminPool.query(sql, values),
    async createDatabase() {
      const name = `inkwell_test_${randomBytes(6).toString('hex')}`;
      await adminPool.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        name,
        drop: async () => {
          await adminPool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
    async stop() {
      await adminPool.end();
      await stopServer();
    },
  };
}
