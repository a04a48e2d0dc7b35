/**
 * The styles of `<ink-article>`, after the shared theme: the header, byline, image and error, and the reading
 * typography, which also reaches light-DOM articles through a sheet adopted by the page. They read only the theme's
 * private variables, so every public `--ink-*` token the article follows is one of the theme's.
 * @module
 */
import { css } from 'lit';

/**
 * Reading typography, as the contents of one nested rule: written once and used twice, under `.own` in the shadow
 * root for bodies the element renders, and under `:where(ink-article)` in a sheet adopted by the page for light-DOM
 * markup, which shadow CSS reaches only one level deep (`::slotted`). `:where()` keeps the page sheet at zero
 * specificity, so any rule of the site's own wins. The rules share one specificity, so a later one overrides an
 * earlier one (the heading sizes).
 */
const typography = css`
  > :first-child {
    margin-block-start: 0;
  }
  :where(h1, h2, h3, h4, h5, h6) {
    margin-block: 1.6em .5em;
    line-height: 1.25;
    text-wrap: balance;
  }
  :where(h1) {
    font-size: 1.6em;
  }
  :where(h2) {
    font-size: 1.35em;
  }
  /* h3 and h4 keep the browser's sizes (1.17em, 1em); h5 and h6 would be smaller than the text. */
  :where(h5, h6) {
    font-size: 1em;
  }
  :where(p, ul, ol, dl, blockquote, pre, figure, table, hr, details) {
    margin: 0 0 1em;
  }
  :where(ul, ol) {
    padding-inline-start: 1.5em;
  }
  :where(li + li) {
    margin-block-start: .25em;
  }
  :where(blockquote) {
    padding-inline-start: 1em;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
  }
  :where(code, kbd, samp, pre) {
    font-family: ui-monospace, Menlo, Consolas, monospace;
    font-size: .9em;
  }
  :where(pre, :not(pre) > code) {
    padding: .1em .3em;
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  :where(pre) {
    padding: .75em 1em;
    overflow-x: auto;
    line-height: 1.45;
  }
  :where(img, video, canvas, svg, math) {
    max-inline-size: 100%;
  }
  /* Not svg: its width and height attributes are its size. */
  :where(img, video, canvas) {
    block-size: auto;
  }
  :where(figcaption) {
    color: var(--_muted);
    font-size: .9em;
  }
  :where(table) {
    display: block;
    max-inline-size: 100%;
    overflow-x: auto;
    border-collapse: collapse;
  }
  :where(th, td) {
    padding: .4em .75em;
    border-block-end: 1px solid var(--_border);
    text-align: start;
  }
  :where(hr) {
    border: 0;
    border-block-start: 1px solid var(--_border);
    margin-block: 2em;
  }
  :where(a) {
    color: var(--_accent);
  }
`;

/** The typography of light-DOM articles, adopted by the root the element is in. */
export const lightSheet = css`:where(ink-article){${typography}}`;

/**
 * The element's own rules, with the typography for the bodies it renders.
 * Byline: every item opens with a separator; the first of each line sits in the negative margin and is clipped,
 * so a wrapped byline never starts a line with a dot.
 * `.own` (bodies the element renders): sanitised HTML cannot style itself (no style, class or part survives), and
 * `contain: paint` is the backstop that keeps whatever lays out oddly inside the box; the clip margin keeps the
 * focus rings of links at the edge whole. Light-DOM bodies are the site's and are not clipped.
 */
export const articleStyles = css`
  header {
    margin-block-end: calc(var(--_space) * 1.5);
  }
  #title {
    margin-block: 0 .4em;
    font-size: clamp(1.75em, 1.3em + 1.6vw, 2.5em);
    font-weight: 700;
    line-height: 1.15;
    text-wrap: balance;
  }
  [part=byline] {
    margin: 0;
    overflow: hidden;
    font-size: .9em;
    > span {
      display: flex;
      flex-wrap: wrap;
      margin-inline-start: -1em;
      > *::before {
        content: '·' / '';
        display: inline-block;
        inline-size: 1em;
        text-align: center;
      }
    }
  }
  [part=byline],
  [part=status],
  .empty {
    color: var(--_muted);
  }
  [part=image] {
    display: block;
    inline-size: 100%;
    block-size: auto;
    margin-block-start: var(--_space);
    border-radius: var(--_radius);
  }
  [part=error] {
    margin-block: var(--_space);
    padding-inline-start: .75em;
    border-inline-start: 3px solid var(--_danger);
    color: var(--_danger);
  }
  .own {
    contain: paint;
    overflow-clip-margin: 4px;
    ${typography}
  }
`;
