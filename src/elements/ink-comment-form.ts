import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { DEFAULT_TIMEOUT, InkClientError, newIdempotencyKey, postComment } from '../client.js';
import { emit, type InkSubmitDetail } from '../events.js';
import { LocaleController, describeError } from '../i18n/controller.js';
import type { PluralForms } from '../i18n/index.js';
import { checkInput, codePoints, isHttpUrl, limits, type ParsedCommentInput } from '../rules.js';
import { clearDraft, clearIdentity, getDraft, getIdentity, setDraft, setIdentity } from '../storage.js';
import { theme } from '../styles/theme.js';

type Field = 'body' | 'name' | 'email' | 'website';
const FIELDS: Field[] = ['body', 'name', 'email', 'website'];

// A bare host such as `example.com` or `www.example.com/about`: what readers type when they mean a web address.
const HOST_LIKE = /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(:\d+)?([/?#]\S*)?$/u;

/** The https address a reader probably meant by a value without a scheme, if it looks like a host. */
const suggestUrl = (value: string): string | undefined => {
  const v = value.trim();
  return HOST_LIKE.test(v) && isHttpUrl(`https://${v}`) ? `https://${v}` : undefined;
};

/** The default thread: the canonical URL's path (one thread for every URL of one article), else this page's. */
function pageThread(): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]');
  try {
    if (canonical?.href) return new URL(canonical.href, location.href).pathname;
  } catch {
    // An unreadable canonical link: fall back to the page's path.
  }
  return location.pathname;
}

/**
 * The comment form: Comment, Name, Email, Website, "remember me", Post Comment. Validates with the shared schema,
 * posts through the shared client with an `Idempotency-Key`, keeps the unsent text as a draft and says what happened.
 *
 * @summary A comment form that loses nothing: drafts survive reloads and every failure keeps what was typed.
 *
 * @slot actions - Buttons after "Post Comment", such as the "Cancel reply" of `<ink-comments>`.
 *
 * @csspart heading - The heading ("Leave a comment" or the `heading` property).
 * @csspart form - The `<form>`.
 * @csspart field - The wrapper of one label, control and error.
 * @csspart label - Each `<label>`.
 * @csspart input - Each `<input>` and the `<textarea>`.
 * @csspart button - "Post Comment" and "Retry".
 * @csspart error - A field's error message, the error summary and the configuration error.
 * @csspart status - The live status: sending, posted, awaiting moderation or failed.
 * @csspart note - "Required fields are marked *", the email privacy note and the character count.
 *
 * @cssprop --ink-color-accent - The buttons and the focus ring.
 * @cssprop --ink-color-border - Input borders.
 * @cssprop --ink-color-danger - Error messages, invalid fields and the required mark.
 * @cssprop --ink-color-success - The "posted" status.
 * @cssprop --ink-radius - Corners of inputs and buttons.
 * @cssprop --ink-spacing - Space between fields.
 *
 * @fires ink-submit - Before posting, cancelable; `detail.input` is the CommentInput, which a listener may extend (a captcha token).
 * @fires ink-posted - The server accepted the comment; `detail.comment` is the public Comment.
 * @fires ink-error - The post failed; `detail.error` is `{ code, message, status? }`.
 */
export class InkCommentForm extends LitElement {
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  static override styles = [
    theme,
    css`
      .heading {
        margin: 0 0 calc(var(--_space) / 2);
        font-size: 1.25em;
        font-weight: 600;
        line-height: 1.3;
      }
      form,
      .field {
        display: grid;
        gap: calc(var(--_space) * 0.75);
      }
      .field {
        gap: 0.25rem;
      }
      p {
        margin: 0;
      }
      input,
      textarea {
        font: inherit;
        color: inherit;
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 0.5rem 0.625rem;
        inline-size: 100%;
        min-block-size: 2.5rem;
      }
      textarea {
        min-block-size: 8rem;
        resize: vertical;
      }
      [aria-invalid='true'] {
        border-color: var(--_danger);
        box-shadow: inset 0 0 0 1px var(--_danger);
      }
      .check {
        display: flex;
        gap: 0.5rem;
        align-items: start;
      }
      .check input {
        flex: none;
        inline-size: 1.5rem;
        min-block-size: 1.5rem;
        margin: 0;
        accent-color: var(--_accent);
      }
      .req,
      .error,
      .failed {
        color: var(--_danger);
      }
      .note {
        color: var(--_muted);
        font-size: 0.875em;
      }
      .posted {
        color: var(--_success);
      }
      .error button {
        margin-inline-start: 0.5rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      .spinner {
        display: inline-block;
        inline-size: 1em;
        block-size: 1em;
        margin-inline-end: 0.5rem;
        vertical-align: -0.125em;
        border: 2px solid currentColor;
        border-inline-end-color: transparent;
        border-radius: 50%;
        animation: spin 0.8s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(1turn);
        }
      }
    `,
  ];

