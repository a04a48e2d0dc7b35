/**
 * The `inkwell/admin` entry: `import 'inkwell/admin'` defines `<ink-moderation>`; named exports give its class and
 * the moderation API client. Never part of `inkwell` or `dist/inkwell.js`.
 * @module
 */
export { InkModeration } from './ink-moderation.js';
export * from './admin-client.js';
export type { AdminStrings, AdminStringKey } from './i18n/en.js';
