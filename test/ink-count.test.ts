// <ink-count> against the real reference server: every badge of a page shares one `counts` request per endpoint.
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import '../src/elements/ink-count.js';
import type { InkCount } from '../src/elements/ink-count.js';

const uid = () => Math.random().toString(36).slice(2);
const shown = (el: InkCount) => (el.shadowRoot!.textContent ?? '').trim();
const requests = async (tag: string) => (await (await fetch(`/fault/requests?tag=${tag}`)).json()) as { method: string; url: string }[];
const threadsOf = (url: string) => new URL(url, location.href).searchParams.getAll('thread');

async function seed(thread: string, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await fetch('/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ thread, name: 'Ada', email: `${uid()}@example.com`, body: `Comment ${uid()}` }),
    });
    if (!res.ok) throw new Error(`seeding failed: ${res.status}`);
  }
}

// Plain containers are mounted by hand: `fixture()` waits a frame for a non-Lit element, and a page that the
// runner keeps in a background tab (concurrency > 1) never gets one.
const mounted: HTMLElement[] = [];
function mount(tpl: TemplateResult): HTMLElement {
  const host = document.body.appendChild(document.createElement('div'));
  mounted.push(host);
  render(tpl, host);
  return host.firstElementChild as HTMLElement;
}
afterEach(() => mounted.splice(0).forEach((m) => m.remove()));

const all = (root: Element) => [...root.querySelectorAll('ink-count')];
const settled = (root: Element) => waitUntil(() => all(root).every((el) => shown(el) !== ''), 'counts did not arrive', { timeout: 5000 });

