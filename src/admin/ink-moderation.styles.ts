/**
 * The styles of `<ink-moderation>`, after the shared theme (`src/styles/theme.ts`), which reads the public `--ink-*`
 * tokens into the private `--_*` variables used here. Logical properties throughout (Arabic and Hebrew lay out right
 * to left); every target at least 24 px; nothing wider than a 320 px phone.
 * @module
 */
import { css } from 'lit';

export const inkModerationStyles = css`
  :host {
    --_measure: var(--ink-max-width, 60rem);
    padding: 0.75rem;
  }
  h1 {
    font-size: 1.375rem;
    margin: 0;
    margin-inline-end: auto;
  }
  h2 {
    font-size: 1.125rem;
    margin-block: 0.5rem;
  }
  h3 {
    font-size: 1rem;
    margin: 0;
  }
  .top,
  .views,
  .statuses,
  .bulk,
  .search,
  .block-form,
  .actions,
  .meta,
  .thread-view {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .top {
    margin-block-end: 0.75rem;
  }
  .who {
    margin: 0;
  }
  .muted,
  time {
    color: var(--_muted);
  }
  .error {
    color: var(--_danger);
  }
  .views,
  .statuses {
    margin-block-end: 0.75rem;
  }
  .tab {
    background: transparent;
    color: var(--_accent);
  }
  .tab[aria-current='page'],
  .tab[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .count {
    font-variant-numeric: tabular-nums;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    min-inline-size: 0;
  }
  .grow {
    flex: 1 1 12rem;
  }
  .search,
  .block-form {
    align-items: end;
    margin-block-end: 0.75rem;
  }
  input:not([type='checkbox']),
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.375rem 0.5rem;
    min-block-size: 2.25rem;
    inline-size: 100%;
    max-inline-size: 100%;
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  input[type='checkbox'] {
    inline-size: 1.5rem;
    block-size: 1.5rem;
    margin: 0;
    accent-color: var(--_accent);
    flex: none;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }
  .sign-in {
    display: grid;
    gap: 0.75rem;
    max-inline-size: 28rem;
  }
  .sign-in p {
    margin: 0;
  }
  .sign-in button {
    justify-self: start;
  }
  .bulk {
    padding: 0.5rem;
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .fresh {
    inline-size: 100%;
    margin-block: 0.5rem;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .list > li + li {
    margin-block-start: 0.75rem;
  }
  .list {
    margin-block-start: 0.75rem;
  }
  .item {
    display: grid;
    grid-template-columns: 2rem minmax(0, 1fr);
    column-gap: 0.5rem;
    padding: 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .item > * {
    grid-column: 2;
    min-inline-size: 0;
  }
  .item > .select {
    grid-column: 1;
    grid-row: 1 / span 2;
  }
  .badge {
    font-size: 0.8125rem;
    padding-inline: 0.5rem;
    border-radius: 1rem;
    border: 1px solid currentColor;
  }
  .badge.published {
    color: var(--_success);
  }
  .badge.spam {
    color: var(--_danger);
  }
  .facts {
    display: flex;
    flex-wrap: wrap;
    column-gap: 1rem;
    font-size: 0.875rem;
    color: var(--_muted);
  }
  .label {
    font-weight: 600;
  }
  .held {
    color: var(--_text);
    font-weight: 600;
  }
  .thread,
  .body,
  .parent,
  .actions {
    margin-block: 0.5rem 0;
  }
  .thread {
    font-size: 0.875rem;
  }
  .body {
    white-space: pre-wrap;
  }
  .parent {
    margin-inline: 0;
    padding-inline-start: 0.75rem;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
    font-size: 0.875rem;
  }
  .parent-name {
    font-weight: 600;
  }
  button.link {
    background: none;
    border: 0;
    padding: 0;
    min-inline-size: 0;
    min-block-size: 1.5rem;
    color: var(--_accent);
    text-decoration: underline;
  }
  .scheduled {
    font-weight: 600;
  }
  .edit {
    display: grid;
    gap: 0.25rem;
    margin-block-start: 0.5rem;
  }
  .item:focus-visible,
  .item:focus {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .table-box {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    inline-size: 100%;
    font-size: 0.875rem;
  }
  th,
  td {
    text-align: start;
    padding: 0.375rem 0.5rem;
    border-block-end: 1px solid var(--_border);
  }
  .blocks li {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    padding-block: 0.5rem;
    border-block-end: 1px solid var(--_border);
  }
  dialog {
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    max-inline-size: min(28rem, calc(100vw - 2rem));
  }
  .keys div {
    display: flex;
    gap: 0.75rem;
  }
  .keys dd {
    margin: 0;
  }
  kbd {
    display: inline-block;
    min-inline-size: 1.5rem;
    text-align: center;
    border: 1px solid var(--_border);
    border-radius: 4px;
    font-family: inherit;
  }
  @media (max-width: 30rem) {
    :host {
      padding: 0.5rem;
    }
    .item {
      padding: 0.5rem;
    }
  }
`;
