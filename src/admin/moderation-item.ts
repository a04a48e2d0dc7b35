/**
 * One comment of the moderation queue, as a Lit template: who wrote it (name, email, truncated IP, how many of their
 * comments are published), where (thread, the comment it answers), why it was held, and its actions. Buttons carry
 * `data-action` and the element handles every click of the list in one listener. User text is bound as text only.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { AdminComment } from './admin-client.js';
import type { AdminTranslate } from './i18n/controller.js';
import type { Scheduled } from './moderation-queue.js';

/** What rendering an item needs besides the comment. */
export interface ItemContext {
  t: AdminTranslate;
  /** Made once per render of the list, not per item. */
  dates: Intl.DateTimeFormat;
  selected: boolean;
  /** The action waiting out its undo window, if any. */
  scheduled?: Scheduled;
  /** The inline editor is open on this comment. */
  editing: boolean;
}

/** The DOM id of a comment's article (focus moves between these with j and k). */
export const itemId = (id: string) => `item-${id}`;

const action = (t: AdminTranslate, name: 'approve' | 'spam' | 'restore' | 'delete' | 'edit', secondary = true) =>
  html`<button type="button" part="button" class=${secondary ? 'secondary' : ''} data-action=${name}>${t(name)}</button>`;

/** One comment of the queue, inside its `<li>`. */
export function renderItem(comment: AdminComment, { t, dates, selected, scheduled, editing }: ItemContext): TemplateResult {
  const { id, name, email, ip, status, heldReason, parent, thread } = comment;
  const heading = `h-${id}`;
  const reason = heldReason && status !== 'published' ? t(`reason.${heldReason}` as 'reason.links') : '';
  return html`<article id=${itemId(id)} class="item ${status}" part="item" tabindex="-1" aria-labelledby=${heading} data-id=${id}>
    <div class="select">
      <input type="checkbox" id="select-${id}" data-select .checked=${selected} />
      <label for="select-${id}" class="visually-hidden">${t('select.one', { name })}</label>
    </div>
    <header class="meta">
      <h3 id=${heading} class="name">${name}</h3>
      <span class="badge ${status}">${t(`status.${status}`)}</span>
      <time datetime=${comment.createdAt}>${dates.format(new Date(comment.createdAt))}</time>
    </header>
    <ul class="facts">
      <li><span class="label">${t('item.email')}</span> ${email}</li>
      ${ip ? html`<li><span class="label">${t('item.ip')}</span> ${ip}</li>` : nothing}
      <li>${t('item.approvedCount', { n: comment.authorApproved })}</li>
      ${reason ? html`<li class="held">${t('item.held', { reason })}</li>` : nothing}
    </ul>
    <p class="thread">
      <span>${t('item.on', { thread })}</span>
      <button type="button" part="button" class="link" data-action="thread">${t('item.threadView')}</button>
    </p>
    ${parent
      ? html`<blockquote class="parent"><span class="parent-name">${t('item.inReplyTo', { name: parent.name })}</span> ${parent.body}</blockquote>`
      : nothing}
    ${editing
      ? html`<form class="edit" data-edit>
          <label for="edit-${id}">${t('edit.label')}</label>
          <textarea id="edit-${id}" part="input" rows="5" .value=${comment.body}></textarea>
          <div class="actions">
            <button type="submit" part="button">${t('save')}</button>
            <button type="button" part="button" class="secondary" data-action="cancel">${t('cancel')}</button>
          </div>
        </form>`
      : html`<p class="body" part="body">${scheduled?.action === 'edit' ? scheduled.body : comment.body}</p>`}
    ${scheduled
      ? html`<p class="actions scheduled">
          <span>${t(`scheduled.${scheduled.action}`)}</span>
          <button type="button" part="button" data-action="undo">${t('undo')}</button>
        </p>`
      : editing
        ? nothing
        : html`<p class="actions">
            ${status !== 'published' ? action(t, 'approve', false) : nothing}
            ${status === 'spam' ? action(t, 'restore') : action(t, 'spam')}
            ${action(t, 'edit')} ${action(t, 'delete')}
          </p>`}
  </article>`;
}
