import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { fetchCounts } from '../client.js';
import { emit } from '../events.js';
import { describeError, LocaleController } from '../i18n/controller.js';
import type { PluralForms, Translate } from '../i18n/index.js';

/** The thread of the current page: `<link rel=canonical>`'s path, else `location.pathname`. */
export function defaultThread(): string {
  const href = document.querySelector<HTMLLinkElement>('link[rel~="canonical" i]')?.href;
  try {
    if (href) return new URL(href).pathname;
  } catch {
    // An unreadable canonical link is the page's mistake; the address bar still names the page.
  }
  return location.pathname;
}

// The shared request errors speak to someone posting ("your comment is kept here"); a reader of a list is told
// what failed in words of its own.
const LOAD_KEYS: Record<string, string> = {
  'error.network': 'comments.errorNetwork',
  'error.timeout': 'comments.errorTimeout',
  'error.server': 'comments.errorServer',
  'error.notFound': 'comments.errorNotFound',
  'error.client': 'comments.errorClient',
  'error.rateLimited': 'comments.errorRateLimited',
  'error.rateLimitedNow': 'comments.errorRateLimitedNow',
};

/** What to tell a reader about a failed load of comments or counts, in their language. */
export const describeLoadError = (t: Translate, err: unknown) => describeError((k, v) => t(LOAD_KEYS[k] ?? k, v), err);

/** Most threads the reference server answers in one `counts` request. */
const CHUNK = 100;

type Waiting = Map<string, Set<InkCount>>;
/** Badges waiting for their count, per endpoint, then per thread. */
const queue = new Map<string, Waiting>();
let scheduled = false;

// Badges connect one by one as the parser meets them, so a microtask would see only some of them: wait for the
// parse to finish (or for the current task to end, once it has), then ask once per endpoint for every thread.
function schedule() {
  if (scheduled) return;
  scheduled = true;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', flush, { once: true });
  else setTimeout(flush);
}

function flush() {
  scheduled = false;
  const batches = [...queue];
  queue.clear();
  for (const [endpoint, waiting] of batches) {
    const threads = [...waiting.keys()];
    for (let i = 0; i < threads.length; i += CHUNK) {
      const chunk = threads.slice(i, i + CHUNK);
      fetchCounts(endpoint, chunk).then(
        (counts) => chunk.forEach((t) => waiting.get(t)!.forEach((el) => el._settle(endpoint, t, counts[t] ?? 0))),
        (err: unknown) => chunk.forEach((t) => waiting.get(t)!.forEach((el) => el._settle(endpoint, t, undefined, err))),
      );
    }
  }
}

/**
 * The number of published comments of a thread, for index pages: "3 comments". Every badge on a page is filled
 * by one `counts` request per endpoint.
 *
 * @summary A localised comment count badge.
 * @csspart count - The count text.
 * @fires ink-error - The count could not be loaded; detail `{ error: { code, message, status? } }`.
 */
export class InkCount extends LitElement {
  // The badge sits in a line of the page's text, so it takes the page's font and colour rather than the theme's.
  static override styles = css`
    :host {
      display: inline;
    }
    :host([hidden]) {
      display: none;
    }
  `;

  /** URL of the comments API. */
  @property() endpoint = '';
  /** Thread id; default: the canonical link's path, else `location.pathname`. */
  @property() thread = '';
  /** Overrides of any UI string, by key. */
  @property({ attribute: false }) strings?: Partial<Record<string, string | PluralForms>>;

  /** The count once it arrived. */
  @state() private _count?: number;
  /** What went wrong, in the reader's language. */
  @state() private _error?: string;

  private _l = new LocaleController(this);
  /** The endpoint and thread asked for, so that a change asks again and a late answer to an old question is dropped. */
  private _asked = '';

  override connectedCallback() {
    super.connectedCallback();
    // Removed before its batch was answered (moved in the page): ask again.
    if (this._count === undefined && this._error === undefined) {
      this._asked = '';
      this.requestUpdate();
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this._unqueue();
  }

  override willUpdate() {
    const thread = this.thread || defaultThread();
    const key = JSON.stringify([this.endpoint, thread]);
    if (key === this._asked || !this.isConnected) return;
    this._unqueue();
    this._asked = key;
    this._count = this._error = undefined;
    if (!this.endpoint) return;
    let waiting = queue.get(this.endpoint);
    if (!waiting) queue.set(this.endpoint, (waiting = new Map()));
    let els = waiting.get(thread);
    if (!els) waiting.set(thread, (els = new Set()));
    els.add(this);
    schedule();
  }

  /** @internal Called by the batch with the count (or error) of one endpoint and thread. */
  _settle(endpoint: string, thread: string, count?: number, err?: unknown) {
    if (!this.isConnected || JSON.stringify([endpoint, thread]) !== this._asked) return;
    this._count = count;
    if (err === undefined) return;
    const error = describeLoadError(this._l.t, err);
    this._error = this._l.t('count.error', { message: error.message });
    emit(this, 'ink-error', { error });
  }

  private _unqueue() {
    for (const [endpoint, waiting] of queue) {
      for (const [thread, els] of waiting) if (els.delete(this) && !els.size) waiting.delete(thread);
      if (!waiting.size) queue.delete(endpoint);
    }
  }

  override render() {
    const t = this._l.t;
    if (this._error) return html`<span part="count" title=${this._error}>—</span>`;
    if (this._count === undefined) return nothing;
    return html`<span part="count">${this._count ? t('count.comments', { n: this._count }) : t('count.none')}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ink-count': InkCount;
  }
}

if (!customElements.get('ink-count')) customElements.define('ink-count', InkCount);
