/** The languages shipped besides English (each a file `src/i18n/<lang>.ts`). */
export const LOCALES: readonly string[] = ['de', 'fr', 'es', 'pt', 'ja', 'zh', 'ru', 'ar', 'he'];
