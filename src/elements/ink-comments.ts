import { LitElement, css, html, nothing, render, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DEFAULT_TIMEOUT, listComments } from '../client.js';
import { emit, type InkErrorInfo } from '../events.js';
import { LocaleController } from '../i18n/controller.js';
import type { PluralForms, Translate } from '../i18n/index.js';
import { isHttpUrl, readComment, type Comment } from '../rules.js';
import { readJSON, writeJSON } from '../storage.js';
import { theme } from '../styles/theme.js';
import type { InkCommentForm } from './ink-comment-form.js';
import './ink-comment-form.js';
import { defaultThread, describeLoadError } from './ink-count.js';

/** Levels of nesting shown; replies deeper than this line up under the last level and say whom they answer. */
const MAX_DEPTH = 3;
/** A comment awaiting moderation is shown to its author this long at most. */
const KEEP_PENDING = 30 * 86_400_000;
/** Pages loaded at most to find the comment a permalink names. */
const MAX_SEEK = 10;
const REL = 'nofollow ugc noopener noreferrer';
/** Avatar colours: each has a contrast of at least 6:1 with white text. */
const PALETTE = 8;
const FORM_PARTS = 'heading:form-heading,form,field,label,input,button,error,status,note';

const formatters = new Map<string, [Intl.RelativeTimeFormat, Intl.DateTimeFormat]>();
/** One relative and one absolute formatter per language, made once: making them costs more than using them. */
function formattersFor(lang: string): [Intl.RelativeTimeFormat, Intl.DateTimeFormat] {
  let f = formatters.get(lang);
  if (!f) {
    try {
      f = [new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }), new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' })];
    } catch {
      return formattersFor('en');
    }
    formatters.set(lang, f);
  }
  return f;
}

/** What building an item needs from the render: strings, formatters and the time now. */
interface Formatting {
  t: Translate;
  rtf: Intl.RelativeTimeFormat;
  dtf: Intl.DateTimeFormat;
  now: number;
  /** "Reply", once for all. */
  reply: string;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "3 hours ago"; a time ahead of the reader's clock (a skewed clock) reads "now". */
function ago(rtf: Intl.RelativeTimeFormat, seconds: number): string {
  for (const [unit, s] of UNITS) if (seconds >= s) return rtf.format(-Math.floor(seconds / s), unit);
  return rtf.format(0, 'second');
}

let segmenter: Intl.Segmenter | undefined;
// What may follow a first code point within one user-perceived character: marks, joiners, emoji modifiers, a flag's
// second half. Only then is a Segmenter worth making (the first one costs a lot more than a thousand names).
const JOINS = /^[\p{M}\u200d\ufe0f\u{1f3fb}-\u{1f3ff}\p{Regional_Indicator}]/u;
function firstGrapheme(s: string): string {
  const cp = String.fromCodePoint(s.codePointAt(0)!);
  if (!JOINS.test(s.slice(cp.length)) || typeof Intl.Segmenter !== 'function') return cp;
  return (segmenter ??= new Intl.Segmenter()).segment(s)[Symbol.iterator]().next().value!.segment;
}

/** Up to two initials, of the first and the last word; punctuation and bidi controls before a word are skipped. */
export function initials(name: string): string {
  const words = name
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}\p{Extended_Pictographic}\p{Regional_Indicator}]+/u, ''))
    .filter(Boolean);
  return words.length ? (words.length > 1 ? [words[0], words[words.length - 1]] : words).map(firstGrapheme).join('').toUpperCase() : '?';
}

/** A palette index from the name alone, never the email: the same name always gets the same colour. */
export function colourOf(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return (h >>> 0) % PALETTE;
}

// Names repeat in a thread: their avatar (class and initials) is worked out once each.
const avatars = new Map<string, [string, string]>();
function avatarOf(name: string): [string, string] {
  let a = avatars.get(name);
  if (!a) {
    if (avatars.size > 5000) avatars.clear();
    avatars.set(name, (a = [`av a${colourOf(name)}`, initials(name)]));
  }
  return a;
}

