import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import { live } from 'lit/directives/live.js';
import { DEFAULT_TIMEOUT, InkClientError, defaultThread, newIdempotencyKey, postComment } from '../client.js';
import { emit, type InkSubmitDetail } from '../events.js';
import { LocaleController, describeError } from '../i18n/controller.js';
import type { PluralForms } from '../i18n/index.js';
import { checkInput, codePoints, isHttpUrl, limits, type ParsedCommentInput } from '../rules.js';
import { clearDraft, clearIdentity, getDraft, getIdentity, setDraft, setIdentity } from '../storage.js';
import { theme } from '../styles/theme.js';

type Field = 'body' | 'name' | 'email' | 'website';
const FIELDS: Field[] = ['body', 'name', 'email', 'website'];

// A bare host such as `example.com` or `www.example.com/about`: what readers type when they mean a web address.
const HOST_LIKE = /^https:\/\/[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(:\d+)?([/?#]\S*)?$/u;

/** The https address a reader probably meant by a value without a scheme, if it looks like a host. */
const suggestUrl = (value: string): string | undefined => {
  const url = 'https://' + value.trim();
  return HOST_LIKE.test(url) && isHttpUrl(url) ? url : undefined;
};

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

  // The theme already sets font, colour, box-sizing, buttons, .visually-hidden and the focus ring.
  static override styles = [
    theme,
    css`
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
    `,
  ];

  // Declared here rather than with decorators, which cost about 50 bytes per property in the script-tag file.
  static override properties: PropertyDeclarations = {
    endpoint: {},
    thread: {},
    parent: {},
    timeout: { type: Number },
    heading: {},
    headingLevel: { attribute: 'heading-level', type: Number },
    noHeading: { attribute: 'no-heading', type: Boolean },
    theme: { reflect: true },
    strings: { attribute: false },
    _v: { state: true },
    _errs: { state: true },
    _st: { state: true },
  };

  /** URL of the comments API (absolute or relative to the page). Required. */
  endpoint = '';
  /** Thread id; when empty, `<link rel=canonical>`'s path, else `location.pathname`. */
  thread = '';
  /** Id of the comment replied to; empty for a top-level comment. */
  parent = '';
  /** Milliseconds a post may take before it fails as timed out. */
  timeout = DEFAULT_TIMEOUT;
  /** Heading text; empty shows "Leave a comment". `<ink-comments>` sets "Leave a reply to NAME". */
  heading = '';
  /** Level of the heading, 1 to 6. */
  headingLevel = 2;
  /** Hides the heading, for a page that puts its own above the form (the form keeps it as its accessible name). */
  noHeading = false;
  /** `auto` follows the reader's colour-scheme preference; `light` or `dark` force one. */
  theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Overrides of any UI string, by key (see `src/i18n/en.ts`). */
  strings?: Partial<Record<string, string | PluralForms>>;

  /** What the reader typed and ticked. */
  private _v = { body: '', name: '', email: '', website: '', remember: false, hp: '' };
  /** Error messages by field (server 422 fields may name others, shown in the summary). */
  private _errs: Partial<Record<string, string>> = {};
  /**
   * The outcome shown in the status line: `form.${_st}` translated at render (so a late locale still applies),
   * or the error of `failed`.
   */
  private _st: '' | 'draftRestored' | 'sending' | 'posted' | 'pending' | 'failed' = '';
  // Set together with _st or _errs, so they need no update of their own.
  /** The error of the last post, while `_st` is `failed`. */
  private _fail: unknown;
  /** A submit was tried: the error summary shows from then on (before, it only speaks). */
  private _tried = false;
  /**
   * The Idempotency-Key of the comment being posted; kept until the server accepts it or the input changes. While
   * it is kept after a failure, the same request may be sent again: that is when "Retry" shows.
   */
  private _key?: string;
  /** Endpoint, thread and parent: where the shown draft is kept. */
  private _at: [string, string, string] = ['', '', ''];
  private _l = new LocaleController(this);

  override connectedCallback() {
    super.connectedCallback();
    const id = getIdentity();
    // Only into a form the reader has not started: this runs again whenever the element is moved.
    // setIdentity() stores exactly name, email and website.
    if (id && !this._v.name && !this._v.email) this._v = { ...this._v, ...id, remember: true };
  }

  override willUpdate() {
    const at: [string, string, string] = [this.endpoint, this.thread || defaultThread(), this.parent];
    if (at.every((x, i) => x === this._at[i])) return;
    // Another thread or another comment replied to: show the draft kept for it (the one shown so far is saved).
    this._at = at;
    const draft = getDraft(...at);
    this._v = { ...this._v, body: draft?.body ?? '' };
    this._key = draft?.key;
    this._errs = {};
    this._st = draft ? 'draftRestored' : '';
  }

  private _save() {
    setDraft(...this._at, { body: this._v.body, key: this._key });
  }

  private _onInput(e: Event) {
    const el = e.target as HTMLInputElement;
    if (el.name in this._v) this._set(el.name, el.type === 'checkbox' ? el.checked : el.value);
  }

  private _set(name: string, value: string | boolean) {
    this._v = { ...this._v, [name]: value };
    if (name !== 'remember') {
      // Changed input is another request: reusing its key would make the server answer `idempotency_mismatch`
      // (or replay the old comment). A retry of unchanged input keeps the key, even across a reload.
      this._key = undefined;
      this._save();
    }
    // Only an untick forgets: another form of the page may have remembered the reader.
    if (this._v.remember) setIdentity(this._v);
    else if (name === 'remember') clearIdentity();
    if (this._errs[name]) this._check(name);
  }

  /** Leaving a field checks it once something is in it: an empty field waits for the submit. */
  private _onBlur(e: FocusEvent) {
    const name = (e.target as HTMLInputElement).name as Field;
    if (this._v[name] || this._errs[name]) this._check(name);
  }

  private _onKey(e: KeyboardEvent) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      (e.target as HTMLTextAreaElement).form!.requestSubmit();
    }
  }

  private async _onSubmit(e?: Event) {
    e?.preventDefault();
    if (this._st === 'sending') return;
    this._tried = true;
    this._st = '';
    const parsed = this._check();
    if (!parsed) return this._refocus();
    const detail: InkSubmitDetail = { input: { ...parsed } };
    if (!emit(this, 'ink-submit', detail, true)) return;

    const at = this._at;
    const sent = this._v.body;
    const key = (this._key ??= newIdempotencyKey());
    this._save();
    this._st = 'sending';
    try {
      const comment = await postComment(this.endpoint, detail.input, key, { timeout: this.timeout });
      // Emptying the body drops its key and its draft. Text typed while the post was in flight is a new draft
      // (with no key), not part of the accepted comment. If the form moved to another thread or parent meanwhile,
      // the draft kept for the old one is the comment just accepted.
      if (this._at !== at) clearDraft(...at);
      else if (this._v.body === sent) this._set('body', '');
      this._st = comment.status === 'pending' ? 'pending' : 'posted';
      emit(this, 'ink-posted', { comment });
    } catch (err) {
      const { kind, fields } = err instanceof InkClientError ? err : ({} as Partial<InkClientError>);
      // A 4xx (not 429) stored nothing: retrying the same request cannot help, and a corrected one needs a new key.
      if (kind === 'client' && this._key === key) {
        this._key = undefined;
        this._save();
      }
      if (fields) this._errs = { ...fields };
      this._fail = err;
      this._st = 'failed';
      emit(this, 'ink-error', { error: describeError(this._l.t, err) });
    }
    this._refocus(true);
  }

  /** Checks the fields with the shared rules (the ones the server's schema applies) and shows the errors of one field (`only`) or of all. */
  private _check(only?: string): ParsedCommentInput | undefined {
    // checkInput() takes only the fields of a CommentInput (and hp) from what it is given; parentId '' is null.
    const r = checkInput({ ...this._v, thread: this._at[1], parentId: this.parent });
    const errs: Record<string, string> = {};
    if (!r.ok) for (const [f, key] of Object.entries(r.errors)) errs[f] = this._l.t(key, { max: this._num(limits[f as keyof typeof limits]) });
    this._errs = only ? { ...this._errs, [only]: errs[only] } : errs;
    return r.ok ? r.data : undefined;
  }

  /**
   * Focuses the first invalid field; else, after a post (`posted`), the status, if focus left a disabled or removed
   * button: a screen reader then reads the outcome.
   */
  private async _refocus(posted?: boolean) {
    await this.updateComplete;
    const f = FIELDS.find((f) => this._errs[f]);
    const active = this.shadowRoot!.activeElement;
    if (f || (posted && (!active || active.localName === 'button'))) this._focus(f || 'status');
  }

  private _focus(id: string) {
    this.renderRoot.querySelector<HTMLElement>('#' + id)?.focus();
  }

  private _num(n: number) {
    return n.toLocaleString(this._l.lang);
  }

  override render() {
    const { t, dir } = this._l;
    const name = this.heading || t('form.heading');
    const heading = this.noHeading
      ? nothing
      : html`<div part="heading" role="heading" aria-level=${this.headingLevel} dir=${dir}>${name}</div>`;
    if (!this.endpoint) return html`${heading}<p part="error" role="alert" dir=${dir}>${t('form.noEndpoint')}</p>`;

    const st = this._st;
    const errors = Object.entries(this._errs).filter(([, m]) => m);
    return html`${heading}
      <form part="form" novalidate aria-label=${name} dir=${dir} @submit=${this._onSubmit} @input=${this._onInput} @focusout=${this._onBlur}>
        <p part="note">${t('form.required')}</p>
        ${FIELDS.map((f) => this._field(f))}
        <div part="field" class="check">
          <input part="input" type="checkbox" id="remember" name="remember" .checked=${live(this._v.remember)} />
          <label part="label" for="remember">${t('form.remember')}</label>
        </div>
        <div class="visually-hidden" aria-hidden="true">
          <label for="hp">${t('form.honeypot')}</label>
          <input id="hp" name="hp" tabindex="-1" autocomplete="off" .value=${live(this._v.hp)} />
        </div>
        <p part="error" class=${this._tried ? '' : 'visually-hidden'} aria-live="polite">
          ${errors.length ? t('form.errorSummary', { n: errors.length }) : nothing}
          ${errors.map(([f, m]) => (FIELDS.includes(f as Field) ? nothing : m + ' '))}
        </p>
        <div class="actions">
          <button part="button" type="submit" ?disabled=${st === 'sending'}>
            ${st === 'sending' ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}${t('form.submit')}
          </button>
          <slot name="actions"></slot>
        </div>
        <p part="status" id="status" role="status" tabindex="-1" class=${st === 'pending' ? 'posted' : st}>
          ${st === 'failed' ? describeError(t, this._fail).message : st && t('form.' + st)}
        </p>
        ${st === 'failed' && this._key
          ? html`<div><button part="button" type="button" class="secondary" @click=${this._onSubmit}>${t('form.retry')}</button></div>`
          : nothing}
      </form>`;
  }

  /** One field: label (with the required mark), control, its note (the email's, the body's count near the limit) and its error. */
  private _field(f: Field) {
    const { t } = this._l;
    const err = this._errs[f];
    const v = this._v[f];
    const url = f === 'website' && err ? suggestUrl(v) : undefined;
    const n = f === 'body' ? codePoints(v) : 0;
    const over = n - limits.body;
    const note =
      f === 'email'
        ? t('form.emailNote')
        : n > limits.body * 0.9
          ? `${t('form.count', { count: this._num(n), max: this._num(limits.body) })} ${over > 0 ? t('form.tooLong', { n: over }) : ''}`
          : '';
    const noteId = f === 'email' ? 'email-note' : 'body-count';
    const describedBy = [err && f + '-error', note && noteId].filter(Boolean).join(' ') || nothing;
    const ac = f === 'website' ? 'url' : f;
    return html`<div part="field" class="field">
      <label part="label" for=${f}>${t('form.' + f)}${f === 'website' ? nothing : html` <span class="req" aria-hidden="true">*</span>`}</label>
      ${f === 'body'
        ? html`<textarea
            part="input"
            id="body"
            name="body"
            rows="6"
            dir="auto"
            required
            aria-invalid=${!!err}
            aria-describedby=${describedBy}
            .value=${live(v)}
            @keydown=${this._onKey}></textarea>`
        : html`<input
            part="input"
            id=${f}
            name=${f}
            type=${f === 'name' ? 'text' : ac}
            autocomplete=${ac}
            dir="auto"
            spellcheck=${f === 'name'}
            ?required=${f !== 'website'}
            aria-invalid=${!!err}
            aria-describedby=${describedBy}
            .value=${live(v)} />`}
      ${note ? html`<p part="note" id=${noteId} class=${over > 0 ? 'error' : ''}>${note}</p>` : nothing}
      ${err
        ? html`<p part="error" id="${f}-error">
            ${url ? t('form.didYouMean', { url }) : err}
            ${url
              ? html`<button
                  type="button"
                  class="secondary"
                  part="button"
                  @click=${() => {
                    // Setting it re-checks the field: its error, and this button, go.
                    this._set('website', url);
                    this._focus('website');
                  }}>${t('form.useSuggestion', { url })}</button>`
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
