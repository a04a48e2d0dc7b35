/**
 * Shared set-up of the server tests: a real SQLite file in a temp folder, a real server on an ephemeral port,
 * and a second read-only connection that shows what was actually stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer } from '../../src/server/index.js';
import type { RunningServer, ServerOptions } from '../../src/server/index.js';

/** A temp folder, removed by `cleanup()`. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'inkwell-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestServer {
  url: string;
  origin: string;
  dbPath: string;
  running: RunningServer;
  /** POST a JSON value (or raw text) with optional extra headers. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** GET `url + suffix`. */
  get(suffix?: string, headers?: Record<string, string>): Promise<Response>;
  /** Every stored row, as the database holds it. */
  rows(): Record<string, unknown>[];
  /** Stops the server (the folder stays until `cleanup`). */
  stop(): Promise<void>;
  /** Stops the server and removes the folder. */
  close(): Promise<void>;
}

/** Starts a server on a file in a fresh temp folder (or `dir`, to reopen a file), flood control off unless set. */
export async function start(options: ServerOptions = {}, dir?: string): Promise<TestServer> {
  const temp = dir ? { dir, cleanup() {} } : tempDir();
  const dbPath = join(temp.dir, 'comments.db');
  const running = await startServer({ port: 0, host: '127.0.0.1', db: dbPath, floodSeconds: 0, ...options });
  const url = running.url;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await running.close();
  };
  return {
    url,
    origin: new URL(url).origin,
    dbPath,
    running,
    post: (body, headers = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (suffix = '', headers = {}) => fetch(url + suffix, { headers }),
    rows: () => {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT * FROM comments ORDER BY id').all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    stop,
    close: async () => {
      await stop();
      temp.cleanup();
    },
  };
}

let counter = 0;
/** A valid comment input; each call gets a distinct email and body unless overridden. */
export function input(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    thread: 'post-1',
    parentId: null,
    name: 'Ada Lovelace',
    email: `ada${counter}@example.com`,
    website: 'https://ada.example',
    body: `Comment number ${counter}.`,
    hp: '',
    ...overrides,
  };
}

/** The JSON of a response, typed loosely for assertions. */
export async function json(res: Response): Promise<any> {
  return JSON.parse(await res.text());
}

/** The public fields of a comment, and nothing else: what every non-admin response must be limited to. */
export const PUBLIC_FIELDS = ['body', 'createdAt', 'id', 'name', 'parentId', 'status', 'thread', 'website'];
