/**
 * The comments API as one Node request handler: protocol v1 (SPEC section 3) plus the admin routes. It owns only
 * the paths under `basePath`, so it mounts as-is under `node:http`, Express or Connect. The routes are the table
 * below; each handler lives in the module of its resource (`routes/comments.ts`, `routes/admin.ts`), the plumbing
 * in `http.ts` and `cors.ts`, the options in `options.ts`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyCors } from './cors.js';
import { answerError, methodNotAllowed, notFound } from './http.js';
import type { RouteHandler } from './http.js';
import { validateOptions } from './options.js';
import type { HandlerOptions } from './options.js';
import { dashboardRoutes } from './dashboard.js';
import { adminGate, adminRoutes } from './routes/admin.js';
import { blockRoutes } from './routes/admin-blocks.js';
import { moderationRoutes } from './routes/admin-comments.js';
import { commentRoutes } from './routes/comments.js';
import { openStore } from './open-store.js';
import type { CommentStore } from './store.js';

export { toPublic, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_COUNT_THREADS } from './routes/comments.js';
export type { HandlerOptions, Moderation } from './options.js';

/** A Node request handler that also fits Express and Connect (it calls `next()` for paths outside `basePath`). */
export interface InkwellHandler {
  (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /** The store in use, for seeding, backups or a custom admin tool. */
  readonly store: CommentStore;
  /**
   * Resolves once the store can serve; rejects with the store's sentence (which database, what to do). Requests
   * wait for it too; `startServer` awaits it before listening, so a bad `--db` stops the CLI with that sentence.
   */
  ready(): Promise<void>;
  /** Closes the store if the handler opened it. */
  close(): Promise<void>;
}

/** One row of the route table: the methods, the path below `basePath` (`:name` matches one segment), the work. */
interface Route {
  methods: readonly string[];
  pattern: string;
  handler: RouteHandler;
}

/** A route with its pattern compiled. */
interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, regex: new RegExp(`^${source}$`), names };
}

/**
 * Builds the comments API handler. Throws at once on invalid options or an unusable database path, so a
 * misconfiguration stops start-up instead of failing the first reader.
 */
export function createHandler(options: HandlerOptions = {}): InkwellHandler {
  const settings = validateOptions(options);
  const ownsStore = !options.store;
  const store: CommentStore = options.store ?? openStore(options.db ?? 'comments.db');
  const ready = store.ready();
  // Rejections are answered where the promise is awaited (start-up, each request), not reported as unhandled.
  ready.catch(() => {});
  const comments = commentRoutes(store, settings);
  const admin = adminRoutes(store);
  const moderation = moderationRoutes(store, settings);
  const blocks = blockRoutes(store, settings);
  const dashboard = dashboardRoutes(settings);
  const guardAdmin = adminGate(settings.adminToken, store);

  // Every address the API answers, in one place.
  const routes = [
    { methods: ['GET', 'HEAD'], pattern: '', handler: comments.list },
    { methods: ['POST'], pattern: '', handler: comments.post },
    { methods: ['GET', 'HEAD'], pattern: '/counts', handler: comments.counts },
    { methods: ['GET', 'HEAD'], pattern: '/dashboard', handler: dashboard.page },
    { methods: ['GET', 'HEAD'], pattern: '/dashboard/inkwell-admin.js', handler: dashboard.script },
    { methods: ['GET', 'HEAD'], pattern: '/admin/me', handler: moderation.me },
    { methods: ['GET', 'HEAD'], pattern: '/admin/pending', handler: admin.pending },
    { methods: ['GET', 'HEAD'], pattern: '/admin/comments', handler: moderation.list },
    { methods: ['POST'], pattern: '/admin/comments/:id/approve', handler: moderation.approve },
    { methods: ['POST'], pattern: '/admin/comments/:id/spam', handler: moderation.spam },
    { methods: ['POST'], pattern: '/admin/comments/:id/restore', handler: moderation.restore },
    { methods: ['PATCH'], pattern: '/admin/comments/:id', handler: moderation.edit },
    { methods: ['DELETE'], pattern: '/admin/comments/:id', handler: moderation.remove },
    { methods: ['POST'], pattern: '/admin/bulk', handler: moderation.bulk },
    { methods: ['GET', 'HEAD'], pattern: '/admin/audit', handler: moderation.audit },
    { methods: ['GET', 'HEAD'], pattern: '/admin/blocks', handler: blocks.list },
    { methods: ['POST'], pattern: '/admin/blocks', handler: blocks.add },
    { methods: ['DELETE'], pattern: '/admin/blocks/:id', handler: blocks.remove },
    { methods: ['GET', 'HEAD'], pattern: '/admin/export', handler: admin.exportByEmail },
    { methods: ['DELETE'], pattern: '/admin/erase', handler: admin.eraseByEmail },
  ].map(compile);

  /** The path below `basePath`, without a trailing slash; null when the path is not ours. */
  function ownPath(pathname: string): string | null {
    const { basePath } = settings;
    if (basePath === '') return pathname.replace(/\/+$/, '');
    if (pathname === basePath) return '';
    if (!pathname.startsWith(`${basePath}/`)) return null;
    return pathname.slice(basePath.length).replace(/\/+$/, '');
  }

  async function handle(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): Promise<void> {
    // Express and Connect strip their mount path from req.url; originalUrl keeps what the client asked for.
    const target = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    let url: URL;
    try {
      url = new URL(target, 'http://localhost');
    } catch {
      url = new URL('http://localhost/');
    }
    const path = ownPath(url.pathname);
    if (path === null) {
      if (next) return next();
      throw notFound();
    }
    if (applyCors(req, res, settings.origins, settings.trustProxy)) return;
    await ready;
    // The admin API answers nothing, not even "wrong method", to a caller without a token.
    const actor = path === '/admin' || path.startsWith('/admin/') ? await guardAdmin(req) : undefined;

    const method = (req.method ?? 'GET').toUpperCase();
    const allowed = new Set<string>();
    for (const route of routes) {
      const match = route.regex.exec(path);
      if (!match) continue;
      if (!route.methods.includes(method)) {
        for (const m of route.methods) if (m !== 'HEAD') allowed.add(m);
        continue;
      }
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1])));
      } catch {
        throw notFound();
      }
      return route.handler({ req, res, query: url.searchParams, params, actor });
    }
    if (allowed.size > 0) throw methodNotAllowed(method, [...allowed, 'OPTIONS'].join(', '));
    throw notFound();
  }

  const handler = ((req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => {
    handle(req, res, next).catch((err: unknown) => answerError(req, res, err));
  }) as InkwellHandler;
  Object.defineProperty(handler, 'store', { value: store, enumerable: true });
  handler.ready = () => ready;
  handler.close = async () => {
    if (ownsStore) await store.close();
  };
  return handler;
}
