// <ink-comments> against the real reference server (test/support/api.ts); a stubbed fetch only for answers a
// healthy server never gives (a page of 1,000, malformed JSON, hostile stored text, a connection that drops once).
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import { readFile } from '@web/test-runner-commands';
import '../src/elements/ink-comments.js';
import type { InkComments } from '../src/elements/ink-comments.js';
import { colourOf, initials } from '../src/elements/comment-item.js';
import type { InkCommentForm } from '../src/elements/ink-comment-form.js';
import type { Comment } from '../src/rules.js';
import { IDENTITY_KEY } from '../src/storage.js';
import { postComment, uid } from './support/seed.js';

/** Everything that shows a payload ran: the dialogs payloads call, script errors, CSP reports. */
const ran: string[] = [];
for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
  (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => void ran.push(`${name}(${args.join()})`);
}
addEventListener('error', (e) => e instanceof ErrorEvent && ran.push(`error: ${e.message}`));
document.addEventListener('securitypolicyviolation', (e) => ran.push(`csp: ${e.violatedDirective}`));

const root = (el: HTMLElement) => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: HTMLElement, sel: string) => root(el).querySelector<T>(sel)!;
const $$ = <T extends Element = HTMLElement>(el: HTMLElement, sel: string) => [...root(el).querySelectorAll<T>(sel)];
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const heading = (el: InkComments) => text($(el, '[part=title]'));
const status = (el: InkComments) => text($(el, '[role=status]'));
const ids = (el: InkComments, sel = 'article') => $$(el, sel).map((a) => a.id.slice('comment-'.length));
const article = (el: InkComments, id: string) => $(el, `[id="comment-${id}"]`);
const bodyOf = (el: InkComments, id: string) => article(el, id).querySelector('[part=body]')!;
const requests = async (tag: string) => (await (await fetch(`/fault/requests?tag=${tag}`)).json()) as { method: string; url: string }[];

const post = postComment;

/** The next ink-loaded or ink-error anywhere in the document (both bubble and are composed). */
function nextLoad(): Promise<CustomEvent> {
  return new Promise((resolve) => {
    const on = (e: Event) => {
      document.removeEventListener('ink-loaded', on);
      document.removeEventListener('ink-error', on);
      resolve(e as CustomEvent);
    };
    document.addEventListener('ink-loaded', on);
    document.addEventListener('ink-error', on);
  });
}

/** Renders the element and waits for its first page (or failure). */
async function make(tpl: TemplateResult): Promise<[InkComments, CustomEvent]> {
  const done = nextLoad();
  const el = await fixture<InkComments>(tpl);
  const e = await done;
  await el.updateComplete;
  return [el, e];
}
const show = (thread: string, endpoint = '/api/comments') => make(html`<ink-comments endpoint=${endpoint} thread=${thread}></ink-comments>`);

/** A stubbed fetch for one test: `answer` gets the URL and returns the response (or throws, like a dropped connection). */
async function withFetch<T>(answer: (url: string) => Response | Promise<Response>, run: () => Promise<T>): Promise<T> {
  const real = window.fetch;
  window.fetch = async (input: RequestInfo | URL) => answer(String(input instanceof Request ? input.url : input));
  try {
    return await run();
  } finally {
    window.fetch = real;
  }
}
const json = (data: unknown, status = 200) => new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json' } });
let n = 0;
const comment = (c: Partial<Comment> & Record<string, unknown> = {}): Comment => ({
  id: `c_${++n}`,
  thread: 't',
  parentId: null,
  name: 'Ada',
  website: null,
  body: 'Hello',
  createdAt: new Date().toISOString(),
  status: 'published',
  ...c,
});
const pageOf = (comments: unknown[], extra: Record<string, unknown> = {}) => ({ thread: 't', total: comments.length, comments, nextCursor: null, ...extra });
/** Renders a stubbed page. */
const stubbed = (page: unknown) => withFetch(() => json(page), () => make(html`<ink-comments endpoint="/stub" thread="t" page-size="1000"></ink-comments>`));

/** Fills a field of a nested form as a reader would. */
async function fill(form: InkCommentForm, name: string, value: string) {
  const f = form.shadowRoot!.querySelector<HTMLInputElement>(`[name=${name}]`)!;
  f.value = value;
  f.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await form.updateComplete;
}
async function postThrough(form: InkCommentForm, body: string, name = 'Grace Hopper') {
  await fill(form, 'body', body);
  await fill(form, 'name', name);
  await fill(form, 'email', 'grace@example.com');
  const posted = oneEvent(form, 'ink-posted');
  form.shadowRoot!.querySelector('form')!.requestSubmit();
  return (await posted).detail.comment as Comment;
}

const pendingKey = (endpoint: string, thread: string) => `inkwell:pending:${JSON.stringify([endpoint, thread])}`;

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  ran.length = 0;
});

