/**
 * The command line of `inkwell-server`, parsed apart from the process so it can be tested in-process and reused
 * by wrappers (the demo's `npm start`).
 * @module
 */
import { parseArgs } from 'node:util';
import type { Moderation, ServerOptions } from './index.js';

/** The `--help` text. */
export const USAGE = `Usage: inkwell-server [options]

Runs the Inkwell comments API on SQLite.

Options:
  --port N                Port to listen on (default 8787, or PORT)
  --host H                Address to listen on (default: every interface)
  --db PATH               SQLite file (default ./comments.db; the folder is created)
  --origin URL            A site allowed to call the API from the browser, e.g. https://blog.example
                          (repeat for several; same-origin requests always work)
  --moderation MODE       none (default), all, or first-time
  --admin-token TOKEN     Enables the admin API (or INKWELL_ADMIN_TOKEN)
  --flood-seconds N       One comment per N seconds per client and email (default 15,
                          or INKWELL_FLOOD_SECONDS; 0 turns it off)
  --trust-proxy           Believe X-Forwarded-For (only behind your own reverse proxy)
  -h, --help              Show this help
`;

/** A flag error: the CLI prints the message with a hint and exits 2. */
export class UsageError extends Error {}

/**
 * Turns flags and environment variables (`PORT`, `INKWELL_FLOOD_SECONDS`, `INKWELL_ADMIN_TOKEN`) into
 * `startServer` options, flags first. Returns `'help'` for `--help`; throws `UsageError` on anything invalid.
 */
export function parseCliArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): ServerOptions | 'help' {
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
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';

  const portText = values.port ?? env.PORT ?? '8787';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new UsageError(`Invalid port "${portText}": use a whole number from 0 to 65535.`);
  }
  const moderation = values.moderation ?? 'none';
  if (moderation !== 'none' && moderation !== 'all' && moderation !== 'first-time') {
    throw new UsageError(`Invalid --moderation "${moderation}": use none, all or first-time.`);
  }
  const floodText = values['flood-seconds'] ?? env.INKWELL_FLOOD_SECONDS ?? '15';
  const floodSeconds = Number(floodText);
  if (floodText.trim() === '' || !Number.isFinite(floodSeconds) || floodSeconds < 0) {
    throw new UsageError(`Invalid flood interval "${floodText}": use a number of seconds, 0 to turn flood control off.`);
  }
  for (const o of values.origin ?? []) {
    if (o === '*') continue;
    let ok = false;
    try {
      ok = new URL(o).origin !== 'null';
    } catch {
      ok = false;
    }
    if (!ok) throw new UsageError(`Invalid --origin "${o}": write it as scheme and host, like https://blog.example.`);
  }
  const adminToken = values['admin-token'] ?? env.INKWELL_ADMIN_TOKEN;
  return {
    port: Number(portText),
    host: values.host,
    db: values.db ?? 'comments.db',
    origins: values.origin ?? [],
    moderation: moderation as Moderation,
    adminToken: adminToken || undefined,
    floodSeconds,
    trustProxy: values['trust-proxy'] ?? false,
  };
}

