/**
 * `inkwell/server`: the reference comments API. Mount `createHandler()` in an existing Node, Express or Connect
 * server, or let `startServer()` listen on its own; the `inkwell-server` CLI is a thin wrapper over the latter.
 * @module
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler } from './handler.js';
import type { InkwellHandler } from './handler.js';
import { validateOptions } from './options.js';
import type { ServerOptions } from './options.js';

export { createHandler, toPublic, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_COUNT_THREADS } from './handler.js';
export type { InkwellHandler } from './handler.js';
export { validateOptions } from './options.js';
export type { ClusterOptions, HandlerOptions, Moderation, ServerOptions, Settings } from './options.js';
export { SqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite-store.js';
export { PostgresStore, redactUrl } from './postgres-store.js';
export type { PostgresStoreOptions } from './postgres-store.js';
export { openStore, isPostgresUrl } from './open-store.js';
export type { OpenStoreOptions } from './open-store.js';
export { StoreUnavailableError } from './store.js';
export { truncateIp } from './net.js';
export { parseCliArgs, UsageError, USAGE } from './cli-options.js';
export type {
  AdminComment,
  AdminListQuery,
  AdminListResult,
  AuditEntry,
  AuditPage,
  Block,
  BlockKind,
  HeldReason,
  ModerationStore,
  Moderator,
  NewAuditEntry,
  NewBlock,
  StatusAction,
  StatusCounts,
  StoredStatus,
  CommentStore,
  CreateOptions,
  CreateResult,
  FloodCheck,
  IdempotentRecord,
  ListPosition,
  ListQuery,
  ListResult,
  NewComment,
  StoredComment,
} from './store.js';

/** A listening API. */
export interface RunningServer {
  server: Server;
  handler: InkwellHandler;
  /** The API endpoint, e.g. `http://localhost:8787/api/comments`: what `<ink-comments endpoint>` takes. */
  url: string;
  /** Stops accepting connections, ends open ones, then closes the store. */
  close(): Promise<void>;
}

/**
 * Starts a standalone API server. Rejects with a sentence a person can act on when the port is taken or the
 * database cannot be opened, and leaves nothing open behind it in that case.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const { port, host, basePath } = validateOptions(options);
  // The handler ignores port and host.
  const handler = createHandler(options);
  const server = createServer(handler);
  // Slow senders cannot hold a connection for minutes.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  try {
    // Connected and migrated before the port opens: a bad database fails here, with the store's sentence.
    await handler.ready();
  } catch (err) {
    await handler.close();
    throw err;
  }
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await handler.close();
    const code = (err as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new Error(`Port ${port} is already in use; choose another with --port or PORT.`, { cause: err });
    if (code === 'EACCES') throw new Error(`Port ${port} needs more privileges than this process has; choose a port above 1023 with --port or PORT.`, { cause: err });
    if (code === 'EADDRNOTAVAIL') throw new Error(`Cannot listen on host ${host}: this machine has no such address.`, { cause: err });
    throw err;
  }
  const address = server.address() as AddressInfo;
  const shownHost = !host || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    server,
    handler,
    url: `http://${shownHost}:${address.port}${basePath}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Connections still busy get a moment, then go.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      }).then(() => handler.close());
      return closing;
    },
  };
}
