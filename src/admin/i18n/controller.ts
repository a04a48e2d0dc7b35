/**
 * The dashboard's language: a Lit controller like the reader's `LocaleController`, over the admin strings. The
 * language is resolved the same way (`lang` on the element or an ancestor, else English), and the
 * admin locales load on first need: split files in the npm build, inlined in `dist/inkwell-admin.js`.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en, type AdminStringKey, type AdminStrings, type PluralForms } from './en.js';

// The next three mirror `src/i18n/index.ts`. They are not imported from there because that module holds the reader's
// English strings at its top level, which would then ride along in `dist/inkwell-admin.js`.

/** The language of an element: its `lang`, else the nearest ancestor's (across shadow roots), else `en`. */
function langOf(el: Element): string {
  for (let node: Node | null = el; node; node = node.parentNode ?? (node as ShadowRoot).host) {
    const lang = (node as Element).getAttribute?.('lang');
    if (lang)
      try {
        return Intl.getCanonicalLocales(lang)[0];
      } catch {
        // Not a language tag: on to the parent.
      }
  }
  return 'en';
}

const dirOf = (lang: string): 'rtl' | 'ltr' => (/^(ar|he)\b/i.test(lang) ? 'rtl' : 'ltr');

const fill = (template: string, vars: Record<string, unknown>): string =>
  template.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in vars ? String(vars[name]) : placeholder));

// One literal import() per language: split files in the npm build; a locale may leave keys out (English is used).
const loaders: Record<string, () => Promise<{ default: Partial<AdminStrings> }>> = {
  ar: () => import('./ar.js'),
  de: () => import('./de.js'),
  es: () => import('./es.js'),
  fr: () => import('./fr.js'),
  he: () => import('./he.js'),
  ja: () => import('./ja.js'),
  pt: () => import('./pt.js'),
  ru: () => import('./ru.js'),
  zh: () => import('./zh.js'),
};

const cache = new Map<string, Promise<AdminStrings>>([['en', Promise.resolve(en)]]);

/** The admin strings of `lang` (or its base language); English for a language not shipped, or one that fails to load. */
export function adminStringsFor(lang: string): Promise<AdminStrings> {
  const base = lang.split('-')[0].toLowerCase();
  let strings = cache.get(base);
  if (!strings) {
    const load = loaders[base];
    strings = load ? load().then((m) => ({ ...en, ...m.default }), () => en) : Promise.resolve(en);
    cache.set(base, strings);
  }
  return strings;
}

/** Translates a key, with `{name}` placeholders and a plural form when `vars.n` is set. */
export type AdminTranslate = (key: AdminStringKey, vars?: Record<string, unknown>) => string;

/** A translator over one locale, falling back to English key by key. */
export function adminTranslator(lang: string, strings: AdminStrings, overrides: Partial<Record<string, string | PluralForms>> = {}): AdminTranslate {
  const rules = new Intl.PluralRules(lang);
  const numbers = new Intl.NumberFormat(lang);
  return (key, vars = {}) => {
    const text = overrides[key] ?? strings[key] ?? en[key] ?? key;
    if (typeof text === 'string') return fill(text, vars);
    const n = Number(vars.n ?? 0);
    return fill(text[rules.select(n)] ?? text.other, { ...vars, n: numbers.format(n) });
  };
}

/** What the controller needs of its element. */
export type AdminLocaleHost = ReactiveControllerHost & HTMLElement & { strings?: Partial<Record<string, string | PluralForms>> };

export class AdminLocaleController implements ReactiveController {
  /** The resolved language tag. */
  lang = 'en';
  /** `rtl` or `ltr`. */
  dir: 'rtl' | 'ltr' = 'ltr';
  t: AdminTranslate = adminTranslator('en', en);
  private _strings: AdminStrings = en;
  private _loading = '';
  /** Re-renders when a `lang` changes on the page (a language picker on <html>). */
  private _watcher?: MutationObserver;

  constructor(private host: AdminLocaleHost) {
    host.addController(this);
  }

  hostConnected() {
    this._watcher = new MutationObserver(() => this.host.requestUpdate());
    this._watcher.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    this._resolve();
  }

  hostDisconnected() {
    this._watcher?.disconnect();
  }

  hostUpdate() {
    this._resolve();
    this.t = adminTranslator(this.lang, this._strings, this.host.strings);
  }

  private _resolve() {
    const lang = langOf(this.host);
    if (lang === this.lang || lang === this._loading) return;
    this._loading = lang;
    void adminStringsFor(lang).then((strings) => {
      if (this._loading !== lang) return;
      this.lang = lang;
      this.dir = dirOf(lang);
      this._strings = strings;
      this._loading = '';
      this.host.requestUpdate();
    });
  }
}
