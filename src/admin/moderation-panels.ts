/**
 * The two side views of `<ink-moderation>`: the audit log (who did what, when) and the blocks (emails and IP networks
 * whose comments are always held). A Lit controller holds their data; the render functions draw them.
 * @module
 */
import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import type { AuditEntry, Block } from './admin-client.js';
import { describeAdminError, type QueueHost } from './moderation-queue.js';
import type { AdminTranslate } from './i18n/controller.js';

export class PanelsController implements ReactiveController {
  entries: AuditEntry[] = [];
  auditCursor: string | null = null;
  blocks: Block[] = [];
  state: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  error = '';
  /** The block form's error (the server's sentence about the value). */
  blockError = '';

  constructor(private host: QueueHost) {
    host.addController(this);
  }

  hostConnected() {}

  /** Runs a load, with the shared loading and error state. */
  private async _run(work: () => Promise<void>) {
    this.state = 'loading';
    this.error = '';
    this.host.requestUpdate();
    try {
      await work();
      this.state = 'ready';
    } catch (error) {
      if ((error as { kind?: string }).kind === 'unauthorized') return this.host.signedOut();
      this.state = 'error';
      this.error = describeAdminError(this.host.t, error);
    }
    this.host.requestUpdate();
  }

  /** The first page of the audit log, or the next one. */
  loadAudit(more = false) {
    return this._run(async () => {
      const page = await this.host.client!.audit(more ? this.auditCursor : null);
      this.entries = more ? this.entries.concat(page.entries) : page.entries;
      this.auditCursor = page.nextCursor;
    });
  }

  loadBlocks() {
    return this._run(async () => {
      this.blocks = await this.host.client!.blocks();
    });
  }

  /** Adds a block; true when the server accepted it. */
  async addBlock(kind: Block['kind'], value: string): Promise<boolean> {
    const t = this.host.t;
    try {
      const block = await this.host.client!.addBlock(kind, value.trim());
      this.blocks = [block, ...this.blocks];
      this.blockError = '';
      this.host.announce(t('blocks.added'));
      return true;
    } catch (error) {
      if ((error as { kind?: string }).kind === 'unauthorized') this.host.signedOut();
      this.blockError = describeAdminError(t, error);
      this.host.announce(this.blockError, true);
      return false;
    } finally {
      this.host.requestUpdate();
    }
  }

  async removeBlock(id: string) {
    const t = this.host.t;
    try {
      await this.host.client!.removeBlock(id);
      this.blocks = this.blocks.filter((b) => b.id !== id);
      this.host.announce(t('blocks.removed'));
    } catch (error) {
      if ((error as { kind?: string }).kind === 'unauthorized') return this.host.signedOut();
      this.host.announce(t('error.action', { message: describeAdminError(t, error) }), true);
    }
    this.host.requestUpdate();
  }
}

/** The loading line or the error with its Retry button, shared by both views. */
function loadState(panels: PanelsController, t: AdminTranslate, retry: () => void) {
  if (panels.state === 'loading') return html`<p class="muted">${t('loading')}</p>`;
  if (panels.state === 'error')
    return html`<p class="error" part="error" role="alert">${panels.error} <button type="button" part="button" @click=${retry}>${t('retry')}</button></p>`;
  return nothing;
}

/** The audit log as a table. */
export function renderAudit(panels: PanelsController, t: AdminTranslate, dates: Intl.DateTimeFormat): TemplateResult {
  const { entries } = panels;
  return html`<section class="panel" aria-labelledby="audit-heading">
    <h2 id="audit-heading">${t('audit.heading')}</h2>
    ${entries.length
      ? html`<div class="table-box"><table>
          <thead><tr><th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.who')}</th><th scope="col">${t('audit.what')}</th><th scope="col">${t('audit.comment')}</th></tr></thead>
          <tbody>${entries.map((e) => html`<tr>
            <td><time datetime=${e.at}>${dates.format(new Date(e.at))}</time></td>
            <td>${e.moderator}</td><td>${e.action}</td><td>${e.commentId ?? ''}</td>
          </tr>`)}</tbody>
        </table></div>`
      : panels.state === 'ready' ? html`<p>${t('audit.empty')}</p>` : nothing}
    ${loadState(panels, t, () => void panels.loadAudit())}
    ${panels.auditCursor && panels.state === 'ready'
      ? html`<button type="button" part="button" class="secondary" @click=${() => void panels.loadAudit(true)}>${t('loadMore')}</button>`
      : nothing}
  </section>`;
}

/** The blocks: a form to add one, and the list with a Remove button each. */
export function renderBlocks(panels: PanelsController, t: AdminTranslate, dates: Intl.DateTimeFormat): TemplateResult {
  const onSubmit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    if (await panels.addBlock(field('kind') as Block['kind'], field('value'))) form.reset();
    else form.querySelector<HTMLInputElement>('#block-value')?.focus();
  };
  const invalid = !!panels.blockError;
  return html`<section class="panel" aria-labelledby="blocks-heading">
    <h2 id="blocks-heading">${t('blocks.heading')}</h2>
    <p class="muted">${t('blocks.note')}</p>
    <form class="block-form" novalidate @submit=${onSubmit}>
      <div class="field">
        <label for="block-kind">${t('blocks.kind')}</label>
        <select id="block-kind" name="kind" part="input">
          <option value="email">${t('blocks.email')}</option>
          <option value="ip">${t('blocks.ip')}</option>
        </select>
      </div>
      <div class="field grow">
        <label for="block-value">${t('blocks.value')}</label>
        <input id="block-value" name="value" part="input" autocomplete="off" required
          aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${invalid ? 'block-error' : nothing} />
      </div>
      <button type="submit" part="button">${t('blocks.add')}</button>
      ${invalid ? html`<p id="block-error" class="error" part="error">${panels.blockError}</p>` : nothing}
    </form>
    ${panels.blocks.length
      ? html`<ul class="blocks">${panels.blocks.map((b) => html`<li>
          <span><strong>${b.value}</strong> <span class="muted">${t(b.kind === 'email' ? 'blocks.email' : 'blocks.ip')} · ${t('blocks.by', { name: b.createdBy, date: dates.format(new Date(b.createdAt)) })}</span></span>
          <button type="button" part="button" class="secondary" aria-label=${t('blocks.remove', { value: b.value })} @click=${() => void panels.removeBlock(b.id)}>${t('blocks.removeShort')}</button>
        </li>`)}</ul>`
      : panels.state === 'ready' ? html`<p>${t('blocks.empty')}</p>` : nothing}
    ${loadState(panels, t, () => void panels.loadBlocks())}
  </section>`;
}

/** The keys, for the help dialog. */
export function renderHelp(t: AdminTranslate): TemplateResult {
  const keys: [string, Parameters<AdminTranslate>[0]][] = [
    ['j', 'keys.next'], ['k', 'keys.previous'], ['a', 'keys.approve'], ['s', 'keys.spam'], ['d', 'keys.delete'], ['/', 'keys.search'], ['?', 'keys.help'],
  ];
  return html`<h2 id="help-heading">${t('keys.heading')}</h2>
    <dl class="keys">${keys.map(([key, label]) => html`<div><dt><kbd>${key}</kbd></dt><dd>${t(label)}</dd></div>`)}</dl>
    <p class="muted">${t('keys.note')}</p>`;
}
