import { LitElement, html, nothing, type PropertyDeclarations } from 'lit';
import { live } from 'lit/directives/live.js';
import { DEFAULT_TIMEOUT, InkClientError, defaultThread } from '../client.js';
import { emit, type InkSubmitDetail } from '../events.js';
import { LocaleController, describeError } from '../i18n/controller.js';
import type { PluralForms } from '../i18n/index.js';
import { loadFormPosting } from '../lazy.js';
import { codePoints, limits } from '../limits.js';
import { clearDraft, getDraft, getIdentity, setDraft } from '../storage.js';
import { theme } from '../styles/theme.js';
import { FIELDS, emptyValues, type Field, type FormValues } from './comment-form-fields.js';
import { commentFormStyles } from './ink-comment-form.styles.js';

/** The form's second half: its field checks and the author tokens (`form-posting.ts`). */
type Posting = Awaited<ReturnType<typeof loadFormPosting>>;

/** The posting piece once it has loaded: one for the page, shared by every form. */
let posting: Posting | undefined;
let postingLoad: Promise<Posting> | undefined;

/**
 * Loads the posting piece, once for the page. The form asks on the reader's first focus, press or keystroke in it,
 * and it arrives long before they leave a field or submit. A failed load is asked again next time (a submit then
 * fails as a network error, keeping what was typed).
 */
