// The entry of a site built with a bundler (Vite, esbuild, Rollup, webpack…): `npm install inkwell`, then import it
// once. lit and zod are shared with the rest of your app; the sanitiser and the markdown parser are split into
// chunks of their own, which only a page that shows an `html` or `markdown` article downloads.
import 'inkwell';

const comments = document.querySelector('ink-comments');
const status = document.querySelector('#status');

// Every Inkwell event bubbles and is composed, and `detail` is typed in TypeScript (InkEventMap).
comments.addEventListener('ink-loaded', (e) => {
  status.textContent = `${e.detail.total} comments`;
});
comments.addEventListener('ink-posted', (e) => {
  status.textContent = `Thanks, ${e.detail.comment.name}!`;
});
