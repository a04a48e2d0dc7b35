import { LitElement, html, nothing, render, type PropertyValues, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DEFAULT_TIMEOUT, defaultThread, listComments } from '../client.js';
import { emit, type InkErrorInfo } from '../events.js';
import { LocaleController, describeLoadError } from '../i18n/controller.js';
import type { PluralForms } from '../i18n/index.js';
import { readComment, type Comment } from '../rules.js';
import { getPendingComments, setPendingComments } from '../storage.js';
import { theme } from '../styles/theme.js';
import { addPage, addPosted, createThread, pageLimit, permalinkId, readKeptComments, shouldSeekPermalink } from '../thread-model.js';
import { stillShownComments, withoutListed, type SortOrder, type Thread } from '../thread-model.js';
import { fillList, formatting } from './comment-item.js';
import type { InkCommentForm } from './ink-comment-form.js';
import './ink-comment-form.js';
import { inkCommentsStyles } from './ink-comments.styles.js';

/**
 * A whole discussion: the heading with the count, the threaded list, "Load more comments" and the form. A comment
 * awaiting moderation is kept in this browser and shown to its author only, until the server publishes it. Its
 * language is its `lang` attribute, else the nearest ancestor's, else English.
 *
 * @summary A threaded, paged list of comments with its form.
 *
 * @csspart title - The heading with the count ("42 comments").
 * @csspart comment - One comment (the element a `#comment-ID` permalink targets).
 * @csspart avatar - The initials avatar.
 * @csspart author - The author's name: a link when they gave a website, text otherwise.
 * @csspart time - The `<time>` of a comment.
 * @csspart body - The text of a comment.
 * @csspart reply - The Reply buttons.
 * @csspart button - Every button: Reply, Cancel reply, Load more, Retry, and those of the form.
 * @csspart error - A load error or the configuration error, and the form's errors.
 * @csspart form-heading - The form's heading ("Leave a comment", "Leave a reply to Ada"), forwarded from its `heading`.
 * @csspart form - The form's `<form>`, forwarded.
 * @csspart field - The form's wrapper of one label, control and error, forwarded.
 * @csspart label - The form's `<label>`s, forwarded.
 * @csspart input - The form's `<input>`s and `<textarea>`, forwarded.
 * @csspart status - The form's live status (sending, posted, awaiting moderation, failed), forwarded.
 * @csspart note - The form's notes (required fields, email privacy, character count), forwarded.
 *
 * @cssprop --ink-font-family - Font of all text (default: the page's).
 * @cssprop --ink-font-size - Base font size (default: the page's).
 * @cssprop --ink-color-text - Text colour.
 * @cssprop --ink-color-muted - Times, "In reply to" links and notes.
 * @cssprop --ink-color-background - Background of the widget (`transparent` shows the page through) and of the form's inputs.
 * @cssprop --ink-color-surface - The loading skeleton and the background of a permalinked comment.
 * @cssprop --ink-color-border - The outline of a comment awaiting moderation, and the form's input borders.
 * @cssprop --ink-color-accent - Links, buttons and the outline of a permalinked comment.
 * @cssprop --ink-color-on-accent - Text on accent-coloured buttons (Retry, Post Comment).
 * @cssprop --ink-color-danger - A load error, the configuration error and the form's errors.
 * @cssprop --ink-color-success - The form's "posted" status.
 * @cssprop --ink-color-focus - The focus ring.
 * @cssprop --ink-radius - Corners of comments and buttons.
 * @cssprop --ink-spacing - The base spacing unit, read by the shared theme (no spacing of the list depends on it yet).
 * @cssprop --ink-max-width - The widget's largest inline size, the reading measure (default 42rem).
 *
 * @fires ink-loaded - A page of comments arrived; detail `{ total, count }`.
 * @fires ink-error - A page could not be loaded, or (from the form) a post failed; detail `{ error: { code, message, status? } }`.
 * @fires ink-submit - From the form, before a post; cancelable; `detail.input` is the CommentInput.
 * @fires ink-posted - From the form, the server accepted a comment; `detail.comment` is the public Comment.
 */
export class InkComments extends LitElement {
  static override styles = [theme, inkCommentsStyles];

  // Declared here rather than with decorators, whose helper and calls cost a twentieth of this file; the fields
  // below carry the documentation.
  static override properties = {
    endpoint: {},
    thread: {},
    sort: {},
    pageSize: { attribute: 'page-size', type: Number },
    loading: {},
    timeout: { type: Number },
    theme: { reflect: true },
    strings: { attribute: false },
    _loadState: { state: true },
    _loadError: { state: true },
    _replyingTo: { state: true },
    _announcement: { state: true },
    _thread: { state: true },
  };