describe('<ink-comments>: accessibility', () => {
  it('is accessible while loading, and says so', async function () {
    this.timeout(30_000); // the first test also loads axe, slow on a busy machine
    const el = await fixture<InkComments>(html`<ink-comments endpoint="/fault/comments?delay=1500" thread="t-${uid()}"></ink-comments>`);
    expect(status(el)).to.equal('Loading comments…');
    expect(heading(el)).to.equal('Comments');
    const skeleton = $(el, '[aria-hidden=true]');
    expect(skeleton.getBoundingClientRect().height).to.be.greaterThan(200);
    await expect(el).to.be.accessible();
  });

  it('is accessible when empty', async () => {
    const [el] = await show(`t-${uid()}`);
    expect(heading(el)).to.equal('No comments yet');
    expect(status(el)).to.equal('No comments yet');
    expect(text($(el, 'section > p:not([role])'))).to.equal('Be the first to comment.');
    await expect(el).to.be.accessible();
  });

  it('is accessible with replies, a reply form open and a comment awaiting moderation', async () => {
    const thread = `t-${uid()}`;
    const a = await post(thread, { website: 'https://ada.example' });
    const b = await post(thread, { parentId: a.id, name: 'Bob' });
    await post(thread, { parentId: b.id, name: 'Cy' });
    localStorage.setItem(pendingKey('/api/comments', thread), JSON.stringify([comment({ thread, name: 'Dee', status: 'pending' })]));
    const [el] = await show(thread);
    expect($$(el, 'article')).to.have.length(4);
    expect($$(el, '.pending')).to.have.length(1);
    await expect(el).to.be.accessible();
    $(el, 'button.reply').click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('is accessible when loading failed', async () => {
    const [el] = await show(`t-${uid()}`, '/fault/comments?status=500');
    expect($(el, '[role=alert]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('is accessible without an endpoint, which it explains and does not fetch', async () => {
    const el = await fixture<InkComments>(html`<ink-comments></ink-comments>`);
    expect(text($(el, '[role=alert]'))).to.equal('Comments cannot load: the endpoint attribute is missing.');
    expect($(el, 'ink-comment-form')).to.be.null;
    await expect(el).to.be.accessible();
  });

  it('is a labelled region with a list', async () => {
    const thread = `t-${uid()}`;
    await post(thread);
    const [el] = await show(thread);
    const section = $(el, 'section');
    expect(section.getAttribute('aria-labelledby')).to.equal('heading');
    expect($(el, '#heading').localName).to.equal('h2');
    expect($(el, 'ol.list > li > article')).to.exist;
  });
});

describe('<ink-comments>: rendering', () => {
  it('counts in the heading: none, one, many', async () => {
    const thread = `t-${uid()}`;
    await post(thread);
    const [one, loaded] = await show(thread);
    expect(heading(one)).to.equal('1 comment');
    expect(loaded.detail).to.deep.equal({ total: 1, count: 1 });
    await post(thread);
    await post(thread);
    const [three] = await show(thread);
    expect(heading(three)).to.equal('3 comments');
  });

  it('shows each part of a comment', async () => {
    const thread = `t-${uid()}`;
    const a = await post(thread, { name: 'Ada Lovelace', website: 'https://ada.example/', body: 'First line\nsecond line\n\nNew paragraph, see https://example.com/a_(b).' });
    const b = await post(thread, { name: 'Bob', body: 'No website.' });
    const [el] = await show(thread);
    const art = article(el, a.id);
    expect(art.getAttribute('part')).to.equal('comment');

    const avatar = art.querySelector('[part=avatar]')!;
    expect(avatar.getAttribute('aria-hidden')).to.equal('true');
    expect(getComputedStyle(avatar, '::before').content).to.equal('"AL"');
    expect(avatar.classList.contains(`a${colourOf('Ada Lovelace')}`)).to.be.true;

    const author = art.querySelector<HTMLAnchorElement>('[part=author]')!;
    expect([author.textContent, author.getAttribute('href'), author.rel]).to.deep.equal(['Ada Lovelace', 'https://ada.example/', 'nofollow ugc noopener noreferrer']);
    expect(article(el, b.id).querySelector('[part=author]')!.localName).to.equal('span');

    const time = art.querySelector('time')!;
    expect(time.getAttribute('datetime')).to.equal(a.createdAt);
    expect(time.title).to.contain(String(new Date(a.createdAt).getFullYear()));
    expect(time.textContent).to.match(/now|second|minute/);
    expect(time.closest('a')!.getAttribute('href')).to.equal(`#comment-${a.id}`);

    const body = art.querySelector('[part=body]')!;
    const ps = body.querySelectorAll('p');
    expect(ps).to.have.length(2);
    expect(ps[0].innerHTML.replace(/<!--[^>]*-->/g, '')).to.equal('First line<br>second line');
    const link = ps[1].querySelector('a')!;
    expect([link.href, link.rel, link.textContent]).to.deep.equal(['https://example.com/a_(b)', 'nofollow ugc noopener noreferrer', 'https://example.com/a_(b)']);
    expect(ps[1].textContent).to.equal('New paragraph, see https://example.com/a_(b).');

    const reply = art.querySelector('button')!;
    expect([reply.textContent, reply.getAttribute('aria-label')]).to.deep.equal(['Reply', 'Reply to Ada Lovelace']);
  });

  it('writes an author without a website as text, never as a link without href', async () => {
    // A stored website that is not http(s) reads as none (readComment): that author is text too.
    const list = [comment({ id: 'n1', name: 'No Site' }), comment({ id: 'n2', name: 'Bad Site', website: 'javascript:alert(1)' }), comment({ id: 'n3', name: 'Site', website: 'https://site.example/' })];
    const [el] = await stubbed(pageOf(list));
    expect($$(el, 'a:not([href])'), 'links without href').to.have.length(0);
    for (const id of ['n1', 'n2']) {
      const author = article(el, id).querySelector('[part=author]')!;
      expect([author.localName, author.className, author.getAttribute('dir'), author.textContent]).to.deep.equal(['span', 'au', 'auto', list[id === 'n1' ? 0 : 1].name]);
      // Same colour as the text around it, the way an unlinked name always looked.
      expect(getComputedStyle(author).color).to.equal(getComputedStyle(article(el, id)).color);
    }
    const linked = article(el, 'n3').querySelector<HTMLAnchorElement>('[part=author]')!;
    expect([linked.localName, linked.getAttribute('href'), linked.rel]).to.deep.equal(['a', 'https://site.example/', 'nofollow ugc noopener noreferrer']);
    // The time after either kind of author is set off the same way: a gap and the muted colour.
    const time = (id: string) => getComputedStyle(article(el, id).querySelector('time')!.parentElement!);
    expect([time('n1').marginInlineStart, time('n1').color]).to.deep.equal([time('n3').marginInlineStart, time('n3').color]);
    expect(time('n1').marginInlineStart).not.to.equal('0px');
    await expect(el).to.be.accessible();
  });

  it('links bare http(s) URLs only, without trailing punctuation', async () => {
    const body = 'a http://x.example/p, b (https://y.example/q) c https://z.example/r?s=1! ftp://no.example javascript:alert(1) http:// end';
    const [el] = await stubbed(pageOf([comment({ id: 'l', body })]));
    const links = $$<HTMLAnchorElement>(el, '[part=body] a').map((a) => a.getAttribute('href'));
    expect(links).to.deep.equal(['http://x.example/p', 'https://y.example/q', 'https://z.example/r?s=1']);
    expect(bodyOf(el, 'l').textContent).to.equal(body);
  });

  it('makes initials from up to two words, whole graphemes, never from the email', () => {
    expect(initials('Ada Lovelace')).to.equal('AL');
    expect(initials('ada')).to.equal('A');
    expect(initials('Jean de la Fontaine')).to.equal('JF');
    expect(initials('  ')).to.equal('?');
    expect(initials('"<script>" bob')).to.equal('SB');
    expect(initials('\u202Eevil twin')).to.equal('ET');
    expect(initials('👩‍👩‍👧 family')).to.equal('👩‍👩‍👧F');
    expect(initials('🇫🇷 Bob')).to.equal('🇫🇷B');
    expect(initials('e\u0301mile zola')).to.equal('E\u0301Z');
    expect(initials('łukasz żak')).to.equal('ŁŻ');
    expect(initials('👩🏽‍💻 dev')).to.equal('👩🏽‍💻D');
    expect(initials('1️⃣ one')).to.equal('1️⃣O');
    expect(initials('🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scot')).to.equal('🏴󠁧󠁢󠁳󠁣󠁴󠁿S');
    expect(initials('김 철수')).to.equal('김철');
    expect(colourOf('Ada')).to.equal(colourOf('Ada'));
  });

  it('draws avatars in colours that white text reads on (4.5:1 at least)', async () => {
    const [el] = await stubbed(pageOf([comment()]));
    const lum = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (let i = 0; i < 8; i++) {
      const probe = Object.assign(document.createElement('span'), { className: `av a${i}` });
      $(el, 'section').append(probe);
      const s = getComputedStyle(probe);
      expect(s.color).to.equal('rgb(255, 255, 255)');
      expect(1.05 / (lum(s.backgroundColor) + 0.05), `a${i}`).to.be.at.least(4.5);
      probe.remove();
    }
  });

  it('writes relative times with Intl in the reader\'s language', async () => {
    const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    const page = pageOf([comment({ createdAt: ago(3 * 3600 + 60) }), comment({ createdAt: ago(2 * 86400 + 60) }), comment({ createdAt: ago(400 * 86400) }), comment({ createdAt: ago(-3600) })]);
    const [el] = await stubbed(page);
    expect($$(el, 'time').map((t) => t.textContent)).to.deep.equal(['3 hours ago', '2 days ago', 'last year', 'now']);
    const [fr] = await withFetch(() => json(page), () => make(html`<ink-comments lang="fr" endpoint="/stub" thread="t"></ink-comments>`));
    await waitUntil(() => $(fr, 'time')?.textContent === 'il y a 3 heures', 'no French time');
    // A lang that is no language tag used to make Intl throw and leave the list empty.
    const [odd] = await withFetch(() => json(page), () => make(html`<ink-comments lang="en_US" endpoint="/stub" thread="t"></ink-comments>`));
    expect($$(odd, 'time').map((t) => t.textContent)).to.deep.equal(['3 hours ago', '2 days ago', 'last year', 'now']);
  });

  it('reflects theme and passes it to the form', async () => {
    const [el] = await show(`t-${uid()}`);
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect($(el, 'ink-comment-form').getAttribute('theme')).to.equal('dark');
    expect($(el, 'ink-comment-form').getAttribute('exportparts')).to.contain('form,field,label,input,button,error');
  });

  it('reads its thread from the canonical link by default', async () => {
    const path = `/posts/${uid()}`;
    const link = Object.assign(document.createElement('link'), { rel: 'canonical', href: `${path}?utm=1` });
    document.head.append(link);
    try {
      const tag = uid();
      await make(html`<ink-comments endpoint="/fault/comments?tag=${tag}"></ink-comments>`);
      expect(new URL((await requests(tag))[0].url, location.href).searchParams.get('thread')).to.equal(path);
    } finally {
      link.remove();
    }
  });
});

describe('<ink-comments>: threads', () => {
  it('nests replies three levels deep, then lines deeper ones up saying whom they answer', async () => {
    const thread = `t-${uid()}`;
    const a = await post(thread, { name: 'A' });
    const b = await post(thread, { name: 'B', parentId: a.id });
    const c = await post(thread, { name: 'C', parentId: b.id });
    const d = await post(thread, { name: 'D', parentId: c.id });
    const e = await post(thread, { name: 'E', parentId: d.id });
    const c2 = await post(thread, { name: 'C2', parentId: b.id });
    const a2 = await post(thread, { name: 'A2' });
    const [el] = await show(thread);
    expect(heading(el)).to.equal('7 comments');
    expect(ids(el, 'ol.list > li > article')).to.deep.equal([a.id, a2.id]);
    expect(ids(el, 'ol.list > li > ol > li > article')).to.deep.equal([b.id]);
    expect(ids(el, 'ol.list > li > ol > li > ol > li > article')).to.deep.equal([c.id, d.id, e.id, c2.id]);
    expect($$(el, 'ol ol ol ol')).to.have.length(0);
    const re = (id: string) => text(article(el, id).querySelector('.hd a[href]:not([part=author]):last-child'));
    expect(re(d.id)).to.equal('In reply to C');
    expect(re(e.id)).to.equal('In reply to D');
    expect(article(el, c.id).querySelectorAll('.hd > *')).to.have.length(2);
    expect(article(el, d.id).querySelector<HTMLAnchorElement>('.hd > a:last-child')!.getAttribute('href')).to.equal(`#comment-${c.id}`);
    // Indentation is capped: the third level sits no further in than the second plus one step.
    const x = (id: string) => article(el, id).getBoundingClientRect().left;
    expect(x(e.id)).to.equal(x(c.id));
    expect(x(c.id)).to.be.greaterThan(x(b.id));
  });

  it('pages with Load more, keeping replies with their comment', async () => {
    const thread = `t-${uid()}`;
    const tops: Comment[] = [];
    for (let i = 0; i < 5; i++) tops.push(await post(thread, { name: `P${i}` }));
    const r = await post(thread, { parentId: tops[0].id, name: 'R' });
    const tag = uid();
    const [el, first] = await make(html`<ink-comments endpoint="/fault/comments?tag=${tag}" thread=${thread} page-size="2"></ink-comments>`);
    expect(first.detail).to.deep.equal({ total: 6, count: 3 });
    expect(ids(el)).to.deep.equal([tops[0].id, r.id, tops[1].id]);
    const more = () => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent === 'Load more comments');
    let loaded = oneEvent(el, 'ink-loaded');
    more()!.click();
    expect((await loaded).detail).to.deep.equal({ total: 6, count: 2 });
    await el.updateComplete;
    expect(status(el)).to.equal('2 more comments loaded.');
    loaded = oneEvent(el, 'ink-loaded');
    more()!.click();
    await loaded;
    await el.updateComplete;
    expect(ids(el, 'ol.list > li > article')).to.deep.equal(tops.map((t) => t.id));
    expect(more()).to.be.undefined;
    const urls = (await requests(tag)).map((q) => new URL(q.url, location.href).searchParams);
    expect(urls.map((u) => u.get('limit'))).to.deep.equal(['2', '2', '2']);
    expect(urls[0].has('cursor')).to.be.false;
    expect(urls[1].get('cursor')).to.be.a('string');
  });

  it('sorts newest first', async () => {
    const thread = `t-${uid()}`;
    const a = await post(thread);
    await aTimeout(5);
    const b = await post(thread);
    const [el] = await make(html`<ink-comments endpoint="/api/comments" thread=${thread} sort="newest"></ink-comments>`);
    expect(ids(el)).to.deep.equal([b.id, a.id]);
    el.sort = 'oldest';
    await oneEvent(el, 'ink-loaded');
    await el.updateComplete;
    expect(ids(el)).to.deep.equal([a.id, b.id]);
  });

  it('renders every comment of a page of 1,000, with few nodes each', async () => {
    const comments = Array.from({ length: 1000 }, (_, i) => comment({ id: `k${i}`, parentId: i % 4 ? `k${i - (i % 4)}` : null, name: `Reader ${i % 50}` }));
    let asked = '';
    const [el, loaded] = await withFetch(
      (url) => ((asked = url), json(pageOf(comments))),
      () => make(html`<ink-comments endpoint="/stub" thread="t" page-size="1000"></ink-comments>`),
    );
    expect(new URL(asked).searchParams.get('limit')).to.equal('1000');
    expect(loaded.detail).to.deep.equal({ total: 1000, count: 1000 });
    expect($$(el, 'article')).to.have.length(1000);
    let nodes = 0;
    for (const walker = document.createTreeWalker($(el, 'ol.list'), NodeFilter.SHOW_ALL); walker.nextNode(); ) nodes++;
    expect(nodes / 1000).to.be.below(25);
    expect(getComputedStyle($(el, 'ol.list > li')).contentVisibility).to.equal('auto');
  });

  it('asks for page-size comments, at most 1,000', async () => {
    const tag = uid();
    await make(html`<ink-comments endpoint="/fault/comments?tag=${tag}" thread="t-${uid()}" page-size="5000"></ink-comments>`);
    expect(new URL((await requests(tag))[0].url, location.href).searchParams.get('limit')).to.equal('1000');
  });
});

describe('<ink-comments>: lazy loading', () => {
  // Plain containers are mounted by hand: `fixture()` waits a frame for a non-Lit element, and the runner may keep
  // this page in a background tab (concurrency > 1), which gets no frames.
  const mounted: HTMLElement[] = [];
  const mount = (tpl: TemplateResult) => {
    const host = document.body.appendChild(document.createElement('div'));
    mounted.push(host);
    render(tpl, host);
    return host.querySelector('ink-comments')!;
  };
  afterEach(() => mounted.splice(0).forEach((m) => m.remove()));

  /** An IntersectionObserver the test drives, for what must hold whether or not the page is being rendered. */
  function fakeObserver() {
    const made: { options?: IntersectionObserverInit; targets: Element[]; disconnected: boolean; fire: (hit: boolean) => void }[] = [];
    const Real = window.IntersectionObserver;
    window.IntersectionObserver = class {
      constructor(cb: IntersectionObserverCallback, options?: IntersectionObserverInit) {
        const rec = { options, targets: [] as Element[], disconnected: false, fire: (hit: boolean) => cb([{ isIntersecting: hit } as IntersectionObserverEntry], this as never) };
        made.push(rec);
        Object.assign(this, { observe: (t: Element) => rec.targets.push(t), disconnect: () => (rec.disconnected = true), unobserve() {}, takeRecords: () => [] });
      }
    } as never;
    return { made, restore: () => (window.IntersectionObserver = Real) };
  }

  it('fetches nothing until the element comes within 200px of the viewport', async () => {
    const io = fakeObserver();
    try {
      const tag = uid();
      const thread = `t-${uid()}`;
      await post(thread);
      const el = mount(html`<ink-comments loading="lazy" endpoint="/fault/comments?tag=${tag}" thread=${thread}></ink-comments>`);
      await el.updateComplete;
      expect(io.made).to.have.length(1);
      expect(io.made[0].options?.rootMargin).to.equal('200px');
      expect(io.made[0].targets).to.deep.equal([el]);
      io.made[0].fire(false);
      await aTimeout(200);
      expect(await requests(tag)).to.have.length(0);
      expect(status(el)).to.equal('');
      expect(heading(el)).to.equal('Comments');
      expect($(el, '[aria-hidden=true]').getBoundingClientRect().height).to.be.greaterThan(200);
      const loaded = oneEvent(el, 'ink-loaded');
      io.made[0].fire(true);
      await loaded;
      expect(io.made[0].disconnected).to.be.true;
      expect(await requests(tag)).to.have.length(1);
      await el.updateComplete;
      expect(heading(el)).to.equal('1 comment');
    } finally {
      io.restore();
    }
  });

  it('stops watching when removed, and watches again when put back', async () => {
    const io = fakeObserver();
    try {
      const el = mount(html`<ink-comments loading="lazy" endpoint="/api/comments" thread="t-${uid()}"></ink-comments>`);
      await el.updateComplete;
      const parent = el.parentElement!;
      el.remove();
      expect(io.made[0].disconnected).to.be.true;
      parent.append(el);
      await el.updateComplete;
      expect(io.made).to.have.length(2);
      expect(io.made[1].disconnected).to.be.false;
    } finally {
      io.restore();
    }
  });

  it('loads when scrolled near, with a real IntersectionObserver', async function () {
    // A background tab is not rendered, so no observer fires there: this one needs the page in front.
    if (document.visibilityState !== 'visible') this.skip();
    const tag = uid();
    const el = mount(html`<div style="height: 300vh"></div>
      <ink-comments loading="lazy" endpoint="/fault/comments?tag=${tag}" thread="t-${uid()}"></ink-comments>`);
    await aTimeout(300);
    expect(await requests(tag)).to.have.length(0);
    const loaded = oneEvent(el, 'ink-loaded');
    el.scrollIntoView();
    await loaded;
    expect(await requests(tag)).to.have.length(1);
    scrollTo(0, 0);
  });
});

describe('<ink-comments>: permalinks', () => {
  afterEach(() => history.replaceState(null, '', location.pathname + location.search));

  it('scrolls to and highlights the comment named by the hash on load and on hashchange', async () => {
    const thread = `t-${uid()}`;
    const list: Comment[] = [];
    for (let i = 0; i < 12; i++) list.push(await post(thread, { body: `Comment ${i}\n\n${'Long text. '.repeat(40)}` }));
    const target = list[10];
    history.replaceState(null, '', `#comment-${target.id}`);
    const [el] = await show(thread);
    await waitUntil(() => article(el, target.id).classList.contains('target'), 'not highlighted');
    const box = article(el, target.id).getBoundingClientRect();
    expect(box.top).to.be.within(-1, innerHeight);
    expect($$(el, '.target')).to.have.length(1);

    const other = list[2];
    location.hash = `#comment-${other.id}`;
    await waitUntil(() => article(el, other.id).classList.contains('target'), 'hashchange not followed');
    expect(article(el, target.id).classList.contains('target')).to.be.false;
    expect(root(el).activeElement).to.equal(article(el, other.id));
    expect(article(el, other.id).getBoundingClientRect().top).to.be.within(-1, innerHeight);

    // A click on a comment's time sets the page's hash and highlights it.
    article(el, list[5].id).querySelector<HTMLAnchorElement>('time')!.click();
    await waitUntil(() => article(el, list[5].id).classList.contains('target'), 'click not followed');
    expect(location.hash).to.equal(`#comment-${list[5].id}`);
    scrollTo(0, 0);
  });

  it('loads further pages to find the comment the hash names', async () => {
    const thread = `t-${uid()}`;
    const list: Comment[] = [];
    for (let i = 0; i < 5; i++) list.push(await post(thread));
    history.replaceState(null, '', `#comment-${list[4].id}`);
    const el = await fixture<InkComments>(html`<ink-comments endpoint="/api/comments" thread=${thread} page-size="2"></ink-comments>`);
    await waitUntil(() => article(el, list[4].id)?.classList.contains('target'), 'not found', { timeout: 5000 });
    expect($$(el, 'article')).to.have.length(5);
    scrollTo(0, 0);
  });
});

describe('<ink-comments>: posting', () => {
  it('puts a reply form under a comment, and Cancel reply brings the focus back', async () => {
    const thread = `t-${uid()}`;
    const a = await post(thread, { name: 'Ada' });
    const [el] = await show(thread);
    const main = $<InkCommentForm>(el, 'ink-comment-form');
    expect(main.heading).to.equal('');
    const reply = article(el, a.id).querySelector('button')!;
    reply.click();
    await el.updateComplete;
    const form = $<InkCommentForm>(el, '.rf > ink-comment-form');
    await form.updateComplete;
    expect(form.parentElement!.previousElementSibling).to.equal(article(el, a.id));
    expect(form.parent).to.equal(a.id);
    expect(text(form.shadowRoot!.querySelector('[part=heading]'))).to.equal('Leave a reply to Ada');
    expect(reply.getAttribute('aria-expanded')).to.equal('true');
    expect(main.hidden).to.be.true;
    expect($$(el, 'ink-comment-form:not([hidden])')).to.have.length(1);
    await waitUntil(() => form.shadowRoot!.activeElement?.id === 'body', 'focus not in the reply form');

    const cancel = form.querySelector('button')!;
    expect(text(cancel)).to.equal('Cancel reply');
    cancel.click();
    await el.updateComplete;
    expect($(el, '.rf')).to.be.null;
    expect(reply.getAttribute('aria-expanded')).to.equal('false');
    expect(main.hidden).to.be.false;
    expect(root(el).activeElement).to.equal(reply);
  });

  it('shows a reply at once under its parent, without fetching the list again', async () => {
    const thread = `t-${uid()}`;
    const a = await post(thread, { name: 'Ada' });
    const b = await post(thread, { name: 'Bob' });
    const tag = uid();
    const [el] = await make(html`<ink-comments endpoint="/fault/comments?tag=${tag}" thread=${thread}></ink-comments>`);
    article(el, a.id).querySelector('button')!.click();
    await el.updateComplete;
    const posted = await postThrough($<InkCommentForm>(el, '.rf > ink-comment-form'), 'My reply, see https://x.example.');
    await el.updateComplete;
    expect(posted.parentId).to.equal(a.id);
    expect(ids(el, 'ol.list > li > ol > li > article')).to.deep.equal([posted.id]);
    expect(ids(el, 'ol.list > li > article')).to.deep.equal([a.id, b.id]);
    expect(heading(el)).to.equal('3 comments');
    expect(status(el)).to.equal('Your comment was posted.');
    expect($(el, '.rf')).to.be.null;
    expect(root(el).activeElement).to.equal(article(el, posted.id));
    expect((await requests(tag)).filter((r) => r.method === 'GET')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('shows a new top-level comment last when oldest first, first when newest first', async () => {
    const thread = `t-${uid()}`;
    const a = await post(thread);
    const [el] = await show(thread);
    const mine = await postThrough($<InkCommentForm>(el, 'ink-comment-form'), 'Top level.');
    await el.updateComplete;
    expect(ids(el)).to.deep.equal([a.id, mine.id]);
    expect(heading(el)).to.equal('2 comments');

    const [newest] = await make(html`<ink-comments endpoint="/api/comments" thread=${thread} sort="newest"></ink-comments>`);
    const c = comment({ thread, id: `x_${uid()}` });
    $(newest, 'ink-comment-form').dispatchEvent(new CustomEvent('ink-posted', { detail: { comment: c }, bubbles: true, composed: true }));
    await newest.updateComplete;
    expect(ids(newest)).to.deep.equal([c.id, mine.id, a.id]);
    // Loading the list again does not show it twice once the server lists it.
    expect(heading(newest)).to.equal('3 comments');
  });

  it('shows a comment awaiting moderation to its author only, across reloads, until it is published', async () => {
    const thread = `t-${uid()}`;
    const endpoint = '/api-mod/comments';
    const [el] = await show(thread, endpoint);
    const mine = await postThrough($<InkCommentForm>(el, 'ink-comment-form'), 'Moderate me.');
    await el.updateComplete;
    expect(mine.status).to.equal('pending');
    const art = article(el, mine.id);
    expect(art.classList.contains('pending')).to.be.true;
    expect(text(art.querySelector('.note'))).to.equal('Your comment is awaiting moderation.');
    expect(art.querySelector('button')).to.be.null;
    expect(heading(el)).to.equal('No comments yet');
    expect(status(el)).to.equal('Your comment is awaiting moderation.');
    const stored = localStorage.getItem(pendingKey(endpoint, thread))!;
    expect(stored).to.contain(mine.id);
    expect(stored).not.to.contain('grace@example.com');
    expect(localStorage.getItem(IDENTITY_KEY)).to.be.null;

    // The author reloads: still there. The server does not list it.
    const [again] = await show(thread, endpoint);
    expect(ids(again)).to.deep.equal([mine.id]);
    expect((await (await fetch(`${endpoint}?thread=${thread}`)).json()).comments).to.have.length(0);

    // Another reader (another browser: nothing stored) does not see it.
    localStorage.clear();
    const [other] = await show(thread, endpoint);
    expect($$(other, 'article')).to.have.length(0);
  });

  it('shows its author a published comment that a cached page (a CDN) does not list yet, until a page does', async () => {
    const thread = `t-${uid()}`;
    const first = await post(thread);
    const listUrl = `/api/comments?thread=${thread}`;
    // A CDN with --cache-seconds keeps serving the page as it was before the post: the server cannot easily do that.
    const cached = await (await fetch(listUrl)).text();
    const [el] = await show(thread);
    const mine = await postThrough($<InkCommentForm>(el, 'ink-comment-form'), 'Seen by me at once.');
    expect(mine.status).to.equal('published');
    const real = window.fetch;
    window.fetch = (input, init) =>
      String(input).includes(`thread=${thread}`) && !init?.method
        ? Promise.resolve(new Response(cached, { headers: { 'Content-Type': 'application/json' } }))
        : real(input, init);
    try {
      const [stale] = await show(thread);
      expect(ids(stale)).to.deep.equal([first.id, mine.id]);
      expect(heading(stale)).to.equal('2 comments');
    } finally {
      window.fetch = real;
    }
    // Once a page lists it, the copy kept in this browser goes.
    const [fresh] = await show(thread);
    expect(ids(fresh)).to.deep.equal([first.id, mine.id]);
    expect(localStorage.getItem(pendingKey('/api/comments', thread))).to.be.null;
  });

  it('forgets a kept pending comment once the server lists it, or after 30 days', async () => {
    const thread = `t-${uid()}`;
    const published = await post(thread);
    const old = comment({ thread, id: 'old', createdAt: new Date(Date.now() - 31 * 86_400_000).toISOString(), status: 'pending' });
    const key = pendingKey('/api/comments', thread);
    localStorage.setItem(key, JSON.stringify([{ ...published, status: 'pending' }, old]));
    const [el] = await show(thread);
    expect(ids(el)).to.deep.equal([published.id]);
    expect($$(el, '.pending')).to.have.length(0);
    expect(JSON.parse(localStorage.getItem(key)!).map((c: Comment) => c.id)).to.deep.equal(['old']);
  });
});

describe('<ink-comments>: hostile text', () => {
  const corpus = async (file: string) => {
    const s = await readFile({ path: `corpora/${file}` }); // relative to this file
    if (s === undefined) throw new Error(`test/corpora/${file} is missing: it is part of the repository, restore it with git checkout`);
    return s;
  };
  const ALLOWED = new Set(['section', 'h2', 'p', 'ol', 'li', 'article', 'span', 'div', 'a', 'time', 'button', 'br', 'ink-comment-form']);

  /** Renders the strings as names and bodies; every one must come out as the same text, and nothing may run. */
  async function check(strings: string[]) {
    for (let i = 0; i < strings.length; i += 1000) {
      const chunk = strings.slice(i, i + 1000);
      const list = chunk.map((s, j) => comment({ id: `x${i + j}`, name: s, body: s, website: s }));
      const [el] = await stubbed(pageOf(list));
      expect($$(el, 'article')).to.have.length(chunk.length);
      for (const node of root(el).querySelectorAll('*')) {
        expect(ALLOWED.has(node.localName), node.localName).to.be.true;
        for (const a of node.attributes) expect(a.name.startsWith('on'), `${node.localName} ${a.name}`).to.be.false;
      }
      for (const a of $$<HTMLAnchorElement>(el, 'a[href]')) expect(a.getAttribute('href')).to.match(/^(https?:\/\/|#comment-)/i);
      chunk.forEach((s, j) => {
        const art = article(el, `x${i + j}`);
        expect(art.querySelector('[part=author]')!.textContent).to.equal(s);
        if (!/[\r\n]/.test(s)) expect(art.querySelector('[part=body]')!.textContent).to.equal(s);
      });
      el.remove();
    }
    await aTimeout(50);
    expect(ran).to.deep.equal([]);
  }

  it('renders every XSS payload of the list as literal text, running nothing', async function () {
    this.timeout(60_000);
    await check((await corpus('xss-payload-list.txt')).split('\n').filter((s) => s.trim()));
  });

  it('makes the same initials as Intl.Segmenter would for every naughty string and a set of scripts', async () => {
    const seg = new Intl.Segmenter();
    const reference = (name: string) => {
      const words: string[] = name.match(/[\p{L}\p{N}\p{Extended_Pictographic}\p{Regional_Indicator}]\S*/gu) ?? [];
      const first = (w: string) => seg.segment(w)[Symbol.iterator]().next().value!.segment;
      return (words.length > 1 ? [words[0], words.at(-1)!] : words).map(first).join('').toUpperCase() || '?';
    };
    const scripts = ['श्रेया क्षितिज', 'ক্ষমা', 'జ్ఞాన', 'ക്ഷ', 'ហ្វ', 'ทำ ดี', 'ﾊﾞｶ', 'شریا', 'שָׁלוֹם', '👍🏽 ok', '#️⃣ x', 'Zoë Ñandú'];
    const names = [...scripts, ...(JSON.parse(await corpus('blns.json')) as string[])];
    expect(names.filter((n) => initials(n) !== reference(n))).to.deep.equal([]);
  });

  it('renders every big-list-of-naughty-strings entry as literal text, running nothing', async function () {
    this.timeout(30_000);
    await check((JSON.parse(await corpus('blns.json')) as string[]).filter((s) => s.trim()));
  });

  it('keeps payloads literal through the real server', async () => {
    const thread = `t-${uid()}`;
    const payloads = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>', '&lt;b&gt;bold&lt;/b&gt; &#x3C;script&#x3E;', '<a href="javascript:alert(1)">x</a>'];
    for (const p of payloads) await post(thread, { name: p, body: p });
    await post(thread, { body: 'javascript:alert(1) and data:text/html,<script>alert(1)</script>' });
    const [el] = await show(thread);
    expect($$(el, '[part=body]').map((b) => b.textContent)).to.deep.equal([...payloads, 'javascript:alert(1) and data:text/html,<script>alert(1)</script>']);
    expect($$(el, '[part=body] a')).to.have.length(0);
    expect($$(el, 'script, img, svg, iframe')).to.have.length(0);
    await aTimeout(50);
    expect(ran).to.deep.equal([]);
  });

  it('does not link a website that is not http(s)', async () => {
    const list = ['javascript:alert(1)', 'data:text/html,x', ' JAVASCRIPT:alert(1)', 'ftp://x.example', '//evil.example', 'https://ok.example'].map((website, i) =>
      comment({ id: `w${i}`, website }),
    );
    const [el] = await stubbed(pageOf(list));
    expect($$<HTMLAnchorElement>(el, '[part=author][href]').map((a) => a.getAttribute('href'))).to.deep.equal(['https://ok.example']);
  });
});

describe('<ink-comments>: bad answers and failures', () => {
  const shows = async (el: InkComments, pattern: RegExp) => {
    const alert = $(el, '[role=alert]');
    expect(text(alert)).to.match(pattern);
    expect(text(alert.querySelector('button'))).to.equal('Retry');
  };

  it('rejects a page of the wrong shape with a clear error', async () => {
    const [el, e] = await show(`t-${uid()}`, '/fault/comments?bad=1');
    expect(e.type).to.equal('ink-error');
    expect(e.detail.error.code).to.equal('bad_response');
    await shows(el, /^Comments could not be loaded: The comment server sent an answer that could not be read\./);
    const [html200] = await show(`t-${uid()}`, '/fault/comments?html=1');
    await shows(html200, /could not be read/);
  });

  it('rejects comments with missing fields or wrong types', async () => {
    const good = comment();
    const bad = [
      pageOf([{ ...good, name: undefined }]),
      pageOf([{ ...good, createdAt: 'yesterday' }]),
      pageOf([{ ...good, status: 'deleted' }]),
      pageOf([good], { total: '1' }),
      pageOf([{ ...good, id: 5 }]),
      { comments: [good] },
    ];
    for (const page of bad) {
      const [el, e] = await stubbed(page);
      expect(e.type).to.equal('ink-error');
      await shows(el, /could not be read/);
      expect($$(el, 'article')).to.have.length(0);
    }
  });

  it('drops an email field and never shows it', async () => {
    const [el, e] = await stubbed(pageOf([comment({ id: 'e1', email: 'secret@example.com', name: 'Eve' })]));
    expect(e.type).to.equal('ink-loaded');
    expect(article(el, 'e1')).to.exist;
    expect(root(el).innerHTML).not.to.contain('secret@example.com');
  });

  it('names what failed: server error, not found, rate limit, timeout, no connection', async () => {
    await shows((await show(`t-${uid()}`, '/fault/comments?status=500'))[0], /The comment server had a problem \(500\)\./);
    await shows((await show(`t-${uid()}`, '/fault/comments?status=404'))[0], /\(404\)/);
    await shows((await show(`t-${uid()}`, '/fault/comments?status=429&retryAfter=12'))[0], /Try again in 12 seconds\./);
    const [slow, e] = await make(html`<ink-comments endpoint="/fault/comments?delay=2000" thread="t-${uid()}" timeout="300"></ink-comments>`);
    expect(e.detail.error.code).to.equal('timeout');
    await shows(slow, /did not answer in time/);
    const [down] = await withFetch(
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => show(`t-${uid()}`),
    );
    await shows(down, /could not be reached/);
  });

  it('retries the first page', async () => {
    const thread = `t-${uid()}`;
    await post(thread);
    const real = window.fetch;
    let calls = 0;
    window.fetch = (input, init) => (++calls === 1 ? Promise.reject(new TypeError('Failed to fetch')) : real(input, init));
    try {
      const [el, e] = await show(thread);
      expect(e.type).to.equal('ink-error');
      const loaded = oneEvent(el, 'ink-loaded');
      $(el, '[role=alert] button').click();
      await el.updateComplete;
      expect(status(el)).to.equal('Loading comments…');
      await loaded;
      await el.updateComplete;
      expect(heading(el)).to.equal('1 comment');
      expect($(el, '[role=alert]')).to.be.null;
    } finally {
      window.fetch = real;
    }
  });

  it('keeps the list when Load more fails, and retries that page', async () => {
    const thread = `t-${uid()}`;
    for (let i = 0; i < 3; i++) await post(thread);
    const real = window.fetch;
    let fail = false;
    window.fetch = (input, init) => (fail ? Promise.reject(new TypeError('Failed to fetch')) : real(input, init));
    try {
      const [el] = await make(html`<ink-comments endpoint="/api/comments" thread=${thread} page-size="2"></ink-comments>`);
      fail = true;
      const failed = oneEvent(el, 'ink-error');
      $$(el, 'button').find((b) => b.textContent === 'Load more comments')!.click();
      await failed;
      await el.updateComplete;
      expect($$(el, 'article')).to.have.length(2);
      fail = false;
      const loaded = oneEvent(el, 'ink-loaded');
      $(el, '[role=alert] button').click();
      await loaded;
      await el.updateComplete;
      expect($$(el, 'article')).to.have.length(3);
      expect($(el, '[role=alert]')).to.be.null;
    } finally {
      window.fetch = real;
    }
  });

  it('shows the form with the comments, not under the skeleton, so that it never moves while the reader types', async () => {
    const el = await fixture<InkComments>(html`<ink-comments endpoint="/fault/comments?delay=400" thread="t-${uid()}"></ink-comments>`);
    expect($(el, 'ink-comment-form')).to.be.null;
    await oneEvent(el, 'ink-loaded');
    await el.updateComplete;
    expect($(el, 'ink-comment-form')).to.exist;
    // A list that failed to load still leaves the reader a form.
    const [failed] = await show(`t-${uid()}`, '/fault/comments?status=500');
    expect($(failed, 'ink-comment-form')).to.exist;
  });

  it('keeps the form, and what was typed in it, while the list reloads for another sort', async () => {
    const [el] = await show(`t-${uid()}`);
    const form = $<InkCommentForm>(el, 'ink-comment-form');
    await fill(form, 'name', 'Grace Hopper');
    const loaded = oneEvent(el, 'ink-loaded');
    el.sort = 'newest';
    await el.updateComplete;
    // (Compared by identity: a failed deep comparison of two elements would print their whole object graphs.)
    expect($(el, 'ink-comment-form') === form, 'the same form while loading').to.be.true;
    await loaded;
    await el.updateComplete;
    expect($(el, 'ink-comment-form') === form, 'the same form once loaded').to.be.true;
    expect(form.shadowRoot!.querySelector<HTMLInputElement>('[name=name]')!.value).to.equal('Grace Hopper');
  });

  it('cancels its request when removed while loading', async () => {
    const el = await fixture<InkComments>(html`<ink-comments endpoint="/fault/comments?delay=400" thread="t-${uid()}"></ink-comments>`);
    let events = 0;
    el.addEventListener('ink-error', () => events++);
    el.addEventListener('ink-loaded', () => events++);
    el.remove();
    await aTimeout(600);
    expect(events).to.equal(0);
  });
});
