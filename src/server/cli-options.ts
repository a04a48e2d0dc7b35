/**
 * The command line of `inkwell-server`, parsed apart from the process so it can be tested in-process and reused
 * by wrappers (the demo's `npm start`).
 * @module
 */
import { parseArgs } from 'node:util';
import { validateOptions } from './options.js';
import type { ClusterOptions, Moderation } from './options.js';

/** The `--help` text. */
export const USAGE = `Usage: inkwell-server [options]

Runs the Inkwell comments API on SQLite or PostgreSQL.

Options:
  --port N                Port to listen on (default 8787, or PORT)
  --host H                Address to listen on (default: every interface)
  --db PATH|URL           SQLite file (default ./comments.db; the folder is created) or a
                          postgres:// URL (or DATABASE_URL)
  --origin URL            A site allowed to call the API from the browser, e.g. https://blog.example
                          (repeat for several; same-origin requests always work)
  --moderation MODE       none (default), all, or first-time
  --admin-token TOKEN     Enables the admin API (or INKWELL_ADMIN_TOKEN); moderators get their own
                          tokens from inkwell-server moderators add
  --hold-links N          Hold a comment with N or more links for moderation (default 2; 0: never)
  --blocklist FILE        Hold a comment containing a word or phrase of FILE (one a line)
  --dashboard-frame-ancestors SOURCES
                          Who may frame the dashboard page (CSP frame-ancestors; default 'none')
  --flood-seconds N       One comment per N seconds per network and author (default 15,
                          or INKWELL_FLOOD_SECONDS; 0 turns it off)
  --trust-proxy           Believe X-Forwarded-For (only behind your own reverse proxy)
  --workers N             Processes sharing the port and the database, e.g. one per core
                          (default 1)
  --cache-seconds N       Let browsers and a CDN reuse pages and counts for N seconds
                          (default 0: always revalidate with the ETag)
  -h, --help              Show this help
`;

/** Digits become a number; anything else stays text, for validateOptions() to quote back in its sentence. */
const wholeNumberOrText = (text: string): number => (/^\d+$/.test(text) ? Number(text) : text) as number;

/** A flag error: the CLI prints the message with a hint and exits 2. */
export class UsageError extends Error {}

/**
 * Turns flags and environment variables (`PORT`, `INKWELL_FLOOD_SECONDS`, `INKWELL_ADMIN_TOKEN`) into
 * `startServer` options, flags first. Returns `'help'` for `--help`; throws `UsageError` on anything invalid.
 */
export function parseCliArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): ClusterOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        origin: { type: 'string', multiple: true },
        moderation: { type: 'string' },
        'admin-token': { type: 'string' },
        'flood-seconds': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        workers: { type: 'string' },
        'cache-seconds': { type: 'string' },
        'hold-links': { type: 'string' },
        blocklist: { type: 'string' },
        'dashboard-frame-ancestors': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';

  // Text that reads as a number becomes one; anything else is passed on as typed, so that validateOptions() quotes
  // it back in its sentence (`Invalid port "abc": …`).
  const portText = values.port ?? env.PORT ?? '8787';
  const floodText = values['flood-seconds'] ?? env.INKWELL_FLOOD_SECONDS ?? '15';
  const floodNumber = Number(floodText);
  const adminToken = values['admin-token'] ?? env.INKWELL_ADMIN_TOKEN;
  const options: ClusterOptions = {
    port: wholeNumberOrText(portText),
    host: values.host,
    db: values.db ?? (env.DATABASE_URL || 'comments.db'),
    origins: values.origin ?? [],
    moderation: (values.moderation ?? 'none') as Moderation,
    adminToken: adminToken || undefined,
    floodSeconds: (floodText.trim() !== '' && Number.isFinite(floodNumber) ? floodNumber : floodText) as number,
    trustProxy: values['trust-proxy'] ?? false,
    workers: wholeNumberOrText(values.workers ?? '1'),
    cacheSeconds: wholeNumberOrText(values['cache-seconds'] ?? '0'),
  };
  // Moderation flags only when given: their defaults live in validateOptions().
  if (values['hold-links'] !== undefined) options.holdLinks = wholeNumberOrText(values['hold-links']);
  if (values.blocklist !== undefined) options.blocklist = values.blocklist;
  if (values['dashboard-frame-ancestors'] !== undefined) options.dashboardFrameAncestors = values['dashboard-frame-ancestors'];
  try {
    validateOptions(options);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return options;
}

