/**
 * The script-tag entry (`dist/inkwell.js`): defines every element and, when its `<script>` carries
 * `data-endpoint`, mounts an `<ink-comments>` after the tag or into `data-target`.
 * @module
 */
// The elements only: this file exports nothing, so index.ts's re-exports would have nowhere to go.
import './elements/ink-article.js';
import './elements/ink-comments.js';
import './elements/ink-comment-form.js';
import './elements/ink-count.js';
import { scriptUrl, tagUrl } from './lazy-embed.js';

const ATTRS = ['endpoint', 'thread', 'sort', 'theme', 'lang', 'page-size', 'loading'];

function mount(s: HTMLScriptElement) {
  const d = s.dataset;
  if (!d.endpoint || 'inkMounted' in d) return;
  // Marked first, so that a second copy of this file never mounts the same tag again, even while this one waits.
  d.inkMounted = '';
  const el = document.createElement('ink-comments');
  for (const a of ATTRS) {
    const v = s.getAttribute('data-' + a);
    if (v) el.setAttribute(a, v);
  }
  const place = (ready: boolean) => {
    let target: Element | null = null;
    try {
      target = d.target ? document.querySelector(d.target) : null;
    } catch {
      // An invalid selector is reported below like one that matches nothing.
    }
    const inBody = !!document.body?.contains(s);
    // While the page loads, the target may be further down, and a tag in <head> has no body to mount into yet.
    if (!target && !ready && (d.target || !inBody)) return false;
    if (target) target.append(el);
    else if (inBody) s.after(el);
    else document.body.append(el);
    if (d.target && !target) {
      console.error(`Inkwell: data-target="${d.target}" matches no element; the comments are mounted ${inBody ? 'after the script tag' : 'at the end of <body>'} instead.`);
    }
    return true;
  };
  if (!place(document.readyState !== 'loading')) document.addEventListener('DOMContentLoaded', () => place(true), { once: true });
}

// Every tag that loads this file, not just the current one: a module script runs once however many tags name it.
for (const s of document.querySelectorAll<HTMLScriptElement>('script[data-endpoint]')) if (s.src === scriptUrl || s.src === tagUrl) mount(s);