  /** URL of the comments API (absolute or relative to the page). Required. */
  @property() endpoint = '';
  /** Thread id; when empty, `<link rel=canonical>`'s path, else `location.pathname`. */
  @property() thread = '';
  /** Id of the comment replied to; empty for a top-level comment. */
  @property() parent = '';
  /** Milliseconds a post may take before it fails as timed out. */
  @property({ type: Number }) timeout = DEFAULT_TIMEOUT;
  /** Heading text; empty shows "Leave a comment". `<ink-comments>` sets "Leave a reply to NAME". */
  @property() heading = '';
  /** Level of the heading, 1 to 6. */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 2;
  /** Hides the heading, for a page that puts its own above the form (the form keeps it as its accessible name). */
  @property({ attribute: 'no-heading', type: Boolean }) noHeading = false;
  /** `auto` follows the reader's colour-scheme preference; `light` or `dark` force one. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Overrides of any UI string, by key (see `src/i18n/en.ts`). */
  @property({ attribute: false }) strings?: Partial<Record<string, string | PluralForms>>;

  @state() private _v = { body: '', name: '', email: '', website: '', remember: false, hp: '' };
  @state() private _errors: Partial<Record<string, string>> = {};
  @state() private _state: 'idle' | 'sending' | 'posted' | 'failed' = 'idle';
  /** A string key for the status line (sending, posted…): translated at render, so a late locale still applies. */
  @state() private _status = '';
  @state() private _failure = '';
  @state() private _retry = false;
  /** A submit was tried: the error summary shows from then on (before, it only speaks). */
  @state() private _tried = false;
  private _dirty = new Set<string>();
  /** The Idempotency-Key of the comment being posted; kept until the server accepts it or the input changes. */
  private _key?: string;
  /** Endpoint, thread and parent: where the shown draft is kept. */
  private _at: [string, string, string] = ['', '', ''];
  private _l = new LocaleController(this);

  override connectedCallback() {
    super.connectedCallback();
    const id = getIdentity();
    if (id && !this._v.name && !this._v.email) {
      const s = (x: unknown) => (typeof x === 'string' ? x : '');
      this._v = { ...this._v, name: s(id.name), email: s(id.email), website: s(id.website), remember: true };
    }
  }

  override willUpdate() {
    const at: [string, string, string] = [this.endpoint, this.thread || pageThread(), this.parent];
    if (at.join('\n') === this._at.join('\n')) return;
    // Another thread or another comment replied to: show the draft kept for it (the one shown so far is saved).
    this._at = at;
    const draft = getDraft(...at);
    this._v = { ...this._v, body: typeof draft?.body === 'string' ? draft.body : '' };
    this._key = draft?.key;
    this._errors = {};
    this._state = 'idle';
    this._status = this._v.body ? 'form.draftRestored' : '';
  }

  private _saveDraft() {
    if (this.endpoint) setDraft(...this._at, { body: this._v.body, key: this._key });
  }

  private _remember() {
    if (this._v.remember) setIdentity(this._v);
    else clearIdentity();
  }

  private _onInput(e: Event) {
    const el = e.target as HTMLInputElement;
    if (Object.hasOwn(this._v, el.name)) this._set(el.name, el.type === 'checkbox' ? el.checked : el.value);
  }

  private _set(name: string, value: string | boolean) {
    this._v = { ...this._v, [name]: value };
    this._dirty.add(name);
    if (name === 'remember') this._remember();
    else if (name !== 'hp') {
      // Changed input is another request: reusing its key would make the server answer `idempotency_mismatch`
      // (or replay the old comment). A retry of unchanged input keeps the key, even across a reload.
      if (name === 'body' || this._key) {
        this._key = undefined;
        this._saveDraft();
      }
      if (this._v.remember && name !== 'body') this._remember();
    }
    if (this._errors[name]) this._validate(name);
  }

