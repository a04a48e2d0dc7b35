/**
 * The reader's language: which locale applies to an element, its strings, and formatting with Intl.
 * @module
 */
import { en, type PluralForms, type StringKey, type Strings } from './en.js';
import { loadLocale } from '../lazy.js';

export { en };
export type { PluralForms, StringKey, Strings };

/** The shipped languages written right to left (a language not shipped is shown in English, left to right). */
const RTL = /^(ar|he)\b/i;

/**
 * The language of an element: its `lang` attribute, else the nearest ancestor's (across shadow roots), else `en`.
 * A `lang` that is no language tag ("english", "en_US") is passed over like an empty one: Intl would throw on it.
 */
export function langOf(el: Element): string {
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

/** `rtl` for Arabic, Hebrew and their kin, else `ltr`. */
export const dirOf = (lang: string): 'rtl' | 'ltr' => (RTL.test(lang) ? 'rtl' : 'ltr');

const cache = new Map<string, Promise<Strings>>([['en', Promise.resolve(en as Strings)]]);

/** The strings of `lang` (or of its base language), English for a language not shipped. Loaded once. */
export function stringsFor(lang: string): Promise<Strings> {
  const base = lang.split('-')[0].toLowerCase();
  let p = cache.get(base);
  if (!p) {
    p = loadLocale(base).then((s) => s ?? (en as Strings), () => en as Strings);
    cache.set(base, p);
  }
  return p;
}

/** Puts `vars` into `{name}` placeholders. */
export const fill = (s: string, vars: Record<string, unknown> = {}): string =>
  s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

/**
 * A translator bound to a locale: `t(key, vars)` for a string, a plural form when `vars.n` is given.
 * `overrides` (an element's `.strings`) win over the locale.
 */
export function translator(lang: string, strings: Strings, overrides: Partial<Record<string, string | PluralForms>> = {}) {
  const rules = new Intl.PluralRules(lang);
  const nf = new Intl.NumberFormat(lang);
  return (key: StringKey | string, vars: Record<string, unknown> = {}): string => {
    const v = overrides[key] ?? (strings as Record<string, string | PluralForms>)[key] ?? (en as Record<string, string | PluralForms>)[key] ?? key;
    if (typeof v === 'string') return fill(v, vars);
    const n = Number(vars.n ?? 0);
    return fill(v[rules.select(n)] ?? v.other, { ...vars, n: nf.format(n) });
  };
}

/** A translator function. */
export type Translate = ReturnType<typeof translator>;
