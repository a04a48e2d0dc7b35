/**
 * The npm entry: `import 'inkwell'` defines the four elements; named exports give their classes, the wire
 * schemas, the transport and the types.
 * @module
 */
export { InkArticle } from './elements/ink-article.js';
export { InkComments } from './elements/ink-comments.js';
export { InkCommentForm } from './elements/ink-comment-form.js';
export { InkCount } from './elements/ink-count.js';
export * from './schema.js';
export * from './client.js';
export * from './events.js';
export type { Strings, StringKey, PluralForms } from './i18n/index.js';