  private _onBlur(e: FocusEvent) {
    const name = (e.target as HTMLInputElement).name;
    if (this._dirty.has(name) || this._errors[name]) this._validate(name);
  }

  private _onKeydown(e: KeyboardEvent) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      (e.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  }

  private _useSuggestion(url: string) {
    this._set('website', url);
    this._validate('website');
    void this.updateComplete.then(() => this._focus('website'));
  }

  private async _onSubmit(e?: Event) {
    e?.preventDefault();
    if (this._state === 'sending' || !this.endpoint) return;
    const { t } = this._l;
    this._tried = true;
    this._state = 'idle';
    this._status = '';
    const parsed = this._validate();
    if (!parsed) return this._focusInvalid();
    const detail: InkSubmitDetail = { input: { ...parsed } };
    if (!emit(this, 'ink-submit', detail, true)) return;

    const at = this._at;
    const sent = this._v.body;
    const key = (this._key ??= newIdempotencyKey());
    this._saveDraft();
    this._state = 'sending';
    this._status = 'form.sending';
    let fields: Record<string, string> | undefined;
    try {
      const comment = await postComment(this.endpoint, detail.input, key, { timeout: this.timeout });
      clearDraft(...at);
      if (this._key === key) this._key = undefined;
      // Text typed while the post was in flight is a new draft, not part of the accepted comment.
      if (this._at === at && this._v.body === sent) {
        this._v = { ...this._v, body: '' };
        this._dirty.delete('body');
      }
      this._saveDraft();
      this._state = 'posted';
      this._status = comment.status === 'pending' ? 'form.pending' : 'form.posted';
      emit(this, 'ink-posted', { comment });
    } catch (err) {
      const error = describeError(t, err);
      const client = err instanceof InkClientError && err.kind === 'client';
      // A 4xx (not 429) stored nothing: retrying the same request cannot help, and a corrected one needs a new key.
      this._retry = !client;
      if (client && this._key === key) {
        this._key = undefined;
        this._saveDraft();
      }
      fields = err instanceof InkClientError ? err.fields : undefined;
      if (fields) this._errors = { ...fields };
      this._state = 'failed';
      this._failure = error.message;
      emit(this, 'ink-error', { error });
    }
    await this.updateComplete;
    const active = this.shadowRoot!.activeElement;
    if (fields && FIELDS.some((f) => fields![f])) this._focusInvalid();
    // Focus left a disabled or removed button: put it on the outcome, which a screen reader then reads.
    else if (!active || active.localName === 'button') this._focus('status');
  }

  /** Checks the fields with the shared rules (the ones the server's schema applies) and shows the errors of one field (`only`) or of all. */
  private _validate(only?: string): ParsedCommentInput | undefined {
    const { t } = this._l;
    const { body, name, email, website, hp } = this._v;
    const r = checkInput({ thread: this._at[1], parentId: this.parent || null, name, email, website, body, hp });
    const errors: Record<string, string> = {};
    if (!r.ok) {
      for (const [f, key] of Object.entries(r.errors)) errors[f] = t(key, { max: this._num(limits[f as keyof typeof limits]) });
    }
    this._errors = only ? { ...this._errors, [only]: errors[only] } : errors;
    return r.ok ? r.data : undefined;
  }

  private async _focusInvalid() {
    await this.updateComplete;
    const f = FIELDS.find((f) => this._errors[f]);
    if (f) this._focus(f);
  }

  private _focus(id: string) {
    this.renderRoot.querySelector<HTMLElement>(`#${id}`)?.focus();
  }

  private _num(n: number) {
    return new Intl.NumberFormat(this._l.lang).format(n);
  }

