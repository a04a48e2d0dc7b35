import { LitElement, css, html, nothing, render, type PropertyValues, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DEFAULT_TIMEOUT, defaultThread, listComments } from '../client.js';
import { emit, type InkErrorInfo } from '../events.js';
import { LocaleController, describeLoadError } from '../i18n/controller.js';
import type { PluralForms, Translate } from '../i18n/index.js';
import { isHttpUrl, readComment, type Comment } from '../rules.js';
import { readJSON, writeJSON } from '../storage.js';
import { theme } from '../styles/theme.js';
import type { InkCommentForm } from './ink-comment-form.js';
import './ink-comment-form.js';

/** Levels of nesting shown; replies deeper than this line up under the last level and say whom they answer. */
const MAX_DEPTH = 3;
/** A comment awaiting moderation is shown to its author this long at most. */
const KEEP_PENDING = 30 * 86_400_000;
const REL = 'nofollow ugc noopener noreferrer';

/** What building an item needs from the render: strings, formatters and the time now. */
type Formatting = [t: Translate, rtf: Intl.RelativeTimeFormat, dtf: Intl.DateTimeFormat, now: number, reply: string];

/** Made once per rendering of the list, not per comment: making formatters costs more than using them. */
function formatting(t: Translate, lang: string): Formatting {
  return [t, new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }), new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }), Date.now(), t('comments.reply')];
}

/** Seconds per unit, largest first (object keys keep their order). */
const UNITS = Object.entries({ year: 31_536_000, month: 2_592_000, week: 604_800, day: 86_400, hour: 3_600, minute: 60 });

/** "3 hours ago"; a time ahead of the reader's clock (a skewed clock) reads "now". */
function ago(rtf: Intl.RelativeTimeFormat, seconds: number): string {
  for (const [unit, s] of UNITS) if (seconds >= s) return rtf.format(-Math.floor(seconds / s), unit as Intl.RelativeTimeFormatUnit);
  return rtf.format(0, 'second');
}

let segmenter: Intl.Segmenter | undefined;
/**
 * The first user-perceived character: a whole emoji sequence, flag, or letter with its marks. Intl.Segmenter costs
 * about 0.1 ms a call, the largest cost of showing a long thread, so it is asked only when the second code point
 * may belong to the first: a mark or other grapheme extender (joiners, tags, halfwidth kana sound marks), a flag's
 * second half, an emoji modifier, Thai or Lao AM, a Hangul vowel or final jamo. Otherwise the first code point is
 * the answer. (Checked against the Segmenter for every code point after a dozen kinds of first one: the cases left
 * out, sequences of archaic or leading jamo, do not come from a keyboard.)
 */
const firstGrapheme = (s: string) =>
  /^.[\p{Gr_Ext}\p{Mc}\p{RI}\p{EMod}\u200d\u0e33\u0eb3\u1160-\u11ff]/u.test(s)
    ? (segmenter ??= new Intl.Segmenter()).segment(s)[Symbol.iterator]().next().value!.segment
    : String.fromCodePoint(s.codePointAt(0)!);

/** Up to two initials, of the first and the last word; punctuation and bidi controls before a word are skipped. */
export function initials(name: string): string {
  // A word: from its first letter, digit or emoji to the next white space.
  const words: string[] = name.match(/[\p{L}\p{N}\p{Extended_Pictographic}\p{Regional_Indicator}]\S*/gu) ?? [];
  return (words.length > 1 ? [words[0], words.at(-1)!] : words).map(firstGrapheme).join('').toUpperCase() || '?';
}

/** A palette index (of the 8 avatar colours) from the name alone, never the email: a name always gets one colour. */
export function colourOf(name: string): number {
  let h = 0;
  // Math.imul and & read h as a 32-bit integer: the low three bits of the hash, as an unsigned modulo 8 would give.
  for (let i = 0; i < name.length; i++) h = Math.imul(h, 31) + name.charCodeAt(i);
  return h & 7;
}

