import { LitElement, css, html, nothing, render, type PropertyValues, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DEFAULT_TIMEOUT, listComments } from '../client.js';
import { emit, type InkErrorInfo } from '../events.js';
import { LocaleController } from '../i18n/controller.js';
import type { PluralForms, Translate } from '../i18n/index.js';
import { isHttpUrl, readComment, type Comment, type CommentPage } from '../rules.js';
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
const FORM_PARTS = 'heading:form-heading,form,field,label,input,button,error,status,note';

const formatters = new Map<string, [Intl.RelativeTimeFormat, Intl.DateTimeFormat]>();
/** One relative and one absolute formatter per language, made once: making them costs more than using them. */
function formattersFor(lang: string): [Intl.RelativeTimeFormat, Intl.DateTimeFormat] {
  let f = formatters.get(lang);
  if (!f) {
    try {
      formatters.set(lang, (f = [new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }), new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' })]));
    } catch {
      // A `lang` that is no language tag at all.
      return formattersFor('en');
    }
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

/** Seconds per unit, largest first (object keys keep their order). */
const UNITS = { year: 31_536_000, month: 2_592_000, week: 604_800, day: 86_400, hour: 3_600, minute: 60 };

/** "3 hours ago"; a time ahead of the reader's clock (a skewed clock) reads "now". */
function ago(rtf: Intl.RelativeTimeFormat, seconds: number): string {
  for (const [unit, s] of Object.entries(UNITS)) if (seconds >= s) return rtf.format(-Math.floor(seconds / s), unit as Intl.RelativeTimeFormatUnit);
  return rtf.format(0, 'second');
}

let segmenter: Intl.Segmenter | undefined;
// What may follow a first code point within one user-perceived character: marks, joiners, emoji modifiers, a flag's
// second half. Only then is a Segmenter worth making (the first one costs a lot more than a thousand names).
const JOINS = /^[\p{M}\u200d\ufe0f\u{1f3fb}-\u{1f3ff}\p{Regional_Indicator}]/u;
function firstGrapheme(s: string): string {
  const cp = String.fromCodePoint(s.codePointAt(0)!);
  return JOINS.test(s.slice(cp.length)) ? (segmenter ??= new Intl.Segmenter()).segment(s)[Symbol.iterator]().next().value!.segment : cp;
}

/** Up to two initials, of the first and the last word; punctuation and bidi controls before a word are skipped. */
export function initials(name: string): string {
  const words = name
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}\p{Extended_Pictographic}\p{Regional_Indicator}]+/u, ''))
    .filter(Boolean);
  return words.length ? (words.length > 1 ? [words[0], words.at(-1)!] : words).map(firstGrapheme).join('').toUpperCase() : '?';
}

