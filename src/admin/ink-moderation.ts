import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { theme } from '../styles/theme.js';
import { AdminClient, AdminError, type Action, type StatusFilter } from './admin-client.js';
import { forgetAdminToken, getAdminToken, keepAdminToken } from './admin-storage.js';
import { AdminLocaleController, type AdminTranslate } from './i18n/controller.js';
import type { PluralForms } from './i18n/en.js';
import { inkModerationStyles } from './ink-moderation.styles.js';
import { itemId, renderItem } from './moderation-item.js';
import { PanelsController, renderAudit, renderBlocks, renderHelp } from './moderation-panels.js';
import { QueueController, describeAdminError, type QueueHost } from './moderation-queue.js';

type View = 'queue' | 'audit' | 'blocks';
const STATUSES: StatusFilter[] = ['pending', 'published', 'spam', 'all'];
/** Single-key shortcuts and the actions they start on the comment in focus. */
const KEY_ACTIONS: Record<string, Action> = { a: 'approve', s: 'spam', d: 'delete' };

/**
 * The moderation dashboard: sign in with an owner or moderator token, then a queue of comments (pending first) to
 * approve, mark as spam, edit or delete, one at a time (each undoable for a few seconds) or many at once; search,
 * a thread view, the audit log and the blocks. New pending comments are polled for while the tab is visible and
 * their count is put in the document title. Keyboard: `j`/`k` move, `a`/`s`/`d` act, `/` searches, `?` helps.
 *
 * @summary The moderation dashboard of an Inkwell server.
 *
 * @csspart button - Every button.
 * @csspart input - The token field, search fields, the editor and the block form's fields.
 * @csspart item - One comment of the queue.
 * @csspart body - The text of a comment.
 * @csspart error - Sign-in and load errors.
 *
 * @cssprop --ink-font-family - Font of all text (default: the page's).
 * @cssprop --ink-font-size - Base font size (default: the page's).
 * @cssprop --ink-color-text - Text colour.
 * @cssprop --ink-color-muted - Times, notes, counts.
 * @cssprop --ink-color-background - Background of the dashboard and its inputs.
 * @cssprop --ink-color-surface - Background of comments and the toolbar.
 * @cssprop --ink-color-border - Borders of inputs and comments.
 * @cssprop --ink-color-accent - Buttons, links and the current view.
 * @cssprop --ink-color-on-accent - Text on accent-coloured buttons.
 * @cssprop --ink-color-danger - Errors and the spam badge.
 * @cssprop --ink-color-success - The published badge.
 * @cssprop --ink-color-focus - The focus ring.
 * @cssprop --ink-radius - Corners.
 * @cssprop --ink-max-width - The dashboard's largest inline size (default 60rem here).
 */
export class InkModeration extends LitElement implements QueueHost {
  static override styles = [theme, inkModerationStyles];

  static override properties = {
    endpoint: {},
    theme: { reflect: true },
    timeout: { type: Number },
    undoDelay: { attribute: 'undo-delay', type: Number },
    pollInterval: { attribute: 'poll-interval', type: Number },
    strings: { attribute: false },
    _me: { state: true },
    _signInState: { state: true },
    _signInError: { state: true },
    _view: { state: true },
    _announcement: { state: true },
    _alert: { state: true },
  };

  /** The comments API (the server's `basePath`), absolute or relative to the page. Required. */
  endpoint = '';
  /** `auto` follows the colour-scheme preference; `light` or `dark` force one. Reflected. */
  theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Milliseconds a request may take. */
  timeout = 15_000;
  /** Milliseconds an action can be undone before its request is sent (attribute `undo-delay`). */
  undoDelay = 5_000;
  /** Milliseconds between polls for new pending comments while the tab is visible; 0 turns polling off. */
  pollInterval = 15_000;
  /** Overrides of any dashboard string, by key (see `src/admin/i18n/en.ts`). */
  strings?: Partial<Record<string, string | PluralForms>>;

  /** Who is signed in. */
  private _me?: { name: string; role: 'owner' | 'moderator' };
  private _signInState: 'idle' | 'checking' = 'idle';
  private _signInError = '';
  private _view: View = 'queue';
  /** What the polite live region says. */
  private _announcement = '';
  /** What the assertive live region says (errors). */
  private _alert = '';

  private _locale = new AdminLocaleController(this);
  readonly queue = new QueueController(this);
  readonly panels = new PanelsController(this);
  /** The signed-in client. */
  client?: AdminClient;
  /** The document title before this element added the pending count to it. */
  private _baseTitle = '';

