/**
 * The queue of `<ink-moderation>` as a Lit controller: what is listed (status, search, thread, pages), what is
 * selected, the one-click actions waiting out their undo window, bulk actions, and the poll for new pending comments.
 * The element renders it and turns clicks and keys into calls here.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AdminError, type Action, type AdminClient, type AdminComment, type StatusCounts, type StatusFilter } from './admin-client.js';
import type { AdminTranslate } from './i18n/controller.js';

/** An action waiting out its undo window. `edit` carries the new text. */
export interface Scheduled {
  action: Action | 'restore' | 'edit';
  body?: string;
  timer: ReturnType<typeof setTimeout>;
}

/** What the controller needs of its element. */
export interface QueueHost extends ReactiveControllerHost {
  /** The signed-in client, if any. */
  readonly client?: AdminClient;
  /** The current translator. */
  readonly t: AdminTranslate;
  /** Milliseconds an action can be undone before its request is sent. */
  readonly undoDelay: number;
  /** Says something in the live region (`assertive` for errors). */
  announce(message: string, urgent?: boolean): void;
  /** The token stopped working: back to the sign-in form. */
  signedOut(): void;
}

const PAGE = 50;

/** What to tell a moderator about a failed request: the server's sentence, or ours for what never reached it. */
export function describeAdminError(t: AdminTranslate, error: unknown): string {
  if (!(error instanceof AdminError)) return t('error.badResponse');
  if (error.kind === 'network') return t('error.network');
  if (error.kind === 'timeout') return t('error.timeout');
  if (error.kind === 'bad_response') return t('error.badResponse');
  return error.message;
}

export class QueueController implements ReactiveController {
  status: StatusFilter = 'pending';
  q = '';
  thread = '';
  comments: AdminComment[] = [];
  counts: StatusCounts = { pending: 0, published: 0, spam: 0 };
  nextCursor: string | null = null;
  state: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  error = '';
  /** Ids ticked for a bulk action. */
  selected = new Set<string>();
  /** Actions in their undo window, by comment id. */
  scheduled = new Map<string, Scheduled>();
  /** The comment being edited. */
  editing?: string;
  /** Pending comments that arrived since the list was loaded, not shown yet. */
  fresh: AdminComment[] = [];
  /** A request is on its way (actions and bulk); their buttons wait. */
  busy = false;
  /** Answers to loads started before the latest one are dropped. */
  private _generation = 0;
  private _pollTimer?: ReturnType<typeof setInterval>;

  constructor(private host: QueueHost) {
    host.addController(this);
  }

  hostDisconnected() {
    this.stopPolling();
    // Leaving the page (or signing out) does what the moderator asked rather than dropping it.
    this.flush();
  }

  /** Whether new pending comments can be put at the top of what is shown. */
  get showsQueueHead() {
    return (this.status === 'pending' || this.status === 'all') && !this.q && !this.thread;
  }

  /** Loads the first page (or, with `more`, the next one) of what the filters select. */
  async load(more = false) {
    const client = this.host.client;
    if (!client) return;
    const generation = ++this._generation;
    this.state = 'loading';
    if (!more) this.fresh = [];
    this.host.requestUpdate();
    try {
      const page = await client.list({ status: this.status, q: this.q, thread: this.thread, cursor: more ? this.nextCursor : null, limit: PAGE });
      if (generation !== this._generation) return;
      this.comments = more ? this.comments.concat(page.comments.filter((c) => !this.comments.some((d) => d.id === c.id))) : page.comments;
      if (!more) this.selected = new Set([...this.selected].filter((id) => this.comments.some((c) => c.id === id)));
      this.nextCursor = page.nextCursor;
      this.counts = page.counts;
      this.state = 'ready';
      this.host.announce(this.host.t('loaded', { n: this.comments.length }));
    } catch (error) {
      if (generation !== this._generation) return;
      if (this._signedOut(error)) return;
      this.state = 'error';
      this.error = this.host.t('error.load', { message: describeAdminError(this.host.t, error) });
    }
    this.host.requestUpdate();
  }

  /** Shows another status, search or thread. */
  filter(change: { status?: StatusFilter; q?: string; thread?: string }) {
    Object.assign(this, change);
    this.selected = new Set();
    void this.load();
  }

  /** Starts an action; its request is sent once the undo window has passed. */
  schedule(id: string, action: Scheduled['action'], body?: string) {
    this.undo(id, true);
    const timer = setTimeout(() => void this._send(id), this.host.undoDelay);
    this.scheduled.set(id, { action, body, timer });
    if (action === 'edit') this.editing = undefined;
    this.host.announce(this.host.t(`scheduled.${action}`));
    this.host.requestUpdate();
  }

  /** Cancels an action in its undo window: no request is sent. */
  undo(id: string, quiet = false) {
    const scheduled = this.scheduled.get(id);
    if (!scheduled) return;
    clearTimeout(scheduled.timer);
    this.scheduled.delete(id);
    if (!quiet) this.host.announce(this.host.t('undone'));
    this.host.requestUpdate();
  }

