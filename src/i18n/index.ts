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
  let strings = cache.get(base);
  if (!strings) {
    strings = loadLocale(base).then((loaded) => loaded ?? (en as Strings), () => en as Strings);
    cache.set(base, strings);
  }
  return strings;
}

/** Puts `vars` into `{name}` placeholders. */
export const fill = (template: string, vars: Record<string, unknown> = {}): string =>
  template.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in vars ? String(vars[name]) : placeholder));

/**
 * A translator bound to a locale: `t(key, vars)` for a string, a plural form when `vars.n` is given.
 * `overrides` (an element's `.strings`) win over the locale.
 */
export function translator(lang: string, strings: Strings, overrides: Partial<Record<string, string | PluralForms>> = {}) {
  const rules = new Intl.PluralRules(lang);
  const numbers = new Intl.NumberFormat(lang);
  return (key: StringKey | string, vars: Record<string, unknown> = {}): string => {
    const text = overrides[key] ?? (strings as Record<string, string | PluralForms>)[key] ?? (en as Record<string, string | PluralForms>)[key] ?? key;
    if (typeof text === 'string') return fill(text, vars);
    const n = Number(vars.n ?? 0);
    return fill(text[rules.select(n)] ?? text.other, { ...vars, n: numbers.format(n) });
  };
}

/** A translator function. */
export type Translate = ReturnType<typeof translator>;
