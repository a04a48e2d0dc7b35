import type { AdminStrings } from './en.js';

export default {} satisfies Partial<AdminStrings>;
