/**
 * What the widget keeps in the reader's browser, all of it here so that a privacy review reads one file:
 * - unsent drafts, in `sessionStorage` (per endpoint, thread and parent, so a reload loses nothing);
 * - the author token each server gave this browser, in `sessionStorage` (this tab);
 * - only while the reader ticks "remember me": their name, email and website, and the author tokens, in
 *   `localStorage`; unticking removes both;
 * - the comments this browser posted that await moderation, in `localStorage`, so that their author still sees
 *   them after a reload, until the server lists them.
 *
 * Every access is guarded: Safari's private mode, a disabled storage or a full quota must cost the reader a
 * convenience, never the widget.
 * @module
 */

/** Which storage: `session` (this tab, until it closes) or `local` (this browser, until erased). */
export type StorageKind = 'session' | 'local';

// Reading `sessionStorage` or `localStorage` itself throws where storage is disabled: call inside a try.
const store = (kind: StorageKind): Storage => (kind === 'session' ? sessionStorage : localStorage);

/** The JSON value stored under `key`, or undefined when absent, unreadable or storage is unavailable. */
export function readJSON<T>(kind: StorageKind, key: string): T | undefined {
  try {
    // An absent key reads as null, which parses to null.
    return (JSON.parse(store(kind).getItem(key)!) as T | null) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores `value` as JSON under `key`; `undefined` removes the key. Returns false when storage refused. */
export function writeJSON(kind: StorageKind, key: string, value: unknown): boolean {
  try {
    const storage = store(kind);
    if (value === undefined) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** An unsent comment: its text and the `Idempotency-Key` it was (or will be) posted with. */
export interface Draft {
  body: string;
  /** Kept with the text so that a retry, even after a reload, is recognised by the server as the same comment. */
  key?: string;
}

const draftKey = (endpoint: string, thread: string, parent = '') => `inkwell:draft:${JSON.stringify([endpoint, thread, parent])}`;

/** The draft of a reply to `parent` (or of a top-level comment) in one thread of one endpoint. */
export const getDraft = (endpoint: string, thread: string, parent?: string): Draft | undefined =>
  readJSON<Draft>('session', draftKey(endpoint, thread, parent));

/** Saves a draft; one with an empty body is removed instead. */
export const setDraft = (endpoint: string, thread: string, parent: string | undefined, draft: Draft): boolean =>
  writeJSON('session', draftKey(endpoint, thread, parent), draft.body ? draft : undefined);

/** Removes a draft, once the server has accepted it. */
export const clearDraft = (endpoint: string, thread: string, parent?: string): boolean => setDraft(endpoint, thread, parent, { body: '' });

const pendingKey = (endpoint: string, thread: string) => `inkwell:pending:${JSON.stringify([endpoint, thread])}`;

/** Comments posted from this browser that await moderation, as stored: untrusted, read them with `readKeptPending`. */
export const getPendingComments = (endpoint: string, thread: string): unknown => readJSON<unknown>('local', pendingKey(endpoint, thread));

/** Keeps the comments awaiting moderation of one thread; an empty list removes the key. */
export const setPendingComments = (endpoint: string, thread: string, comments: readonly unknown[]): boolean =>
  writeJSON('local', pendingKey(endpoint, thread), comments.length ? comments : undefined);

/**
 * The key of the author tokens, by endpoint: `{ [endpoint]: token }`. A server gives the browser that posted a
 * comment a random token and recognises its author by it (a double post, trust under `first-time` moderation); each
 * token goes back only to the endpoint that gave it.
 */
export const AUTHOR_TOKENS_KEY = 'inkwell:author-tokens';

/** What a server's author token looks like; anything else, from a server or from storage, is ignored. */
export const AUTHOR_TOKEN = /^[A-Za-z0-9_-]{22,64}$/;

// Stored text is untrusted: whatever is there, only a string of the token's form is ever sent (getAuthorToken).
const readAuthorTokens = (kind: StorageKind): Record<string, unknown> => readJSON(kind, AUTHOR_TOKENS_KEY) ?? {};

/** The author token that the server at `endpoint` gave this browser: this tab's, else the remembered one. */
export function getAuthorToken(endpoint: string): string | undefined {
  const token = readAuthorTokens('session')[endpoint] ?? readAuthorTokens('local')[endpoint];
  return typeof token === 'string' && AUTHOR_TOKEN.test(token) ? token : undefined;
}

/**
 * Keeps the author token a server answered a post with: for this tab always, and in `localStorage` too while the
 * reader asks to be remembered. Returns false when storage refused, or when the token is not one.
 */
export function setAuthorToken(endpoint: string, token: string, remember: boolean): boolean {
  const add = (kind: StorageKind) => writeJSON(kind, AUTHOR_TOKENS_KEY, { ...readAuthorTokens(kind), [endpoint]: token });
  return AUTHOR_TOKEN.test(token) && add('session') && (!remember || add('local'));
}

/** The reader's details, remembered only while they tick "Save my name, email, and website…". */
export interface Identity {
  name: string;
  email: string;
  website: string;
}

/** The one `localStorage` key that may hold an email address. */
export const IDENTITY_KEY = 'inkwell:identity';

/** The remembered identity, if the reader asked for it. */
export const getIdentity = (): Identity | undefined => readJSON<Identity>('local', IDENTITY_KEY);

/**
 * Remembers the reader's identity, and this tab's author tokens beside it (added to those remembered before); call
 * only while they have asked for it, on every change, so that what is remembered is what the form shows.
 */
export const setIdentity = ({ name, email, website }: Identity): boolean =>
  writeJSON('local', IDENTITY_KEY, { name, email, website }) &&
  writeJSON('local', AUTHOR_TOKENS_KEY, { ...readAuthorTokens('local'), ...readAuthorTokens('session') });

/** Forgets the reader's identity and the author tokens remembered with it (this tab's stay until it closes). */
export const clearIdentity = (): boolean => writeJSON('local', IDENTITY_KEY, undefined) && writeJSON('local', AUTHOR_TOKENS_KEY, undefined);