// A URL ends before white space or a character that cannot appear unescaped in one; trailing punctuation is
// trimmed after the match, so "see https://a.example." links without its full stop.
const URL_RE = /https?:\/\/[^\s<>"]+/gi;
const count = (s: string, c: string) => s.split(c).length - 1;
function make<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  return el;
}

/** Appends a line of text with its bare http(s) URLs as links: text nodes and attributes only, never markup. */
function appendLine(box: HTMLElement, text: string) {
  let at = 0;
  if (/https?:\/\//i.test(text)) {
    for (const m of text.matchAll(URL_RE)) {
      let url = m[0];
      for (let c = url.at(-1)!; '.,;:!?'.includes(c) || (c === ')' && count(url, '(') < count(url, ')')); c = url.at(-1)!) {
        url = url.slice(0, -1);
      }
      if (!isHttpUrl(url)) continue;
      const a = Object.assign(make('a'), { href: url, rel: REL, textContent: url });
      box.append(text.slice(at, m.index), a);
      at = m.index + url.length;
    }
  }
  box.append(text.slice(at));
}

/** The body: paragraphs split on blank lines, single line breaks kept; one line of plain text (most comments) as is. */
function fillBody(box: HTMLElement, text: string) {
  const paras = text.replace(/\r\n?/g, '\n').split(/\n[^\S\n]*\n\s*/);
  for (const para of paras) {
    const p = paras.length > 1 ? box.appendChild(make('p')) : box;
    para.split('\n').forEach((line, i) => {
      if (i) p.append(make('br'));
      appendLine(p, line);
    });
  }
}

/** Reads stored or received comments, dropping what is not a Comment (and any field a Comment does not have). */
const comments = (list: unknown): Comment[] => (Array.isArray(list) ? list.map(readComment).filter((c) => !!c) : []);

/** One comment's markup, without any data: cloned for each comment, then filled in through DOM properties. */
let proto: HTMLLIElement | undefined;
function protoComment(): HTMLLIElement {
  if (!proto) {
    const f = document.createDocumentFragment();
    // No white space between tags: each run of it would be one more node per comment.
    render(
      html`<li><article part="comment"
        ><span class="av" part="avatar" aria-hidden="true"></span
        ><div class="hd"><a class="au" part="author" dir="auto" rel=${REL}></a><a><time part="time"></time></a></div
        ><div class="body" part="body" dir="auto"></div
        ><button class="secondary reply" part="reply button" aria-expanded="false"></button
      ></article></li>`,
      f,
    );
    proto = f.querySelector('li')!;
  }
  return proto;
}

/**
 * A whole discussion: the heading with the count, the threaded list, "Load more comments" and the form. A comment
 * awaiting moderation is kept in this browser and shown to its author only, until the server publishes it.
 *
 * @summary A threaded, paged list of comments with its form.
 *
 * @csspart title - The heading with the count ("42 comments").
 * @csspart comment - One comment (the element a `#comment-ID` permalink targets).
 * @csspart avatar - The initials avatar.
 * @csspart author - The author's name (a link when they gave a website).
 * @csspart time - The `<time>` of a comment.
 * @csspart body - The text of a comment.
 * @csspart reply - The Reply buttons.
 * @csspart button - Every button: Reply, Cancel reply, Load more, Retry, and those of the form.
 * @csspart error - A load error or the configuration error, and the form's errors.
 * @csspart form-heading - The form's heading ("Leave a comment", "Leave a reply to Ada").
 * @csspart form - The `<form>`; `field`, `label`, `input`, `status`, `note` are the form's, forwarded.
 *
 * @cssprop --ink-color-accent - Links, buttons and the highlight of a permalinked comment.
 * @cssprop --ink-color-muted - Times and notes.
 * @cssprop --ink-color-surface - Skeleton and highlight backgrounds.
 * @cssprop --ink-color-border - The outline of a comment awaiting moderation.
 * @cssprop --ink-spacing - Space between comments.
 * @cssprop --ink-radius - Corners.
 *
 * @fires ink-loaded - A page of comments arrived; detail `{ total, count }`.
 * @fires ink-error - A page could not be loaded; detail `{ error: { code, message, status? } }`. The form's
 *   `ink-submit`, `ink-posted` and `ink-error` bubble through as well.
 */