  override render() {
    const { t } = this._l;
    const name = this.heading || t('form.heading');
    const heading = this.noHeading
      ? nothing
      : html`<div part="heading" class="heading" role="heading" aria-level=${this.headingLevel} dir=${this._l.dir}>${name}</div>`;
    if (!this.endpoint) return html`${heading}<p part="error" class="error" role="alert" dir=${this._l.dir}>${t('form.noEndpoint')}</p>`;

    const { _v: v, _state: st } = this;
    const n = codePoints(v.body);
    const over = n - limits.body;
    const counted = n > limits.body * 0.9;
    const errors = Object.entries(this._errors).filter(([, m]) => m);
    const general = errors.filter(([f]) => !FIELDS.includes(f as Field)).map(([, m]) => m);
    return html`${heading}
      <form part="form" novalidate aria-label=${name} dir=${this._l.dir} @submit=${this._onSubmit} @input=${this._onInput} @focusout=${this._onBlur}>
        <p part="note" class="note">${t('form.required')}</p>
        ${this._field(
          'body',
          html`<textarea
            part="input"
            id="body"
            name="body"
            rows="6"
            dir="auto"
            required
            aria-invalid=${this._errors.body ? 'true' : 'false'}
            aria-describedby=${ifDefined(this._describedBy('body', counted))}
            .value=${live(v.body)}
            @keydown=${this._onKeydown}
          ></textarea>`,
          counted
            ? html`<p part="note" id="body-count" class=${over > 0 ? 'error' : 'note'}>
                ${t('form.count', { count: this._num(n), max: this._num(limits.body) })}
                ${over > 0 ? t('form.tooLong', { n: over }) : ''}
              </p>`
            : nothing,
        )}
        ${this._field('name', this._input('name', 'text', 'name'))}
        ${this._field('email', this._input('email', 'email', 'email'), html`<p part="note" id="email-note" class="note">${t('form.emailNote')}</p>`)}
        ${this._field('website', this._input('website', 'url', 'url'))}
        <div part="field" class="field check">
          <input part="input" type="checkbox" id="remember" name="remember" .checked=${live(v.remember)} />
          <label part="label" for="remember">${t('form.remember')}</label>
        </div>
        <div class="visually-hidden" aria-hidden="true">
          <label for="hp">${t('form.honeypot')}</label>
          <input id="hp" name="hp" tabindex="-1" autocomplete="off" .value=${live(v.hp)} />
        </div>
        <p part="error" class=${this._tried ? 'error' : 'visually-hidden'} aria-live="polite">
          ${errors.length ? t('form.errorSummary', { n: errors.length }) : ''} ${general.join(' ')}
        </p>
        <div class="actions">
          <button part="button" type="submit" ?disabled=${st === 'sending'}>
            ${st === 'sending' ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}${t('form.submit')}
          </button>
          <slot name="actions"></slot>
        </div>
        <p part="status" id="status" role="status" tabindex="-1" class=${st}>
          ${st === 'failed' ? this._failure : this._status && t(this._status)}
        </p>
        ${st === 'failed' && this._retry
          ? html`<div><button part="button" type="button" class="secondary" @click=${this._onSubmit}>${t('form.retry')}</button></div>`
          : nothing}
      </form>`;
  }

  private _describedBy(f: Field, counted = false) {
    return [this._errors[f] && `${f}-error`, f === 'email' && 'email-note', counted && 'body-count'].filter(Boolean).join(' ') || undefined;
  }

  private _input(f: Exclude<Field, 'body'>, type: string, autocomplete: string) {
    return html`<input
      part="input"
      id=${f}
      name=${f}
      type=${type}
      autocomplete=${autocomplete}
      dir="auto"
      spellcheck=${f === 'name' ? 'true' : 'false'}
      ?required=${f !== 'website'}
      aria-invalid=${this._errors[f] ? 'true' : 'false'}
      aria-describedby=${ifDefined(this._describedBy(f))}
      .value=${live(this._v[f])}
    />`;
  }

  /** One field: label (with the required mark), control, an optional note, and its error. */
  private _field(f: Field, control: unknown, note: unknown = nothing) {
    const { t } = this._l;
    const err = this._errors[f];
    const url = f === 'website' && err ? suggestUrl(this._v.website) : undefined;
    return html`<div part="field" class="field">
      <label part="label" for=${f}>${t(`form.${f}`)}${f === 'website' ? nothing : html` <span class="req" aria-hidden="true">*</span>`}</label>
      ${control} ${note}
      ${err
        ? html`<p part="error" class="error" id="${f}-error">
            ${url ? t('form.didYouMean', { url }) : err}
            ${url
              ? html`<button type="button" class="secondary" part="button" @click=${() => this._useSuggestion(url)}>${t('form.useSuggestion', { url })}</button>`
              : nothing}
          </p>`
        : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ink-comment-form': InkCommentForm;
  }
}

if (!customElements.get('ink-comment-form')) customElements.define('ink-comment-form', InkCommentForm);
