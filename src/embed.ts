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

function mount(script: HTMLScriptElement) {
  const data = script.dataset;
  if (!data.endpoint || 'inkMounted' in data) return;
  // Marked first, so that a second copy of this file never mounts the same tag again, even while this one waits.
  data.inkMounted = '';
  const comments = document.createElement('ink-comments');
  for (const name of ATTRS) {
    const value = script.getAttribute('data-' + name);
    if (value) comments.setAttribute(name, value);
  }
  const place = (ready: boolean) => {
    let target: Element | null = null;
    try {
      target = data.target ? document.querySelector(data.target) : null;
    } catch {
      // An invalid selector is reported below like one that matches nothing.
    }
    const inBody = !!document.body?.contains(script);
    // While the page loads, the target may be further down, and a tag in <head> has no body to mount into yet.
    if (!target && !ready && (data.target || !inBody)) return false;
    if (target) target.append(comments);
    else if (inBody) script.after(comments);
    else document.body.append(comments);
    if (data.target && !target) {
      console.error(`Inkwell: data-target="${data.target}" matches no element; the comments are mounted ${inBody ? 'after the script tag' : 'at the end of <body>'} instead.`);
    }
    return true;
  };
  if (!place(document.readyState !== 'loading')) document.addEventListener('DOMContentLoaded', () => place(true), { once: true });
}

// Every tag that loads this file, not just the current one: a module script runs once however many tags name it.
for (const script of document.querySelectorAll<HTMLScriptElement>('script[data-endpoint]')) {
  if (script.src === scriptUrl || script.src === tagUrl) mount(script);
}