export class InkComments extends LitElement {
  static override styles = [
    theme,
    css`
      h2 {
        margin: 0 0 var(--_space);
        font-size: 1.375em;
        line-height: 1.3;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li > ol {
        margin-inline-start: clamp(1rem, 6%, 3rem);
      }
      .list {
        margin-block-end: var(--_space);
      }
      /* Off-screen comments of a long thread are neither laid out nor painted until scrolled near. (Not for a short
         one: it gains nothing, and checkers that read boxes, such as axe's contrast rule, misread skipped ones.) */
      .long > li {
        content-visibility: auto;
        contain-intrinsic-size: auto 7rem;
        padding: 2px;
      }
      article {
        display: grid;
        grid-template-columns: 2.25rem minmax(0, 1fr);
        column-gap: 0.75rem;
        padding: 0.5rem;
        border-radius: var(--_radius);
        scroll-margin-block: var(--_space);
      }
      article > * {
        grid-column: 2;
      }
      .av {
        grid-column: 1;
        grid-row: 1 / span 3;
        display: grid;
        place-items: center;
        inline-size: 2.25rem;
        block-size: 2.25rem;
        border-radius: 50%;
        overflow: hidden;
        color: #fff;
        font-weight: 600;
        font-size: 0.875rem;
        line-height: 1;
        white-space: nowrap;
      }
      .av::before {
        content: attr(data-i);
      }
      .a0 { background: #0b57d0; }
      .a1 { background: #6a1b9a; }
      .a2 { background: #b3261e; }
      .a3 { background: #146c2e; }
      .a4 { background: #00695c; }
      .a5 { background: #8a4b00; }
      .a6 { background: #ad1457; }
      .a7 { background: #455a64; }
      .hd {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        column-gap: 0.75rem;
      }
      .au {
        font-weight: 600;
        overflow-wrap: anywhere;
        unicode-bidi: isolate;
      }
      .au:not([href]) {
        color: inherit;
      }
      .hd > a:not(.au),
      .note {
        color: var(--_muted);
        font-size: 0.875em;
      }
      .body {
        margin-block: 0.25rem;
        overflow-wrap: anywhere;
      }
      .body p {
        margin: 0;
      }
      .body p + p {
        margin-block-start: 0.75em;
      }
      .note {
        margin: 0;
        font-style: italic;
      }
      .reply {
        justify-self: start;
        border-color: transparent;
        padding-inline: 0.5rem;
        margin-inline-start: -0.5rem;
      }
      .pending {
        outline: 1px dashed var(--_border);
        outline-offset: -1px;
      }
      .target {
        background: var(--_surface);
        box-shadow: inset 0 0 0 2px var(--_accent);
      }
      article:focus {
        outline: none;
      }
      article:focus-visible {
        box-shadow: inset 0 0 0 2px var(--_focus);
      }
      .rf {
        margin-block: 0.5rem var(--_space);
        margin-inline-start: 3rem;
      }
      .error {
        color: var(--_danger);
        margin-block: 0 var(--_space);
      }
      .error p {
        margin: 0 0 0.5rem;
      }
      .more {
        margin-block-end: calc(var(--_space) * 1.5);
      }
      .sk {
        display: grid;
        grid-template-columns: 2.25rem 1fr;
        gap: 0.5rem 0.75rem;
        padding: 0.5rem;
        block-size: 7rem;
      }
      .sk::before,
      .sk::after {
        content: '';
        border-radius: var(--_radius);
        background: var(--_surface);
        animation: pulse 1.5s ease-in-out infinite alternate;
      }
      .sk::before {
        block-size: 2.25rem;
        border-radius: 50%;
      }
      @keyframes pulse {
        to {
          opacity: 0.4;
        }
      }
    `,
  ];

