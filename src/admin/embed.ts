/**
 * The script-tag entry of the dashboard (`dist/inkwell-admin.js`): defines `<ink-moderation>` and exports nothing,
 * so that the file runs as a classic script as well as a module (the dashboard page loads it either way).
 * @module
 */
import './ink-moderation.js';
