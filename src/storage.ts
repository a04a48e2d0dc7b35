/**
 * What the widget keeps in the reader's browser: unsent drafts in `sessionStorage` (per endpoint, thread and
 * parent, so a reload loses nothing) and, only when the reader asks for it, their name, email and website in
 * `localStorage`. Every access is guarded: Safari's private mode, a disabled storage or a full quota must cost the
 * reader a convenience, never the widget.
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
    return JSON.parse(store(kind).getItem(key)!) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores `value` as JSON under `key`; `undefined` removes the key. Returns false when storage refused. */
export function writeJSON(kind: StorageKind, key: string, value: unknown): boolean {
  try {
    const s = store(kind);
    if (value === undefined) s.removeItem(key);
    else s.setItem(key, JSON.stringify(value));
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
/** Remembers the reader's identity; call only while they have asked for it. */
export const setIdentity = ({ name, email, website }: Identity): boolean => writeJSON('local', IDENTITY_KEY, { name, email, website });
/** Forgets the reader's identity. */
export const clearIdentity = (): boolean => writeJSON('local', IDENTITY_KEY, undefined);