const count = (s: string, c: string) => s.split(c).length - 1;
const make = <K extends keyof HTMLElementTagNameMap>(tag: K) => document.createElement(tag);

/**
 * The body: paragraphs split on blank lines, single line breaks kept, bare http(s) URLs as links. Text nodes and
 * attributes only, never markup.
 */
function fillBody(box: HTMLElement, text: string) {
  const paras = text.replace(/\r\n?/g, '\n').split(/\n[^\S\n]*\n\s*/);
  for (const para of paras) {
    const p = paras.length > 1 ? box.appendChild(make('p')) : box;
    // Text, then a line break or a URL, then text...: a URL ends before white space or a character that cannot appear
    // unescaped in one; trailing punctuation is trimmed after the match, so "see https://a.example." links without
    // its full stop.
    para.split(/(\n|https?:\/\/[^\s<>"]+)/i).forEach((s, i) => {
      if (!(i % 2)) return p.append(s);
      if (s === '\n') return p.append(make('br'));
      let url = s;
      for (let c = url.at(-1)!; '.,;:!?'.includes(c) || (c === ')' && count(url, '(') < count(url, ')')); c = url.at(-1)!) {
        url = url.slice(0, -1);
      }
      p.append(isHttpUrl(url) ? Object.assign(make('a'), { href: url, rel: REL, textContent: url }) : url, s.slice(url.length));
    });
  }
}

/** One comment's markup, made once: see `_build()`. */
let proto: HTMLTemplateElement | undefined;
/**
 * Static markup only (no user text ever goes through innerHTML), and no white space between tags: each run of it
 * would be one more node per comment. An article can take the focus (from a permalink, or once a reply is posted).
 */
const PROTO = `<li><article part="comment" tabindex="-1"><span class="av" part="avatar" aria-hidden="true"></span><div class="hd"><a class="au" part="author" dir="auto" rel="${REL}"></a><a><time part="time"></time></a></div><div class="body" part="body" dir="auto"></div><button class="secondary reply" part="reply button" aria-expanded="false"></button></article></li>`;

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
        grid-template-columns: 2.25rem 1fr;
        column-gap: .75rem;
        padding: .5rem;
        border-radius: var(--_radius);
      }
      article > * {
        grid-column: 2;
      }
      .av {
        grid-area: 1/1/span 3;
        display: grid;
        place-items: center;
        block-size: 2.25rem;
        border-radius: 50%;
        color: #fff;
        font-size: .875rem;
      }
      .av,
      .au {
        font-weight: 600;
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
      /* The header's links (author, time, "in reply to") flow as text, a gap apart. */
      .hd a+a {
        margin-inline-start: .75rem;
      }
      .au:not([href]) {
        color: inherit;
      }
      .hd a+a,
      .note {
        color: var(--_muted);
        font-size: .875em;
      }
      p {
        margin: 0 0 .75em;
      }
      .reply {
        justify-self: start;
        border-color: transparent;
        margin-inline-start: -.875rem;
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
  private _n!: number;
  /** The next page's cursor. */
  private _cur!: string | null;
  /** The request in flight. Once the first page is in (`ready`), it can only be a "Load more". */
  private _ac?: AbortController;
  private _io?: IntersectionObserver;
  /** The comment a permalink points at. */
  private _tg?: string;
  /** The list items built so far, by comment; a new object (the server's copy of a local comment) gets a new one. */
  private _nd!: WeakMap<Comment, HTMLLIElement>;
  /** The language and overrides the list items were built with. */
  private _bw?: string;
  /** The comments changed since the list was last brought up to date. */
  private _dy?: boolean;
  /** Holds the open reply form, right after the article replied to. */
  private _rb?: HTMLDivElement;
  /** The form has been shown: it stays through a reload (another sort or thread), with what was typed in it. */
  private _fs?: boolean;

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
    // A "Load more" cut short must not leave the button busy (`_io` is reset by the restart on reconnection).
    this._ac = undefined;
  }

  override willUpdate(changed: PropertyValues<this>) {
    // A lazy element still waiting (`_io`) that turns eager loads at once.
    if (['endpoint', 'thread', 'sort', 'pageSize'].some((k) => changed.has(k as 'endpoint')) || (changed.has('loading') && this._io)) this._start();
  }

  override updated() {
    const list = this.renderRoot.querySelector<HTMLOListElement>('.list');
    const built = this._l.lang + JSON.stringify(this.strings);
    if (built !== this._bw) {
      // Another language or other strings: every item says "Reply" and its times differently.
      this._bw = built;
      this._nd = new WeakMap();
      this._dy = true;
    }
    // (A new <ol> only ever comes with new comments, so `_dy` covers it.)
    if (list && this._dy) {
      this._dy = false;
      this._fill(list, null, 1, formatting(this._l.t, this._l.lang));
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
    this._sv = [];
    this._th = this.thread || defaultThread();
    const eager = this.endpoint && this.isConnected && this.loading !== 'lazy';
    // The request first: the first read of localStorage in a page takes milliseconds.
    if (eager) void this._load();
    this._lc = this._kept().filter((c) => Date.now() - Date.parse(c.createdAt) < KEEP_PENDING);
    this._index();
    if (eager || !this.endpoint || !this.isConnected) return;
    (this._io = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this._io!.disconnect();
        this._io = undefined;
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
    const t = this._l.t;
    const ac = (this._ac = new AbortController());
    this._err = undefined;
    this._msg = t('comments.loading');
    let err: unknown;
    const page = await listComments(
      this.endpoint,
      { thread: this._th, sort: this.sort, limit: Math.min(Math.max(this.pageSize | 0 || 50, 1), 1000), cursor },
      { signal: ac.signal, timeout: this.timeout },
    ).catch((e) => void (err = e));
    // Superseded (another load, a reset) or cancelled (removed from the page).
    if (ac !== this._ac) return;
    this._ac = undefined;
    if (!page) {
      if (!cursor) this._st = 'error';
      this._msg = '';
      emit(this, 'ink-error', { error: (this._err = describeLoadError(t, err)) });
      return;
    }
    const n = page.comments.length;
    const ids = new Set(page.comments.map((c) => c.id));
    const unlisted = (c: Comment) => !ids.has(c.id);
    // (`_start()` emptied it before the first page.)
    this._sv = this._sv.concat(page.comments);
    this._lc = this._lc.filter(unlisted);
    // A pending comment the server now lists was published: the copy kept for its author has done its job.
    this._kept(this._kept().filter(unlisted));
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
    this._sv.concat(this._lc).forEach((c, i) => {
      if (byId.has(c.id)) return;
      byId.set(c.id, c);
      const list: Comment[] = kids.get(c.parentId) ?? kids.set(c.parentId, []).get(c.parentId);
      // A new (local) top-level comment goes where its sort order puts it: first for newest, last for oldest.
      if (i >= this._sv.length && this.sort === 'newest' && !c.parentId) list.unshift(c);
      else list.push(c);
    });
    this._dy = true;
    this.requestUpdate();
  }

  /**
   * The comments of this thread that the server answered `pending` for, kept in this browser for their author;
   * with a list, replaces them.
   */
  private _kept(list?: Comment[]): Comment[] {
    const key = `inkwell:pending:${JSON.stringify([this.endpoint, this._th])}`;
    if (list) writeJSON('local', key, list[0] ? list : undefined);
    // Stored text is untrusted: whatever is not a pending Comment is dropped (and any field a Comment lacks).
    return ([] as unknown[]).concat(readJSON('local', key) ?? []).map(readComment).filter((c) => c?.status === 'pending') as Comment[];
  }

  private _title() {
    return this._l.t(this._st !== 'ready' ? 'comments.label' : this._n ? 'comments.count' : 'comments.none', { n: this._n });
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
      // Seeks through the first thousand comments at most: a permalink to a deleted comment must not load them all.
      if (this._cur && !this._ac && this._sv.length < 1000) void this._load(this._cur);
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
    if (user) el.focus({ preventScroll: true });
  }

  /** The rendered comment with this id. */
  private _el(id?: string) {
    return (this.renderRoot as ShadowRoot).getElementById(`comment-${id}`);
  }

  private _onHash = () => void this._goto(true);

  /** One listener for every Reply button and permalink of the list, rather than one per comment. */
  private _onClick(e: Event) {
    const el = (e.target as Element).closest('.reply,[href^="#comment-"]');
    if (!el) return;
    if (el.localName === 'button') return this._openReply(el.closest('article')!.id.slice(8));
    // Set the page's own hash: a fragment link resolves against a <base href>, which may be another page.
    e.preventDefault();
    const { hash } = el as HTMLAnchorElement;
    if (location.hash === hash) void this._goto(true);
    else location.hash = hash;
  }

  private async _openReply(id: string) {
    this._re = id;
    await this.updateComplete;
    const form = this._rb?.firstElementChild as InkCommentForm | undefined;
    await form?.updateComplete;
    form?.focus();
  }

  private async _cancelReply() {
    const id = this._re;
    this._re = undefined;
    await this.updateComplete;
    this._el(id)?.querySelector<HTMLElement>('.reply')?.focus();
  }

  /** The form's comment, shown at once where it belongs; one awaiting moderation is also kept for its author. */
  private async _onPosted(e: CustomEvent<{ comment: unknown }>) {
    const c = readComment(e.detail?.comment);
    if (!c || this._by.has(c.id)) return;
    const pending = c.status === 'pending';
    this._lc.push(c);
    if (pending) this._kept(this._kept().concat(c));
    else this._n++;
    this._index();
    this._re = undefined;
    this._msg = this._l.t(pending ? 'form.pending' : 'form.posted');
    await this.updateComplete;
    // The reply form is gone with the focus it held: put the focus on what it produced.
    // (Only a reply form posts a comment with a parent.)
    if (c.parentId) this._el(c.id)?.focus();
  }

  /** Load more, or Retry: loads the next page (unless it is on its way), or the first one again. */
  private _next() {
    if (this._st !== 'ready') this._start();
    else if (!this._ac) void this._load(this._cur);
  }

  override render() {
    const t = this._l.t;
    const { _st: st, _err: err, endpoint } = this;
    const top = this._kd.get(null);
    const alert = endpoint ? err && t('comments.loadError', { message: err.message }) : t('comments.noEndpoint');
    // The items of the list are built in updated(), not by this template: see _fill(). The form comes with the
    // comments (or their error), not under the skeleton, where it would move down as they arrive.
    return html`<section aria-labelledby="heading" dir=${this._l.dir} @click=${this._onClick} @ink-posted=${this._onPosted}>
      <h2 id="heading" part="title">${this._title()}</h2>
      <p role="status" class="visually-hidden">${this._msg}</p>
      ${st === 'ready'
        ? top
          ? html`<ol class="list ${top.length > 20 ? 'long' : ''}" aria-labelledby="heading"></ol>`
          : html`<p>${t('comments.empty')}</p>`
        : st === 'loading'
          ? html`<div class="sk" aria-hidden="true"></div>`
          : nothing}
      ${alert
        ? html`<p class="error" part="error" role="alert">
            ${alert} ${endpoint ? html`<button part="button" @click=${this._next}>${t('form.retry')}</button>` : nothing}
          </p>`
        : nothing}
      ${st === 'ready' && this._cur
        ? html`<button part="button" class="secondary" aria-disabled=${!!this._ac} @click=${this._next}>${t('comments.loadMore')}</button>`
        : nothing}
      ${endpoint && (this._fs ||= st !== 'loading') ? this._form() : nothing}
    </section>`;
  }

  /** The bottom form (hidden, not removed, while a reply form is open, so what was typed in it stays) or a reply form. */
  private _form(parent?: Comment): TemplateResult {
    const t = this._l.t;
    return html`<ink-comment-form
      exportparts="heading:form-heading,form,field,label,input,button,error,status,note"
      endpoint=${this.endpoint}
      thread=${this._th}
      parent=${ifDefined(parent?.id)}
      heading=${parent ? t('form.headingReply', { name: parent.name }) : ''}
      heading-level="3"
      timeout=${this.timeout}
      theme=${this.theme}
      .strings=${this.strings}
      ?hidden=${!parent && !!this._re}>${parent
        ? html`<button slot="actions" type="button" part="button" class="secondary" @click=${this._cancelReply}>${t('form.cancelReply')}</button>`
        : nothing}</ink-comment-form>`;
  }

  /** Puts the reply form (rendered by lit into a box of its own) under the comment replied to, or takes it away. */
  private _putReplyForm() {
    const article = this._el(this._re);
    let box = this._rb;
    if (box && box.previousElementSibling !== article) {
      const reply = box.previousElementSibling?.querySelector('.reply');
      if (reply) reply.ariaExpanded = 'false';
      box.remove();
      box = this._rb = undefined;
    }
    if (!article) return;
    if (!box) {
      article.after((box = this._rb = Object.assign(make('div'), { className: 'rf' })));
      article.querySelector('.reply')!.ariaExpanded = 'true';
    }
    render(this._form(this._by.get(this._re!)), box, { host: this });
  }

  /**
   * Brings the list of the replies to `parentId` (null: top level) at `depth` up to date; at the last level it holds
   * every later generation in order, each saying whom it answers. Items already built are kept (put back in order,
   * with what they hold: an open reply form keeps its text), new ones are built. Doing this by hand rather than with
   * a template per comment makes a thousand comments three to five times cheaper to show: one clone and a few
   * property sets each, no parts to find.
   */
  private _fill(list: HTMLElement, parentId: string | null, depth: number, f: Formatting) {
    const items: HTMLLIElement[] = [];
    const walk = (c: Comment, re?: Comment) => {
      let li = this._nd.get(c);
      if (!li) this._nd.set(c, (li = this._build(c, re, f)));
      items.push(li);
      if (depth >= MAX_DEPTH) this._kd.get(c.id)?.forEach((g) => walk(g, c));
      else if (this._kd.has(c.id)) {
        let sub = li.lastElementChild as HTMLElement;
        if (sub.localName !== 'ol') sub = li.appendChild(make('ol'));
        this._fill(sub, c.id, depth + 1, f);
      }
    };
    this._kd.get(parentId)?.forEach((c) => walk(c));
    list.replaceChildren(...items);
  }

  /** One comment's list item: a clone of `PROTO` (thirteen nodes), filled through DOM properties, so any text stays text. */
  private _build(c: Comment, re: Comment | undefined, [t, rtf, dtf, now, word]: Formatting): HTMLLIElement {
    proto ??= Object.assign(make('template'), { innerHTML: PROTO });
    const li = proto.content.firstChild!.cloneNode(true) as HTMLLIElement;
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
    avatar.className = `av a${colourOf(c.name)}`;
    avatar.dataset.i = initials(c.name);
    author.textContent = c.name;
    if (c.website) author.href = c.website;
    link.href = '#' + article.id;
    time.dateTime = c.createdAt;
    time.title = dtf.format(at);
    time.textContent = ago(rtf, (now - at) / 1000);
    if (re) head.append(Object.assign(make('a'), { href: `#comment-${re.id}`, textContent: t('comments.inReplyTo', { name: re.name }) }));
    fillBody(body, c.body);
    reply.textContent = word;
    reply.ariaLabel = t('comments.replyTo', { name: c.name });
    if (c.status === 'pending') {
      // Nobody can reply to a comment the server has not published.
      article.className += ' pending';
      reply.replaceWith(Object.assign(make('p'), { className: 'note', textContent: t('form.pending') }));
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