describe('<ink-count>', () => {
  it('is accessible', async function () {
    this.timeout(30_000); // the first test also loads axe, slow on a busy machine
    const thread = `t-${uid()}`;
    await seed(thread, 1);
    const el = await fixture<InkCount>(html`<ink-count endpoint="/api/comments" thread=${thread}></ink-count>`);
    await waitUntil(() => shown(el) === '1 comment');
    await expect(el).to.be.accessible();
  });

  it('fills every badge of a page with one request, pluralised', async () => {
    const [a, b, c] = [`t-${uid()}`, `t-${uid()}`, `t-${uid()}`];
    await seed(a, 2);
    await seed(c, 1);
    const tag = uid();
    const ep = `/fault/comments?tag=${tag}`;
    const wrap = mount(html`<ul>
      <li><a href="/a">A</a> <ink-count endpoint=${ep} thread=${a}></ink-count></li>
      <li><a href="/b">B</a> <ink-count endpoint=${ep} thread=${b}></ink-count></li>
      <li><a href="/a">A again</a> <ink-count endpoint=${ep} thread=${a}></ink-count></li>
      <li><a href="/c">C</a> <ink-count endpoint=${ep} thread=${c}></ink-count></li>
    </ul>`);
    await settled(wrap);
    expect(all(wrap).map((el) => shown(el as InkCount))).to.deep.equal(['2 comments', 'No comments', '2 comments', '1 comment']);
    const asked = await requests(tag);
    expect(asked).to.have.length(1);
    expect(new URL(asked[0].url, location.href).pathname).to.equal('/fault/comments/counts');
    expect(threadsOf(asked[0].url)).to.deep.equal([a, b, c]);
    await expect(wrap).to.be.accessible();
  });

  it('asks once per endpoint, and in chunks of 100 threads', async () => {
    const [t1, t2] = [uid(), uid()];
    const threads = Array.from({ length: 150 }, (_, i) => `t-${i}-${uid()}`);
    const wrap = mount(html`<div>
      ${threads.map((t) => html`<ink-count endpoint="/fault/comments?tag=${t1}" thread=${t}></ink-count>`)}
      <ink-count endpoint="/fault/comments?tag=${t2}" thread="x"></ink-count>
    </div>`);
    await settled(wrap);
    expect((await requests(t1)).map((r) => threadsOf(r.url).length)).to.deep.equal([100, 50]);
    expect(await requests(t2)).to.have.length(1);
  });

  it('asks again when its thread changes, and batches badges added later', async () => {
    const tag = uid();
    const thread = `t-${uid()}`;
    await seed(thread, 3);
    const el = await fixture<InkCount>(html`<ink-count endpoint="/fault/comments?tag=${tag}" thread="t-${uid()}"></ink-count>`);
    await waitUntil(() => shown(el) === 'No comments');
    el.thread = thread;
    await waitUntil(() => shown(el) === '3 comments');
    const later = [0, 1].map(() => Object.assign(document.createElement('ink-count'), { endpoint: `/fault/comments?tag=${tag}`, thread }));
    el.after(...later);
    await waitUntil(() => later.every((l) => shown(l) === '3 comments'));
    expect(await requests(tag)).to.have.length(3);
    later.forEach((l) => l.remove());
  });

  it('drops a late answer to a question no longer asked, and asks again when moved before its answer', async () => {
    const a = `t-${uid()}`;
    await seed(a, 3);
    const el = await fixture<InkCount>(html`<ink-count endpoint="/fault/comments?delay=500" thread=${a}></ink-count>`);
    await aTimeout(50);
    el.endpoint = '/api/comments';
    el.thread = `t-${uid()}`;
    await waitUntil(() => shown(el) === 'No comments');
    await aTimeout(700);
    expect(shown(el)).to.equal('No comments');

    const tag = uid();
    const moved = Object.assign(document.createElement('ink-count'), { endpoint: `/fault/comments?tag=${tag}`, thread: a });
    el.after(moved);
    moved.remove();
    el.before(moved);
    await waitUntil(() => shown(moved) === '3 comments');
    expect(await requests(tag)).to.have.length(1);
    moved.remove();
  });

  it('takes string overrides', async () => {
    const thread = `t-${uid()}`;
    await seed(thread, 2);
    const el = await fixture<InkCount>(
      html`<ink-count endpoint="/api/comments" thread=${thread} .strings=${{ 'count.comments': { one: '{n} reply', other: '{n} replies' } }}></ink-count>`,
    );
    await waitUntil(() => shown(el) === '2 replies');
  });

  it('defaults its thread to the page path', async () => {
    const tag = uid();
    const el = await fixture<InkCount>(html`<ink-count endpoint="/fault/comments?tag=${tag}"></ink-count>`);
    await waitUntil(() => shown(el) !== '');
    expect(threadsOf((await requests(tag))[0].url)).to.deep.equal([location.pathname]);
  });

  it('shows a dash with the reason when the count cannot be loaded, and fires ink-error', async () => {
    const el = await fixture<InkCount>(html`<ink-count endpoint="/fault/comments?status=500" thread="t"></ink-count>`);
    const e = await oneEvent(el, 'ink-error');
    expect(e.detail.error).to.include({ code: 'internal', status: 500 });
    await el.updateComplete;
    const dash = el.shadowRoot!.querySelector('[part=count]')!;
    expect(dash.textContent).to.equal('—');
    expect(dash.getAttribute('title')).to.equal('The comment count could not be loaded: The comment server had a problem (500).');
    await expect(el).to.be.accessible();
  });

  it('renders nothing and asks nothing without an endpoint', async () => {
    const el = await fixture<InkCount>(html`<ink-count thread="t"></ink-count>`);
    await aTimeout(50);
    expect(shown(el)).to.equal('');
  });

  it('renders a hostile count response as text', async () => {
    const real = window.fetch;
    window.fetch = async () => new Response(JSON.stringify({ counts: { '<img src=x onerror=alert(1)>': 2 } }), { headers: { 'Content-Type': 'application/json' } });
    try {
      // The hostile thread id is the point of this test, so the attribute holds raw markup characters.
      // eslint-disable-next-line lit/attribute-value-entities
      const el = await fixture<InkCount>(html`<ink-count endpoint="/stub" thread="<img src=x onerror=alert(1)>"></ink-count>`);
      await waitUntil(() => shown(el) === '2 comments');
      expect(el.shadowRoot!.querySelector('img')).to.be.null;
    } finally {
      window.fetch = real;
    }
  });
});
