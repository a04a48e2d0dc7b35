import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { DEFAULT_TIMEOUT, endpointUrl, fetchArticle, type InkClientError } from '../client.js';
import { emit } from '../events.js';
import { LocaleController } from '../i18n/controller.js';
import type { PluralForms } from '../i18n/index.js';
import { loadMarkdown, loadSanitizer } from '../lazy.js';
import { readArticle, type ArticleFormat, type ParsedArticle } from '../rules.js';
import type { Article } from '../schema.js';
import { theme } from '../styles/theme.js';
import { articleStyles, lightSheet } from './ink-article.styles.js';

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
  static override styles = [theme, articleStyles];

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
    _fetched: { state: true },
    _error: { state: true },
    _html: { state: true },
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
  private _fetched?: ParsedArticle;
  /** What failed (an invalid `.article`, `src`, a renderer that did not load), in the reader's language. */
  private _error?: string;
  /** Sanitised HTML of the current html/markdown body, once converted. */
  private _html?: string;

  private _locale = new LocaleController(this);
  /** `.article`, parsed. */
  private _parsedArticle?: ParsedArticle | null;
  /** The `src` fetched or being fetched: fetched once, and an answer for an older `src` is dropped. */
  private _requestedSrc?: string;
  /** The article shown (derived in `willUpdate`): light DOM wins, then `.article`, then what `src` gave. */
  private _shownArticle?: ParsedArticle | null;
  /** Format and body that `_html` is (or is being) made from; unset for a text body. */
  private _convertedFrom?: string;
  /** What `ink-loaded` was last fired for. */
  private _announced?: unknown;

  override connectedCallback() {
    super.connectedCallback();
    // Before the first render, so that an article in the page's markup never triggers a fetch.
    this._findLightContent();
  }

  override willUpdate(changed: PropertyValues<this>) {
    const { article, format: formatOverride } = this;
    if (changed.has('article')) {
      this._parsedArticle = article && readArticle(article);
      this._error = undefined;
      if (article && !this._parsedArticle && !this._light) {
        // Name the required fields that are wrong; any other wrong field is named generically.
        const fields = ['title', 'body'].filter((field) => typeof (article as Record<string, unknown>)[field] != 'string').join(', ');
        this._fail('invalid_article', 'invalid', { fields: fields || 'author, dates, format, image' });
      }
    }
    if (!this._light && !article && this.src && this.src != this._requestedSrc) void this._load(this.src);
    const shown = (this._shownArticle = this._light ? undefined : article ? this._parsedArticle : this._fetched);
    const format =
      shown && (formatOverride == 'text' || formatOverride == 'html' || formatOverride == 'markdown' ? formatOverride : shown.format);
    const source = shown && format != 'text' ? `${format}\n${shown.body}` : undefined;
    if (source != this._convertedFrom) {
      this._convertedFrom = source;
      this._html = undefined;
      // The sanitiser (and marked) load on first need, so that pages with only text articles never download them.
      if (source)
        (format == 'markdown'
          ? loadMarkdown().then((markdown) => markdown.markdownToHtml(shown!.body))
          : loadSanitizer().then((sanitizer) => sanitizer.sanitize(shown!.body))
        ).then(
          (html) => this._convertedFrom == source && (this._html = html),
          () => this._convertedFrom == source && this._fail('module', 'noRenderer', { format }),
        );
    }
  }

  override updated() {
    const shown = this._light ? this : (!this._convertedFrom || this._html !== undefined) && this._shownArticle;
    if (shown && shown != this._announced) emit(this, 'ink-loaded', { total: 1, count: 1 });
    this._announced = shown;
  }

  /**
   * Light DOM is the article when it holds an element or text (comments and whitespace do not count); its
   * typography is then a sheet adopted by the root the element is in.
   */
  private _findLightContent() {
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
    this._requestedSrc = src;
    this._error = this._fetched = undefined;
    try {
      const article = await fetchArticle(src, { timeout: this.timeout });
      if (this._requestedSrc == src) this._fetched = article;
    } catch (error) {
      if (this._requestedSrc != src) return;
      // Only a `src` that is not a URL at all fails without a kind (a TypeError, before any request): it is told as
      // unreachable, quoted as written. The transport reports an answer that is not JSON with its status, one of the
      // wrong shape without. Without a status the kind is the code (network, timeout).
      const { kind, status, code = kind ?? 'network' } = error as Partial<InkClientError>;
      const url = kind ? endpointUrl(src) : src;
      const key =
        kind == 'bad_response' ? (status ? 'notJson' : 'badShape') : status == 404 || status == 410 ? 'notFound' : status ? 'status' : code;
      this._fail(code, 'error', { message: this._translate(key, { url, status, n: this.timeout / 1000 }) }, status);
    }
  }

  /** A string of this element's section of the strings (`article.*`). */
  private _translate(key: string, vars?: Record<string, unknown>) {
    return this._locale.t('article.' + key, vars);
  }

  /** Shows what failed and tells the page (`status` only for an HTTP answer). */
  private _fail(code: string, key: string, vars: Record<string, unknown>, status?: number) {
    const message = (this._error = this._translate(key, vars));
    emit(this, 'ink-error', { error: { code, message, status } });
  }

  override render() {
    const article = this._shownArticle;
    const error = this._light ? '' : this._error;
    // Loading: the answer of `src`, or the converter of an html or markdown body.
    const busy = !error && (article ? this._convertedFrom && this._html === undefined : this._requestedSrc && !this._fetched);
    return html`<div part=article role=${article ? 'article' : nothing} aria-labelledby=${article ? 'title' : nothing}>
      ${article && this._renderHeader(article)}
      <div part=status role=status>${busy ? this._translate('loading') : ''}</div>
      ${error ? html`<p part=error role=alert>${error}</p>` : ''}
      <div part=body class=${article ? 'own' : ''}>${article && this._renderBody(article)}<slot @slotchange=${this._findLightContent}></slot></div>
    </div>`;
  }

  private _renderHeader(article: ParsedArticle) {
    const time = (iso: string, key: string) =>
      html`<time part=time datetime=${iso}>${this._translate(key, { date: new Date(iso).toLocaleDateString(this._locale.lang, { dateStyle: 'long' }) })}</time>`;
    const minutes = readingMinutes(article.body.replace(TAGS, ' '));
    const byline = [
      article.author && html`<span>${this._translate('by', { author: article.author })}</span>`,
      article.publishedAt && time(article.publishedAt, 'published'),
      article.updatedAt && article.updatedAt != article.publishedAt && time(article.updatedAt, 'updated'),
      minutes && html`<span>${this._translate('readingTime', { n: minutes })}</span>`,
    ].filter(Boolean);
    return html`<header part=header>
      <div part=title id=title role=heading aria-level=${Math.min(6, Math.max(1, this.headingLevel | 0))}>${article.title}</div>
      ${byline.length ? html`<p part=byline><span>${byline}</span></p>` : ''}
      ${article.image ? html`<img part=image src=${article.image.src} alt=${article.image.alt}>` : ''}
    </header>`;
  }

  private _renderBody(article: ParsedArticle) {
    const sanitized = this._html;
    const text = article.body.trim();
    if (!this._convertedFrom) {
      // Paragraphs on blank lines; a single newline inside one is a line break the author meant.
      if (text) return text.split(/\s*\n\s*\n\s*/).map((paragraph) => html`<p>${paragraph.split(/\r?\n/).map((line, i) => (i ? [html`<br>`, line] : line))}</p>`);
    } else if (sanitized === undefined) return nothing;
    // A body of tags alone (or of nothing the sanitiser kept) would be a blank box. (No other tag starts with
    // these names; a <picture> holds an <img>.)
    else if (sanitized.replace(TAGS, '').trim() || /<(img|svg|video|audio|math|hr)/i.test(sanitized)) {
      // The one unsafeHTML in Inkwell: `_html` is the output of sanitize.ts (DOMPurify under our stricter policy),
      // directly for html or through markdown.ts for markdown; nothing else is ever assigned to it.
      return unsafeHTML(sanitized);
    }
    return html`<p class=empty>${this._translate('empty')}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ink-article': InkArticle;
  }
}

if (!customElements.get('ink-article')) customElements.define('ink-article', InkArticle);