  /** URL of the comments API (absolute or relative to the page). Required. */
  endpoint = '';
  /** Thread id; when empty, `<link rel=canonical>`'s path, else `location.pathname`. */
  thread = '';
  /** Order of top-level comments: `oldest` first or `newest` first; replies are always oldest first. */
  sort: SortOrder = 'oldest';
  /** Top-level comments asked for per page (attribute `page-size`), 1 to 1,000 (a server may send fewer). */
  pageSize = 50;
  /** `eager` loads at once; `lazy` waits until the element is near the viewport. */
  loading: 'eager' | 'lazy' = 'eager';
  /** Milliseconds a request may take before it fails as timed out (also the form's). */
  timeout = DEFAULT_TIMEOUT;
  /** `auto` follows the reader's colour-scheme preference; `light` or `dark` force one. Reflected; passed to the form. */
  theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Overrides of any UI string, by key (see `src/i18n/en.ts`); passed to the form too. */
  strings?: Partial<Record<string, string | PluralForms>>;

  // `_start()`, which the first update always runs (every property has changed then), sets the fields marked `!`.

  /** The first page's state; `loading` also while a lazy element waits to be seen. */
  private _loadState!: 'loading' | 'ready' | 'error';
  /** Why the first page (state `error`) or the next one (state `ready`) failed. */
  private _loadError?: InkErrorInfo;
  /** The id of the comment whose reply form is open. */
  private _replyingTo?: string;
  /** What the live region says. */
  private _announcement!: string;
  /** The comments loaded and posted here, as a tree (see `thread-model.ts`); replaced, never changed in place. */
  private _thread!: Thread;

