/**
 * The limits and patterns of wire protocol v1 that both halves of the rules use: the input checks
 * (`input-rules.ts`, which the comment form loads when a reader starts writing) and the readers of the server's answers
 * (`rules.ts`, which every page needs). No DOM and no Lit here.
 * @module
 */
import { regexes } from 'zod/v4/core';

/** Limits, in Unicode code points (WordPress core's numbers, which count bytes there). */
export const limits = {
  name: 245,
  email: 100,
  emailLocal: 64,
  website: 200,
  body: 65_525,
  thread: 200,
  parentId: 100,
} as const;

/** Counts code points, as both sides do, so that an emoji counts once wherever it is measured. */
export const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** True for an absolute `http:` or `https:` URL with a host. */
export const isHttpUrl = (s: string): boolean => {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    return !!new URL(s).hostname;
  } catch {
    return false;
  }
};

/** zod's default `z.email()` pattern: no quoted local parts, where markup can hide. */
export const EMAIL = regexes.email;

/**
 * An author token as the server hands it out (24 random bytes, base64url) or a client makes one: 22 to 64
 * characters of the base64url alphabet. Only its SHA-256 is stored.
 */
export const AUTHOR_TOKEN = /^[A-Za-z0-9_-]{22,64}$/;