  /** URL of the comments API (absolute or relative to the page). Required. */
  @property() endpoint = '';
  /** Thread id; when empty, `<link rel=canonical>`'s path, else `location.pathname`. */
  @property() thread = '';
  /** Order of top-level comments: `oldest` first or `newest` first; replies are always oldest first. */
  @property() sort: 'oldest' | 'newest' = 'oldest';
  /** Top-level comments asked for per page, 1 to 1,000 (a server may send fewer). */
  @property({ attribute: 'page-size', type: Number }) pageSize = 50;
  /** `eager` loads at once; `lazy` waits until the element is near the viewport. */
  @property() loading: 'eager' | 'lazy' = 'eager';
  /** Milliseconds a request may take before it fails as timed out (also the form's). */
  @property({ type: Number }) timeout = DEFAULT_TIMEOUT;
  /** `auto` follows the reader's colour-scheme preference; `light` or `dark` force one. Passed to the form. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Overrides of any UI string, by key (see `src/i18n/en.ts`); passed to the form too. */
  @property({ attribute: false }) strings?: Partial<Record<string, string | PluralForms>>;

  /** `idle` before the first request (or while a lazy element waits to be seen). */
  @state() private _state: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  /** Why the first page (state `error`) or the next one (state `ready`) failed. */
  @state() private _error?: InkErrorInfo;
  /** A "Load more" request is in flight. */
  @state() private _more = false;
  /** The comment whose reply form is open. */
  @state() private _replyTo?: string;
  /** What the live region says. */
  @state() private _status = '';

