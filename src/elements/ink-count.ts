import { LitElement, html, nothing } from 'lit';
import { defaultThread, fetchCounts } from '../client.js';
import { emit } from '../events.js';
import { describeLoadError, LocaleController } from '../i18n/controller.js';
import type { PluralForms } from '../i18n/index.js';

/** Badges waiting for the next batch. */
const queue = new Set<InkCount>();

// Badges connect one by one as the parser meets them, so a microtask would see only some of them: the batch waits
// for the parse to finish (or for the current task to end, once it has), then asks once per endpoint for every
// thread, at most 100 threads (the reference server's limit) per request.
function flush() {
  const byEndpoint = new Map<string, Map<string, InkCount[]>>();
  for (const badge of queue) {
    const [endpoint, thread] = JSON.parse(badge._asked) as [string, string];
    const threads = byEndpoint.get(endpoint) ?? byEndpoint.set(endpoint, new Map()).get(endpoint)!;
    threads.set(thread, [...(threads.get(thread) ?? []), badge]);
  }
  queue.clear();
  byEndpoint.forEach((threads, endpoint) => {
    const all = [...threads.keys()];
    for (let i = 0; i < all.length; i += 100) {
      const chunk = all.slice(i, i + 100);
      const settle = (counts?: Record<string, number>, error?: unknown) =>
        chunk.forEach((thread) =>
          threads.get(thread)!.forEach((badge) => badge._settle(JSON.stringify([endpoint, thread]), counts?.[thread] ?? 0, error)),
        );
      fetchCounts(endpoint, chunk).then(settle, (error: unknown) => settle(undefined, error));
    }
  });
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
  // No styles, not even the theme: the badge sits in a line of the page's text, so it takes the page's font and
  // colour, and a custom element is already inline (and hidden by `hidden`).

  // Declared here rather than with decorators: the decorator helper and calls cost a fifth of this file. The
  // fields below carry the documentation.
  static override properties = { endpoint: {}, thread: {}, strings: { attribute: false }, _count: { state: true } };

  /** URL of the comments API. */
  endpoint = '';
  /** Thread id; default: the canonical link's path, else `location.pathname`. */
  thread = '';
  /** Overrides of any UI string, by key. */
  strings?: Partial<Record<string, string | PluralForms>>;

  /** The count once it arrived (0 after a failure, which `_error` then explains). */
  private _count?: number;
  /** What went wrong, in the reader's language. Not a @state: it only ever changes along with `_count`. */
  private _error?: string;

  private _locale = new LocaleController(this);
  /**
   * @internal The endpoint and thread asked for (JSON), so that a change asks again and a late answer to an old
   * question is dropped.
   */
  _asked = '';

  override connectedCallback() {
    super.connectedCallback();
    // Removed before its batch was answered (moved in the page): ask again.
    if (this._count === undefined) {
      this._asked = '';
      this.requestUpdate();
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    queue.delete(this);
  }

  override willUpdate() {
    const key = JSON.stringify([this.endpoint, this.thread || defaultThread()]);
    if (key === this._asked || !this.isConnected) return;
    queue.delete(this);
    this._asked = key;
    this._count = this._error = undefined;
    if (!this.endpoint) return;
    // The first badge of a batch schedules it (a second flush, after a badge left and came back, finds nothing).
    if (!queue.size) {
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', flush, { once: true });
      else setTimeout(flush);
    }
    queue.add(this);
  }

  /** @internal Called by the batch with the count (or error) of one question (`_asked`'s JSON). */
  _settle(asked: string, count: number, failure?: unknown) {
    if (!this.isConnected || asked !== this._asked) return;
    if (failure !== undefined) {
      const error = describeLoadError(this._locale.t, failure);
      this._error = this._locale.t('count.error', { message: error.message });
      emit(this, 'ink-error', { error });
    }
    this._count = count;
  }

  override render() {
    const { t } = this._locale;
    const n = this._count;
    if (n === undefined) return nothing;
    return html`<span part="count" title=${this._error ?? nothing}>${this._error ? '—' : n ? t('count.comments', { n }) : t('count.none')}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ink-count': InkCount;
  }
}

if (!customElements.get('ink-count')) customElements.define('ink-count', InkCount);