  get t(): AdminTranslate {
    return this._locale.t;
  }

  override connectedCallback() {
    super.connectedCallback();
    document.addEventListener('keydown', this._onKeyDown);
    document.addEventListener('visibilitychange', this._onVisibility);
    this._baseTitle = document.title.replace(/^\(\d+\) /, '');
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this._onKeyDown);
    document.removeEventListener('visibilitychange', this._onVisibility);
    if (this._baseTitle) document.title = this._baseTitle;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('endpoint')) {
      this._signOut(false);
      const kept = this.endpoint && getAdminToken(this.endpoint);
      if (kept) void this._signIn(kept, true);
    }
    if (changed.has('pollInterval') && this.client) this.queue.startPolling(this.pollInterval);
  }

  override updated() {
    const pending = this.client ? this.queue.counts.pending : 0;
    const base = this._baseTitle || this.t('title');
    const title = pending ? `(${pending}) ${base}` : base;
    if (document.title !== title && (this.client || this._baseTitle)) document.title = title;
  }

  /** Says something in a live region; errors go to the assertive one. */
  announce(message: string, urgent = false) {
    // The same sentence twice (two approvals in a row) must still be read: clear, then set on the next frame.
    // (Plain field names, never computed ones: the build shortens `_`-prefixed names.)
    if (urgent) this._alert = '';
    else this._announcement = '';
    requestAnimationFrame(() => {
      if (urgent) this._alert = message;
      else this._announcement = message;
    });
  }

  /** The token stopped working (revoked): back to the sign-in form with a sentence saying so. */
  signedOut() {
    this._signOut(false);
    this._signInError = this.t('signIn.expired');
  }

  /** Checks a token with `GET /admin/me`, then shows the queue. */
  private async _signIn(token: string, keep: boolean) {
    const client = new AdminClient(this.endpoint, token, this.timeout);
    this._signInState = 'checking';
    this._signInError = '';
    try {
      const me = await client.me();
      if (keep) keepAdminToken(this.endpoint, token);
      else forgetAdminToken(this.endpoint);
      this.client = client;
      this._me = me;
      this._view = 'queue';
      this.queue.filter({ status: 'pending', q: '', thread: '' });
      this.queue.startPolling(this.pollInterval);
    } catch (error) {
      forgetAdminToken(this.endpoint);
      this._signInError = error instanceof AdminError && (error.status === 401 || error.status === 403) ? this.t('signIn.rejected') : describeAdminError(this.t, error);
    }
    this._signInState = 'idle';
  }

  private _signOut(byUser = true) {
    // What is waiting out its undo window is sent first: signing out is not undoing.
    this.queue.flush();
    this.queue.stopPolling();
    if (byUser || this.client) forgetAdminToken(this.endpoint);
    this.client = this._me = undefined;
    Object.assign(this.queue, { comments: [], fresh: [], selected: new Set(), state: 'idle', counts: { pending: 0, published: 0, spam: 0 } });
    this._signInError = '';
    this.requestUpdate();
  }

  private _onSignIn(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const token = (form.elements.namedItem('token') as HTMLInputElement).value.trim();
    const keep = (form.elements.namedItem('keep') as HTMLInputElement).checked;
    if (!token) this._signInError = this.t('signIn.empty');
    else void this._signIn(token, keep);
  }

  private _show(view: View) {
    this._view = view;
    if (view === 'audit') void this.panels.loadAudit();
    else if (view === 'blocks') void this.panels.loadBlocks();
    else void this.queue.load();
  }

  /** The comment articles shown, in order. */
  private get _items() {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('article.item')];
  }

  /** The article that holds the focus, if any. */
  private _focusedItem() {
    const active = (this.renderRoot as ShadowRoot).activeElement;
    return active?.closest<HTMLElement>('article.item') ?? undefined;
  }

  private _moveFocus(step: number) {
    const items = this._items;
    const current = this._focusedItem();
    const index = current ? items.indexOf(current) + step : step > 0 ? 0 : items.length - 1;
    items[Math.max(0, Math.min(items.length - 1, index))]?.focus();
  }

  /** j, k, a, s, d, / and ?, never while typing in a field or with a modifier held. */
  private _onKeyDown = (e: KeyboardEvent) => {
    if (!this.client || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.composedPath()[0] as HTMLElement;
    if (target.closest?.('input,textarea,select,[contenteditable]') || this.renderRoot.querySelector('dialog[open]')) return;
    const key = e.key;
    if (key === '?') {
      this.renderRoot.querySelector('dialog')?.showModal();
    } else if (this._view !== 'queue') {
      return;
    } else if (key === 'j' || key === 'k') {
      this._moveFocus(key === 'j' ? 1 : -1);
    } else if (key === '/') {
      this.renderRoot.querySelector<HTMLInputElement>('#search')?.focus();
    } else if (KEY_ACTIONS[key]) {
      const item = this._focusedItem();
      if (!item) return;
      this.queue.schedule(item.dataset.id!, KEY_ACTIONS[key]);
      this._moveFocus(1);
    } else {
      return;
    }
    e.preventDefault();
  };

  private _onVisibility = () => {
    // Back on the tab: catch up at once rather than at the next tick.
    if (document.visibilityState === 'visible' && this.client) void this.queue.poll();
  };

  /** One listener for every button and checkbox of the list. */
  private async _onListClick(e: Event) {
    const target = e.target as HTMLElement;
    const item = target.closest<HTMLElement>('article.item');
    const id = item?.dataset.id;
    if (!id) return;
    if (target.matches('[data-select]')) return this.queue.toggle(id, (target as HTMLInputElement).checked);
    const name = target.closest<HTMLElement>('[data-action]')?.dataset.action;
    if (!name) return;
    const queue = this.queue;
    if (name === 'undo') queue.undo(id);
    else if (name === 'thread') queue.filter({ thread: queue.comments.find((c) => c.id === id)!.thread, q: '', status: 'all' });
    else if (name === 'cancel') queue.editing = undefined;
    else if (name === 'edit') queue.editing = id;
    else queue.schedule(id, name as Action | 'restore');
    this.requestUpdate();
    await this.updateComplete;
    const focusTarget = name === 'edit' ? `#edit-${id}` : name === 'thread' ? '#thread-filter' : `#${itemId(id)} .actions button`;
    this.renderRoot.querySelector<HTMLElement>(focusTarget)?.focus();
  }

  private _onEditSubmit(e: SubmitEvent) {
    const form = (e.target as HTMLElement).closest('form[data-edit]');
    if (!form) return;
    e.preventDefault();
    const id = form.closest<HTMLElement>('article.item')!.dataset.id!;
    this.queue.schedule(id, 'edit', form.querySelector('textarea')!.value);
  }

  private _onSearch(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    this.queue.filter({ q: value('q'), thread: value('thread') });
  }

  override render() {
    const t = this.t;
    return html`<div class="dashboard" dir=${this._locale.dir}>
      <div class="top">
        <h1>${t('title')}</h1>
        ${this._me
          ? html`<p class="who">${t('signIn.as', { name: this._me.name, role: t(`role.${this._me.role}`) })}</p>
              <button type="button" part="button" class="secondary" aria-haspopup="dialog" @click=${() => this.renderRoot.querySelector('dialog')?.showModal()}>${t('help')}</button>
              <button type="button" part="button" class="secondary" @click=${() => this._signOut()}>${t('signOut')}</button>`
          : nothing}
      </div>
      <p role="status" class="visually-hidden">${this._announcement}</p>
      <p role="alert" class="visually-hidden">${this._alert}</p>
      ${!this.endpoint ? html`<p class="error" part="error" role="alert">${t('noEndpoint')}</p>` : this.client ? this._dashboard() : this._signInForm()}
      <dialog aria-labelledby="help-heading" @click=${(e: Event) => (e.target as HTMLElement).matches('dialog') && (e.target as HTMLDialogElement).close()}>
        ${renderHelp(t)}
        <form method="dialog"><button part="button">${t('close')}</button></form>
      </dialog>
    </div>`;
  }

  private _signInForm() {
    const t = this.t;
    const error = this._signInError;
    return html`<form class="sign-in" novalidate @submit=${this._onSignIn}>
      <h2>${t('signIn.heading')}</h2>
      <div class="field">
        <label for="token">${t('signIn.token')}</label>
        <input id="token" name="token" type="password" part="input" autocomplete="off" spellcheck="false" required
          aria-describedby=${error ? 'token-note sign-in-error' : 'token-note'} aria-invalid=${error ? 'true' : 'false'} />
        <p id="token-note" class="muted">${t('signIn.tokenNote')}</p>
      </div>
      <div class="check">
        <input id="keep" name="keep" type="checkbox" />
        <label for="keep">${t('signIn.keep')}</label>
      </div>
      ${error ? html`<p id="sign-in-error" class="error" part="error" role="alert">${error}</p>` : nothing}
      <button part="button" ?disabled=${this._signInState === 'checking'}>${this._signInState === 'checking' ? t('signIn.checking') : t('signIn.submit')}</button>
    </form>`;
  }

  private _dashboard() {
    const t = this.t;
    const views: View[] = ['queue', 'audit', 'blocks'];
    const dates = new Intl.DateTimeFormat(this._locale.lang, { dateStyle: 'medium', timeStyle: 'short' });
    return html`<nav aria-label=${t('view.label')} class="views">
        ${views.map((view) => html`<button type="button" part="button" class="tab" aria-current=${this._view === view ? 'page' : 'false'} @click=${() => this._show(view)}>${t(`view.${view}`)}</button>`)}
      </nav>
      ${this._view === 'audit' ? renderAudit(this.panels, t, dates) : this._view === 'blocks' ? renderBlocks(this.panels, t, dates) : this._queueView(dates)}`;
  }

  private _queueView(dates: Intl.DateTimeFormat) {
    const t = this.t;
    const queue = this.queue;
    const { comments, counts, selected } = queue;
    const allSelected = comments.length > 0 && comments.every((c) => selected.has(c.id));
    const count = (s: StatusFilter) => (s === 'all' ? counts.pending + counts.published + counts.spam : counts[s]);
    return html`<section class="queue" aria-labelledby="queue-heading">
      <h2 id="queue-heading" class="visually-hidden">${t('view.queue')}</h2>
      <div role="group" aria-label=${t('status.label')} class="statuses">
        ${STATUSES.map((s) => html`<button type="button" part="button" class="tab" aria-pressed=${queue.status === s ? 'true' : 'false'}
          @click=${() => queue.filter({ status: s })}>${t(`status.${s}`)} <span class="count">${count(s)}</span></button>`)}
      </div>
      <form class="search" role="search" @submit=${this._onSearch}>
        <div class="field grow"><label for="search">${t('search.label')}</label><input id="search" name="q" type="search" part="input" .value=${queue.q} /></div>
        <div class="field grow"><label for="thread-filter">${t('search.thread')}</label><input id="thread-filter" name="thread" part="input" .value=${queue.thread} /></div>
        <button part="button">${t('search')}</button>
      </form>
      ${queue.thread
        ? html`<p class="thread-view">${t('thread.showing', { thread: queue.thread })}
            <button type="button" part="button" class="secondary" @click=${() => queue.filter({ thread: '' })}>${t('thread.all')}</button></p>`
        : nothing}
      ${queue.fresh.length
        ? html`<button type="button" part="button" class="fresh" @click=${() => queue.showFresh()}>${t('newItems', { n: queue.fresh.length })}</button>`
        : nothing}
      <div class="bulk" role="group" aria-label=${t('selected', { n: selected.size })}>
        <span class="check"><input id="select-all" type="checkbox" .checked=${allSelected} ?disabled=${!comments.length} @change=${() => queue.toggle()} />
          <label for="select-all">${t('select.all')}</label></span>
        <span class="muted">${t('selected', { n: selected.size })}</span>
        ${(['approve', 'spam', 'delete'] as Action[]).map((a) => html`<button type="button" part="button" class="secondary" ?disabled=${!selected.size || queue.busy}
          @click=${() => void queue.bulk(a)}>${t(`bulk.${a}`)}</button>`)}
      </div>
      ${queue.state === 'error' ? html`<p class="error" part="error" role="alert">${queue.error}
        <button type="button" part="button" @click=${() => void queue.load()}>${t('retry')}</button></p>` : nothing}
      ${comments.length
        ? html`<ul class="list" @click=${this._onListClick} @submit=${this._onEditSubmit}>${comments.map((c) => html`<li>${renderItem(c, {
            t, dates, selected: selected.has(c.id), scheduled: queue.scheduled.get(c.id), editing: queue.editing === c.id,
          })}</li>`)}</ul>`
        : queue.state === 'ready' ? html`<p class="empty">${t('empty')}</p>` : nothing}
      ${queue.state === 'loading' ? html`<p class="muted">${t('loading')}</p>` : nothing}
      ${queue.nextCursor && queue.state === 'ready'
        ? html`<button type="button" part="button" class="secondary" @click=${() => void queue.load(true)}>${t('loadMore')}</button>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ink-moderation': InkModeration;
  }
}

if (!customElements.get('ink-moderation')) customElements.define('ink-moderation', InkModeration);