  private _locale = new LocaleController(this);
  /** The thread id asked for: `thread`, or the page's default. */
  private _threadId!: string;
  /** Aborts the request in flight; set only while there is one. Once the first page is in (`ready`), it can only be a "Load more". */
  private _requestController?: AbortController;
  /** Watches a lazy element until it comes near the viewport. */
  private _viewportObserver?: IntersectionObserver;
  /** The id of the comment a permalink points at. */
  private _permalinkTarget?: string;
  /** The list items built so far, by comment; a new object (the server's copy of a local comment) gets a new one. */
  private _builtItems!: WeakMap<Comment, HTMLLIElement>;
  /** The language and overrides the list items were built with. */
  private _builtWith?: string;
  /** The thread the list shows; the list is brought up to date when `_thread` is another one. */
  private _listedThread?: Thread;
  /** Holds the open reply form, right after the article replied to. */
  private _replyFormBox?: HTMLDivElement;
  /** The form has been shown: it stays through a reload (another sort or thread), with what was typed in it. */
  private _formShown?: boolean;

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('hashchange', this._onHashChange);
    // Moved in the page while its first load was in flight: that load was cancelled, so start again.
    if (this.hasUpdated && this._loadState !== 'ready') this._start();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('hashchange', this._onHashChange);
    this._viewportObserver?.disconnect();
    this._requestController?.abort();
    // A "Load more" cut short must not leave the button busy (the observer is reset by the restart on reconnection).
    this._requestController = undefined;
  }

  override willUpdate(changed: PropertyValues<this>) {
    // A lazy element still waiting (`_viewportObserver`) that turns eager loads at once.
    const reload = ['endpoint', 'thread', 'sort', 'pageSize'].some((k) => changed.has(k as 'endpoint'));
    if (reload || (changed.has('loading') && this._viewportObserver)) this._start();
  }

  override updated() {
    const list = this.renderRoot.querySelector<HTMLOListElement>('.list');
    const builtWith = this._locale.lang + JSON.stringify(this.strings);
    if (builtWith !== this._builtWith) {
      // Another language or other strings: every item says "Reply" and its times differently.
      this._builtWith = builtWith;
      this._builtItems = new WeakMap();
      this._listedThread = undefined;
    }
    // (A new <ol> only ever comes with a new thread, so comparing threads covers it.)
    if (list && this._thread !== this._listedThread) {
      this._listedThread = this._thread;
      fillList(list, this._thread.children, this._builtItems, this._permalinkTarget, formatting(this._locale.t, this._locale.lang));
    }
    this._putReplyForm();
  }

  /** Forgets what was loaded and loads the first page, now or (lazy) once the element comes near the viewport. */
  private _start() {
    this._requestController?.abort();
    this._viewportObserver?.disconnect();
    this._requestController = this._viewportObserver = this._loadError = this._replyingTo = this._permalinkTarget = undefined;
    this._builtItems = new WeakMap();
    // Without an endpoint, there is nothing to wait for: no skeleton (the alert explains) and no form.
    this._loadState = this.endpoint ? 'loading' : 'error';
    this._announcement = '';
    this._threadId = this.thread || defaultThread();
    const eager = this.endpoint && this.isConnected && this.loading !== 'lazy';
    // The request first: the first read of localStorage in a page takes milliseconds. (`_load()` reads `_thread`
    // only once the answer is in.)
    if (eager) void this._load();
    this._thread = createThread(this.sort, stillShownComments(this._keptComments(), Date.now()));
    if (eager || !this.endpoint || !this.isConnected) return;
    (this._viewportObserver = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this._viewportObserver!.disconnect();
        this._viewportObserver = undefined;
        void this._load();
      },
      { rootMargin: '200px' },
    )).observe(this);
  }

  /**
   * Loads the first page (no cursor: `_start()` has reset everything) or the next one. Never called while a request
   * is in flight: `_start()` aborts it first, and the other callers wait until there is none.
   */
  private async _load(cursor: string | null = null) {
    const t = this._locale.t;
    const request = (this._requestController = new AbortController());
    this._loadError = undefined;
    this._announcement = t('comments.loading');
    let error: unknown;
    const page = await listComments(
      this.endpoint,
      { thread: this._threadId, sort: this.sort, limit: pageLimit(this.pageSize), cursor },
      { signal: request.signal, timeout: this.timeout },
    ).catch((e) => void (error = e));
    // Superseded (another load, a reset) or cancelled (removed from the page).
    if (request !== this._requestController) return;
    this._requestController = undefined;
    if (!page) {
      if (!cursor) this._loadState = 'error';
      this._announcement = '';
      emit(this, 'ink-error', { error: (this._loadError = describeLoadError(t, error)) });
      return;
    }
    this._thread = addPage(this._thread, page);
    // A kept comment the server now lists (published, or a cached page caught up): the copy has done its job.
    this._keepComments(withoutListed(this._keptComments(), page));
    this._loadState = 'ready';
    this._announcement = cursor ? t('comments.moreLoaded', { n: page.comments.length }) : this._heading();
    emit(this, 'ink-loaded', { total: page.total, count: page.comments.length });
    await this.updateComplete;
    void this._showPermalink();
  }

  /** The comments of this thread posted from this browser that no page has listed yet (stored text is untrusted). */
  private _keptComments(): Comment[] {
    return readKeptComments(getPendingComments(this.endpoint, this._threadId));
  }

  /** Replaces the kept comments; none removes the key. */
  private _keepComments(list: Comment[]) {
    setPendingComments(this.endpoint, this._threadId, list);
  }

  /** The heading: "Comments" until the first page is in, then the count. */
  private _heading() {
    const total = this._thread.total;
    return this._locale.t(this._loadState !== 'ready' ? 'comments.label' : total ? 'comments.count' : 'comments.none', { n: total });
  }

  /** Scrolls to and highlights the comment that `location.hash` names, loading further pages to find it. */
  private async _showPermalink(byReader = false) {
    const id = permalinkId(location.hash);
    if (id === undefined || this._loadState !== 'ready') return;
    if (!this._thread.byId.has(id)) {
      if (!this._requestController && shouldSeekPermalink(this._thread, id)) void this._load(this._thread.nextCursor);
      return;
    }
    if (id === this._permalinkTarget && !byReader) return;
    this._article(this._permalinkTarget)?.classList.remove('target');
    this._permalinkTarget = id;
    await this.updateComplete;
    const article = this._article(id);
    if (!article) return;
    article.classList.add('target');
    article.scrollIntoView({ block: 'start' });
    if (byReader) article.focus({ preventScroll: true });
  }

  /** The rendered comment with this id. */
  private _article(id?: string) {
    return (this.renderRoot as ShadowRoot).getElementById(`comment-${id}`);
  }

  private _onHashChange = () => void this._showPermalink(true);

  /** One listener for every Reply button and permalink of the list, rather than one per comment. */
  private _onClick(e: Event) {
    const target = (e.target as Element).closest('.reply,[href^="#comment-"]');
    if (!target) return;
    if (target.localName === 'button') return this._openReply(target.closest('article')!.id.slice('comment-'.length));
    // Set the page's own hash: a fragment link resolves against a <base href>, which may be another page.
    e.preventDefault();
    const { hash } = target as HTMLAnchorElement;
    if (location.hash === hash) void this._showPermalink(true);
    else location.hash = hash;
  }

  private async _openReply(id: string) {
    this._replyingTo = id;
    await this.updateComplete;
    const form = this._replyFormBox?.firstElementChild as InkCommentForm | undefined;
    await form?.updateComplete;
    form?.focus();
  }

  private async _cancelReply() {
    const id = this._replyingTo;
    this._replyingTo = undefined;
    await this.updateComplete;
    this._article(id)?.querySelector<HTMLElement>('.reply')?.focus();
  }

  /** The form's comment, shown at once where it belongs, and kept for its author until a page lists it. */
  private async _onPosted(e: CustomEvent<{ comment: unknown }>) {
    const comment = readComment(e.detail?.comment);
    const thread = comment && addPosted(this._thread, comment);
    if (!comment || !thread) return;
    const pending = comment.status === 'pending';
    this._thread = thread;
    // Kept until a page lists it: pending ones only their author sees, and a CDN may serve a page cached before the post.
    this._keepComments(this._keptComments().concat(comment));
    this._replyingTo = undefined;
    this._announcement = this._locale.t(pending ? 'form.pending' : 'form.posted');
    await this.updateComplete;
    // The reply form is gone with the focus it held: put the focus on what it produced.
    // (Only a reply form posts a comment with a parent.)
    if (comment.parentId) this._article(comment.id)?.focus();
  }

  /** Load more, or Retry: loads the next page (unless it is on its way), or the first one again. */
  private _loadMoreOrRetry() {
    if (this._loadState !== 'ready') this._start();
    else if (!this._requestController) void this._load(this._thread.nextCursor);
  }

  override render() {
    const t = this._locale.t;
    const { _loadState: state, _loadError: error, endpoint } = this;
    const topLevel = this._thread.children.get(null);
    const alert = endpoint ? error && t('comments.loadError', { message: error.message }) : t('comments.noEndpoint');
    // The items of the list are built in updated(), not by this template: see fillList(). The form comes with the
    // comments (or their error), not under the skeleton, where it would move down as they arrive.
    return html`<section aria-labelledby="heading" dir=${this._locale.dir} @click=${this._onClick} @ink-posted=${this._onPosted}>
      <h2 id="heading" part="title">${this._heading()}</h2>
      <p role="status" class="visually-hidden">${this._announcement}</p>
      ${state === 'ready'
        ? topLevel
          ? html`<ol class="list ${topLevel.length > 20 ? 'long' : ''}" aria-labelledby="heading"></ol>`
          : html`<p>${t('comments.empty')}</p>`
        : state === 'loading'
          ? html`<div class="sk" aria-hidden="true"></div>`
          : nothing}
      ${alert
        ? html`<p class="error" part="error" role="alert">
            ${alert} ${endpoint ? html`<button part="button" @click=${this._loadMoreOrRetry}>${t('form.retry')}</button>` : nothing}
          </p>`
        : nothing}
      ${state === 'ready' && this._thread.nextCursor
        ? html`<button part="button" class="secondary" aria-disabled=${!!this._requestController} @click=${this._loadMoreOrRetry}>${t('comments.loadMore')}</button>`
        : nothing}
      ${endpoint && (this._formShown ||= state !== 'loading') ? this._form() : nothing}
    </section>`;
  }

  /** The bottom form (hidden, not removed, while a reply form is open, so what was typed in it stays) or a reply form. */
  private _form(parent?: Comment): TemplateResult {
    const t = this._locale.t;
    return html`<ink-comment-form
      exportparts="heading:form-heading,form,field,label,input,button,error,status,note"
      endpoint=${this.endpoint}
      thread=${this._threadId}
      parent=${ifDefined(parent?.id)}
      heading=${parent ? t('form.headingReply', { name: parent.name }) : ''}
      heading-level="3"
      timeout=${this.timeout}
      theme=${this.theme}
      .strings=${this.strings}
      ?hidden=${!parent && !!this._replyingTo}>${parent
        ? html`<button slot="actions" type="button" part="button" class="secondary" @click=${this._cancelReply}>${t('form.cancelReply')}</button>`
        : nothing}</ink-comment-form>`;
  }

  /** Puts the reply form (rendered by lit into a box of its own) under the comment replied to, or takes it away. */
  private _putReplyForm() {
    const article = this._article(this._replyingTo);
    let box = this._replyFormBox;
    if (box && box.previousElementSibling !== article) {
      const reply = box.previousElementSibling?.querySelector('.reply');
      if (reply) reply.ariaExpanded = 'false';
      box.remove();
      box = this._replyFormBox = undefined;
    }
    if (!article) return;
    if (!box) {
      article.after((box = this._replyFormBox = Object.assign(document.createElement('div'), { className: 'rf' })));
      article.querySelector('.reply')!.ariaExpanded = 'true';
    }
    render(this._form(this._thread.byId.get(this._replyingTo!)), box, { host: this });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ink-comments': InkComments;
  }
}

if (!customElements.get('ink-comments')) customElements.define('ink-comments', InkComments);
