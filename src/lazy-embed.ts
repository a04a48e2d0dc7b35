/**
 * The script-tag build's stand-in for `lazy.ts`: the same loaders, but each loads a file that sits next to
 * `inkwell.js` (`inkwell-sanitize.js`, `inkwell-markdown.js`, `inkwell-form.js`, `locales/de.js`…), resolved against the script's
 * own URL so that a site can host the files anywhere.
 * @module
 */
import type { Strings } from './i18n/en.js';
import { LOCALES } from './i18n/locales.js';

/** The `src` of the tag running this file: set for a classic script, null for a module script. */
export const tagUrl = (document.currentScript as HTMLScriptElement | null)?.src;

/**
 * This file's URL, found here rather than in embed.ts because elements already in the page upgrade, and may ask for
 * a locale, while the bundle is still defining them, before embed.ts's own code runs. A module script has no
 * `currentScript`, and an IIFE cannot read `import.meta.url`, but the first frame of a stack trace names this file in
 * every engine, whatever the site called it. (Behind a redirect, a classic script's frames show the URL asked for,
 * a module's the final one.)
 */
export const scriptUrl = /(https?|file):\/\/[^\s()]+?(?=:\d+:\d+)/.exec(new Error().stack ?? '')?.[0] || tagUrl;

/** Loads a file next to this one; `T` is what the module of that name in src/ exports. */
const load = <T>(file: string): Promise<T> => import(new URL(file, scriptUrl || document.baseURI).href) as Promise<T>;

export const loadSanitizer = () => load<typeof import('./sanitize.js')>('inkwell-sanitize.js');
export const loadMarkdown = () => load<typeof import('./markdown.js')>('inkwell-markdown.js');
export const loadFormPosting = () => load<typeof import('./form-posting.js')>('inkwell-form.js');

export async function loadLocale(lang: string): Promise<Strings | undefined> {
  return LOCALES.includes(lang) ? (await load<{ default: Strings }>(`locales/${lang}.js`)).default : undefined;
}