  private _l = new LocaleController(this);
  /** Comments from the server, in its order: each page's top-level comments, each followed by its replies. */
  private _server: Comment[] = [];
  /** Comments posted here (or kept as pending) that the server has not listed yet. */
  private _local: Comment[] = [];
  private _kids = new Map<string | null, Comment[]>();
  private _byId = new Map<string, Comment>();
  private _thread = '';
  /** Published comments of the thread: the server's total, plus those posted here since. */
  private _total = 0;
  private _cursor: string | null = null;
  private _ac?: AbortController;
  private _io?: IntersectionObserver;
  private _seeks = 0;
  /** The comment a permalink points at. */
  private _target?: string;
  /** The list items built so far, by comment; a new object (the server's copy of a local comment) gets a new one. */
  private _nodes = new WeakMap<Comment, HTMLLIElement>();
  /** The language and overrides the list items were built with. */
  private _builtWith: unknown[] = [];
  /** The comments changed since the list was last brought up to date. */
  private _dirty = true;
  private _list?: HTMLOListElement;
  /** Holds the open reply form, right after the article replied to. */
  private _replyBox?: HTMLDivElement;

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('hashchange', this._onHash);
    // Moved in the page while its first load was in flight: that load was cancelled, so start again.
    if (this.hasUpdated && this._state !== 'ready') this._start();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('hashchange', this._onHash);
    this._io?.disconnect();
    this._io = undefined;
    this._ac?.abort();
    this._ac = undefined;
    this._more = false;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('endpoint') || changed.has('thread') || changed.has('sort') || changed.has('pageSize')) this._start();
    else if (changed.has('loading') && this._state === 'idle' && this._io) this._start();
  }

  override updated() {
    const list = this.renderRoot.querySelector<HTMLOListElement>('ol.list') ?? undefined;
    const built = [this._l.lang, this.strings];
    if (built.some((v, i) => v !== this._builtWith[i])) {
      // Another language or other strings: every item says "Reply" and its times differently.
      this._builtWith = built;
      this._nodes = new WeakMap();
      this._dirty = true;
    }
    if (list && (this._dirty || list !== this._list)) {
      this._dirty = false;
      this._list = list;
      const [rtf, dtf] = formattersFor(this._l.lang);
      const t = this._l.t;
      this._fill(list, this._rows(null, 1), 1, { t, rtf, dtf, now: Date.now(), reply: t('comments.reply') });
    }
    this._renderReplyForm();
  }

  /** Forgets what was loaded and loads the first page, now or (lazy) once the element comes near the viewport. */
  private _start() {
    this._ac?.abort();
    this._ac = this._error = this._replyTo = this._target = undefined;
    this._nodes = new WeakMap();
    this._io?.disconnect();
    this._io = undefined;
    this._state = 'idle';
    this._more = false;
    this._status = '';
    this._seeks = this._total = 0;
    this._cursor = null;
    this._server = [];
    this._thread = this.thread || defaultThread();
    this._local = this._pending().filter((c) => Date.now() - Date.parse(c.createdAt) < KEEP_PENDING);
    this._index();
    if (!this.endpoint || !this.isConnected) return;
    if (this.loading === 'lazy' && typeof IntersectionObserver === 'function') {
      this._io = new IntersectionObserver(
        (entries) => {
          if (!entries.some((e) => e.isIntersecting)) return;
          this._io?.disconnect();
          this._io = undefined;
          void this._load();
        },
        { rootMargin: '200px' },
      );
      this._io.observe(this);
    } else void this._load();
  }

  private async _load(cursor: string | null = null) {
    const t = this._l.t;
    this._ac?.abort();
    const ac = (this._ac = new AbortController());
    this._error = undefined;
    if (cursor) this._more = true;
    else this._state = 'loading';
    this._status = t('comments.loading');
    // Made (and used once) while the request is out, so that none of it costs time once the answer is in.
    const [rtf, dtf] = formattersFor(this._l.lang);
    rtf.format(0, 'second');
    dtf.format(0);
    protoComment();
    let page;
    try {
      page = await listComments(
        this.endpoint,
        { thread: this._thread, sort: this.sort, limit: Math.min(Math.max(Math.floor(this.pageSize) || 50, 1), 1000), cursor },
        { signal: ac.signal, timeout: this.timeout },
      );
    } catch (err) {
      if (ac !== this._ac) return;
      this._ac = undefined;
      this._more = false;
      const error = describeLoadError(t, err);
      this._error = error;
      if (!cursor) this._state = 'error';
      this._status = '';
      emit(this, 'ink-error', { error });
      return;
    }
    if (ac !== this._ac) return;
    this._ac = undefined;
    this._more = false;
    const ids = new Set(page.comments.map((c) => c.id));
    this._server = cursor ? this._server.concat(page.comments) : page.comments;
    this._local = this._local.filter((c) => !ids.has(c.id));
    // A pending comment the server now lists was published: the copy kept for its author has done its job.
    const kept = this._pending();
    if (kept.some((c) => ids.has(c.id))) this._keep(kept.filter((c) => !ids.has(c.id)));
    this._index();
    this._cursor = page.nextCursor;
    this._total = page.total + this._local.filter((c) => c.status === 'published').length;
    this._state = 'ready';
    const n = page.comments.length;
    this._status = cursor ? t('comments.moreLoaded', { n }) : this._title();
    emit(this, 'ink-loaded', { total: page.total, count: n });
    await this.updateComplete;
    void this._goto();
  }

  /** Builds the tree once per change: children by parent id, in the server's order, local additions in place. */
  private _index() {
    const kids = new Map<string | null, Comment[]>();
    const byId = new Map<string, Comment>();
    const front = this.sort === 'newest';
    const add = (c: Comment, local: boolean) => {
      if (byId.has(c.id)) return;
      byId.set(c.id, c);
      let list = kids.get(c.parentId);
      if (!list) kids.set(c.parentId, (list = []));
      // A new top-level comment goes where its sort order puts it: first for newest, last for oldest.
      if (local && front && !c.parentId) list.unshift(c);
      else list.push(c);
    };
    for (const c of this._server) add(c, false);
    for (const c of this._local) add(c, true);
    this._kids = kids;
    this._byId = byId;
    this._dirty = true;
    this.requestUpdate();
  }

  private get _pendingKey() {
    return `inkwell:pending:${JSON.stringify([this.endpoint, this._thread])}`;
  }

  /** Comments of this thread that the server answered `pending` for, kept in this browser for their author. */
  private _pending(): Comment[] {
    return this.endpoint ? comments(readJSON('local', this._pendingKey)).filter((c) => c.status === 'pending') : [];
  }

  private _keep(list: Comment[]) {
    writeJSON('local', this._pendingKey, list.length ? list : undefined);
  }

  private _title() {
    const t = this._l.t;
    if (this._state !== 'ready') return t('comments.label');
    return this._total ? t('comments.count', { n: this._total }) : t('comments.none');
  }

  /** Scrolls to and highlights the comment that `location.hash` names, loading further pages to find it. */
  private async _goto(user = false) {
    let id: string;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch {
      return;
    }
    if (!id.startsWith('comment-') || this._state !== 'ready') return;
    id = id.slice(8);
    if (!this._byId.has(id)) {
      if (this._cursor && !this._more && this._seeks++ < MAX_SEEK) void this._load(this._cursor);
      return;
    }
    if (id === this._target && !user) return;
    this._el(this._target)?.classList.remove('target');
    this._target = id;
    await this.updateComplete;
    const el = this._el(id);
    if (!el) return;
    el.classList.add('target');
    el.scrollIntoView({ block: 'start' });
    if (user) {
      el.tabIndex = -1;
      el.focus({ preventScroll: true });
    }
  }

  /** The rendered comment with this id. */
  private _el(id = '') {
    return (this.renderRoot as ShadowRoot).getElementById(`comment-${id}`);
  }

  private _onHash = () => {
    this._seeks = 0;
    void this._goto(true);
  };

  /** One listener for every Reply button and permalink of the list, rather than one per comment. */
  private _onClick(e: Event) {
    const el = (e.target as Element).closest?.('button.reply, a[href^="#comment-"]');
    if (!el) return;
    if (el.localName === 'button') return this._openReply(el.closest('article')!.id.slice(8));
    // Set the page's own hash: a fragment link resolves against a <base href>, which may be another page.
    e.preventDefault();
    const hash = el.getAttribute('href')!;
    if (location.hash === hash) void this._goto(true);
    else location.hash = hash;
  }

  private async _openReply(id: string) {
    this._replyTo = id;
    await this.updateComplete;
    const form = this._replyBox?.querySelector<InkCommentForm>('ink-comment-form');
    await form?.updateComplete;
    form?.focus();
  }

  private async _cancelReply() {
    const id = this._replyTo;
    this._replyTo = undefined;
    await this.updateComplete;
    this._el(id)?.querySelector<HTMLElement>('button.reply')?.focus();
  }

  /** The form's comment, shown at once where it belongs; one awaiting moderation is also kept for its author. */
  private async _onPosted(e: CustomEvent<{ comment: unknown }>) {
    const [c] = comments([e.detail?.comment]);
    if (!c || this._byId.has(c.id)) return;
    const t = this._l.t;
    const wasReply = !!c.parentId && this._replyTo === c.parentId;
    this._local = [...this._local, c];
    if (c.status === 'pending') this._keep([...this._pending(), c]);
    else this._total++;
    this._index();
    this._replyTo = undefined;
    this._status = t(c.status === 'pending' ? 'comments.pending' : 'comments.posted');
    await this.updateComplete;
    // The reply form is gone with the focus it held: put the focus on what it produced.
    if (wasReply) {
      const el = this._el(c.id);
      if (el) {
        el.tabIndex = -1;
        el.focus();
      }
    }
  }

  private _onMore() {
    if (!this._more && this._cursor) void this._load(this._cursor);
  }

  /** Loads again what failed: the first page, or the next one. */
  private _retry() {
    if (this._state === 'ready') void this._load(this._cursor);
    else this._start();
  }

  override render() {
    const t = this._l.t;
    return html`<section aria-labelledby="heading" dir=${this._l.dir} @click=${this._onClick} @ink-posted=${this._onPosted}>
      <h2 id="heading" part="title">${this._title()}</h2>
      <p role="status" class="visually-hidden">${this._status}</p>
      ${this.endpoint ? this._content() : html`<p class="error" part="error" role="alert">${t('comments.noEndpoint')}</p>`}
    </section>`;
  }

  private _content() {
    const t = this._l.t;
    const st = this._state;
    const top = this._kids.get(null) ?? [];
    // The items of the list are built in updated(), not by this template: see _fill().
    return html`${st === 'ready'
        ? top.length
          ? html`<ol class=${top.length > 20 ? 'list long' : 'list'} aria-labelledby="heading"></ol>`
          : html`<p>${t('comments.empty')}</p>`
        : st === 'error'
          ? nothing
          : html`<div aria-hidden="true"><div class="sk"></div><div class="sk"></div><div class="sk"></div></div>`}
      ${this._error ? this._errorBox(this._error) : nothing}
      ${st === 'ready' && this._cursor
        ? html`<p class="more">
            <button part="button" class="secondary" aria-disabled=${this._more} @click=${this._onMore}>${t('comments.loadMore')}</button>
          </p>`
        : nothing}
      ${this._form(undefined)}`;
  }

  private _errorBox(error: InkErrorInfo) {
    const t = this._l.t;
    return html`<div class="error" part="error" role="alert">
      <p>${t('comments.loadError', { message: error.message })}</p>
      <button part="button" @click=${this._retry}>${t('comments.retry')}</button>
    </div>`;
  }

  /** The bottom form (hidden, not removed, while a reply form is open, so what was typed in it stays) or a reply form. */
  private _form(parent?: Comment): TemplateResult {
    const t = this._l.t;
    return html`<ink-comment-form
      exportparts=${FORM_PARTS}
      endpoint=${this.endpoint}
      thread=${this._thread}
      parent=${ifDefined(parent?.id)}
      heading=${parent ? t('form.headingReply', { name: parent.name }) : ''}
      heading-level="3"
      timeout=${this.timeout}
      theme=${this.theme}
      .strings=${this.strings}
      ?hidden=${!parent && !!this._replyTo}
      >${parent
        ? html`<button slot="actions" type="button" part="button" class="secondary" @click=${this._cancelReply}>${t('form.cancelReply')}</button>`
        : nothing}</ink-comment-form
    >`;
  }

  /** Puts the reply form (rendered by lit into a box of its own) under the comment replied to, or takes it away. */
  private _renderReplyForm() {
    const parent = this._replyTo ? this._byId.get(this._replyTo) : undefined;
    const article = parent && this._el(parent.id);
    let box = this._replyBox;
    if (box && box.previousElementSibling !== article) {
      box.previousElementSibling?.querySelector('.reply')?.setAttribute('aria-expanded', 'false');
      render(nothing, box);
      box.remove();
      box = this._replyBox = undefined;
    }
    if (!article) return;
    if (!box) {
      box = this._replyBox = make('div', 'rf');
      article.after(box);
      article.querySelector('.reply')!.setAttribute('aria-expanded', 'true');
    }
    render(this._form(parent), box, { host: this });
  }

  /**
   * The rows under `parentId` at `depth`: its replies, or at the last level, every later generation in order, each
   * with the comment it answers.
   */
  private _rows(parentId: string | null, depth: number): [Comment, Comment?][] {
    const kids = this._kids.get(parentId) ?? [];
    if (depth < MAX_DEPTH) return kids.map((k) => [k]);
    const rows: [Comment, Comment?][] = [];
    const walk = (k: Comment, re?: Comment) => {
      rows.push([k, re]);
      for (const g of this._kids.get(k.id) ?? []) walk(g, k);
    };
    for (const k of kids) walk(k);
    return rows;
  }

  /**
   * Brings a list up to date: items already built are kept (and moved only where something was inserted before
   * them), new ones are built. Doing this by hand rather than with a template per comment makes a thousand
   * comments three to five times cheaper to show: one clone and a few property sets each, no parts to find.
   */
  private _fill(list: HTMLOListElement, rows: [Comment, Comment?][], depth: number, f: Formatting) {
    const items = rows.map(([c, re]) => {
      let li = this._nodes.get(c);
      if (!li) this._nodes.set(c, (li = this._build(c, re, f)));
      let sub = li.lastElementChild as HTMLOListElement;
      const kids = depth < MAX_DEPTH ? this._rows(c.id, depth + 1) : [];
      if (kids.length) {
        if (sub.localName !== 'ol') sub = li.appendChild(make('ol'));
        this._fill(sub, kids, depth + 1, f);
      }
      return li;
    });
    if (!list.firstChild) return list.append(...items);
    let at: ChildNode | null = list.firstChild;
    for (const li of items) {
      if (li === at) at = at.nextSibling;
      else list.insertBefore(li, at);
    }
    while (at) {
      const next: ChildNode | null = at.nextSibling;
      at.remove();
      at = next;
    }
  }

  /** One comment's list item: thirteen nodes, filled through DOM properties, so any text stays text. */
  private _build(c: Comment, re: Comment | undefined, { t, rtf, dtf, now, reply: replyText }: Formatting): HTMLLIElement {
    const li = protoComment().cloneNode(true) as HTMLLIElement;
    // Walked by sibling, not destructured: an HTMLCollection's iterator is slow enough to show a thousand times over.
    const article = li.firstChild as HTMLElement;
    const avatar = article.firstChild as HTMLElement;
    const head = avatar.nextSibling as HTMLElement;
    const body = head.nextSibling as HTMLElement;
    const reply = body.nextSibling as HTMLElement;
    const author = head.firstChild as HTMLAnchorElement;
    const link = author.nextSibling as HTMLAnchorElement;
    const time = link.firstChild as HTMLTimeElement;
    const at = Date.parse(c.createdAt);
    article.id = `comment-${c.id}`;
    if (c.id === this._target) article.className = 'target';
    const [avatarClass, letters] = avatarOf(c.name);
    avatar.className = avatarClass;
    avatar.setAttribute('data-i', letters);
    author.textContent = c.name;
    if (c.website) author.href = c.website;
    link.href = `#comment-${c.id}`;
    time.dateTime = c.createdAt;
    time.title = dtf.format(at);
    time.textContent = ago(rtf, (now - at) / 1000);
    if (re) head.append(Object.assign(make('a'), { href: `#comment-${re.id}`, textContent: t('comments.inReplyTo', { name: re.name }) }));
    if (c.body.includes('\n') || /https?:\/\//i.test(c.body)) fillBody(body, c.body);
    else body.textContent = c.body;
    reply.textContent = replyText;
    reply.setAttribute('aria-label', t('comments.replyTo', { name: c.name }));
    if (c.status === 'pending') {
      // Nobody can reply to a comment the server has not published.
      article.classList.add('pending');
      reply.replaceWith(Object.assign(make('p', 'note'), { textContent: t('comments.pending') }));
    }
    return li;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ink-comments': InkComments;
  }
}

if (!customElements.get('ink-comments')) customElements.define('ink-comments', InkComments);
