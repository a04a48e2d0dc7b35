/**
 * Cross-origin rules: same-origin requests always pass; other sites only when listed, and a preflight is answered
 * here, before any route runs.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http.js';

/** The methods any route accepts, for `Allow` and preflight answers. */
export const ALLOWED_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'Content-Type, Idempotency-Key, Authorization';

/** An Origin header as the allowed list writes origins; anything unparsable matches nothing. */
function canonicalOrigin(header: string): string {
  try {
    return new URL(header).origin;
  } catch {
    return '';
  }
}

/** True when the Origin names this very server (its Host, or the proxy's forwarded host when trusted). */
function isSameOrigin(req: IncomingMessage, origin: string, trustProxy: boolean): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = trustProxy ? String(req.headers['x-forwarded-host'] ?? '').split(',')[0].trim() : '';
  return host !== '' && (host === req.headers.host || host === forwarded);
}

/**
 * Applies the CORS rules to one request. Throws `403 forbidden_origin` for a site not listed; answers an
 * `OPTIONS` request itself and returns true then (nothing else is to be done).
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, origins: ReadonlySet<string>, trustProxy: boolean): boolean {
  const method = (req.method ?? 'GET').toUpperCase();
  // Answers differ by Origin; keep whatever Vary a framework set before us.
  const vary = res.getHeader('Vary');
  if (!vary) res.setHeader('Vary', 'Origin');
  else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(String(vary))) res.setHeader('Vary', `${String(vary)}, Origin`);
  const origin = req.headers.origin;
  if (origin !== undefined && !isSameOrigin(req, origin, trustProxy)) {
    if (!origins.has('*') && !origins.has(canonicalOrigin(origin))) {
      throw new HttpError(403, 'forbidden_origin', 'This site is not allowed to use this comments service.');
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After, Idempotent-Replayed');
    if (method === 'OPTIONS') {
      res.statusCode = 204;
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '7200');
      res.end();
      return true;
    }
  }
  if (method === 'OPTIONS') {
    res.statusCode = 204;
    res.setHeader('Allow', ALLOWED_METHODS);
    res.end();
    return true;
  }
  return false;
}
