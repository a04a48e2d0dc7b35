// The Vue 3 example (examples/vue/) as a site runs it: Vue's full build compiles its template in the browser, against
// the real reference API. A property set from the template reaches the element, and the element's events reach Vue.
// (The React 19 example needs a bundler, since React ships CommonJS only: test/node/package.test.ts builds and runs it.)
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
// @ts-expect-error -- the browser build has no .d.ts of its own; its API is the `vue` package's.
import { createApp, nextTick } from 'vue/dist/vue.esm-browser.js';
import type { App } from 'vue';
import '../src/index.js';
import type { InkComments } from '../src/elements/ink-comments.js';
import type { InkCommentForm } from '../src/elements/ink-comment-form.js';
// @ts-expect-error -- a plain JavaScript example, copied as it is by people who use it.
import { CommentsSection, isCustomElement } from '../examples/vue/CommentsSection.js';

const API = '/api/comments';

async function seed(thread: string, body: string) {
  const res = await fetch(API, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ thread, name: 'Seed Reader', email: 'seed@example.com', body }),
  });
  expect(res.status).to.equal(201);
}

describe('the Vue 3 example', () => {
  let app: App | undefined;
  const warnings: unknown[][] = [];
  const warn = console.warn;

  beforeEach(() => {
    warnings.length = 0;
    console.warn = (...args: unknown[]) => {
      warnings.push(args);
      warn(...args);
    };
  });
  afterEach(() => {
    app?.unmount();
    app = undefined;
    console.warn = warn;
  });

  async function mount(thread: string) {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    app = createApp(CommentsSection, { endpoint: API, thread }) as App;
    app.config.compilerOptions.isCustomElement = isCustomElement;
    app.mount(host);
    await nextTick();
    const status = host.querySelector('.comments-status')!;
    return { host, el: host.querySelector('ink-comments') as InkComments, status };
  }

  it('is accessible and renders without a Vue warning', async () => {
    const { host, el } = await mount('vue-' + Math.random());
    await el.updateComplete;
    await expect(host).to.be.accessible();
    expect(warnings.map((w) => String(w[0])).filter((w) => /Vue warn/.test(w))).to.deep.equal([]);
  });

  it('sets properties from the template: a number, and an object that only a property can carry', async () => {
    const { el } = await mount('vue-' + Math.random());
    expect(el.endpoint).to.equal(API);
    expect(el.pageSize).to.equal(20);
    expect(el.strings).to.deep.equal({ 'form.submit': 'Send comment' });
    expect(el.hasAttribute('strings')).to.equal(false);
    // The element passes its strings to its form: the button says what the Vue component asked for.
    await waitUntil(() => el.shadowRoot?.querySelector('ink-comment-form')?.shadowRoot?.querySelector('button[type=submit]'));
    const form = el.shadowRoot!.querySelector('ink-comment-form') as InkCommentForm;
    await form.updateComplete;
    expect(form.shadowRoot!.querySelector('button[type=submit]')!.textContent!.trim()).to.equal('Send comment');
  });

  it('hears ink-loaded and ink-posted in its handlers', async () => {
    const thread = 'vue-' + Math.random();
    await seed(thread, 'A comment before Vue rendered.');
    const { el, status } = await mount(thread);
    await waitUntil(() => status.textContent === '1 comments', `status: ${status.textContent}`, { timeout: 5000 });

    await waitUntil(() => el.shadowRoot?.querySelector('ink-comment-form')?.shadowRoot?.querySelector('textarea'));
    const form = el.shadowRoot!.querySelector('ink-comment-form') as InkCommentForm;
    for (const [name, value] of Object.entries({ body: 'Posted from a Vue page.', name: 'Evan', email: 'evan.vue@example.com' })) {
      const field = form.shadowRoot!.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name=${name}]`)!;
      field.value = value;
      field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    }
    form.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => status.textContent === 'Thanks, Evan!', `status: ${status.textContent}`, { timeout: 5000 });
  });
});
