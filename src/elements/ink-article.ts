import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { DEFAULT_TIMEOUT, endpointUrl, fetchArticle, type InkClientError } from '../client.js';
import { emit } from '../events.js';
import { LocaleController } from '../i18n/controller.js';
import type { PluralForms } from '../i18n/index.js';
import { loadMarkdown, loadSanitizer } from '../lazy.js';
import { readArticle, type ArticleFormat, type ParsedArticle } from '../rules.js';
import type { Article } from '../schema.js';
import { theme } from '../styles/theme.js';

/**
 * Reading typography, as the contents of one nested rule: written once and used twice, under `.own` in the shadow
 * root for bodies the element renders, and under `:where(ink-article)` in a sheet adopted by the page for light-DOM
 * markup, which shadow CSS reaches only one level deep (`::slotted`). `:where()` keeps the page sheet at zero
 * specificity, so any rule of the site's own wins. The rules share one specificity, so a later one overrides an
 * earlier one (the heading sizes).
 */
const typography = css`
  > :first-child {
    margin-block-start: 0;
  }
  :where(h1, h2, h3, h4, h5, h6) {
    margin-block: 1.6em .5em;
    line-height: 1.25;
    text-wrap: balance;
  }
  :where(h1) {
    font-size: 1.6em;
  }
  :where(h2) {
    font-size: 1.35em;
  }
  /* h3 and h4 keep the browser's sizes (1.17em, 1em); h5 and h6 would be smaller than the text. */
  :where(h5, h6) {
    font-size: 1em;
  }
  :where(p, ul, ol, dl, blockquote, pre, figure, table, hr, details) {
    margin: 0 0 1em;
  }
  :where(ul, ol) {
    padding-inline-start: 1.5em;
  }
  :where(li + li) {
    margin-block-start: .25em;
  }
  :where(blockquote) {
    padding-inline-start: 1em;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
  }
  :where(code, kbd, samp, pre) {
    font-family: ui-monospace, Menlo, Consolas, monospace;
    font-size: .9em;
  }
  :where(pre, :not(pre) > code) {
    padding: .1em .3em;
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  :where(pre) {
    padding: .75em 1em;
    overflow-x: auto;
    line-height: 1.45;
  }
  :where(img, video, canvas, svg, math) {
    max-inline-size: 100%;
  }
  /* Not svg: its width and height attributes are its size. */
  :where(img, video, canvas) {
    block-size: auto;
  }
  :where(figcaption) {
    color: var(--_muted);
    font-size: .9em;
  }
  :where(table) {
    display: block;
    max-inline-size: 100%;
    overflow-x: auto;
    border-collapse: collapse;
  }
  :where(th, td) {
    padding: .4em .75em;
    border-block-end: 1px solid var(--_border);
    text-align: start;
  }
  :where(hr) {
    border: 0;
    border-block-start: 1px solid var(--_border);
    margin-block: 2em;
  }
  :where(a) {
    color: var(--_accent);
  }
`;

const lightSheet = css`:where(ink-article){${typography}}`;

// Tags are not words, nor text: a body of tags alone is empty.
const TAGS = /<[^>]*>/g;

// Chinese and Japanese run words together: two characters count as a word.
const CJK = /[\p{sc=Han}\p{sc=Hira}\p{sc=Kana}]/gu;

