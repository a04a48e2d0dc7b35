/**
 * Where the dashboard keeps a moderator's token: `sessionStorage`, and only when they tick "keep me signed in on this
 * tab". This is the only file of the admin code that touches browser storage, so a privacy review reads one file.
 *
 * It is separate from `src/storage.ts` on purpose: that module is the reader's (drafts, "remember me", author
 * tokens) and the admin bundle must not pull it in, nor must the reader's bundle ever carry an admin key.
 * @module
 */

const KEY = 'inkwell-admin:';

/** The session storage, or undefined where the browser refuses it (a sandboxed frame, storage turned off). */
function session(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

/** The token kept for this endpoint on this tab, if any. */
export function getAdminToken(endpoint: string): string | undefined {
  try {
    return session()?.getItem(KEY + endpoint) || undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the token for this endpoint on this tab (never in localStorage: it ends with the tab). */
export function keepAdminToken(endpoint: string, token: string): void {
  try {
    session()?.setItem(KEY + endpoint, token);
  } catch {
    // Storage full or refused: the moderator stays signed in until the page is closed, which is all we promise then.
  }
}

/** Forgets the token of this endpoint (sign out, or a token the server no longer accepts). */
export function forgetAdminToken(endpoint: string): void {
  try {
    session()?.removeItem(KEY + endpoint);
  } catch {
    // Nothing was kept.
  }
}
