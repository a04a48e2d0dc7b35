// Hostile HTML from test/corpora/ (DOMPurify's own fixtures and a public XSS payload list) rendered as article
// bodies: nothing runs, no event handler is attached, no element is laid out outside the article's box.
import { aTimeout, expect, fixture, fixtureSync, html } from '@open-wc/testing';
import { readFile } from '@web/test-runner-commands';
import '../src/elements/ink-article.js';
import type { InkArticle } from '../src/elements/ink-article.js';
import { sanitize } from '../src/sanitize.js';

// Thousands of payload images and videos would flood the dev server and starve the test files running beside this
// one. Blocked by this policy they never reach the network, yet still fire `error`, so a surviving onerror would run.
const policy = Object.assign(document.createElement('meta'), { httpEquiv: 'Content-Security-Policy', content: "img-src 'none'; media-src 'none'" });
document.head.append(policy);

/** Everything that shows a payload ran: the dialogs payloads call, script errors, CSP reports. */
const ran: string[] = [];
for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
  (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => void ran.push(`${name}(${args.join()})`);
}
addEventListener('error', (e) => e instanceof ErrorEvent && ran.push(`error: ${e.message}`));
document.addEventListener('securitypolicyviolation', (e) => /^(img|media)-src/.test(e.effectiveDirective) || ran.push(`csp: ${e.effectiveDirective}`));

const corpus = async (file: string) => {
  const text = await readFile({ path: `corpora/${file}` }); // relative to this file
  if (text === undefined) throw new Error(`test/corpora/${file} is missing: it is part of the repository, restore it with git checkout`);
  return text;
};

const DANGEROUS_TAGS = new Set(['script', 'style', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'link', 'meta', 'base', 'dialog']);
const URL_ATTRS = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'poster', 'cite', 'background', 'srcset']);

const intersect = (a: DOMRect, b: DOMRect) =>
  new DOMRect(Math.max(a.left, b.left), Math.max(a.top, b.top), Math.min(a.right, b.right) - Math.max(a.left, b.left), Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));

const snippet = (n: Element) => n.outerHTML.slice(0, 120);

/** Markup that must not survive the sanitiser, on one element. */
function badMarkup(n: Element): string[] {
  const out: string[] = [];
  if (DANGEROUS_TAGS.has(n.localName)) out.push(`tag: ${snippet(n)}`);
  for (const a of n.attributes) {
    if (/^on/i.test(a.name)) out.push(`handler: ${snippet(n)}`);
    // Browsers ignore control characters and spaces in a URL's scheme, so a payload may hide `javascript:` behind them.
    // eslint-disable-next-line no-control-regex
    if (URL_ATTRS.has(a.name) && /^(javascript|data|vbscript):/i.test(a.value.replace(/[\u0000-\u0020]/g, ''))) out.push(`url: ${snippet(n)}`);
    if (a.name === 'style' || a.name === 'class' || a.name === 'part' || a.name === 'popover') out.push(`${a.name}: ${snippet(n)}`);
  }
  return out;
}

/** What is wrong with one rendered article: dangerous markup left in, or a box outside the element's. */
function problems(el: InkArticle): string[] {
  const out: string[] = [];
  const body = el.shadowRoot!.querySelector('[part~=body]')!;
  const box = el.getBoundingClientRect();
  // The body's own `contain: paint` is the backstop; the check starts below it, so layout itself must keep every
  // box inside (scroll containers such as tables and <pre> legitimately clip what they hold).
  const walk = (node: Element, clip?: DOMRect) => {
    for (const n of node.children) {
      if (n.matches('[part~=body] > .empty')) continue; // the element's own "no text yet"
      out.push(...badMarkup(n));
      const r = n.getBoundingClientRect();
      const seen = clip ? intersect(r, clip) : r;
      if (seen.width > 0 && seen.height > 0 && (seen.left < box.left - 1 || seen.right > box.right + 1 || seen.top < box.top - 1 || seen.bottom > box.bottom + 1)) {
        out.push(`escapes (${Math.round(seen.left - box.left)},${Math.round(seen.right - box.right)}): ${snippet(n)}`);
      }
      const s = getComputedStyle(n);
      const clips = s.overflowX !== 'visible' || s.overflowY !== 'visible' || /paint|strict|content/.test(s.contain);
      walk(n, clips ? (clip ? intersect(r, clip) : r) : clip);
    }
  };
  walk(body);
  return out;
}

