/**
 * The script-tag entry (`dist/inkwell.js`): defines every element and, when its `<script>` carries
 * `data-endpoint`, mounts an `<ink-comments>` after the tag or into `data-target`.
 * @module
 */
// The elements themselves, not index.ts: its re-export of the zod schemas would put zod into this file.
import './elements/ink-article.js';
import './elements/ink-comments.js';
import './elements/ink-comment-form.js';
import './elements/ink-count.js';
import { setBase } from './lazy-embed.js';

/** Our own script tag: `currentScript` for a classic script, else (module scripts) the last tag that loads inkwell.js. */
function findScript(): HTMLScriptElement | undefined {
  const current = document.currentScript as HTMLScriptElement | null;
  if (current?.src) return current;
  const tags = [...document.querySelectorAll<HTMLScriptElement>('script[src]')].filter((s) => /inkwell(\.min)?\.js(\?|#|$)/.test(s.src));
  return tags.find((s) => s.dataset.endpoint && !s.dataset.inkMounted) ?? tags.at(-1);
}

const script = findScript();
if (script) setBase(script.src);

function mount(s: HTMLScriptElement) {
  const d = s.dataset;
  if (!d.endpoint || d.inkMounted) return;
  // Marked so that a second copy of this file, or a re-run, never mounts the same thread twice.
  d.inkMounted = '';
  const el = document.createElement('ink-comments');
  const attrs: Record<string, string | undefined> = {
    endpoint: d.endpoint,
    thread: d.thread,
    sort: d.sort,
    theme: d.theme,
    lang: d.lang,
    'page-size': d.pageSize,
    loading: d.loading,
  };
  for (const [k, v] of Object.entries(attrs)) if (v) el.setAttribute(k, v);
  const target = d.target ? document.querySelector(d.target) : null;
  if (d.target && !target) console.error(`inkwell: data-target "${d.target}" matches no element; mounting after the script tag.`);
  if (target) target.append(el);
  else s.after(el);
}

if (script) {
  if (document.readyState === 'loading' && script.dataset.target) {
    document.addEventListener('DOMContentLoaded', () => mount(script), { once: true });
  } else mount(script);
}
