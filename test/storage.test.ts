import { expect, fixture, html } from '@open-wc/testing';
import '../src/elements/ink-comment-form.js';
import type { InkCommentForm } from '../src/elements/ink-comment-form.js';
import { IDENTITY_KEY, clearDraft, clearIdentity, getDraft, getIdentity, readJSON, setDraft, setIdentity, writeJSON } from '../src/storage.js';

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
});

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
});