/** Renders each payload as its own html article, `size` at a time, and returns every problem found. */
async function render(payloads: string[], size = 150): Promise<string[]> {
  const t0 = performance.now();
  const found: string[] = [];
  // fixtureSync: fixture() of a plain element waits for an animation frame, which a background page never gets.
  const stage = fixtureSync<HTMLElement>(html`<div></div>`);
  for (let i = 0; i < payloads.length; i += size) {
    const els = payloads.slice(i, i + size).map((body, j) => {
      const el = document.createElement('ink-article');
      el.article = { title: `Payload ${i + j}`, body, format: 'html' };
      return el;
    });
    const errors: string[] = [];
    const loaded = els.map(
      (el, j) =>
        new Promise((resolve) => {
          el.addEventListener('ink-loaded', resolve, { once: true });
          el.addEventListener('ink-error', (e) => resolve(errors.push(`#${i + j} ink-error: ${e.detail.error.message}`)), { once: true });
        }),
    );
    stage.append(...els);
    await Promise.all(loaded);
    found.push(...errors);
    const stageBox = stage.getBoundingClientRect();
    els.forEach((el, j) => {
      const p = problems(el);
      if (el.getBoundingClientRect().right > stageBox.right + 1) p.push('the element is wider than its container');
      if (p.length) found.push(`#${i + j} ${payloads[i + j].slice(0, 80)}\n    ${p.join('\n    ')}`);
    });
    stage.replaceChildren();
  }
  console.log(`${payloads.length} payloads rendered in ${Math.round(performance.now() - t0)} ms`);
  return found;
}

describe('<ink-article> with hostile HTML', function () {
  // A few seconds on an idle machine; the margin is for a loaded CI runner.
  this.timeout(120_000);

  it('is accessible with a corpus payload rendered', async () => {
    const el = await fixture<InkArticle>(html`<ink-article .article=${{ title: 'T', body: '<img src=x alt="" onerror=alert(1)><p>Text</p>', format: 'html' }}></ink-article>`);
    await new Promise((r) => el.addEventListener('ink-loaded', r, { once: true }));
    await expect(el).to.be.accessible();
  });

  it('the checks catch a payload that runs and a box that escapes (controls)', async () => {
    const unsafe = fixtureSync<HTMLElement>(html`<div></div>`);
    unsafe.innerHTML = '<img src="/no-such-control.png" onerror="alert(\'control\')">';
    await new Promise((r) => unsafe.querySelector('img')!.addEventListener('error', r));
    await aTimeout(0);
    expect(ran).to.deep.equal(['alert(control)']);
    ran.length = 0;

    const el = await fixture<InkArticle>(html`<ink-article .article=${{ title: 'T', body: 'Text.' }}></ink-article>`);
    const wide = document.createElement('div');
    wide.setAttribute('style', 'inline-size: 5000px; block-size: 10px');
    el.shadowRoot!.querySelector('[part~=body]')!.append(wide);
    expect(problems(el).join()).to.contain('escapes').and.contain('style:');
  });

  it("DOMPurify's 223 fixtures: nothing runs, nothing escapes", async () => {
    const src = await corpus('dompurify-fixtures.mjs');
    const { default: fixtures } = (await import(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })))) as { default: { payload: string }[] };
    expect(fixtures.length).to.equal(223);
    const found = await render(fixtures.map((f) => f.payload));
    await aTimeout(300);
    expect(found, found.join('\n')).to.deep.equal([]);
    expect(ran).to.deep.equal([]);
  });

  it('XSS payloads rendered in articles (the first 1,000 and every 10th after): nothing runs, nothing escapes', async () => {
    const all = (await corpus('xss-payload-list.txt')).split('\n').filter((l) => l.trim());
    // The whole list rendered passes too (10 to 40 s); a sample keeps `npm test` quick, and the next test takes
    // every payload through the same sanitiser into the page.
    const payloads = all.filter((_, i) => i < 1_000 || i % 10 === 0);
    const found = await render(payloads);
    await aTimeout(500);
    expect(found, found.slice(0, 30).join('\n')).to.deep.equal([]);
    expect(ran).to.deep.equal([]);
  });

  it('all 6,613 XSS payloads, sanitised and put in the page: nothing runs, no handler, no script', async () => {
    const all = (await corpus('xss-payload-list.txt')).split('\n').filter((l) => l.trim());
    expect(all.length).to.be.greaterThan(6_500);
    const stage = fixtureSync<HTMLElement>(html`<div></div>`);
    const found: string[] = [];
    for (let i = 0; i < all.length; i += 500) {
      const boxes = all.slice(i, i + 500).map((p) => {
        const box = document.createElement('div');
        box.innerHTML = sanitize(p);
        return box;
      });
      stage.replaceChildren(...boxes);
      boxes.forEach((box, j) => {
        const bad = [...box.querySelectorAll('*')].flatMap(badMarkup);
        if (bad.length) found.push(`#${i + j} ${all[i + j].slice(0, 80)}\n    ${bad.join('\n    ')}`);
      });
    }
    await aTimeout(500);
    expect(found, found.slice(0, 30).join('\n')).to.deep.equal([]);
    expect(ran).to.deep.equal([]);
  });
});