/** A palette index (of the 8 avatar colours) from the name alone, never the email: a name always gets one colour. */
export function colourOf(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return (h >>> 0) % 8;
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

/**
 * The body: paragraphs split on blank lines, single line breaks kept, bare http(s) URLs as links. Text nodes and
 * attributes only, never markup.
 */
function fillBody(box: HTMLElement, text: string) {
  const paras = text.replace(/\r\n?/g, '\n').split(/\n[^\S\n]*\n\s*/);
  for (const para of paras) {
    const p = paras.length > 1 ? box.appendChild(make('p')) : box;
    para.split('\n').forEach((line, i) => {
      if (i) p.append(make('br'));
      let at = 0;
      for (const m of line.matchAll(URL_RE)) {
        let url = m[0];
        for (let c = url.at(-1)!; '.,;:!?'.includes(c) || (c === ')' && count(url, '(') < count(url, ')')); c = url.at(-1)!) {
          url = url.slice(0, -1);
        }
        if (!isHttpUrl(url)) continue;
        p.append(line.slice(at, m.index), Object.assign(make('a'), { href: url, rel: REL, textContent: url }));
        at = m.index + url.length;
      }
      p.append(line.slice(at));
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
        margin-block-start: 0;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li > ol {
        margin-inline-start: clamp(1rem, 6%, 3rem);
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
        overflow-wrap: anywhere;
      }
      article > * {
        grid-column: 2;
      }
      .av {
        grid-area: 1 / 1 / span 3;
        display: grid;
        place-items: center;
        block-size: 2.25rem;
        border-radius: 50%;
        color: #fff;
        font-weight: 600;
        font-size: 0.875rem;
      }
      .av::before {
        content: attr(data-i);
      }
      /* Avatar colours: each has a contrast of at least 6:1 with white text. */
      .a0 { background: #0b57d0 }
      .a1 { background: #6a1b9a }
      .a2 { background: #b3261e }
      .a3 { background: #146c2e }
      .a4 { background: #00695c }
      .a5 { background: #8a4b00 }
      .a6 { background: #ad1457 }
      .a7 { background: #455a64 }
      .hd {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        column-gap: 0.75rem;
      }
      .au {
        font-weight: 600;
      }
      .au:not([href]) {
        color: inherit;
      }
      .hd > a + a,
      .note {
        color: var(--_muted);
        font-size: 0.875em;
      }
      p {
        margin: 0 0 0.75em;
      }
      .reply {
        justify-self: start;
        border-color: transparent;
        margin-inline-start: -0.875rem;
      }
      .pending {
        outline: 1px dashed var(--_border);
      }
      .target {
        background: var(--_surface);
        box-shadow: inset 0 0 0 2px var(--_accent);
      }
      .rf {
        margin-inline-start: 3rem;
      }
      .error {
        color: var(--_danger);
      }
      /* Three grey bars where three comments will be. */
      .sk {
        block-size: 15rem;
        background: repeating-linear-gradient(var(--_surface) 0 4.5rem, transparent 0 5rem);
        animation: pulse 1.5s infinite alternate;
      }
      @keyframes pulse {
        to {
          opacity: 0.4;
        }
      }
    `,
  ];

  // Declared here rather than with decorators, whose helper and calls cost a twentieth of this file; the fields
  // below carry the documentation. Internal state is `attribute: false` (what `state: true` means to Lit): the
  // manifest analyzer reads only that, and would list a `state` as an attribute.
  static override properties = {
    endpoint: {},
    thread: {},
    sort: {},
    pageSize: { attribute: 'page-size', type: Number },
    loading: {},
    timeout: { type: Number },
    theme: { reflect: true },
    strings: { attribute: false },
    _st: { attribute: false },
    _err: { attribute: false },
    _re: { attribute: false },
    _msg: { attribute: false },
  };

  /** URL of the comments API (absolute or relative to the page). Required. */
  endpoint = '';
  /** Thread id; when empty, `<link rel=canonical>`'s path, else `location.pathname`. */
  thread = '';
  /** Order of top-level comments: `oldest` first or `newest` first; replies are always oldest first. */
  sort: 'oldest' | 'newest' = 'oldest';
  /** Top-level comments asked for per page, 1 to 1,000 (a server may send fewer). */
  pageSize = 50;
  /** `eager` loads at once; `lazy` waits until the element is near the viewport. */
  loading: 'eager' | 'lazy' = 'eager';
  /** Milliseconds a request may take before it fails as timed out (also the form's). */
  timeout = DEFAULT_TIMEOUT;
  /** `auto` follows the reader's colour-scheme preference; `light` or `dark` force one. Passed to the form. */
  theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Overrides of any UI string, by key (see `src/i18n/en.ts`); passed to the form too. */
  strings?: Partial<Record<string, string | PluralForms>>;

  // `_start()`, which the first update always runs (every property has changed then), sets the fields marked `!`.

  /** The first page's state; `loading` also while a lazy element waits to be seen. */
  private _st!: 'loading' | 'ready' | 'error';
  /** Why the first page (state `error`) or the next one (state `ready`) failed. */
  private _err?: InkErrorInfo;
  /** The comment whose reply form is open. */
  private _re?: string;
  /** What the live region says. */
  private _msg!: string;

  private _l = new LocaleController(this);
  /** Comments from the server, in its order: each page's top-level comments, each followed by its replies. */
  private _sv!: Comment[];
  /** Comments posted here (or kept as pending) that the server has not listed yet. */
  private _lc!: Comment[];
  /** Children by parent id (null: top level), and every comment by id; rebuilt by `_index()`. */
  private _kd!: Map<string | null, Comment[]>;
  private _by!: Map<string, Comment>;
  private _th!: string;
  /** Published comments of the thread: the server's total, plus those posted here since (set by the first page). */
  private _n = 0;
  /** The next page's cursor. */
  private _cur!: string | null;
  /** The request in flight. Once the first page is in (`ready`), it can only be a "Load more". */
  private _ac?: AbortController;
  private _io?: IntersectionObserver;
  /** Pages loaded so far to find a permalinked comment. */
  private _sk!: number;
  /** The comment a permalink points at. */
  private _tg?: string;
  /** The list items built so far, by comment; a new object (the server's copy of a local comment) gets a new one. */
  private _nd!: WeakMap<Comment, HTMLLIElement>;
  /** The language and overrides the list items were built with. */
  private _bw: unknown[] = [];
  /** The comments changed since the list was last brought up to date. */
  private _dy?: boolean;
  /** Holds the open reply form, right after the article replied to. */
  private _rb?: HTMLDivElement;

  override connectedCallback() {
    super.connectedCallback();
    addEventListener('hashchange', this._onHash);
    // Moved in the page while its first load was in flight: that load was cancelled, so start again.
    if (this.hasUpdated && this._st !== 'ready') this._start();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('hashchange', this._onHash);
    this._io?.disconnect();
    this._ac?.abort();
    this._io = this._ac = undefined;
  }

  override willUpdate(changed: PropertyValues<this>) {
    // A lazy element still waiting (`_io`) that turns eager loads at once.
    if (['endpoint', 'thread', 'sort', 'pageSize'].some((k) => changed.has(k as 'endpoint')) || (changed.has('loading') && this._io)) this._start();
  }

  override updated() {
    const list = this.renderRoot.querySelector<HTMLOListElement>('ol.list');
    const built = [this._l.lang, this.strings];
    if (built.some((v, i) => v !== this._bw[i])) {
      // Another language or other strings: every item says "Reply" and its times differently.
      this._bw = built;
      this._nd = new WeakMap();
      this._dy = true;
    }
    // (A new <ol> only ever comes with new comments, so `_dy` covers it.)
    if (list && this._dy) {
      this._dy = false;
      const [rtf, dtf] = formattersFor(this._l.lang);
      const t = this._l.t;
      this._fill(list, this._rows(null, 1), 1, { t, rtf, dtf, now: Date.now(), reply: t('comments.reply') });
    }
    this._putReplyForm();
  }

  /** Forgets what was loaded and loads the first page, now or (lazy) once the element comes near the viewport. */
  private _start() {
    this._ac?.abort();
    this._io?.disconnect();
    this._ac = this._io = this._err = this._re = this._tg = undefined;
    this._nd = new WeakMap();
    // Without an endpoint, there is nothing to wait for: no skeleton (the alert explains) and no form.
    this._st = this.endpoint ? 'loading' : 'error';
    this._msg = '';
    this._sk = 0;
    this._cur = null;
    this._sv = [];
    this._th = this.thread || defaultThread();
    this._lc = this._kept().filter((c) => Date.now() - Date.parse(c.createdAt) < KEEP_PENDING);
    this._index();
    if (!this.endpoint || !this.isConnected) return;
    if (this.loading === 'lazy') {
      const io = (this._io = new IntersectionObserver(
        (entries) => {
          if (!entries.some((e) => e.isIntersecting)) return;
          io.disconnect();
          this._io = undefined;
          void this._load();
        },
        { rootMargin: '200px' },
      ));
      io.observe(this);
    } else void this._load();
  }

  /** Loads the first page (no cursor: `_start()` has reset everything) or the next one. */
  private async _load(cursor: string | null = null) {
    const t = this._l.t;
    this._ac?.abort();
    const ac = (this._ac = new AbortController());
    this._err = undefined;
    this._msg = t('comments.loading');
    // Made (and used once) while the request is out, so that none of it costs time once the answer is in.
    const [rtf, dtf] = formattersFor(this._l.lang);
    rtf.format(0, 'second');
    dtf.format(0);
    protoComment();
    let page: CommentPage | undefined;
    let err: unknown;
    try {
      page = await listComments(
        this.endpoint,
        { thread: this._th, sort: this.sort, limit: Math.min(Math.max(Math.floor(this.pageSize) || 50, 1), 1000), cursor },
        { signal: ac.signal, timeout: this.timeout },
      );
    } catch (e) {
      err = e;
    }
    // Superseded (another load, a reset) or cancelled (removed from the page).
    if (ac !== this._ac) return;
    this._ac = undefined;
    if (!page) {
      const error = (this._err = describeLoadError(t, err));
      if (!cursor) this._st = 'error';
      this._msg = '';
      emit(this, 'ink-error', { error });
      return;
    }
    const n = page.comments.length;
    const ids = new Set(page.comments.map((c) => c.id));
    const unlisted = (c: Comment) => !ids.has(c.id);
    this._sv = cursor ? this._sv.concat(page.comments) : page.comments;
    this._lc = this._lc.filter(unlisted);
    // A pending comment the server now lists was published: the copy kept for its author has done its job.
    const kept = this._kept();
    if (!kept.every(unlisted)) this._kept(kept.filter(unlisted));
    this._index();
    this._cur = page.nextCursor;
    this._n = page.total + this._lc.filter((c) => c.status === 'published').length;
    this._st = 'ready';
    this._msg = cursor ? t('comments.moreLoaded', { n }) : this._title();
    emit(this, 'ink-loaded', { total: page.total, count: n });
    await this.updateComplete;
    void this._goto();
  }

  /** Builds the tree once per change: children by parent id, in the server's order, local additions in place. */
  private _index() {
    const kids = (this._kd = new Map());
    const byId = (this._by = new Map());
    const add = (c: Comment, local?: boolean) => {
      if (byId.has(c.id)) return;
      byId.set(c.id, c);
      const list: Comment[] = kids.get(c.parentId) ?? kids.set(c.parentId, []).get(c.parentId);
      // A new top-level comment goes where its sort order puts it: first for newest, last for oldest.
      if (local && this.sort === 'newest' && !c.parentId) list.unshift(c);
      else list.push(c);
    };
    this._sv.forEach((c) => add(c));
    this._lc.forEach((c) => add(c, true));
    this._dy = true;
    this.requestUpdate();
  }

  /**
   * The comments of this thread that the server answered `pending` for, kept in this browser for their author;
   * with a list, replaces them.
   */
  private _kept(list?: Comment[]): Comment[] {
    const key = `inkwell:pending:${JSON.stringify([this.endpoint, this._th])}`;
    if (list) writeJSON('local', key, list.length ? list : undefined);
    return this.endpoint ? comments(readJSON('local', key)).filter((c) => c.status === 'pending') : [];
  }

  private _title() {
    const t = this._l.t;
    return this._st !== 'ready' ? t('comments.label') : this._n ? t('comments.count', { n: this._n }) : t('comments.none');
  }

  /** Scrolls to and highlights the comment that `location.hash` names, loading further pages to find it. */
  private async _goto(user = false) {
    let id: string;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch {
      return;
    }
    if (!id.startsWith('comment-') || this._st !== 'ready') return;
    id = id.slice(8);
    if (!this._by.has(id)) {
      if (this._cur && !this._ac && this._sk++ < MAX_SEEK) void this._load(this._cur);
      return;
    }
    if (id === this._tg && !user) return;
    this._el(this._tg)?.classList.remove('target');
    this._tg = id;
    await this.updateComplete;
    const el = this._el(id);
    if (!el) return;
    el.classList.add('target');
    el.scrollIntoView({ block: 'start' });
    if (user) this._focus(el, { preventScroll: true });
  }

  /** The rendered comment with this id. */
  private _el(id = '') {
    return (this.renderRoot as ShadowRoot).getElementById(`comment-${id}`);
  }

  /** Focuses a comment (an article, not focusable by itself). */
  private _focus(el: HTMLElement, options?: FocusOptions) {
    el.tabIndex = -1;
    el.focus(options);
  }

  private _onHash = () => {
    this._sk = 0;
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
    this._re = id;
    await this.updateComplete;
    const form = this._rb?.querySelector<InkCommentForm>('ink-comment-form');
    await form?.updateComplete;
    form?.focus();
  }

  private async _cancelReply() {
    const id = this._re;
    this._re = undefined;
    await this.updateComplete;
    this._el(id)?.querySelector<HTMLElement>('button.reply')?.focus();
  }

  /** The form's comment, shown at once where it belongs; one awaiting moderation is also kept for its author. */
  private async _onPosted(e: CustomEvent<{ comment: unknown }>) {
    const c = readComment(e.detail?.comment);
    if (!c || this._by.has(c.id)) return;
    const wasReply = !!c.parentId && this._re === c.parentId;
    const pending = c.status === 'pending';
    this._lc = [...this._lc, c];
    if (pending) this._kept([...this._kept(), c]);
    else this._n++;
    this._index();
    this._re = undefined;
    this._msg = this._l.t(pending ? 'comments.pending' : 'comments.posted');
    await this.updateComplete;
    // The reply form is gone with the focus it held: put the focus on what it produced.
    const el = wasReply && this._el(c.id);
    if (el) this._focus(el);
  }

  /** Load more, or Retry: loads the next page (unless it is on its way), or the first one again. */
  private _next() {
    if (this._st !== 'ready') this._start();
    else if (!this._ac) void this._load(this._cur);
  }

  override render() {
    const t = this._l.t;
    const { _st: st, _err: err, endpoint } = this;
    const top = this._kd.get(null) ?? [];
    const alert = endpoint ? err && t('comments.loadError', { message: err.message }) : t('comments.noEndpoint');
    // The items of the list are built in updated(), not by this template: see _fill().
    return html`<section aria-labelledby="heading" dir=${this._l.dir} @click=${this._onClick} @ink-posted=${this._onPosted}>
      <h2 id="heading" part="title">${this._title()}</h2>
      <p role="status" class="visually-hidden">${this._msg}</p>
      ${st === 'ready'
        ? top.length
          ? html`<ol class="list ${top.length > 20 ? 'long' : ''}" aria-labelledby="heading"></ol>`
          : html`<p>${t('comments.empty')}</p>`
        : st === 'loading'
          ? html`<div class="sk" aria-hidden="true"></div>`
          : nothing}
      ${alert
        ? html`<div class="error" part="error" role="alert">
            <p>${alert}</p>
            ${endpoint ? html`<button part="button" @click=${this._next}>${t('comments.retry')}</button>` : nothing}
          </div>`
        : nothing}
      ${st === 'ready' && this._cur
        ? html`<p><button part="button" class="secondary" aria-disabled=${!!this._ac} @click=${this._next}>${t('comments.loadMore')}</button></p>`
        : nothing}
      ${endpoint ? this._form() : nothing}
    </section>`;
  }

  /** The bottom form (hidden, not removed, while a reply form is open, so what was typed in it stays) or a reply form. */
  private _form(parent?: Comment): TemplateResult {
    const t = this._l.t;
    return html`<ink-comment-form
      exportparts=${FORM_PARTS}
      endpoint=${this.endpoint}
      thread=${this._th}
      parent=${ifDefined(parent?.id)}
      heading=${parent ? t('form.headingReply', { name: parent.name }) : ''}
      heading-level="3"
      timeout=${this.timeout}
      theme=${this.theme}
      .strings=${this.strings}
      ?hidden=${!parent && !!this._re}
      >${parent
        ? html`<button slot="actions" type="button" part="button" class="secondary" @click=${this._cancelReply}>${t('form.cancelReply')}</button>`
        : nothing}</ink-comment-form
    >`;
  }

  /** Puts the reply form (rendered by lit into a box of its own) under the comment replied to, or takes it away. */
  private _putReplyForm() {
    const parent = this._re ? this._by.get(this._re) : undefined;
    const article = parent && this._el(parent.id);
    let box = this._rb;
    if (box && box.previousElementSibling !== article) {
      const reply = box.previousElementSibling?.querySelector('.reply');
      if (reply) reply.ariaExpanded = 'false';
      render(nothing, box);
      box.remove();
      box = this._rb = undefined;
    }
    if (!article) return;
    if (!box) {
      article.after((box = this._rb = make('div', 'rf')));
      article.querySelector('.reply')!.ariaExpanded = 'true';
    }
    render(this._form(parent), box, { host: this });
  }

  /**
   * The rows under `parentId` at `depth`: its replies, or at the last level, every later generation in order, each
   * with the comment it answers.
   */
  private _rows(parentId: string | null, depth: number): [Comment, Comment?][] {
    const rows: [Comment, Comment?][] = [];
    const walk = (k: Comment, re?: Comment) => {
      rows.push([k, re]);
      if (depth >= MAX_DEPTH) this._kd.get(k.id)?.forEach((g) => walk(g, k));
    };
    this._kd.get(parentId)?.forEach((k) => walk(k));
    return rows;
  }

  /**
   * Brings a list up to date: items already built are kept (and moved only where something was inserted before
   * them), new ones are built. Doing this by hand rather than with a template per comment makes a thousand
   * comments three to five times cheaper to show: one clone and a few property sets each, no parts to find.
   */
  private _fill(list: HTMLOListElement, rows: [Comment, Comment?][], depth: number, f: Formatting) {
    const items = rows.map(([c, re]) => {
      let li = this._nd.get(c);
      if (!li) this._nd.set(c, (li = this._build(c, re, f)));
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
    if (c.id === this._tg) article.className = 'target';
    const [avatarClass, letters] = avatarOf(c.name);
    avatar.className = avatarClass;
    avatar.dataset.i = letters;
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
    reply.ariaLabel = t('comments.replyTo', { name: c.name });
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
