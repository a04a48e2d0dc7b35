import { LitElement, css, html, nothing, unsafeCSS, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { DEFAULT_TIMEOUT, endpointUrl, fetchArticle, InkClientError } from '../client.js';
import { emit, type InkErrorInfo } from '../events.js';
import { LocaleController } from '../i18n/controller.js';
import type { PluralForms } from '../i18n/index.js';
import { loadMarkdown, loadSanitizer } from '../lazy.js';
import { readArticle, type ArticleFormat, type ParsedArticle } from '../rules.js';
import type { Article } from '../schema.js';
import { theme } from '../styles/theme.js';

/**
 * Reading typography under `s`. Written once and used twice: in the shadow root for bodies the element renders,
 * and in a sheet adopted by the page for light-DOM markup, which shadow CSS reaches only one level deep
 * (`::slotted`). `:where()` keeps the page sheet at zero specificity, so any rule of the site's own wins.
 */
const typography = (s: string) => `
${s}{overflow-wrap:break-word}
${s}>:first-child{margin-block-start:0}
${s} :where(h1,h2,h3,h4,h5,h6){margin-block:1.6em .5em;line-height:1.25;text-wrap:balance}
${s} :where(h1){font-size:1.6em}
${s} :where(h2){font-size:1.35em}
${s} :where(h3){font-size:1.15em}
${s} :where(h4,h5,h6){font-size:1em}
${s} :where(p,ul,ol,dl,blockquote,pre,figure,table,hr,details){margin-block:0 1em}
${s} :where(ul,ol){padding-inline-start:1.5em}
${s} :where(li+li){margin-block-start:.25em}
${s} :where(blockquote){margin-inline:0;padding-inline-start:1em;border-inline-start:3px solid var(--_border);color:var(--_muted)}
${s} :where(code,kbd,samp,pre){font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
${s} :where(:not(pre)>code){padding:.1em .3em;border-radius:var(--_radius);background:var(--_surface)}
${s} :where(pre){padding:.75em 1em;overflow-x:auto;border-radius:var(--_radius);background:var(--_surface);line-height:1.45}
${s} :where(img,video,canvas,svg,math){max-inline-size:100%}
${s} :where(img,video,canvas){block-size:auto}
${s} :where(figure){margin-inline:0}
${s} :where(figcaption){color:var(--_muted);font-size:.9em}
${s} :where(table){display:block;max-inline-size:100%;overflow-x:auto;border-collapse:collapse}
${s} :where(th,td){padding:.4em .75em;border-block-end:1px solid var(--_border);text-align:start}
${s} :where(th){white-space:nowrap}
${s} :where(hr){border:0;border-block-start:1px solid var(--_border);margin-block:2em}
${s} :where(a){color:var(--_accent);text-underline-offset:.15em}
`;

const lightSheet = unsafeCSS(typography(':where(ink-article)'));

// Chinese and Japanese run words together: two characters count as a word.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;

/** Minutes to read `text` at 230 words a minute, rounded up; 0 for no words at all. */
export function readingMinutes(text: string): number {
  const words = (text.match(CJK)?.length ?? 0) / 2 + (text.replace(CJK, ' ').match(/\S*[\p{L}\p{N}]\S*/gu)?.length ?? 0);
  return words && Math.max(1, Math.ceil(words / 230));
}

const hasContent = (el: Element) =>
  [...el.childNodes].some((n) => n.nodeType === Node.ELEMENT_NODE || (n.nodeType === Node.TEXT_NODE && n.textContent!.trim()));

/**
 * An article: title, byline, reading time and body, typeset for reading.
 *
 * Content, first found wins: light-DOM children (kept in the page for search engines and reader modes, shown
 * through the slot with the element's typography); the `.article` property; the Article JSON at `src`.
 *
 * @summary A readable article from the page's markup, an Article object or a JSON URL.
 * @slot - The site's own article markup. When present it is the whole article: no header is added, nothing is
 *   fetched. Its typography comes from a small sheet adopted by the page (selectors under `:where(ink-article)`,
 *   zero specificity, so the site's own rules win), since shadow CSS cannot reach nested light-DOM markup.
 * @csspart article - The wrapper of everything.
 * @csspart header - Title, byline and lead image.
 * @csspart title - The title (a heading of level `heading-level`).
 * @csspart byline - Author, dates and reading time.
 * @csspart time - The published and updated dates.
 * @csspart image - The lead image.
 * @csspart body - The article text (or the slot).
 * @csspart status - The loading message.
 * @csspart error - What failed, when the article cannot be shown.
 * @cssprop --ink-max-width - The reading measure (default 42rem).
 * @cssprop --ink-font-family - The font (default: the page's).
 * @cssprop --ink-color-text - Text colour.
 * @cssprop --ink-color-muted - Byline, quotes and captions.
 * @cssprop --ink-color-surface - Background of code.
 * @cssprop --ink-color-border - Rules, quote bars and table lines.
 * @cssprop --ink-color-accent - Links.
 * @cssprop --ink-color-danger - The error message.
 * @fires ink-loaded - The article is in place; detail `{ total: 1, count: 1 }`.
 * @fires ink-error - `src` could not be loaded, or `.article` is not valid; detail `{ error: { code, message, status? } }`.
 */
export class InkArticle extends LitElement {
  // Byline: every item opens with a separator; the first of each line sits in the negative margin and is clipped,
  // so a wrapped byline never starts a line with a dot.
  // `.own` (bodies the element renders): sanitised HTML cannot style itself (no style, class or part survives), and
  // `contain: paint` is the backstop that keeps whatever lays out oddly inside the box; the clip margin keeps the
  // focus rings of links at the edge whole. Light-DOM bodies are the site's and are not clipped.
  static override styles = [
    theme,
    css`
      [part='header'] {
        margin-block-end: calc(var(--_space) * 1.5);
      }
      [part='title'] {
        margin-block: 0 0.4em;
        font-size: clamp(1.75em, 1.3em + 1.6vw, 2.5em);
        font-weight: 700;
        line-height: 1.15;
        text-wrap: balance;
      }
      [part='byline'] {
        margin: 0;
        overflow: hidden;
        color: var(--_muted);
        font-size: 0.9em;
      }
      [part='byline'] > span {
        display: flex;
        flex-wrap: wrap;
        margin-inline-start: -1em;
      }
      [part='byline'] > span > *::before {
        content: '·' / '';
        display: inline-block;
        inline-size: 1em;
        text-align: center;
      }
      [part='image'] {
        display: block;
        inline-size: 100%;
        block-size: auto;
        margin-block-start: var(--_space);
        border-radius: var(--_radius);
      }
      [part='status'],
      .empty {
        color: var(--_muted);
      }
      [part='error'] {
        margin-block: var(--_space);
        padding-inline-start: 0.75em;
        border-inline-start: 3px solid var(--_danger);
        color: var(--_danger);
      }
      .own {
        contain: paint;
        overflow-clip-margin: 4px;
      }
    `,
    unsafeCSS(typography('.body')),
  ];

  /** URL of an Article JSON, fetched once, when there is no light-DOM content and no `.article`. */
  @property() src = '';
  /** The article (wire format, read with the shared rules, as `ArticleSchema` states them); wins over `src`. */
  @property({ attribute: false }) article?: Article | null;
  /** Overrides the article's own body format: `text`, `html` or `markdown`. Unset: the article's (default `text`). */
  @property() format?: ArticleFormat;
  /** Level of the title heading, 1 to 6. */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 1;
  /** Milliseconds before a `src` request is given up. */
  @property({ type: Number }) timeout = DEFAULT_TIMEOUT;
  /** `auto` follows `prefers-color-scheme`; `light` or `dark` force one. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';
  /** UI language of the byline and messages; default: the nearest ancestor's `lang`, else `en`. */
  @property({ reflect: true }) override lang!: string;
  /** Overrides of any UI string, by key. */
  @property({ attribute: false }) strings?: Partial<Record<string, string | PluralForms>>;

  /** Light-DOM content is present and is the article. */
  @state() private _light = false;
  /** The article fetched from `src`. */
  @state() private _fetched?: ParsedArticle;
  @state() private _loading = false;
  /** What failed, in the reader's language. */
  @state() private _error = '';
  /** Sanitised HTML of the current html/markdown body, once converted. */
  @state() private _html?: string;

  private _l = new LocaleController(this);
  /** `.article`, parsed. */
  private _parsed?: ParsedArticle;
  /** Why `.article` is not valid, in the reader's language. */
  private _invalid = '';
  /** The `src` fetched or being fetched, so that it is fetched once. */
  private _src?: string;
  private _abort?: AbortController;
  /** Format and body that `_html` is (or is being) made from. */
  private _htmlOf?: string;
  /** What `ink-loaded` was last fired for. */
  private _shown?: unknown;

  override connectedCallback() {
    super.connectedCallback();
    // Before the first render, so that an article in the page's markup never triggers a fetch.
    this._light = hasContent(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    if (this._abort) {
      this._abort.abort();
      this._abort = this._src = undefined;
      this._loading = false;
    }
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('article')) {
      this._error = '';
      const a = this.article as Record<string, unknown> | null | undefined;
      this._parsed = a == null ? undefined : readArticle(a);
      const bad = a != null && !this._parsed;
      // Name the required fields that are wrong; any other wrong field is named generically.
      const fields = bad && ['title', 'body'].filter((k) => typeof a?.[k] !== 'string').join(', ');
      this._invalid = bad ? this._l.t('article.invalid', { fields: fields || 'author, dates, format, image' }) : '';
      if (this._invalid && !this._light) emit(this, 'ink-error', { error: { code: 'invalid_article', message: this._invalid } });
    }
    if (this._light) {
      const root = this.getRootNode() as Document | ShadowRoot;
      if (root.adoptedStyleSheets && !root.adoptedStyleSheets.includes(lightSheet.styleSheet!)) {
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, lightSheet.styleSheet!];
      }
      return;
    }
    if (this.article == null && this.src && this.src !== this._src && this.isConnected) void this._load(this.src);
    const a = this._current();
    const format = a && this._format(a);
    const of = format !== 'text' && a ? `${format}\n${a.body}` : undefined;
    if (of !== this._htmlOf) {
      this._htmlOf = of;
      this._html = undefined;
      if (of) void this._convert(format!, a!.body, of);
    }
  }

  override updated() {
    const a = this._current();
    const shown = this._light ? this : a && (this._format(a) === 'text' || this._html !== undefined) ? a : undefined;
    if (shown && shown !== this._shown) emit(this, 'ink-loaded', { total: 1, count: 1 });
    this._shown = shown;
  }

  private _onSlotChange() {
    this._light = hasContent(this);
  }

  /** The article to render: light DOM wins, then `.article`, then what `src` gave. */
  private _current() {
    return this._light ? undefined : this.article != null ? this._parsed : this._fetched;
  }

  private _format(a: ParsedArticle): ArticleFormat {
    return this.format === 'html' || this.format === 'markdown' || this.format === 'text' ? this.format : a.format;
  }

  private async _load(src: string) {
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    this._src = src;
    this._loading = true;
    this._error = '';
    this._fetched = undefined;
    try {
      this._fetched = await fetchArticle(src, { timeout: this.timeout, signal: abort.signal });
    } catch (e) {
      if (!abort.signal.aborted) this._fail(this._describe(e, src));
    }
    if (this._abort !== abort) return;
    this._loading = false;
    this._abort = undefined;
  }

  /** Loads the sanitiser (and marked) on first need, so that pages with only text articles never download them. */
  private async _convert(format: ArticleFormat, body: string, of: string) {
    try {
      const html = format === 'markdown' ? (await loadMarkdown()).markdownToHtml(body) : (await loadSanitizer()).sanitize(body);
      if (this._htmlOf === of) this._html = html;
    } catch {
      if (this._htmlOf === of) this._fail({ code: 'module', message: this._l.t('article.noRenderer', { format }) });
    }
  }

  /** A failed `src` in words that name what failed: the status, the URL, or the shape of the answer. */
  private _describe(e: unknown, src: string): InkErrorInfo {
    const t = this._l.t;
    let url = src;
    try {
      url = endpointUrl(src);
    } catch {
      // Not a URL at all: the message quotes it as written.
    }
    if (!(e instanceof InkClientError)) return { code: 'network', message: t('article.error', { message: t('article.network', { url }) }) };
    const { kind, status, code } = e;
    const key =
      kind === 'network' || kind === 'timeout'
        ? `article.${kind}`
        : kind === 'bad_response'
          ? // The transport reports an answer that is not JSON with its status, one of the wrong shape without.
            status
            ? 'article.notJson'
            : 'article.badShape'
          : status === 404 || status === 410
            ? 'article.notFound'
            : 'article.status';
    const message = t('article.error', { message: t(key, { url, status, n: this.timeout / 1000 }) });
    return status === undefined ? { code, message } : { code, message, status };
  }

  private _fail(error: InkErrorInfo) {
    this._error = error.message;
    emit(this, 'ink-error', { error });
  }

  override render() {
    const a = this._current();
    const t = this._l.t;
    const error = this._light ? '' : this._invalid || this._error;
    const busy = !this._light && !error && (this._loading || (a && this._format(a) !== 'text' && this._html === undefined));
    return html`<div part="article" role=${a ? 'article' : nothing} aria-labelledby=${a ? 'title' : nothing}>
      ${a ? this._header(a) : nothing}
      <div part="status" role="status">${busy ? t('article.loading') : nothing}</div>
      ${error ? html`<p part="error" role="alert">${error}</p>` : nothing}
      <div part="body" class=${a ? 'body own' : 'body'}>${a ? this._body(a) : nothing}<slot @slotchange=${this._onSlotChange}></slot></div>
    </div>`;
  }

  private _header(a: ParsedArticle) {
    const { t, lang } = this._l;
    const time = (iso: string, key: string) =>
      html`<time part="time" datetime=${iso}>${t(key, { date: new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(new Date(iso)) })}</time>`;
    const format = this._format(a);
    // Tags are not words; the sanitiser is not needed to count them away.
    const minutes = readingMinutes(format === 'text' ? a.body : a.body.replace(/<[^>]*>/g, ' '));
    const level = Math.min(6, Math.max(1, Math.trunc(this.headingLevel) || 1));
    const byline = [
      a.author && html`<span>${t('article.by', { author: a.author })}</span>`,
      a.publishedAt && time(a.publishedAt, 'article.published'),
      a.updatedAt && a.updatedAt !== a.publishedAt && time(a.updatedAt, 'article.updated'),
      minutes && html`<span>${t('article.readingTime', { n: minutes })}</span>`,
    ].filter(Boolean);
    return html`<header part="header">
      <div part="title" id="title" role="heading" aria-level=${level}>${a.title}</div>
      ${byline.length ? html`<p part="byline"><span>${byline}</span></p>` : nothing}
      ${a.image ? html`<img part="image" src=${a.image.src} alt=${a.image.alt} decoding="async" />` : nothing}
    </header>`;
  }

  private _body(a: ParsedArticle) {
    const empty = html`<p class="empty">${this._l.t('article.empty')}</p>`;
    if (this._format(a) === 'text') {
      // Paragraphs on blank lines; a single newline inside one is a line break the author meant.
      const paragraphs = a.body.replace(/\r\n?/g, '\n').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
      if (!paragraphs.length) return empty;
      return paragraphs.map((p) => html`<p>${p.split('\n').map((line, i) => (i ? [html`<br />`, line] : line))}</p>`);
    }
    if (this._html === undefined) return nothing;
    // A body of tags alone (or of nothing the sanitiser kept) would be a blank box.
    if (!this._html.replace(/<[^>]*>/g, '').trim() && !/<(img|svg|video|audio|picture|math|hr)\b/i.test(this._html)) return empty;
    // The one unsafeHTML in Inkwell: `_html` is the output of sanitize.ts (DOMPurify under our stricter policy),
    // directly for html or through markdown.ts for markdown; nothing else is ever assigned to it.
    return unsafeHTML(this._html);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ink-article': InkArticle;
  }
}

if (!customElements.get('ink-article')) customElements.define('ink-article', InkArticle);
