/**
 * Inkwell's events: names and detail types in one place. All bubble and are composed, so a page can listen on
 * `document`; `ink-submit` is also cancelable.
 * @module
 */
import type { Comment } from './rules.js';
import type { CommentInput } from './schema.js';

/** What went wrong, in a form a page can log or show. `code` is the client or server error code. */
export interface InkErrorInfo {
  code: string;
  message: string;
  status?: number;
}

export interface InkSubmitDetail {
  /** The CommentInput about to be posted; a listener may add fields (a captcha token) or cancel. */
  input: CommentInput & Record<string, unknown>;
}
export interface InkPostedDetail {
  comment: Comment;
}
export interface InkErrorDetail {
  error: InkErrorInfo;
}
export interface InkLoadedDetail {
  /** Every published comment of the thread (the server's `total`); for an article, 1. */
  total: number;
  /** Comments (or articles) that arrived with this load. */
  count: number;
}

export interface InkEventMap {
  'ink-submit': CustomEvent<InkSubmitDetail>;
  'ink-posted': CustomEvent<InkPostedDetail>;
  'ink-error': CustomEvent<InkErrorDetail>;
  'ink-loaded': CustomEvent<InkLoadedDetail>;
}

/** Dispatches an Inkwell event from `target`; returns false when a listener called `preventDefault()`. */
export function emit<K extends keyof InkEventMap>(
  target: EventTarget,
  type: K,
  detail: InkEventMap[K]['detail'],
  cancelable = false,
): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
}

declare global {
  // Declaration merging: the empty body adds our events to the DOM's map, which is the point.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends InkEventMap {}
}