/** Minutes to read `text` at 230 words a minute, rounded up; 0 for no words at all. */
export function readingMinutes(text: string): number {
  const words = (text.match(CJK)?.length ?? 0) / 2 + (text.replace(CJK, ' ').match(/\S*[\p{L}\p{N}]\S*/gu)?.length ?? 0);
  return words && Math.max(1, Math.ceil(words / 230));
}

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
      header {
        margin-block-end: calc(var(--_space) * 1.5);
      }
      #title {
        margin-block: 0 .4em;
        font-size: clamp(1.75em, 1.3em + 1.6vw, 2.5em);
        font-weight: 700;
        line-height: 1.15;
        text-wrap: balance;
      }
      [part=byline] {
        margin: 0;
        overflow: hidden;
        font-size: .9em;
        > span {
          display: flex;
          flex-wrap: wrap;
          margin-inline-start: -1em;
          > *::before {
            content: '·' / '';
            display: inline-block;
            inline-size: 1em;
            text-align: center;
          }
        }
      }
      [part=byline],
      [part=status],
      .empty {
        color: var(--_muted);
      }
      [part=image] {
        display: block;
        inline-size: 100%;
        block-size: auto;
        margin-block-start: var(--_space);
        border-radius: var(--_radius);
      }
      [part=error] {
        margin-block: var(--_space);
        padding-inline-start: .75em;
        border-inline-start: 3px solid var(--_danger);
        color: var(--_danger);
      }
      .own {
        contain: paint;
        overflow-clip-margin: 4px;
        ${typography}
      }
    `,
  ];

  // Declared here rather than with decorators: the decorator helper and calls cost a tenth of this file. The
  // fields below carry the documentation.
  static override properties = {
    src: {},
    article: { attribute: false },
    format: {},
    headingLevel: { attribute: 'heading-level', type: Number },
    timeout: { type: Number },
    theme: { reflect: true },
    lang: { reflect: true },
    strings: { attribute: false },
    _light: { state: true },
    _got: { state: true },
    _err: { state: true },
    _h: { state: true },
  };

  /** URL of an Article JSON, fetched once, when there is no light-DOM content and no `.article`. */
  src = '';
  /** The article (wire format, read with the shared rules, as `ArticleSchema` states them); wins over `src`. */
  article?: Article | null;
  /** Overrides the article's own body format: `text`, `html` or `markdown`. Unset: the article's (default `text`). */
  format?: ArticleFormat;
  /** Level of the title heading (attribute `heading-level`), 1 to 6. */
  headingLevel = 1;
  /** Milliseconds before a `src` request is given up. */
  timeout = DEFAULT_TIMEOUT;
  /** `auto` follows `prefers-color-scheme`; `light` or `dark` force one. Reflected. */
  theme: 'auto' | 'light' | 'dark' = 'auto';
  /** UI language of the byline and messages; default: the nearest ancestor's `lang`, else `en`. Reflected. */
  override lang!: string;
  /** Overrides of any UI string, by key. */
  strings?: Partial<Record<string, string | PluralForms>>;

  /** Light-DOM content is present and is the article. */
  private _light?: boolean;
  /** The article fetched from `src`. */
  private _got?: ParsedArticle;
  /** What failed (an invalid `.article`, `src`, a renderer that did not load), in the reader's language. */
  private _err?: string;
  /** Sanitised HTML of the current html/markdown body, once converted. */
  private _h?: string;

  private _l = new LocaleController(this);
  /** `.article`, parsed. */
  private _art?: ParsedArticle | null;
  /** The `src` fetched or being fetched: fetched once, and an answer for an older `src` is dropped. */
  private _src?: string;
  /** The article shown (derived in `willUpdate`): light DOM wins, then `.article`, then what `src` gave. */
  private _a?: ParsedArticle | null;
  /** Format and body that `_h` is (or is being) made from; unset for a text body. */
  private _of?: string;
  /** What `ink-loaded` was last fired for. */
  private _shown?: unknown;

  override connectedCallback() {
    super.connectedCallback();
    // Before the first render, so that an article in the page's markup never triggers a fetch.
    this._see();
  }

  override willUpdate(changed: PropertyValues<this>) {
    const { article, format: f } = this;
    if (changed.has('article')) {
      this._art = article && readArticle(article);
      this._err = undefined;
      if (article && !this._art && !this._light) {
        // Name the required fields that are wrong; any other wrong field is named generically.
        const fields = ['title', 'body'].filter((k) => typeof (article as Record<string, unknown>)[k] != 'string').join(', ');
        this._fail('invalid_article', 'invalid', { fields: fields || 'author, dates, format, image' });
      }
    }
    if (!this._light && !article && this.src && this.src != this._src) void this._load(this.src);
    const a = (this._a = this._light ? undefined : article ? this._art : this._got);
    const format = a && (f == 'text' || f == 'html' || f == 'markdown' ? f : a.format);
    const of = a && format != 'text' ? `${format}\n${a.body}` : undefined;
    if (of != this._of) {
      this._of = of;
      this._h = undefined;
      // The sanitiser (and marked) load on first need, so that pages with only text articles never download them.
      if (of)
        (format == 'markdown' ? loadMarkdown().then((m) => m.markdownToHtml(a!.body)) : loadSanitizer().then((m) => m.sanitize(a!.body))).then(
          (html) => this._of == of && (this._h = html),
          () => this._of == of && this._fail('module', 'noRenderer', { format }),
        );
    }
  }

  override updated() {
    const shown = this._light ? this : (!this._of || this._h !== undefined) && this._a;
    if (shown && shown != this._shown) emit(this, 'ink-loaded', { total: 1, count: 1 });
    this._shown = shown;
  }

  /**
   * Light DOM is the article when it holds an element or text (comments and whitespace do not count); its
   * typography is then a sheet adopted by the root the element is in.
   */
  private _see() {
    // Connected here (connectedCallback, slotchange), so the root is the document or a shadow root; the sheet is
    // undefined where Lit falls back to <style> (no constructable sheets).
    const root = this.getRootNode() as Document;
    const sheet = lightSheet.styleSheet;
    if ((this._light = !!(this.childElementCount || this.textContent!.trim())) && sheet && !root.adoptedStyleSheets.includes(sheet))
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }

  /**
   * Fetches `src`; a failure names what failed: the status, the URL, or the shape of the answer. Not aborted on
   * disconnect: the timeout bounds it, and an element put back in the page then shows the answer.
   */
  private async _load(src: string) {
    this._src = src;
    this._err = this._got = undefined;
    try {
      const a = await fetchArticle(src, { timeout: this.timeout });
      if (this._src == src) this._got = a;
    } catch (e) {
      if (this._src != src) return;
      // Only a `src` that is not a URL at all fails without a kind (a TypeError, before any request): it is told as
      // unreachable, quoted as written. The transport reports an answer that is not JSON with its status, one of the
      // wrong shape without. Without a status the kind is the code (network, timeout).
      const { kind, status, code = kind ?? 'network' } = e as Partial<InkClientError>;
      const url = kind ? endpointUrl(src) : src;
      const key =
        kind == 'bad_response' ? (status ? 'notJson' : 'badShape') : status == 404 || status == 410 ? 'notFound' : status ? 'status' : code;
      this._fail(code, 'error', { message: this._t(key, { url, status, n: this.timeout / 1000 }) }, status);
    }
  }

  /** A string of this element's section of the strings (`article.*`). */
  private _t(key: string, vars?: Record<string, unknown>) {
    return this._l.t('article.' + key, vars);
  }

  /** Shows what failed and tells the page (`status` only for an HTTP answer). */
  private _fail(code: string, key: string, vars: Record<string, unknown>, status?: number) {
    const message = (this._err = this._t(key, vars));
    emit(this, 'ink-error', { error: { code, message, status } });
  }

  override render() {
    const a = this._a;
    const error = this._light ? '' : this._err;
    // Loading: the answer of `src`, or the converter of an html or markdown body.
    const busy = !error && (a ? this._of && this._h === undefined : this._src && !this._got);
    return html`<div part=article role=${a ? 'article' : nothing} aria-labelledby=${a ? 'title' : nothing}>
      ${a && this._header(a)}
      <div part=status role=status>${busy ? this._t('loading') : ''}</div>
      ${error ? html`<p part=error role=alert>${error}</p>` : ''}
      <div part=body class=${a ? 'own' : ''}>${a && this._body(a)}<slot @slotchange=${this._see}></slot></div>
    </div>`;
  }

  private _header(a: ParsedArticle) {
    const time = (iso: string, key: string) =>
      html`<time part=time datetime=${iso}>${this._t(key, { date: new Date(iso).toLocaleDateString(this._l.lang, { dateStyle: 'long' }) })}</time>`;
    const minutes = readingMinutes(a.body.replace(TAGS, ' '));
    const byline = [
      a.author && html`<span>${this._t('by', { author: a.author })}</span>`,
      a.publishedAt && time(a.publishedAt, 'published'),
      a.updatedAt && a.updatedAt != a.publishedAt && time(a.updatedAt, 'updated'),
      minutes && html`<span>${this._t('readingTime', { n: minutes })}</span>`,
    ].filter(Boolean);
    return html`<header part=header>
      <div part=title id=title role=heading aria-level=${Math.min(6, Math.max(1, this.headingLevel | 0))}>${a.title}</div>
      ${byline.length ? html`<p part=byline><span>${byline}</span></p>` : ''}
      ${a.image ? html`<img part=image src=${a.image.src} alt=${a.image.alt}>` : ''}
    </header>`;
  }

  private _body(a: ParsedArticle) {
    const h = this._h;
    const text = a.body.trim();
    if (!this._of) {
      // Paragraphs on blank lines; a single newline inside one is a line break the author meant.
      if (text) return text.split(/\s*\n\s*\n\s*/).map((p) => html`<p>${p.split(/\r?\n/).map((line, i) => (i ? [html`<br>`, line] : line))}</p>`);
    } else if (h === undefined) return nothing;
    // A body of tags alone (or of nothing the sanitiser kept) would be a blank box. (No other tag starts with
    // these names; a <picture> holds an <img>.)
    else if (h.replace(TAGS, '').trim() || /<(img|svg|video|audio|math|hr)/i.test(h)) {
      // The one unsafeHTML in Inkwell: `_h` is the output of sanitize.ts (DOMPurify under our stricter policy),
      // directly for html or through markdown.ts for markdown; nothing else is ever assigned to it.
      return unsafeHTML(h);
    }
    return html`<p class=empty>${this._t('empty')}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ink-article': InkArticle;
  }
}

if (!customElements.get('ink-article')) customElements.define('ink-article', InkArticle);
