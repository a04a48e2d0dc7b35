import { expect, fixture, html } from '@open-wc/testing';
import '../src/elements/ink-comment-form.js';
import type { InkCommentForm } from '../src/elements/ink-comment-form.js';
import {
  AUTHOR_TOKENS_KEY,
  IDENTITY_KEY,
  clearDraft,
  clearIdentity,
  getAuthorToken,
  getDraft,
  getIdentity,
  getPendingComments,
  readJSON,
  setAuthorToken,
  setDraft,
  setIdentity,
  setPendingComments,
  writeJSON,
} from '../src/storage.js';

/** Makes both storages throw on access, as Safari's private mode or a disabled storage does, for `fn`. */
async function withoutStorage(fn: () => Promise<void>) {
  const saved = (['sessionStorage', 'localStorage'] as const).map((k) => [k, Object.getOwnPropertyDescriptor(window, k)!] as const);
  for (const [k] of saved) {
    Object.defineProperty(window, k, {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  }
  try {
    await fn();
  } finally {
    for (const [k, d] of saved) Object.defineProperty(window, k, d);
  }
}

beforeEach(() => {
  sessionStorage.clear();
  localStorage.removeItem(IDENTITY_KEY);
  localStorage.removeItem(AUTHOR_TOKENS_KEY);
});

/** Every value either storage holds, as one text. */
const stored = (storage: Storage) => Object.keys(storage).map((k) => storage.getItem(k) ?? '').join('\n');
const TOKEN = 'tok_' + 'A1b2C3d4E5f6G7h8I9j0K-';

describe('storage', () => {
  it('reads and writes JSON; undefined removes', () => {
    expect(writeJSON('local', 'inkwell:test', { a: [1, '😀'] })).to.be.true;
    expect(readJSON('local', 'inkwell:test')).to.deep.equal({ a: [1, '😀'] });
    writeJSON('local', 'inkwell:test', undefined);
    expect(localStorage.getItem('inkwell:test')).to.be.null;
    localStorage.setItem('inkwell:test', '{not json');
    expect(readJSON('local', 'inkwell:test')).to.be.undefined;
    localStorage.removeItem('inkwell:test');
  });

  it('keeps drafts apart per endpoint, thread and parent, in sessionStorage', () => {
    setDraft('/a', 't', '', { body: 'top', key: 'k1' });
    setDraft('/a', 't', 'c_1', { body: 'reply' });
    setDraft('/b', 't', '', { body: 'other endpoint' });
    expect(getDraft('/a', 't')).to.deep.equal({ body: 'top', key: 'k1' });
    expect(getDraft('/a', 't', 'c_1')).to.deep.equal({ body: 'reply' });
    expect(getDraft('/b', 't')?.body).to.equal('other endpoint');
    expect(getDraft('/a', 'u')).to.be.undefined;
    expect(localStorage.length === 0 || !Object.keys(localStorage).some((k) => k.startsWith('inkwell:draft'))).to.be.true;
    setDraft('/a', 't', 'c_1', { body: '' });
    expect(getDraft('/a', 't', 'c_1')).to.be.undefined;
    clearDraft('/a', 't');
    expect(getDraft('/a', 't')).to.be.undefined;
  });

  it('stores only name, email and website as the identity', () => {
    setIdentity({ name: 'Ada', email: 'ada@example.com', website: '', extra: 'x' } as never);
    expect(JSON.parse(localStorage.getItem(IDENTITY_KEY)!)).to.deep.equal({ name: 'Ada', email: 'ada@example.com', website: '' });
    expect(getIdentity()?.name).to.equal('Ada');
    clearIdentity();
    expect(getIdentity()).to.be.undefined;
  });

  it('survives storage that throws, and so does the form', async () => {
    await withoutStorage(async () => {
      expect(readJSON('session', 'x')).to.be.undefined;
      expect(writeJSON('session', 'x', 1)).to.be.false;
      expect(setIdentity({ name: 'a', email: 'b', website: '' })).to.be.false;
      expect(setAuthorToken('/api/comments', TOKEN, true)).to.be.false;
      expect(getAuthorToken('/api/comments')).to.be.undefined;
      const el = await fixture<InkCommentForm>(html`<ink-comment-form endpoint="/api/comments" thread="t-nostorage"></ink-comment-form>`);
      const body = el.shadowRoot!.querySelector('textarea')!;
      body.value = 'Still works.';
      body.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      el.shadowRoot!.querySelector<HTMLInputElement>('#remember')!.click();
      await el.updateComplete;
      expect(body.value).to.equal('Still works.');
      await expect(el).to.be.accessible();
    });
  });

  it('keeps the pending comments of a thread in localStorage, and removes the key when none are left', () => {
    expect(getPendingComments('/a', 't')).to.deep.equal([]);
    setPendingComments('/a', 't', [{ id: 'c_1' }]);
    expect(getPendingComments('/a', 't')).to.deep.equal([{ id: 'c_1' }]);
    expect(getPendingComments('/a', 'u')).to.deep.equal([]);
    setPendingComments('/a', 't', []);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('inkwell:pending'))).to.deep.equal([]);
  });
});

describe('storage: author tokens', () => {
  it('round-trips a token per endpoint, in this tab only unless remembered', () => {
    expect(setAuthorToken('/api/comments', TOKEN, false)).to.be.true;
    expect(getAuthorToken('/api/comments')).to.equal(TOKEN);
    // Another endpoint never gets it.
    expect(getAuthorToken('/api-mod/comments')).to.be.undefined;
    expect(getAuthorToken('https://elsewhere.example/api/comments')).to.be.undefined;
    expect(stored(sessionStorage)).to.contain(TOKEN);
    expect(stored(localStorage)).not.to.contain(TOKEN);
  });

  it('keeps it in localStorage beside the identity while remembered, and forgets it with the identity', () => {
    setAuthorToken('/api/comments', TOKEN, true);
    expect(stored(localStorage)).to.contain(TOKEN);
    clearIdentity();
    expect(stored(localStorage)).not.to.contain(TOKEN);
    // This tab still knows it until it closes.
    expect(getAuthorToken('/api/comments')).to.equal(TOKEN);
  });

  it('remembers this tab\'s tokens when the identity is remembered, without dropping older ones', () => {
    const older = 'older_' + 'x'.repeat(20);
    setAuthorToken('/other/comments', older, true);
    sessionStorage.clear();
    setAuthorToken('/api/comments', TOKEN, false);
    setIdentity({ name: 'Ada', email: 'ada@example.com', website: '' });
    expect(readJSON('local', AUTHOR_TOKENS_KEY)).to.deep.equal({ '/other/comments': older, '/api/comments': TOKEN });
    // A new tab reads the remembered token.
    sessionStorage.clear();
    expect(getAuthorToken('/api/comments')).to.equal(TOKEN);
  });

  it('refuses and ignores what is not a token', () => {
    for (const bad of ['short', 'x'.repeat(65), 'has space in it and more than 22', 'é'.repeat(30)]) {
      expect(setAuthorToken('/api/comments', bad, true), bad).to.be.false;
    }
    expect(stored(localStorage) + stored(sessionStorage)).not.to.contain('short');
    writeJSON('session', AUTHOR_TOKENS_KEY, { '/api/comments': '<script>' });
    expect(getAuthorToken('/api/comments')).to.be.undefined;
    writeJSON('session', AUTHOR_TOKENS_KEY, ['not', 'a', 'map']);
    expect(getAuthorToken('/api/comments')).to.be.undefined;
  });
});
