/**
 * HTTP plumbing shared by every route: refusals as values, JSON answers, request bodies, and the last word on an
 * error that reached the top.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StoreUnavailableError } from './store.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A refusal with its HTTP status, error code and human sentence; anything else thrown is a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The client hung up before its request was read. */
export class ClientGone extends Error {}

/** `404 not_found` for an address nothing answers. */
export const notFound = (): HttpError => new HttpError(404, 'not_found', 'There is nothing at this address.');

/** `405` with the methods the address does accept. */
export function methodNotAllowed(method: string, allow: string): HttpError {
  return new HttpError(405, 'method_not_allowed', `This address does not accept ${method} requests.`, undefined, { Allow: allow });
}

/** `400 invalid_query`, with the sentence of each bad parameter. */
export function queryError(fields: Record<string, string>): HttpError {
  return new HttpError(400, 'invalid_query', 'The request address has a parameter that is not valid.', fields);
}

/** Sends a value as JSON. */
export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, JSON.stringify(body), headers);
}

/**
 * Sends JSON text already serialised. `no-store` unless `headers` say otherwise: errors, posts and admin answers
 * must never be kept by a browser or a CDN; only the public reads (`caching.ts`) set their own policy.
 */
export function sendJson(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Sends a refusal as `{ error: { code, message, fields? } }`. */
export function sendError(res: ServerResponse, err: HttpError): void {
  const error: { code: string; message: string; fields?: Record<string, string> } = { code: err.code, message: err.message };
  if (err.fields) error.fields = err.fields;
  send(res, err.status, { error }, err.headers);
}

/**
 * Reads a request body into memory, refusing with 413 the moment it passes `max` bytes: the rest is never
 * buffered, and the connection is closed after the answer so the sender stops.
 */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  const tooLarge = () =>
    new HttpError(413, 'too_large', `The request is too large: at most ${max.toLocaleString('en')} bytes.`, undefined, { Connection: 'close' });
  if (Number.isFinite(declared) && declared > max) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        cleanup();
        chunks.length = 0;
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onGone = () => {
      cleanup();
      reject(new ClientGone());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

/** The JSON object of a POST: from the stream, or from a body parser that already consumed it (Express). */
export async function readJsonObject(req: IncomingMessage, max: number): Promise<Record<string, unknown>> {
  const parsed = (req as { body?: unknown }).body;
  let value: unknown;
  if (parsed !== undefined && req.readableEnded && typeof parsed !== 'string' && !Buffer.isBuffer(parsed)) {
    value = parsed;
  } else {
    const bytes = req.readableEnded ? Buffer.from(typeof parsed === 'string' ? parsed : ((parsed as Buffer | undefined) ?? '')) : await readBody(req, max);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The request body is not valid UTF-8 text.');
    }
    try {
      value = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'invalid_json', 'The request body must be a JSON object describing one comment.');
  }
  return value as Record<string, unknown>;
}

/** True for `application/json`, with no charset or a UTF-8 one. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((param) => !param.startsWith('charset=') || /^charset="?utf-8"?$/.test(param));
}

/**
 * The answer to anything a route threw: its refusal; `503` when the store cannot answer right now (busy or down:
 * the client may retry, and nothing is logged as an internal error); else a `500` that says nothing, with the
 * stack on stderr.
 */
export function answerError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  // A refused upload carries `Connection: close`: the rest of it is never read, and the socket goes after the answer.
  if (err instanceof HttpError) return sendError(res, err);
  // Nobody is left to answer.
  if (err instanceof ClientGone || res.destroyed || req.socket?.destroyed) return;
  if (err instanceof StoreUnavailableError) {
    const retryAfter = String(Math.max(1, Math.ceil(err.retryAfterSeconds)));
    return sendError(res, new HttpError(503, 'unavailable', 'The comments service is busy; please try again in a few seconds.', undefined, { 'Retry-After': retryAfter }));
  }
  // The path only: a query string can carry an email (admin export), and a body is never logged.
  const path = (req.url ?? '').split('?')[0];
  console.error(`inkwell: internal error on ${req.method} ${path}:`, err instanceof Error ? err.stack : String(err));
  sendError(res, new HttpError(500, 'internal', 'Something went wrong on our side. Please try again later.'));
}

/** Who is calling an admin route: the owner (`--admin-token`) or a moderator (a token from the CLI). */
export interface Actor {
  name: string;
  role: 'owner' | 'moderator';
}

/** What a route handler gets: the exchange, the query, the `:name` parts of its pattern, and the admin caller. */
export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  params: Record<string, string>;
  /** Set for the routes under `/admin`, once the gate let the caller in. */
  actor?: Actor;
}

/** One route's work; a refusal is thrown as an `HttpError`. */
export type RouteHandler = (request: RouteRequest) => Promise<void>;
