/**
 * Code that only some pages need, loaded on first need. The npm build keeps these as dynamic imports for the
 * site's bundler to split; the script-tag build swaps this module for `lazy-embed.ts`, which loads the same code
 * from files next to `inkwell.js`.
 * @module
 */
import type { Strings } from './i18n/en.js';

/** The HTML sanitiser (DOMPurify), for `html` and `markdown` articles. */
export const loadSanitizer = () => import('./sanitize.js');
/** The markdown converter (marked), for `markdown` articles. */
export const loadMarkdown = () => import('./markdown.js');
/** The comment form's checks and author tokens, loaded on the reader's first interaction with the form. */
export const loadFormPosting = () => import('./form-posting.js');

// One literal import() per language, so that a bundler splits a file per locale and a page downloads only its own.
const locales: Record<string, () => Promise<{ default: Strings }>> = {
  de: () => import('./i18n/de.js'),
  fr: () => import('./i18n/fr.js'),
  es: () => import('./i18n/es.js'),
  pt: () => import('./i18n/pt.js'),
  ja: () => import('./i18n/ja.js'),
  zh: () => import('./i18n/zh.js'),
  ru: () => import('./i18n/ru.js'),
  ar: () => import('./i18n/ar.js'),
  he: () => import('./i18n/he.js'),
};

/** The strings of a shipped locale, or undefined. */
export async function loadLocale(lang: string): Promise<Strings | undefined> {
  return (await locales[lang]?.())?.default;
}
