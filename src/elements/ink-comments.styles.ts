/**
 * The styles of `<ink-comments>` and of its list items (`comment-item.ts`), after the shared theme
 * (`src/styles/theme.ts`), which reads every public `--ink-*` token into the private `--_*` variables used here.
 * @module
 */
import { css } from 'lit';

export const inkCommentsStyles = css`
  h2 {
    margin-block-start: 0;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li > ol {
    margin-inline-start: clamp(1rem, 6%, 3rem);
  }
  /* Off-screen comments of a long thread are neither laid out nor painted until scrolled near. (Not for a short
     one: it gains nothing, and checkers that read boxes, such as axe's contrast rule, misread skipped ones.) */
  .long > li {
    content-visibility: auto;
    contain-intrinsic-size: auto 7rem;
    padding: 2px;
  }
  article {
    display: grid;
    grid-template-columns: 2.25rem 1fr;
    column-gap: .75rem;
    padding: .5rem;
    border-radius: var(--_radius);
  }
  article > * {
    grid-column: 2;
  }
  /* The avatar. */
  .av {
    grid-area: 1/1/span 3;
    display: grid;
    place-items: center;
    block-size: 2.25rem;
    border-radius: 50%;
    color: #fff;
    font-size: .875rem;
  }
  /* The avatar and the author's name. */
  .av,
  .au {
    font-weight: 600;
  }
  .av::before {
    content: attr(data-i);
  }
  /* Avatar colours: each has a contrast of at least 6:1 with white text. */
  .a0 { background: #0b57d0 }
  .a1 { background: #6a1b9a }
  .a2 { background: #b3261e }
  .a3 { background: #146c2e }
  .a4 { background: #00695c }
  .a5 { background: #8a4b00 }
  .a6 { background: #ad1457 }
  .a7 { background: #455a64 }
  /* The header (author, time, "in reply to") flows as text, a gap apart; what follows the author is secondary. */
  .hd > * + * {
    margin-inline-start: .75rem;
  }
  .hd > * + *,
  .note {
    color: var(--_muted);
    font-size: .875em;
  }
  p {
    margin: 0 0 .75em;
  }
  .reply {
    justify-self: start;
    border-color: transparent;
    margin-inline-start: -.875rem;
  }
  .pending {
    outline: 1px dashed var(--_border);
  }
  .target {
    background: var(--_surface);
    box-shadow: inset 0 0 0 2px var(--_accent);
  }
  /* The box of a reply form, under the comment replied to. */
  .rf {
    margin-inline-start: 3rem;
  }
  .error {
    color: var(--_danger);
  }
  /* The skeleton: three grey bars where three comments will be. */
  .sk {
    block-size: 15rem;
    background: repeating-linear-gradient(var(--_surface) 0 4.5rem, transparent 0 5rem);
  }
`;
