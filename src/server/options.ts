/**
 * The options of `createHandler` and `startServer`, and the one check they all pass through: the CLI, the handler
 * and `startServer` call `validateOptions()`, so a mistake reads the same wherever it was made.
 * @module
 */
import { availableParallelism } from 'node:os';
import { readBlocklist } from './hold-rules.js';
import type { CommentStore } from './store.js';

/** Who must approve a comment before readers see it. */
export type Moderation = 'none' | 'all' | 'first-time';

/** Options of `createHandler`. Every one has a default that suits a single-site deployment. */
export interface HandlerOptions {
  /** Where comments live. Default: the store `db` names. A store passed in is not closed by `close()`. */
  store?: CommentStore;
  /** The database used when no `store` is given (default `./comments.db`; `:memory:` keeps nothing). */
  db?: string;
  /** The public path of the API (default `/api/comments`); `''` or `/` serves it at the root. */
  basePath?: string;
  /** Origins allowed to call the API from other sites, e.g. `https://blog.example` (`*` allows any). */
  origins?: readonly string[];
  /** Default `none`. */
  moderation?: Moderation;
  /** Enables the admin routes, which then need `Authorization: Bearer <token>`. Without it they answer 404. */
  adminToken?: string;
  /** One comment per this many seconds per network and per author token (default 15; 0 turns it off). */
  floodSeconds?: number;
  /** Largest accepted request body (default 100,000 bytes). */
  maxBodyBytes?: number;
  /** Believe `X-Forwarded-For` (right-most entry) and `X-Forwarded-Host`: set only behind your own proxy. */
  trustProxy?: boolean;
  /**
   * How long a browser or CDN may reuse a page or count answer, in seconds (default 0: it must revalidate with the
   * `ETag` each time). Above 0, GET answers carry `Cache-Control: public, max-age=N, stale-while-revalidate=…`.
   */
  cacheSeconds?: number;
  /** Hold a comment with this many http(s) links or more (default 2; 0 turns the rule off). */
  holdLinks?: number;
  /** A text file of words and phrases, one a line; a comment containing one is held. Read once, at start. */
  blocklist?: string;
  /**
   * Who may frame the dashboard page (`{basePath}/dashboard`): the CSP `frame-ancestors` sources, e.g.
   * `'self' https://admin.example`. Default `'none'`.
   */
  dashboardFrameAncestors?: string;
  /**
   * The file served as the dashboard's script (default: `inkwell-admin.js` of the built package, beside `dist/server/`).
   * For a custom build of the element.
   */
  dashboardScript?: string;
  /** The clock, in ms since the epoch (tests move it). */
  now?: () => number;
}

/** Options of `startServer`: the handler's plus where to listen. */
export interface ServerOptions extends HandlerOptions {
  /** Default 8787; 0 picks a free port (tests). */
  port?: number;
  /** Default: every interface. Use `127.0.0.1` to keep the API off the network. */
  host?: string;
}

/** Options of the `inkwell-server` process: the server's plus how many processes share the port. */
export interface ClusterOptions extends ServerOptions {
  /** Worker processes (node:cluster) sharing the port and the database (default 1: no cluster). */
  workers?: number;
}

/** Most workers `--workers` accepts: far above any core count, low enough that a typo cannot fork thousands. */
export const MAX_WORKERS = 256;
/** The longest `--cache-seconds`: one year, the most HTTP caches honour. */
export const MAX_CACHE_SECONDS = 31_536_000;

/** The options once checked, with their defaults filled in. */
export interface Settings {
  basePath: string;
  /** Canonical origins (`scheme://host[:port]`), or `*`. */
  origins: ReadonlySet<string>;
  moderation: Moderation;
  adminToken: string | null;
  floodSeconds: number;
  maxBodyBytes: number;
  trustProxy: boolean;
  cacheSeconds: number;
  holdLinks: number;
  /** The blocklist's phrases, lower-cased (empty without `--blocklist`). */
  blocklist: readonly string[];
  dashboardFrameAncestors: string;
  dashboardScript: string | null;
  now: () => number;
  port: number;
  host: string | undefined;
  workers: number;
}

/** `basePath` as the handler matches it: a leading slash, no trailing one, `''` for the root. */
export function normalizeBasePath(path: string | undefined): string {
  const trimmed = (path ?? '/api/comments').trim();
  if (trimmed === '' || trimmed === '/') return '';
  return `/${trimmed.replace(/^\/+|\/+$/g, '')}`;
}

/** A value as a message quotes it: text in quotes (control characters escaped), anything else as it prints. */
const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * One refusal sentence per option, naming every place it can be set, so the CLI and the API read the same.
 * E.g. `Invalid port "abc": use a whole number from 0 to 65535 (set by --port, PORT or the port option).`
 */
function invalid(what: string, value: unknown, hint: string, setBy: string): Error {
  return new Error(`Invalid ${what} ${shown(value)}: ${hint} (set by ${setBy}).`);
}

