/**
 * Sanitises article HTML with DOMPurify. Loaded only for `html` and `markdown` articles.
 *
 * The browser's own HTML Sanitizer API (`Element.setHTML`) is not used: its safe default keeps `data:` URLs and
 * adds neither `rel` nor `loading`, so it would need this same policy on top, and a second code path to trust.
 * @module
 */
import DOMPurify from 'dompurify';

// Our own instance: a page that uses DOMPurify too (the npm build shares the package) keeps its config and hooks.
const purify = DOMPurify(window);

const FORBID_TAGS = ['script', 'style', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'link', 'meta', 'base', 'dialog'];
const FORBID_ATTR = [
  // `style` can overlay the page (position: fixed over the whole viewport), so no inline style survives.
  'style',
  // `srcset` and `background` hold URLs that the URL check below does not read; the form ones have no form left.
  'srcset',
  'background',
  'formaction',
  'action',
  // The body renders inside our shadow root: a `class` would pick up our styles and a `part` the page's
  // `::part()` rules, so a body could dress itself as the element's own error message.
  'class',
  'part',
  'exportparts',
  'slot',
  // The top layer paints above everything, whatever contains the body.
  'popover',
  'popovertarget',
  'popovertargetaction',
  'command',
  'commandfor',
];
const URL_ATTRS = ['href', 'src', 'xlink:href', 'poster', 'cite'];

purify.addHook('afterSanitizeAttributes', (node) => {
  const tag = node.localName;
  if (tag === 'a' || tag === 'area') {
    node.setAttribute('rel', 'noopener noreferrer');
    // Any target becomes a new tab: a named one could navigate a frame of the page.
    if (node.getAttribute('target')) node.setAttribute('target', '_blank');
  }
  if (tag === 'img') node.setAttribute('loading', 'lazy');
  // DOMPurify lets `data:` through on media; a `data:` document or script has no place in an article.
  for (const attr of URL_ATTRS) {
    const value = node.getAttribute(attr);
    if (value && /^(javascript|data|vbscript):/i.test(value.replace(/[\u0000-\u0020]/g, ''))) node.removeAttribute(attr);
  }
});

/** Returns safe HTML: no script, no event handler, no `javascript:`/`data:` URL, no embedded frames or forms. */
export function sanitize(html: string): string {
  return purify.sanitize(html, {
    FORBID_TAGS,
    FORBID_ATTR,
    // DOMPurify drops `target` for fear of tabnabbing; with rel=noopener forced above, `_blank` is safe to keep.
    ADD_ATTR: ['target'],
    ALLOW_DATA_ATTR: false,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:|#|\/|\.{0,2}\/|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  });
}
