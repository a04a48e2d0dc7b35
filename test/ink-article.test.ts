import { aTimeout, expect, fixture, fixtureSync, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/elements/ink-article.js';
import { readingMinutes, type InkArticle } from '../src/elements/ink-article.js';
import type { Article } from '../src/schema.js';

type Flagged = typeof globalThis & { __inkRan?: string };
const flagged = globalThis as Flagged;

const part = (el: InkArticle, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const body = (el: InkArticle) => part(el, 'body')!;
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
// Room for every request of this file: the default buffer (250) fills with the harness's modules, after which
// `requested()` would see nothing and a "not fetched" assertion would pass for the wrong reason.
performance.setResourceTimingBufferSize(100_000);
const requested = (fragment: string) => performance.getEntriesByType('resource').some((e) => e.name.includes(fragment));
const jsonUrl = (data: unknown) => URL.createObjectURL(new Blob([JSON.stringify(data)], { type: 'application/json' }));

/** Renders an article and waits until its content is in place. */
async function show(article: Article, attrs: { format?: string; lang?: string } = {}) {
  const el = await fixture<InkArticle>(html`<ink-article .article=${article} format=${attrs.format ?? ''} lang=${attrs.lang ?? 'en'}></ink-article>`);
  await waitUntil(() => !text(part(el, 'status')), 'still loading', { timeout: 5000 });
  return el;
}

const sample: Article = {
  title: 'On reading',
  author: 'Ada Lovelace',
  publishedAt: '2026-11-27T08:00:00Z',
  updatedAt: '2026-12-01T09:30:00Z',
  body: 'First paragraph.\n\nSecond paragraph,\nwith a line break.',
  image: { src: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=', alt: 'An inkwell' },
};

let seed: { title: string; body: string };
before(async () => {
  const raw = await (await fetch('/demo/article.txt')).text();
  const nl = raw.indexOf('\n');
  seed = { title: raw.slice(0, nl).trim(), body: raw.slice(nl + 1) };
});

describe('<ink-article>', () => {
  it('is accessible', async () => {
    const el = await show(sample);
    await expect(el).to.be.accessible();
  });

  it('is accessible in its error state', async () => {
    const el = await fixture<InkArticle>(html`<ink-article src="/no-such-article-${Math.random()}.json"></ink-article>`);
    await waitUntil(() => part(el, 'error'), 'no error shown', { timeout: 5000 });
    await expect(el).to.be.accessible();
  });

  it('has documented defaults and reflects theme', async () => {
    const el = await fixture<InkArticle>(html`<ink-article></ink-article>`);
    expect(el.headingLevel).to.equal(1);
    expect(el.theme).to.equal('auto');
    expect(el.format).to.equal(undefined);
    expect(el.timeout).to.equal(15_000);
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    // No source at all: nothing to say yet (a page may set .article later).
    expect(text(el.shadowRoot!.querySelector('[part=article]'))).to.equal('');
  });

  describe('the seed article', () => {
    it('shows the title, every paragraph in order, and the reading time', async () => {
      const el = await show({ title: seed.title, body: seed.body, author: 'Inkwell desk', publishedAt: '2026-11-27T08:00:00Z' });
      expect(text(part(el, 'title'))).to.equal('Increasing military ties between Russia and China is a priority for Moscow.');
      expect(part(el, 'title')!.getAttribute('role')).to.equal('heading');
      expect(part(el, 'title')!.getAttribute('aria-level')).to.equal('1');
      const expected = seed.body.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
      const shown = [...body(el).querySelectorAll('p')].map(text);
      expect(shown.length).to.equal(15);
      expect(shown).to.deep.equal(expected);
      const words = seed.body.split(/\s+/).filter(Boolean).length;
      expect(words).to.be.within(400, 600);
      expect(text(part(el, 'byline'))).to.contain(`${Math.ceil(words / 230)} min read`).and.contain('By Inkwell desk');
      expect(text(part(el, 'byline'))).to.contain('3 min read');
    });
  });

  describe('header', () => {
    it('sets the heading level from heading-level, within 1 to 6', async () => {
      const el = await fixture<InkArticle>(html`<ink-article heading-level="3" .article=${sample}></ink-article>`);
      expect(part(el, 'title')!.getAttribute('aria-level')).to.equal('3');
      el.headingLevel = 9;
      await el.updateComplete;
      expect(part(el, 'title')!.getAttribute('aria-level')).to.equal('6');
      el.headingLevel = NaN;
      await el.updateComplete;
      expect(part(el, 'title')!.getAttribute('aria-level')).to.equal('1');
    });

    it('shows the author, the dates in <time datetime> and the lead image with its alt', async () => {
      const el = await show(sample);
      const byline = part(el, 'byline')!;
      expect(text(byline)).to.contain('By Ada Lovelace');
      const times = byline.querySelectorAll('time');
      expect(times.length).to.equal(2);
      expect(times[0].getAttribute('datetime')).to.equal('2026-11-27T08:00:00Z');
      expect(text(times[0])).to.equal(new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(new Date('2026-11-27T08:00:00Z')));
      expect(text(times[1])).to.match(/^Updated December 1, 2026$/);
      expect(text(byline)).to.contain('1 min read');
      const img = part(el, 'image') as HTMLImageElement;
      expect(img.alt).to.equal('An inkwell');
      expect(img.getAttribute('src')).to.equal(sample.image!.src);
    });

    it('formats dates in the element’s language', async () => {
      const el = await show(sample, { lang: 'fr' });
      await waitUntil(() => text(part(el, 'time')).includes('novembre'), 'date not in French', { timeout: 3000 });
      expect(text(part(el, 'time'))).to.contain('27 novembre 2026');
    });

    it('leaves out what the article does not have', async () => {
      const el = await show({ title: 'Bare', body: '' });
      expect(part(el, 'time')).to.equal(null);
      expect(part(el, 'image')).to.equal(null);
      expect(part(el, 'byline')).to.equal(null);
    });
  });

  describe('sources, first found wins', () => {
    it('light-DOM children win over .article and src, and src is not fetched', async () => {
      const src = `/never-${Math.random()}.json`;
      const el = await fixture<InkArticle>(html`<ink-article src=${src} .article=${sample}>
        <h1>The site’s own title</h1>
        <div><p>Own <a href="#x">markup</a>.</p><blockquote><p>Quoted.</p></blockquote></div>
      </ink-article>`);
      await aTimeout(100);
      expect(part(el, 'header')).to.equal(null);
      expect(part(el, 'error')).to.equal(null);
      const slot = body(el).querySelector('slot')!;
      expect(slot.assignedElements().map((e) => e.localName)).to.deep.equal(['h1', 'div']);
      expect(requested(src)).to.equal(false);
      // The page-level typography reaches nested light-DOM markup that ::slotted() cannot.
      const quote = el.querySelector('blockquote')!;
      expect(getComputedStyle(quote).borderInlineStartStyle).to.equal('solid');
      expect(document.adoptedStyleSheets.length).to.be.greaterThan(0);
    });

    it('fires ink-loaded for light-DOM content', async () => {
      const el = fixtureSync<InkArticle>(html`<ink-article><p>Hello.</p></ink-article>`);
      expect((await oneEvent(el, 'ink-loaded')).detail).to.deep.equal({ total: 1, count: 1 });
    });

    it('takes light-DOM children that arrive after the element', async () => {
      const el = await show(sample);
      const p = document.createElement('p');
      p.textContent = 'Late markup.';
      el.append(p);
      await waitUntil(() => !part(el, 'header'), 'header still shown');
      expect(body(el).querySelector('slot')!.assignedElements()).to.deep.equal([p]);
    });

    it('.article wins over src', async () => {
      const src = `/never-${Math.random()}.json`;
      const el = await fixture<InkArticle>(html`<ink-article src=${src} .article=${sample}></ink-article>`);
      await aTimeout(100);
      expect(text(part(el, 'title'))).to.equal('On reading');
      expect(requested(src)).to.equal(false);
    });

    it('fetches src once, shows a loading state, then the article and fires ink-loaded', async () => {
      const src = jsonUrl({ ...sample, title: 'From JSON', unknown: 'ignored' });
      const calls: string[] = [];
      const fetch0 = window.fetch;
      window.fetch = (input, init) => (calls.push(String(input)), fetch0(input, init));
      try {
        const el = fixtureSync<InkArticle>(html`<ink-article src=${src}></ink-article>`);
        const loaded = oneEvent(el, 'ink-loaded');
        await el.updateComplete;
        expect(text(part(el, 'status'))).to.equal('Loading the article…');
        expect((await loaded).detail).to.deep.equal({ total: 1, count: 1 });
        await el.updateComplete;
        expect(text(part(el, 'title'))).to.equal('From JSON');
        expect(text(part(el, 'status'))).to.equal('');
        el.remove();
        document.body.append(el);
        el.headingLevel = 2;
        await el.updateComplete;
        expect(calls.filter((c) => c === src).length).to.equal(1);
        el.remove();
      } finally {
        window.fetch = fetch0;
      }
    });
  });

  describe('formats', () => {
    it('text: paragraphs on blank lines, single newlines as line breaks, markup as text', async () => {
      const el = await show({ title: 'T', body: '  One\r\nstill one <b>bold?</b>\n\n\n\nTwo  \n \nThree' });
      const ps = body(el).querySelectorAll('p');
      expect(ps.length).to.equal(3);
      expect(ps[0].querySelectorAll('br').length).to.equal(1);
      expect(ps[0].textContent).to.equal('Onestill one <b>bold?</b>');
      expect(body(el).querySelector('b')).to.equal(null);
      expect(text(ps[2])).to.equal('Three');
    });

    it('html: sanitised, links get rel=noopener noreferrer, images load lazily', async () => {
      const el = await show({
        title: 'T',
        format: 'html',
        body: '<h2>Part</h2><p>See <a href="https://example.com" target="_top">this</a> and <a href="javascript:alert(1)">that</a>.</p><img src="/x.png" alt="x" style="position:fixed;inset:0"><iframe src="/"></iframe><form><input></form><p class="error" part="error" popover>Fake</p>',
      });
      const b = body(el);
      expect(text(b.querySelector('h2'))).to.equal('Part');
      const [good, bad] = b.querySelectorAll('a');
      expect(good.rel).to.equal('noopener noreferrer');
      expect(good.target).to.equal('_blank');
      expect(bad.hasAttribute('href')).to.equal(false);
      const img = b.querySelector('img')!;
      expect(img.loading).to.equal('lazy');
      expect(img.hasAttribute('style')).to.equal(false);
      expect(b.querySelector('iframe, form, input')).to.equal(null);
      const fake = [...b.querySelectorAll('p')].at(-1)!;
      expect([...fake.attributes].map((a) => a.name)).to.deep.equal([]);
      expect(part(el, 'error')).to.equal(null);
    });

    it('markdown: converted with marked, then sanitised', async () => {
      const el = await show({
        title: 'T',
        format: 'markdown',
        body: '## Heading\n\n- one\n- two\n\n> quoted\n\n```js\nconst x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[link](https://example.com) <img src=x onerror="globalThis.__inkRan=\'md\'">',
      });
      const b = body(el);
      expect(text(b.querySelector('h2'))).to.equal('Heading');
      expect(b.querySelectorAll('li').length).to.equal(2);
      expect(text(b.querySelector('blockquote'))).to.equal('quoted');
      expect(text(b.querySelector('pre code'))).to.equal('const x = 1;');
      expect(b.querySelector('table')).to.exist;
      expect(getComputedStyle(b.querySelector('table')!).overflowX).to.equal('auto');
      expect(b.querySelector('a')!.rel).to.equal('noopener noreferrer');
      expect(b.querySelector('img')!.hasAttribute('onerror')).to.equal(false);
      await aTimeout(100);
      expect(flagged.__inkRan).to.equal(undefined);
      // Reading time counts words, not markup.
      expect(text(part(el, 'byline'))).to.equal('1 min read');
    });

    it('the format attribute overrides the article’s format', async () => {
      const el = await show({ title: 'T', format: 'html', body: '<b>bold</b>' }, { format: 'text' });
      expect(body(el).querySelector('b')).to.equal(null);
      expect(text(body(el))).to.equal('<b>bold</b>');
      el.format = 'markdown';
      await waitUntil(() => body(el).querySelector('b'), 'not re-rendered as markdown');
    });

    it('an empty body says so instead of a blank box', async () => {
      for (const article of [
        { title: 'T', body: ' \n\n ' },
        { title: 'T', body: '<script>globalThis.__inkRan = "empty"</script><p> </p>', format: 'html' as const },
        { title: 'T', body: '', format: 'markdown' as const },
      ]) {
        const el = await show(article);
        expect(text(body(el)), article.body).to.equal('This article has no text yet.');
      }
      expect(flagged.__inkRan).to.equal(undefined);
    });

    it('keeps wide tables, code and images inside the measure', async () => {
      const wide = 'x'.repeat(400);
      const el = await show({
        title: 'T',
        format: 'html',
        body: `<table><tr>${'<td>cell&nbsp;with&nbsp;no&nbsp;break</td>'.repeat(20)}</tr></table><pre>${wide}</pre><p>${wide}</p><img src="/x.png" width="4000" height="10" alt="">`,
      });
      const host = el.getBoundingClientRect();
      for (const child of body(el).children) {
        expect(child.getBoundingClientRect().right, child.localName).to.be.at.most(host.right + 0.5);
      }
      expect(body(el).querySelector('table')!.scrollWidth).to.be.greaterThan(host.width);
    });
  });

  describe('sanitising', () => {
    it('runs no script and attaches no event handler', async () => {
      const el = await show({
        title: 'T',
        format: 'html',
        body: '<script>globalThis.__inkRan = "script"</script><img src="/no-such.png" onerror="globalThis.__inkRan = \'onerror\'"><svg><g onload="globalThis.__inkRan=\'svg\'"></g></svg><a href=" java&#x09;script:globalThis.__inkRan=1">x</a><object data="data:text/html,x"></object>',
      });
      await aTimeout(300);
      expect(flagged.__inkRan).to.equal(undefined);
      const all = [...body(el).querySelectorAll('*')];
      expect(all.some((n) => n.localName === 'script' || n.localName === 'object')).to.equal(false);
      expect(all.flatMap((n) => [...n.attributes]).filter((a) => /^on/i.test(a.name))).to.deep.equal([]);
      expect(body(el).querySelector('a')!.hasAttribute('href')).to.equal(false);
    });
  });

  describe('errors', () => {
    const failing = async (src: string, timeout = 15_000) => {
      const el = fixtureSync<InkArticle>(html`<ink-article src=${src} timeout=${timeout}></ink-article>`);
      const { error } = (await oneEvent(el, 'ink-error')).detail;
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.equal(error.message);
      expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
      expect(text(part(el, 'status'))).to.equal('');
      return error;
    };

    it('a 404 names the status and the URL', async () => {
      const src = `/no-such-article-${Math.random()}.json`;
      const error = await failing(src);
      expect(requested(src), 'requests are seen').to.equal(true);
      expect(error.status).to.equal(404);
      expect(error.message).to.equal(`The article could not be loaded. Nothing was found at ${new URL(src, location.href).href} (404).`);
    });

    it('a 500 names the status', async () => {
      const error = await failing('/fault/comments?status=500');
      expect(error.status).to.equal(500);
      expect(error.message).to.contain('The server answered 500 for').and.contain('/fault/comments?status=500');
    });

    it('an answer that is not JSON says so', async () => {
      const error = await failing('/fault/comments?html=1');
      expect(error.code).to.equal('bad_response');
      expect(error.message).to.match(/The answer from http:\/\/.+\/fault\/comments\?html=1 is not JSON\./);
    });

    it('JSON of the wrong shape says so', async () => {
      const error = await failing('/fault/comments?bad=1');
      expect(error.message).to.contain('is not an article: it needs a title and a body.');
    });

    it('a request that takes too long times out', async () => {
      const error = await failing('/fault/comments?delay=3000', 300);
      expect(error.code).to.equal('timeout');
      expect(error.message).to.match(/No answer from .+\/fault\/comments\?delay=3000 within 0.3 seconds\./);
    });

    it('a network failure names the URL', async () => {
      const error = await failing('http://127.0.0.1:9/article.json');
      expect(error.code).to.equal('network');
      expect(error.message).to.equal('The article could not be loaded. Could not reach http://127.0.0.1:9/article.json.');
    });

    it('an invalid .article is a visible error', async () => {
      const el = fixtureSync<InkArticle>(html`<ink-article .article=${{ body: 'no title' } as unknown as Article}></ink-article>`);
      const { error } = (await oneEvent(el, 'ink-error')).detail;
      expect(error.code).to.equal('invalid_article');
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.equal('This article cannot be shown: its data is not valid (check title).');
      el.article = sample;
      await el.updateComplete;
      expect(part(el, 'error')).to.equal(null);
    });
  });

  describe('reading time', () => {
    it('is words / 230, rounded up, at least 1, and counts CJK by characters', () => {
      expect(readingMinutes('')).to.equal(0);
      expect(readingMinutes('one — two')).to.equal(1);
      expect(readingMinutes('word '.repeat(231))).to.equal(2);
      expect(readingMinutes('字'.repeat(920))).to.equal(2);
    });
  });
});