/** The canonical form of an allowed origin; throws the one sentence for a value that is not scheme and host. */
function normalizeOrigin(origin: unknown): string {
  if (origin === '*') return origin;
  let url: URL | null;
  try {
    url = typeof origin === 'string' ? new URL(origin) : null;
  } catch {
    url = null;
  }
  if (!url || url.origin === 'null') {
    throw invalid('origin', origin, 'write it as scheme and host, like https://blog.example', '--origin or the origins option');
  }
  return url.origin;
}

/**
 * Checks options and fills in their defaults. Throws an `Error` whose message says which value is wrong, what to
 * write instead and where it was set; the CLI prints that sentence as it is.
 */
export function validateOptions(options: ClusterOptions = {}): Settings {
  const port = options.port ?? 8787;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalid('port', port, 'use a whole number from 0 to 65535', '--port, PORT or the port option');
  }
  const moderation = options.moderation ?? 'none';
  if (moderation !== 'none' && moderation !== 'all' && moderation !== 'first-time') {
    throw invalid('moderation', moderation, 'use none, all or first-time', '--moderation or the moderation option');
  }
  const floodSeconds = options.floodSeconds ?? 15;
  if (typeof floodSeconds !== 'number' || !Number.isFinite(floodSeconds) || floodSeconds < 0) {
    throw invalid(
      'flood interval',
      floodSeconds,
      'use a number of seconds, 0 to turn flood control off',
      '--flood-seconds, INKWELL_FLOOD_SECONDS or the floodSeconds option',
    );
  }
  const maxBodyBytes = options.maxBodyBytes ?? 100_000;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw invalid('body size limit', maxBodyBytes, 'use a positive whole number of bytes', 'the maxBodyBytes option');
  }
  if (options.adminToken !== undefined && typeof options.adminToken !== 'string') {
    throw invalid('admin token', options.adminToken, 'use a text token', '--admin-token, INKWELL_ADMIN_TOKEN or the adminToken option');
  }
  if (options.origins !== undefined && !Array.isArray(options.origins)) {
    throw invalid('origins', options.origins, 'use a list of origins, like ["https://blog.example"]', 'the origins option');
  }
  const cacheSeconds = options.cacheSeconds ?? 0;
  if (!Number.isInteger(cacheSeconds) || cacheSeconds < 0 || cacheSeconds > MAX_CACHE_SECONDS) {
    throw invalid(
      'cache time',
      cacheSeconds,
      `use a whole number of seconds from 0 to ${MAX_CACHE_SECONDS} (one year), 0 to make every reader revalidate`,
      '--cache-seconds or the cacheSeconds option',
    );
  }
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw invalid('worker count', workers, `use a whole number from 1 to ${MAX_WORKERS}; this machine has ${availableParallelism()} cores`, '--workers');
  }
  if (workers > 1 && options.db?.trim() === ':memory:') {
    throw invalid('database', options.db, 'several workers need one shared database; give --db a file path or a postgres:// URL', '--db and --workers');
  }
  const holdLinks = options.holdLinks ?? 2;
  if (!Number.isInteger(holdLinks) || holdLinks < 0 || holdLinks > 1000) {
    throw invalid('link limit', holdLinks, 'use a whole number of links from 0 to 1000, 0 to turn the rule off', '--hold-links or the holdLinks option');
  }
  if (options.blocklist !== undefined && (typeof options.blocklist !== 'string' || options.blocklist.trim() === '')) {
    throw invalid('blocklist', options.blocklist, 'give the path of a text file with one word or phrase a line', '--blocklist or the blocklist option');
  }
  const dashboardFrameAncestors = options.dashboardFrameAncestors ?? "'none'";
  if (typeof dashboardFrameAncestors !== 'string' || !/^[^\s;,]+( [^\s;,]+)*$/.test(dashboardFrameAncestors.trim())) {
    throw invalid(
      'dashboard frame ancestors',
      dashboardFrameAncestors,
      "use CSP sources separated by spaces, like 'none', 'self' or https://admin.example",
      '--dashboard-frame-ancestors or the dashboardFrameAncestors option',
    );
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw invalid('clock', options.now, 'use a function that returns milliseconds since the epoch', 'the now option');
  }
  return {
    basePath: normalizeBasePath(options.basePath),
    origins: new Set((options.origins ?? []).map(normalizeOrigin)),
    moderation,
    // An empty token would let an empty bearer in: it means "no admin API", as when absent.
    adminToken: options.adminToken || null,
    floodSeconds,
    maxBodyBytes,
    trustProxy: options.trustProxy ?? false,
    cacheSeconds,
    holdLinks,
    blocklist: options.blocklist === undefined ? [] : readBlocklist(options.blocklist),
    dashboardFrameAncestors: dashboardFrameAncestors.trim(),
    dashboardScript: options.dashboardScript ?? null,
    now: options.now ?? Date.now,
    port,
    host: options.host,
    workers,
  };
}
