/**
 * HTTP caching of the public reads (pages and counts): a strong `ETag` over the exact JSON text, `304 Not Modified`
 * for a matching `If-None-Match`, and the `Cache-Control` that lets a browser or a CDN keep an answer. Everything
 * else the API sends is `no-store` (see `sendJson`).
 * @module
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http.js';

/** The longest `stale-while-revalidate` we announce: a day. A reader then sees at most one stale answer a day. */
export const MAX_STALE_SECONDS = 86_400;

/**
 * A strong entity tag for a JSON text: 128 bits of its SHA-256, so two different answers never share a tag. The
 * same text gives the same tag in every process, so several workers or servers behind one CDN agree.
 */
export function entityTag(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"`;
}

/**
 * True when an `If-None-Match` header names this tag: `*`, or a list of tags compared weakly (a `W/` prefix is
 * ignored), as RFC 9110 asks for GET and HEAD. CDNs weaken tags when they compress, so a weak match must count.
 */
export function ifNoneMatchHits(header: string | readonly string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const text = Array.isArray(header) ? header.join(',') : String(header);
  const wanted = etag.replace(/^W\//, '');
  // A tag is a quoted string without commas inside (RFC 9110 etagc excludes DQUOTE only; we never make commas).
  for (const part of text.split(',')) {
    const tag = part.trim();
    if (tag === '*') return true;
    if (tag.replace(/^W\//, '') === wanted) return true;
  }
  return false;
}

/**
 * The `Cache-Control` of a public read. With 0 seconds, `no-cache`: a browser keeps the answer but asks again each
 * time, and gets a body-less `304` while nothing changed. Above 0, any cache may serve it for that long, and a
 * little longer while it fetches a fresh copy in the background (`stale-while-revalidate`, 10× as long, at most a
 * day), so a busy thread costs the origin about one request per `cacheSeconds` per CDN node.
 */
export function publicCacheControl(cacheSeconds: number): string {
  if (cacheSeconds <= 0) return 'no-cache';
  return `public, max-age=${cacheSeconds}, stale-while-revalidate=${Math.min(cacheSeconds * 10, MAX_STALE_SECONDS)}`;
}

/**
 * Sends a public read: `304` with no body when the client already holds this very text, else `200` with it. Both
 * carry the tag and the cache policy; HEAD gets the same headers without the body (node:http drops it).
 */
export function sendCacheable(req: IncomingMessage, res: ServerResponse, text: string, etag: string, cacheControl: string): void {
  if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
    if (res.headersSent || res.destroyed) return;
    res.statusCode = 304;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', cacheControl);
    res.end();
    return;
  }
  sendJson(res, 200, text, { ETag: etag, 'Cache-Control': cacheControl });
}
