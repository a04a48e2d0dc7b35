/**
 * The styles of `<ink-comment-form>`, after the shared theme, which already sets font, colour, box-sizing,
 * buttons, `.visually-hidden` and the focus ring. They read only the theme's private variables (`--_space`,
 * `--_border`, `--_radius`, `--_danger`, `--_accent`, `--_muted`, `--_success`), so every public `--ink-*` token
 * the form follows is one of the theme's.
 * @module
 */
import { css } from 'lit';

export const commentFormStyles = css`
  [part=heading] {
    margin: 0 0 calc(var(--_space)/2);
    font-size: 1.25em;
    font-weight: 600;
    line-height: 1.3;
  }
  form,
  .field {
    display: grid;
    gap: calc(var(--_space)*.75);
  }
  .field {
    gap: .25rem;
  }
  p {
    margin: 0;
  }
  .field input,
  textarea {
    font: inherit;
    color: inherit;
    /* The host's background shows through. */
    background: none;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    /* With the inherited line height, 2.75rem tall: a comfortable target. The grid stretches it. */
    padding: .5rem;
    resize: vertical;
  }
  [aria-invalid=true] {
    border-color: var(--_danger);
    /* A thicker border, not only a red one. */
    box-shadow: inset 0 0 0 1px var(--_danger);
  }
  .check {
    display: flex;
    gap: .5rem;
    align-items: start;
  }
  .check input {
    flex: none;
    inline-size: 1.5rem;
    block-size: 1.5rem;
    margin: 0;
    accent-color: var(--_accent);
  }
  [part=note] {
    color: var(--_muted);
    font-size: .875em;
  }
  /* After the note, which the character count over the limit also is. */
  .req,
  .error,
  [part=error],
  .failed {
    color: var(--_danger);
  }
  .posted {
    color: var(--_success);
  }
  [part=error] button {
    margin-inline-start: .5rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: .5rem;
    align-items: center;
  }
  /* Empty: its padding makes it a square, its border a ring with a gap. */
  .spinner {
    display: inline-block;
    padding: .4em;
    margin-inline-end: .5rem;
    vertical-align: -.125em;
    border: 2px solid;
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: spin .8s linear infinite;
  }
  @keyframes spin {
    to {
      rotate: 1turn;
    }
  }
`;
