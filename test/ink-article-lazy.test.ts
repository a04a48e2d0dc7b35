// The sanitiser and the markdown parser are loaded on first need. This file runs in a page of its own, so no other
// test has loaded them before it looks.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/elements/ink-article.js';
import type { InkArticle } from '../src/elements/ink-article.js';
import type { Article } from '../src/schema.js';

// The default buffer (250 entries) is full of the test harness's own modules long before these tests look.
performance.setResourceTimingBufferSize(100_000);
performance.clearResourceTimings();

const LAZY = /\/(sanitize|markdown|dompurify|marked)[./]/;
const lazyRequests = () =>
  performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname)
    .filter((p) => LAZY.test(p));

const show = async (article: Article) => {
  const el = await fixture<InkArticle>(html`<ink-article .article=${article}></ink-article>`);
  await waitUntil(() => el.shadowRoot!.querySelector('[part=body] p'), 'no body', { timeout: 5000 });
  return el;
};

describe('<ink-article> lazy loading', () => {
  it('is accessible', async () => {
    const el = await show({ title: 'Text only', body: 'Plain.' });
    await expect(el).to.be.accessible();
  });

  it('a text-only article requests no sanitiser and no markdown parser', async () => {
    await show({ title: 'Text only', body: 'One.\n\nTwo.' });
    await show({ title: 'Text again', body: '<b>not html</b>', format: 'text' });
    expect(lazyRequests()).to.deep.equal([]);
  });

  it('an html article loads the sanitiser, and not the markdown parser', async () => {
    await show({ title: 'HTML', body: '<p>Hello</p>', format: 'html' });
    const loaded = lazyRequests();
    expect(loaded.some((p) => p.includes('/src/sanitize.'))).to.equal(true);
    expect(loaded.some((p) => p.includes('/dompurify/'))).to.equal(true);
    expect(loaded.some((p) => /markdown|marked/.test(p))).to.equal(false);
  });

  it('a markdown article loads marked', async () => {
    await show({ title: 'MD', body: 'Hello *there*', format: 'markdown' });
    const loaded = lazyRequests();
    expect(loaded.some((p) => p.includes('/src/markdown.'))).to.equal(true);
    expect(loaded.some((p) => p.includes('/marked/'))).to.equal(true);
  });
});
