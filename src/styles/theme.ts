/**
 * The theme layer: every public `--ink-*` token is read here, once, with a literal fallback, and mapped to a
 * private `--_*` variable that the elements' styles use. A page sets nothing to get a readable widget, and any
 * token it sets wins in both light and dark. Public tokens are never declared on `:host`, which would block the page.
 * @module
 */
import { css } from 'lit';

/** Dark fallbacks, used by `theme="dark"` and by `auto` under a dark preference. */
const dark = css`
  --_text: var(--ink-color-text, #e6e8eb);
  --_muted: var(--ink-color-muted, #a2a9b4);
  --_bg: var(--ink-color-background, #16181d);
  --_surface: var(--ink-color-surface, #20242b);
  --_border: var(--ink-color-border, #7d8590);
  --_accent: var(--ink-color-accent, #8ab4f8);
  --_on-accent: var(--ink-color-on-accent, #0b1220);
  --_danger: var(--ink-color-danger, #ff9d94);
  --_success: var(--ink-color-success, #7ee2a8);
  --_focus: var(--ink-color-focus, #8ab4f8);
  color-scheme: dark;
`;

/**
 * Shared by every element: tokens, the focus ring, buttons, and a visually hidden helper class.
 * @cssprop --ink-font-family - Font of all text (default: the page's).
 * @cssprop --ink-font-size - Base font size (default: the page's).
 * @cssprop --ink-color-text - Text colour.
 * @cssprop --ink-color-muted - Secondary text: times, notes, counts.
 * @cssprop --ink-color-background - Background of the widget and its inputs (`transparent` shows the page through).
 * @cssprop --ink-color-surface - Background of cards and skeletons.
 * @cssprop --ink-color-border - Borders of inputs and cards.
 * @cssprop --ink-color-accent - Buttons, links and focus.
 * @cssprop --ink-color-on-accent - Text on accent-coloured buttons.
 * @cssprop --ink-color-danger - Error messages and invalid fields.
 * @cssprop --ink-color-success - Confirmations ("Your comment was posted.").
 * @cssprop --ink-color-focus - The focus ring.
 * @cssprop --ink-radius - Corner radius.
 * @cssprop --ink-spacing - The base spacing unit.
 * @cssprop --ink-max-width - The reading measure.
 */
export const theme = css`
  :host {
    --_font: var(--ink-font-family, inherit);
    --_size: var(--ink-font-size, inherit);
    --_text: var(--ink-color-text, #1f2328);
    --_muted: var(--ink-color-muted, #59636e);
    --_bg: var(--ink-color-background, #fff);
    --_surface: var(--ink-color-surface, #f3f5f7);
    --_border: var(--ink-color-border, #7a828c);
    --_accent: var(--ink-color-accent, #0b57d0);
    --_on-accent: var(--ink-color-on-accent, #fff);
    --_danger: var(--ink-color-danger, #b3261e);
    --_success: var(--ink-color-success, #146c2e);
    --_focus: var(--ink-color-focus, #0b57d0);
    --_radius: var(--ink-radius, 6px);
    --_space: var(--ink-spacing, 1rem);
    --_measure: var(--ink-max-width, 42rem);
    color-scheme: light;
    display: block;
    box-sizing: border-box;
    max-inline-size: var(--_measure);
    font-family: var(--_font);
    font-size: var(--_size);
    line-height: 1.6;
    /* A long word or URL (a title, a name, a comment) wraps instead of pushing the page sideways. */
    overflow-wrap: anywhere;
    color: var(--_text);
    /* Painted, not left to the page: a dark widget on a light page (theme="dark", or auto under a dark
       preference on a page without a dark mode) would otherwise put light text on a white page. */
    background-color: var(--_bg);
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  a {
    color: var(--_accent);
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    min-block-size: 2.25rem;
    min-inline-size: 2.25rem;
    padding: 0.375rem 0.875rem;
    border-radius: var(--_radius);
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button:disabled {
    opacity: 0.65;
    cursor: progress;
  }
  .visually-hidden {
    position: absolute !important;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  /* Nothing moves but the form's spinner (no transition, no smooth scrolling): under reduced motion it stands still. */
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
    }
  }
`;
