/**
 * A Lit controller that gives an element its reader's language: `t()` for strings, `lang` and `dir` for markup.
 * It resolves the language before each update (the element's `lang`, else the nearest ancestor's, else `en`),
 * loads that locale once, and re-renders when it arrives.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { InkClientError } from '../client.js';
import type { InkErrorInfo } from '../events.js';
import { dirOf, en, langOf, stringsFor, translator, type PluralForms, type Strings, type Translate } from './index.js';

/** What the controller needs of its element. */
export type LocaleHost = ReactiveControllerHost & HTMLElement & { strings?: Partial<Record<string, string | PluralForms>> };

const hosts = new Set<LocaleHost>();
let watcher: MutationObserver | undefined;

export class LocaleController implements ReactiveController {
  /** The resolved language tag. */
  lang = 'en';
  /** `rtl` or `ltr`, from the language. */
  dir: 'rtl' | 'ltr' = 'ltr';
  private _strings: Strings = en as Strings;
  private _loading = '';
  /** Translates a key, with `{name}` placeholders and a plural form when `vars.n` is set. */
  t: Translate = translator('en', en as Strings);

  constructor(private host: LocaleHost) {
    host.addController(this);
  }

  hostConnected() {
    hosts.add(this.host);
    // One observer for the page: a `lang` set on any ancestor (a language picker on <html>) re-renders every element.
    watcher ??= new MutationObserver(() => hosts.forEach((host) => host.requestUpdate()));
    watcher.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    this._resolve();
  }

  hostDisconnected() {
    hosts.delete(this.host);
  }

  hostUpdate() {
    this._resolve();
    this.t = translator(this.lang, this._strings, this.host.strings);
  }

  private _resolve() {
    const lang = langOf(this.host);
    if (lang === this.lang || lang === this._loading) return;
    this._loading = lang;
    void stringsFor(lang).then((strings) => {
      if (this._loading !== lang) return;
      this.lang = lang;
      this.dir = dirOf(lang);
      this._strings = strings;
      this._loading = '';
      this.host.requestUpdate();
    });
  }
}

/** What to tell a reader about a failed request, in their language. */
export function describeError(t: Translate, error: unknown): InkErrorInfo {
  if (!(error instanceof InkClientError)) {
    return { code: 'bad_response', message: t('error.badResponse') };
  }
  const { kind, code, status, retryAfter } = error;
  let message: string;
  if (kind === 'network') message = t('error.network');
  else if (kind === 'timeout') message = t('error.timeout');
  else if (kind === 'bad_response') message = t('error.badResponse');
  else if (kind === 'rate_limited') message = retryAfter ? t('error.rateLimited', { n: retryAfter }) : t('error.rateLimitedNow');
  else if (kind === 'server') message = t('error.server', { status });
  else if (status === 413 || code === 'too_large') message = t('error.tooLarge');
  else if (status === 409 || code === 'duplicate') message = t('error.duplicate');
  else if (status === 422 || code === 'validation') message = t('error.validation');
  else if (status === 404 || code === 'not_found') message = t('error.notFound');
  else message = t('error.client', { status });
  return status === undefined ? { code, message } : { code, message, status };
}

/**
 * What to tell a reader about a failed load of comments or counts, in their language. The shared request errors
 * speak to someone posting ("your comment is kept here"); a reader of a list is told what failed in words of its
 * own: `error.network` becomes `comments.errorNetwork`, and so on for the keys a load can produce.
 */
export const describeLoadError = (t: Translate, error: unknown) =>
  describeError(
    (key, vars) =>
      t(key.replace(/^error\.(?=network|timeout|server|notFound|client|rateLimited)(.)/, (_, initial: string) => 'comments.error' + initial.toUpperCase()), vars),
    error,
  );
