/**
 * What the PostgreSQL store says about its connection: a URL shown without its password, and one sentence for
 * each way connecting fails. Kept apart from the store so every message is in one place and none can print a
 * password.
 * @module
 */

/** Where a URL points, for messages: `host:port/database` and the user, never the password. */
export interface PostgresTarget {
  /** `HOST:PORT/DB`. */
  where: string;
  user: string;
  database: string;
  host: string;
}

/** True for the URLs the PostgreSQL store serves: `postgres://` and `postgresql://`. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(db.trim());
}

/**
 * The URL with its password (in the user part or a `password=` parameter) replaced by `***`, fit for logs and
 * error messages. Works on malformed URLs too, erring towards hiding more.
 */
export function redactUrl(url: string): string {
  const hidden = url
    // Everything between the user name's colon and the last `@`: a password may hold unencoded `@`, `/` or `#`.
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):.*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
  return hidden;
}

/** Reads the parts of a URL that messages name; throws a sentence (with the URL redacted) when it is malformed. */
export function describeTarget(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (!isPostgresUrl(url)) throw new Error('it must start with postgres:// or postgresql://');
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
    decodeURIComponent(parsed.pathname);
  } catch (err) {
    const detail = err instanceof Error && !/^Invalid URL/i.test(err.message) && !(err instanceof URIError) ? `: ${err.message}` : '';
    // No `cause`: Node's URL error carries the whole input, password included, and a cause gets logged with the error.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(
      `The PostgreSQL URL ${redactUrl(url)} is malformed${detail}; write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE ` +
        `and percent-encode special characters in the user name and password (@ as %40, / as %2F, # as %23, % as %25).`,
    );
  }
  const user = decodeURIComponent(parsed.username) || parsed.searchParams.get('user') || process.env.PGUSER || 'postgres';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user;
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || parsed.searchParams.get('host') || 'localhost';
  const port = parsed.port || '5432';
  return { where: `${host.includes(':') ? `[${host}]` : host}:${port}/${database}`, user, database, host };
}

const UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown: the server is stopping or our backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '57014', // query_canceled: our statement_timeout, the server is too slow to answer
  '40001', // serialization_failure, after our retries
  '40P01', // deadlock_detected, after our retries
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * True when an error means "PostgreSQL cannot answer now, a retry later may work" (server down, restarting,
 * connection lost, too slow), as opposed to a bug or a bad query.
 */
export function isUnavailableError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // node-postgres reports a dropped connection and its own timeouts without a code.
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|connection timeout/i.test(
    err.message,
  );
}

/** True when a client's connection is unusable after this error, so the pool must discard it. */
export function isConnectionLost(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return isUnavailableError(err) && code !== '57014' && code !== '40001' && code !== '40P01' && code !== '53300';
}

/** One sentence for a failure to connect or prepare the database, naming it without its password. */
export function connectFailure(target: PostgresTarget, err: unknown): string {
  const lead = `Cannot connect to PostgreSQL at ${target.where}:`;
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return `${lead} the server refused the connection; is PostgreSQL running and listening on that host and port?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${lead} no host named ${target.host} was found; check the host name in the URL.`;
    case '28P01':
      return `${lead} the password for user "${target.user}" was refused; check the password in the URL.`;
    case '28000':
      return `${lead} the server does not let user "${target.user}" connect (${message}); check the user name and the server's pg_hba.conf.`;
    case '3D000':
      return `${lead} the database "${target.database}" does not exist; create it (createdb ${target.database}) or fix the URL.`;
    case '57P03':
      return `${lead} the server is starting up or shutting down; try again in a moment.`;
    case '53300':
      return `${lead} the server has no connection slot free; raise max_connections or lower the pool size.`;
    case '42501':
      return `${lead} user "${target.user}" may not create the tables Inkwell needs (${message}); grant it CREATE on the database's schema.`;
  }
  if (/SASL|client password must be a string/i.test(message)) {
    return `${lead} the server asks for a password and the URL gives none; add it as postgres://USER:PASSWORD@HOST/DB.`;
  }
  if (/timeout/i.test(message)) return `${lead} the server did not answer in time; is the host reachable and the port right?`;
  return `${lead} ${message}`;
}
