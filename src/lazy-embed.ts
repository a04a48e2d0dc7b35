/**
 * The script-tag build's stand-in for `lazy.ts`: the same loaders, but each loads a file that sits next to
 * `inkwell.js` (`inkwell-sanitize.js`, `inkwell-markdown.js`, `locales/de.js`…), resolved against the script's
 * own URL so that a site can host the files anywhere.
 * @module
 */
import type { Strings } from './i18n/en.js';
import { LOCALES } from './i18n/locales.js';

let base = '';

/** Where `inkwell.js` was loaded from; `embed.ts` sets it once it has found its script tag. */
export const setBase = (url: string) => {
  base = url;
};

// Elements ask for their locale as they are defined, which is before embed.ts has found its script tag and set the
// base: waiting one microtask lets it do so first.
const load = async (file: string) => {
  await null;
  return import(new URL(file, base || document.baseURI).href);
};

export const loadSanitizer = (): Promise<typeof import('./sanitize.js')> => load('inkwell-sanitize.js');
export const loadMarkdown = (): Promise<typeof import('./markdown.js')> => load('inkwell-markdown.js');

export async function loadLocale(lang: string): Promise<Strings | undefined> {
  return LOCALES.includes(lang) ? (await load(`locales/${lang}.js`)).default : undefined;
}