  /** Sends every action still in its undo window now. */
  flush() {
    for (const [id, scheduled] of this.scheduled) {
      clearTimeout(scheduled.timer);
      void this._send(id);
    }
  }

  private async _send(id: string) {
    const scheduled = this.scheduled.get(id);
    const client = this.host.client;
    this.scheduled.delete(id);
    if (!scheduled || !client) return;
    const { action, body } = scheduled;
    const before = this.comments.find((c) => c.id === id);
    const t = this.host.t;
    try {
      if (action === 'delete') {
        await client.remove(id);
        this._replace(id, undefined, before);
      } else {
        const comment = action === 'edit' ? await client.edit(id, body ?? '') : await client.act(id, action);
        this._replace(id, comment, before);
      }
      this.host.announce(t(`done.${action}`));
    } catch (error) {
      if (this._signedOut(error)) return;
      this.host.announce(t('error.action', { message: describeAdminError(t, error) }), true);
      // Someone else deleted it (or changed it): show the list as it is now.
      if (error instanceof AdminError && error.kind === 'gone') void this.load();
    }
    this.host.requestUpdate();
  }

  /** Puts a comment's new state in the list (or takes it out), and moves the counts with it. */
  private _replace(id: string, comment: AdminComment | undefined, before?: AdminComment) {
    const from = before?.status;
    const to = comment?.status;
    if (from && from !== to) {
      const counts = { ...this.counts };
      counts[from] = Math.max(0, counts[from] - 1);
      if (to) counts[to]++;
      this.counts = counts;
    }
    const stays = comment && (this.status === 'all' || comment.status === this.status);
    this.comments = stays ? this.comments.map((c) => (c.id === id ? comment : c)) : this.comments.filter((c) => c.id !== id);
    if (!stays) this.selected.delete(id);
  }

  /** Applies a bulk action to the ticked comments and says which ones were done. */
  async bulk(action: Action) {
    const client = this.host.client;
    const ids = [...this.selected];
    if (!client || !ids.length || this.busy) return;
    const t = this.host.t;
    this.busy = true;
    this.host.requestUpdate();
    try {
      const { done, missing } = await client.bulk(action, ids);
      this.selected = new Set();
      const parts = [t(`bulk.done.${action}`, { n: done.length })];
      if (missing.length) parts.push(t('bulk.missing', { n: missing.length }));
      this.busy = false;
      await this.load();
      this.host.announce(parts.join(' '));
    } catch (error) {
      this.busy = false;
      if (this._signedOut(error)) return;
      const message = describeAdminError(t, error);
      // An answer from the server means it refused the whole request (it runs in one transaction); no answer means
      // we cannot know, so the list is reloaded to show the truth.
      const answered = error instanceof AdminError && error.status !== undefined;
      if (!answered) await this.load();
      this.host.announce(answered ? t('bulk.noneChanged', { n: ids.length, message }) : t('bulk.unknown', { message }), true);
    }
    this.host.requestUpdate();
  }

  /** Ticks or unticks one comment, or (without an id) every one shown. */
  toggle(id?: string, on?: boolean) {
    if (id === undefined) {
      const all = this.comments.length > 0 && this.comments.every((c) => this.selected.has(c.id));
      this.selected = new Set(all ? [] : this.comments.map((c) => c.id));
    } else if (on ?? !this.selected.has(id)) this.selected.add(id);
    else this.selected.delete(id);
    this.host.requestUpdate();
  }

  /** Polls for new pending comments every `ms` while the tab is visible. */
  startPolling(ms: number) {
    this.stopPolling();
    if (ms > 0) this._pollTimer = setInterval(() => document.visibilityState === 'visible' && void this.poll(), ms);
  }

  stopPolling() {
    clearInterval(this._pollTimer);
    this._pollTimer = undefined;
  }

  /** One poll: the counts, and pending comments not listed yet (offered in a "N new" notice). */
  async poll() {
    const client = this.host.client;
    if (!client || this.state === 'loading') return;
    const generation = this._generation;
    try {
      const page = await client.list({ status: 'pending', limit: PAGE });
      if (generation !== this._generation) return;
      this.counts = page.counts;
      if (this.showsQueueHead) {
        const known = new Set([...this.comments, ...this.fresh].map((c) => c.id));
        const newest = this.comments[0]?.createdAt ?? '';
        const arrived = page.comments.filter((c) => !known.has(c.id) && c.createdAt >= newest);
        this.fresh = arrived.concat(this.fresh);
      }
    } catch (error) {
      // A failed poll is tried again at the next tick; only a token that stopped working changes anything.
      this._signedOut(error);
    }
    this.host.requestUpdate();
  }

  /** Puts the newly arrived comments at the top of the list. */
  showFresh() {
    this.comments = this.fresh.concat(this.comments);
    this.host.announce(this.host.t('loaded', { n: this.fresh.length }));
    this.fresh = [];
    this.host.requestUpdate();
  }

  private _signedOut(error: unknown) {
    if (!(error instanceof AdminError && error.kind === 'unauthorized')) return false;
    this.host.signedOut();
    return true;
  }
}