function loadPosting(): Promise<Posting> {
  return (postingLoad ??= loadFormPosting().then(
    (piece) => (posting = piece),
    (error: unknown) => {
      postingLoad = undefined;
      throw error;
    },
  ));
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

  // The theme first: the form's own rules build on its variables and override its defaults.
  static override styles = [theme, commentFormStyles];

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
    _values: { state: true },
    _errors: { state: true },
    _status: { state: true },
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
  private _values: FormValues = emptyValues();
  /** Error messages by field (server 422 fields may name others, shown in the summary). */
  private _errors: Partial<Record<string, string>> = {};
  /**
   * The outcome shown in the status line: `form.${_status}` translated at render (so a late locale still applies),
   * or the error of `failed`.
   */
  private _status: '' | 'draftRestored' | 'sending' | 'posted' | 'pending' | 'failed' = '';

  // Set together with _status or _errors, so they need no update of their own.
  /** The error of the last post, while `_status` is `failed`. */
  private _failure: unknown;
  /** A submit was tried: the error summary shows from then on (before, it only speaks). */
  private _submitTried = false;
  /**
   * The Idempotency-Key of the comment being posted; kept until the server accepts it or the input changes. While
   * it is kept after a failure, the same request may be sent again: that is when "Retry" shows.
   */
  private _idempotencyKey?: string;
  /** Endpoint, thread and parent: where the shown draft is kept. */
  private _draftPlace: [string, string, string] = ['', '', ''];
  /** A check or a submit that waits for the posting piece; `updateComplete` waits for it too. */
  private _waiting?: Promise<unknown>;
  private _locale = new LocaleController(this);

  override connectedCallback() {
    super.connectedCallback();
    const identity = getIdentity();
    // Only into a form the reader has not started: this runs again whenever the element is moved.
    // setIdentity() stores exactly name, email and website.
    if (identity && !this._values.name && !this._values.email) this._values = { ...this._values, ...identity, remember: true };
  }

  override willUpdate() {
    const place: [string, string, string] = [this.endpoint, this.thread || defaultThread(), this.parent];
    if (place.every((part, i) => part === this._draftPlace[i])) return;
    // Another thread or another comment replied to: show the draft kept for it (the one shown so far is saved).
    this._draftPlace = place;
    const draft = getDraft(...place);
    this._values = { ...this._values, body: draft?.body ?? '' };
    this._idempotencyKey = draft?.key;
    this._errors = {};
    this._status = draft ? 'draftRestored' : '';
  }

  /**
   * Also waits for a check or submit that waits for the posting piece to load (once per page, within milliseconds
   * of the reader's first interaction), so that `await form.updateComplete` shows its outcome, as it did when the
   * checks ran at once. It does not wait for the post itself: that shows as `sending` meanwhile.
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    await this._waiting;
    return super.getUpdateComplete();
  }

  /**
   * Runs `action` with the posting piece: at once when it has loaded, else when it arrives. If it cannot load,
   * `failed` runs instead (by default nothing: a field stays unchecked until a submit asks again).
   */
  private _withPosting(action: (piece: Posting) => void, failed = (_error: unknown) => {}) {
    if (posting) return action(posting);
    this._waiting = loadPosting().then(action, failed);
  }

  /** The reader's first focus, press or keystroke in the form: time to load the posting piece. */
  private _onInteraction() {
    if (!posting) this._withPosting(() => {});
  }

  private _saveDraft() {
    setDraft(...this._draftPlace, { body: this._values.body, key: this._idempotencyKey });
  }

  private _onInput(e: Event) {
    this._onInteraction();
    const control = e.target as HTMLInputElement;
    if (control.name in this._values) this._setValue(control.name, control.type === 'checkbox' ? control.checked : control.value);
  }

  private _setValue(name: string, value: string | boolean) {
    this._values = { ...this._values, [name]: value };
    if (name !== 'remember') {
      // Changed input is another request: reusing its key would make the server answer `idempotency_mismatch`
      // (or replay the old comment). A retry of unchanged input keeps the key, even across a reload.
      this._idempotencyKey = undefined;
      this._saveDraft();
    }
    // Only an untick forgets: another form of the page may have remembered the reader. (Remembering comes with the
    // posting piece, which the first keystroke or tick has asked for: at once, or as soon as it arrives.)
    const values = this._values;
    if (values.remember) this._withPosting((piece) => piece.setIdentity(values));
    else if (name === 'remember') this._withPosting((piece) => piece.clearIdentity());
    if (this._errors[name]) this._checkSoon(name);
  }

  /** Leaving a field checks it once something is in it: an empty field waits for the submit. */
  private _onBlur(e: FocusEvent) {
    const name = (e.target as HTMLInputElement).name as Field;
    if (this._values[name] || this._errors[name]) this._checkSoon(name);
  }

  private _onKeydown(e: KeyboardEvent) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      (e.target as HTMLTextAreaElement).form!.requestSubmit();
    }
  }

  private _onSubmit(e?: Event) {
    e?.preventDefault();
    if (this._status === 'sending') return;
    this._submitTried = true;
    this._status = '';
    this._withPosting(
      (piece) => void this._submit(piece),
      (error) => {
        // The piece did not arrive: as for a post that could not reach the server, the reader is told to check their
        // connection, keeps everything typed, and may submit again (which asks for the piece again).
        this._fail(new InkClientError('network', `Could not load the comment form's code: ${String(error)}`));
        void this._refocus(true);
      },
    );
  }

  /** Checks and posts, once the posting piece has loaded. */
  private async _submit(piece: Posting) {
    // Two submits while the piece was loading: the first one posts.
    if (this._status === 'sending') return;
    const parsed = this._check(piece);
    if (!parsed) return this._refocus();
    const detail: InkSubmitDetail = { input: { ...parsed } };
    if (!emit(this, 'ink-submit', detail, true)) return;

    const place = this._draftPlace;
    const endpoint = this.endpoint;
    const sent = this._values.body;
    const key = (this._idempotencyKey ??= piece.newIdempotencyKey());
    this._saveDraft();
    this._status = 'sending';
    try {
      // The author token goes in the body, not in `detail.input`: it is this browser's, not the comment's.
      const { comment, authorToken } = await piece.postComment(endpoint, detail.input, key, {
        timeout: this.timeout,
        authorToken: piece.getAuthorToken(endpoint),
      });
      if (authorToken) piece.setAuthorToken(endpoint, authorToken, this._values.remember);
      // Emptying the body drops its key and its draft. Text typed while the post was in flight is a new draft
      // (with no key), not part of the accepted comment. If the form moved to another thread or parent meanwhile,
      // the draft kept for the old one is the comment just accepted.
      if (this._draftPlace !== place) clearDraft(...place);
      else if (this._values.body === sent) this._setValue('body', '');
      this._status = comment.status === 'pending' ? 'pending' : 'posted';
      emit(this, 'ink-posted', { comment });
    } catch (error) {
      const { kind, fields } = error instanceof InkClientError ? error : ({} as Partial<InkClientError>);
      // A 4xx (not 429) stored nothing: retrying the same request cannot help, and a corrected one needs a new key.
      if (kind === 'client' && this._idempotencyKey === key) {
        this._idempotencyKey = undefined;
        this._saveDraft();
      }
      if (fields) this._errors = { ...fields };
      this._fail(error);
    }
    void this._refocus(true);
  }

  /** Shows a failed post (or a posting piece that did not load) and tells the page. */
  private _fail(error: unknown) {
    this._failure = error;
    this._status = 'failed';
    emit(this, 'ink-error', { error: describeError(this._locale.t, error) });
  }

  /**
   * Checks the fields with the shared rules (the ones the server's schema applies) and shows the errors of one field
   * (`only`) or of all.
   */
  private _check(piece: Posting, only?: string) {
    const { input, errors } = piece.checkFields(this._values, this._draftPlace[1], this.parent, this._locale.t, this._locale.lang);
    this._errors = only ? { ...this._errors, [only]: errors[only] } : errors;
    return input;
  }

  /** Checks one field, now or when the posting piece arrives. */
  private _checkSoon(only: string) {
    this._withPosting((piece) => this._check(piece, only));
  }

  /**
   * Focuses the first invalid field; else, after a post (`posted`), the status, if focus left a disabled or removed
   * button: a screen reader then reads the outcome.
   */
  private async _refocus(posted?: boolean) {
    await this.updateComplete;
    const invalid = FIELDS.find((field) => this._errors[field]);
    const active = this.shadowRoot!.activeElement;
    if (invalid || (posted && (!active || active.localName === 'button'))) this._focus(invalid || 'status');
  }

  private _focus(id: string) {
    this.renderRoot.querySelector<HTMLElement>('#' + id)?.focus();
  }

  private _formatNumber(n: number) {
    return n.toLocaleString(this._locale.lang);
  }

  override render() {
    const { t, dir } = this._locale;
    const name = this.heading || t('form.heading');
    const heading = this.noHeading
      ? nothing
      : html`<div part="heading" role="heading" aria-level=${this.headingLevel} dir=${dir}>${name}</div>`;
    if (!this.endpoint) return html`${heading}<p part="error" role="alert" dir=${dir}>${t('form.noEndpoint')}</p>`;

    const status = this._status;
    const errors = Object.entries(this._errors).filter(([, message]) => message);
    return html`${heading}
      <form part="form" novalidate aria-label=${name} dir=${dir} @submit=${this._onSubmit} @input=${this._onInput} @focusout=${this._onBlur}
        @focusin=${this._onInteraction} @pointerdown=${this._onInteraction}>
        <p part="note">${t('form.required')}</p>
        ${FIELDS.map((field) => this._renderField(field))}
        <div part="field" class="check">
          <input part="input" type="checkbox" id="remember" name="remember" .checked=${live(this._values.remember)} />
          <label part="label" for="remember">${t('form.remember')}</label>
        </div>
        <div class="visually-hidden" aria-hidden="true">
          <label for="hp">${t('form.honeypot')}</label>
          <input id="hp" name="hp" tabindex="-1" autocomplete="off" .value=${live(this._values.hp)} />
        </div>
        <p part="error" class=${this._submitTried ? '' : 'visually-hidden'} aria-live="polite">
          ${errors.length ? t('form.errorSummary', { n: errors.length }) : nothing}
          ${errors.map(([field, message]) => (FIELDS.includes(field as Field) ? nothing : message + ' '))}
        </p>
        <div class="actions">
          <button part="button" type="submit" ?disabled=${status === 'sending'}>
            ${status === 'sending' ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}${t('form.submit')}
          </button>
          <slot name="actions"></slot>
        </div>
        <p part="status" id="status" role="status" tabindex="-1" class=${status === 'pending' ? 'posted' : status}>
          ${status === 'failed' ? describeError(t, this._failure).message : status && t('form.' + status)}
        </p>
        ${status === 'failed' && this._idempotencyKey
          ? html`<div><button part="button" type="button" class="secondary" @click=${this._onSubmit}>${t('form.retry')}</button></div>`
          : nothing}
      </form>`;
  }

  /**
   * One field: label (with the required mark), control, its note (the email's; the comment's character count past 90%
   * of the limit) and its error.
   */
  private _renderField(field: Field) {
    const { t } = this._locale;
    const error = this._errors[field];
    const value = this._values[field];
    // An error exists only once the posting piece has checked (or the server answered a post it sent).
    const url = field === 'website' && error ? posting?.suggestUrl(value) : undefined;
    const length = field === 'body' ? codePoints(value) : 0;
    const over = length - limits.body;
    const note =
      field === 'email'
        ? t('form.emailNote')
        : length > limits.body * 0.9
          ? `${t('form.count', { count: this._formatNumber(length), max: this._formatNumber(limits.body) })} ${over > 0 ? t('form.tooLong', { n: over }) : ''}`
          : '';
    const noteId = field === 'email' ? 'email-note' : 'body-count';
    const describedBy = [error && field + '-error', note && noteId].filter(Boolean).join(' ') || nothing;
    const autocomplete = field === 'website' ? 'url' : field;
    return html`<div part="field" class="field">
      <label part="label" for=${field}>${t('form.' + field)}${field === 'website' ? nothing : html` <span class="req" aria-hidden="true">*</span>`}</label>
      ${field === 'body'
        ? html`<textarea
            part="input"
            id="body"
            name="body"
            rows="6"
            dir="auto"
            required
            aria-invalid=${!!error}
            aria-describedby=${describedBy}
            .value=${live(value)}
            @keydown=${this._onKeydown}></textarea>`
        : html`<input
            part="input"
            id=${field}
            name=${field}
            type=${field === 'name' ? 'text' : autocomplete}
            autocomplete=${autocomplete}
            dir="auto"
            spellcheck=${field === 'name'}
            ?required=${field !== 'website'}
            aria-invalid=${!!error}
            aria-describedby=${describedBy}
            .value=${live(value)} />`}
      ${note ? html`<p part="note" id=${noteId} class=${over > 0 ? 'error' : ''}>${note}</p>` : nothing}
      ${error
        ? html`<p part="error" id="${field}-error">
            ${url ? t('form.didYouMean', { url }) : error}
            ${url
              ? html`<button
                  type="button"
                  class="secondary"
                  part="button"
                  @click=${() => {
                    // Setting it re-checks the field: its error, and this button, go.
                    this._setValue('website', url);
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
