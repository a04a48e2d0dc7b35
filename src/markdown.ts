/**
 * Markdown articles: converted with marked, then sanitised like HTML. Loaded only for `markdown` articles.
 * @module
 */
import { Marked } from 'marked';
import { sanitize } from './sanitize.js';

// Our own instance: `marked.use()` on a page that uses marked too must not change how articles convert.
const marked = new Marked({ gfm: true });

/** Safe HTML from markdown. Raw HTML inside the markdown goes through the same sanitiser. */
export function markdownToHtml(md: string): string {
  return sanitize(marked.parse(md, { async: false }));
}
