/**
 * `inkwell-server moderators add|list|remove`: moderators are people with their own tokens, managed only from
 * the command line (the admin API cannot create or remove them). A token is printed once; only its SHA-256 is
 * stored, so a lost token is replaced by removing and adding the moderator again.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openStore } from './open-store.js';
import { moderatorTokenHash } from './routes/admin.js';

/** The `inkwell-server moderators --help` text. */
export const MODERATORS_USAGE = `Usage: inkwell-server moderators add NAME --db DB
       inkwell-server moderators list --db DB
       inkwell-server moderators remove NAME --db DB

Moderators sign in to the dashboard ({basePath}/dashboard) with their own token. They can approve, mark as
spam, restore, edit and delete comments and manage blocks; they cannot export or erase data, nor manage
moderators. "add" prints the new token once: it is stored only as a hash and cannot be shown again.
"remove" revokes the token at once, in every server process.

Options:
  --db PATH|URL     The server's database: a SQLite file or a postgres:// URL (default ./comments.db,
                    or DATABASE_URL)
  -h, --help        Show this help
`;

/** One line for the server's own `--help`. */
export const MODERATORS_HELP_LINE = `  inkwell-server moderators add|list|remove NAME --db DB
                                          Moderators' tokens; inkwell-server moderators --help
`;

/** What a new token looks like: a prefix that says what it is (and lets a secret scanner spot a leak), 192 bits. */
export const newModeratorToken = (): string => `inkmod_${randomBytes(24).toString('base64url')}`;

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,59}$/u;

interface Output {
  write(text: string): unknown;
}

/**
 * The `moderators` subcommand as the CLI runs it. Resolves with the exit status: 0 done, 1 failed (no such
 * moderator, name taken, database unusable), 2 wrong arguments.
 */
export async function runModeratorsCommand(
  argv: readonly string[],
  io: { stdout: Output; stderr: Output },
  env: Record<string, string | undefined> = {},
): Promise<number> {
  const usage = (message: string) => {
    io.stderr.write(`inkwell-server moderators: ${message}\nRun inkwell-server moderators --help for the usage.\n`);
    return 2;
  };
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (values.help) {
    io.stdout.write(MODERATORS_USAGE);
    return 0;
  }
  const [action, name, ...extra] = positionals;
  if (action !== 'add' && action !== 'list' && action !== 'remove') return usage('say add, list or remove.');
  if (action === 'list' ? name !== undefined : extra.length > 0 || name === undefined) {
    return usage(action === 'list' ? 'list takes no name.' : `${action} takes one name, like: moderators ${action} alice --db comments.db`);
  }
  if (name !== undefined && (!NAME.test(name) || name.toLowerCase() === 'owner')) {
    return usage(`Invalid name ${JSON.stringify(name)}: use 1 to 60 letters, digits, spaces, dots, dashes, underscores or @, starting with a letter or digit ("owner" is taken by the site owner).`);
  }
  const store = openStore(values.db ?? (env.DATABASE_URL || 'comments.db'));
  try {
    await store.ready();
    const moderation = store.moderation;
    if (action === 'list') {
      const moderators = await moderation.listModerators();
      if (moderators.length === 0) io.stdout.write('No moderators yet. Add one with: inkwell-server moderators add NAME --db …\n');
      for (const moderator of moderators) io.stdout.write(`${moderator.name}\tadded ${moderator.createdAt}\n`);
      return 0;
    }
    if (action === 'remove') {
      if (!(await moderation.removeModerator(name))) {
        io.stderr.write(`inkwell-server moderators: there is no moderator named ${JSON.stringify(name)}; moderators list shows them.\n`);
        return 1;
      }
      io.stdout.write(`Removed moderator ${name}; their token no longer works.\n`);
      return 0;
    }
    const token = newModeratorToken();
    if (!(await moderation.addModerator(name, moderatorTokenHash(token), new Date().toISOString()))) {
      io.stderr.write(`inkwell-server moderators: a moderator named ${JSON.stringify(name)} already exists; remove them first to issue a new token.\n`);
      return 1;
    }
    io.stdout.write(`Added moderator ${name}. Their token:\n\n  ${token}\n\nGive it to them privately. It will not be shown again (only its hash is stored).\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`inkwell-server moderators: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
