import { aTimeout, expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/elements/ink-comment-form.js';
import type { InkCommentForm } from '../src/elements/ink-comment-form.js';
import { AUTHOR_TOKENS_KEY, IDENTITY_KEY, getAuthorToken, getDraft, setAuthorToken } from '../src/storage.js';

const uid = () => Math.random().toString(36).slice(2);
const root = (el: InkCommentForm) => el.shadowRoot!;
const $ = <T extends Element = HTMLInputElement>(el: InkCommentForm, sel: string) => root(el).querySelector<T>(sel)!;
const text = (el: InkCommentForm, sel: string) => ($<HTMLElement>(el, sel)?.textContent ?? '').replace(/\s+/g, ' ').trim();
const statusText = (el: InkCommentForm) => text(el, '[part=status]');
const errorOf = (el: InkCommentForm, field: string) => text(el, `#${field}-error`);
const active = (el: InkCommentForm) => root(el).activeElement as HTMLElement | null;

/** Types into a field as a reader would: an input event, then leaving the field. */
async function fill(el: InkCommentForm, name: string, value: string, blur = true) {
  const f = $<HTMLInputElement | HTMLTextAreaElement>(el, `[name=${name}]`);
  f.value = value;
  f.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  if (blur) f.dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true }));
  await el.updateComplete;
}

async function fillAll(el: InkCommentForm, v: Partial<Record<'body' | 'name' | 'email' | 'website', string>> = {}) {
  const all = { body: 'Hello there.', name: 'Ada', email: 'ada@example.com', website: '', ...v };
  for (const [k, val] of Object.entries(all)) await fill(el, k, val);
}

const submit = async (el: InkCommentForm) => {
  $<HTMLFormElement>(el, 'form').requestSubmit();
  await el.updateComplete;
};
const settled = (el: InkCommentForm) => waitUntil(() => ['posted', 'failed'].includes($(el, '[part=status]').className), 'no outcome', { timeout: 8000 });
const requests = async (tag: string) =>
  (await (await fetch(`/fault/requests?tag=${tag}`)).json()) as { method: string; headers: Record<string, string>; body: string }[];

function make(endpoint = '/api/comments', thread = `t-${uid()}`, extra: Partial<InkCommentForm> = {}) {
  return fixture<InkCommentForm>(html`<ink-comment-form .endpoint=${endpoint} .thread=${thread} .parent=${extra.parent ?? ''} .timeout=${extra.timeout ?? 15000}></ink-comment-form>`);
}

beforeEach(() => {
  sessionStorage.clear();
  localStorage.removeItem(IDENTITY_KEY);
  localStorage.removeItem(AUTHOR_TOKENS_KEY);
});

describe('<ink-comment-form>: accessibility', () => {
  it('is accessible when empty', async () => {
    const el = await make();
    await expect(el).to.be.accessible();
  });

  it('is accessible with errors', async () => {
    const el = await make();
    await fill(el, 'website', 'example.com');
    await submit(el);
    expect(root(el).querySelectorAll('[aria-invalid=true]').length).to.equal(4);
    await expect(el).to.be.accessible();
  });

  it('is accessible while sending, when failed and when posted', async () => {
    const tag = uid();
    const el = await make(`/fault/comments?delay=600&tag=${tag}`);
    await fillAll(el);
    await submit(el);
    expect($<HTMLButtonElement>(el, 'button[type=submit]').disabled).to.be.true;
    expect($(el, '.spinner')).to.exist;
    expect(statusText(el)).to.equal('Posting your comment…');
    await expect(el).to.be.accessible();
    await settled(el);
    expect(statusText(el)).to.equal('Your comment was posted.');
    await expect(el).to.be.accessible();

    const bad = await make('/fault/comments?status=500');
    await fillAll(bad);
    await submit(bad);
    await settled(bad);
    expect(statusText(bad)).to.contain('(500)');
    await expect(bad).to.be.accessible();
  });

  it('is accessible with a missing endpoint, which it explains', async () => {
    const el = await fixture<InkCommentForm>(html`<ink-comment-form></ink-comment-form>`);
    expect(text(el, '[role=alert]')).to.equal('This comment form has no endpoint: set its endpoint attribute.');
    expect($(el, 'form')).to.be.null;
    await expect(el).to.be.accessible();
  });
});

describe('<ink-comment-form>: structure', () => {
  it('has the fields in order, with names, labels, autocomplete and notes', async () => {
    const el = await make();
    const controls = [...root(el).querySelectorAll<HTMLInputElement>('form input, form textarea')];
    expect(controls.map((c) => c.name)).to.deep.equal(['body', 'name', 'email', 'website', 'remember', 'hp']);
    const label = (id: string) => text(el, `label[for=${id}]`);
    expect([label('body'), label('name'), label('email'), label('website')]).to.deep.equal(['Comment *', 'Name *', 'Email *', 'Website']);
    expect(label('remember')).to.equal('Save my name, email, and website in this browser for the next time I comment.');
    expect($(el, '#name').autocomplete).to.equal('name');
    expect($(el, '#email').autocomplete).to.equal('email');
    expect($(el, '#email').type).to.equal('email');
    expect($(el, '#website').autocomplete).to.equal('url');
    expect($(el, '#remember').checked).to.be.false;
    expect($(el, '#email').getAttribute('aria-describedby')).to.equal('email-note');
    expect(text(el, '#email-note')).to.equal('Your email address will not be published.');
    expect(text(el, '[part=note]')).to.equal('Required fields are marked *');
    expect(text(el, 'button[type=submit]')).to.equal('Post Comment');
    expect($<HTMLFormElement>(el, 'form').noValidate).to.be.true;
    expect(text(el, '[role=heading]')).to.equal('Leave a comment');
    const hp = $(el, '#hp');
    expect([hp.tabIndex, hp.autocomplete, hp.parentElement!.getAttribute('aria-hidden')]).to.deep.equal([-1, 'off', 'true']);
    expect(getComputedStyle(hp.parentElement!).position).to.equal('absolute');
  });

  it('takes a heading, hides it on no-heading and delegates focus', async () => {
    const el = await make();
    el.heading = 'Leave a reply to Ada';
    el.headingLevel = 3;
    await el.updateComplete;
    expect(text(el, '[role=heading]')).to.equal('Leave a reply to Ada');
    expect($(el, '[role=heading]').getAttribute('aria-level')).to.equal('3');
    el.noHeading = true;
    await el.updateComplete;
    expect($(el, '[role=heading]')).to.be.null;
    expect($(el, 'form').getAttribute('aria-label')).to.equal('Leave a reply to Ada');
    el.focus();
    expect(active(el)?.id).to.equal('body');
  });

  it('reflects theme and takes string overrides', async () => {
    const el = await make();
    el.theme = 'dark';
    el.strings = { 'form.submit': 'Send', 'form.errorSummary': { one: 'One thing to fix.', other: '{n} things to fix.' } };
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(text(el, 'button[type=submit]')).to.equal('Send');
    await submit(el);
    expect(text(el, '[aria-live=polite]')).to.equal('3 things to fix.');
  });

  it('speaks the reader\'s language, right to left where it is written so', async () => {
    const el = await fixture<InkCommentForm>(html`<ink-comment-form lang="he" endpoint="/api/comments" thread="t-he"></ink-comment-form>`);
    await waitUntil(() => $(el, 'form').dir === 'rtl', 'no rtl');
    expect(text(el, 'button[type=submit]')).not.to.equal('Post Comment');
    await submit(el);
    expect(errorOf(el, 'body')).not.to.equal('Please write a comment.');
    await expect(el).to.be.accessible();
  });

  it('reads its thread from the canonical link by default', async () => {
    const link = Object.assign(document.createElement('link'), { rel: 'canonical', href: `/posts/${uid()}?x=1` });
    document.head.append(link);
    try {
      const tag = uid();
      const el = await fixture<InkCommentForm>(html`<ink-comment-form endpoint="/fault/comments?tag=${tag}"></ink-comment-form>`);
      await fillAll(el);
      await submit(el);
      await settled(el);
      expect(JSON.parse((await requests(tag))[0].body).thread).to.equal(new URL(link.href).pathname);
    } finally {
      link.remove();
    }
  });
});

describe('<ink-comment-form>: validation', () => {
  it('an empty form shows an error by each required field, a summary, and focuses the first', async () => {
    const el = await make();
    await submit(el);
    expect(errorOf(el, 'body')).to.equal('Please write a comment.');
    expect(errorOf(el, 'name')).to.equal('Please enter your name.');
    expect(errorOf(el, 'email')).to.equal('Please enter your email address.');
    expect($(el, '#website-error')).to.be.null;
    expect($(el, '#email').getAttribute('aria-describedby')).to.equal('email-error email-note');
    expect($(el, '#body').getAttribute('aria-invalid')).to.equal('true');
    expect(text(el, '[aria-live=polite]')).to.equal('Please fix 3 problems in the form.');
    expect(active(el)?.id).to.equal('body');
  });

  it('refuses whitespace-only name and body, and focuses the first invalid field', async () => {
    const el = await make();
    await fillAll(el, { body: 'ok', name: ' \t ' });
    await submit(el);
    expect(errorOf(el, 'name')).to.equal('Please enter your name.');
    expect(active(el)?.id).to.equal('name');
    await fill(el, 'body', '  \n ');
    await submit(el);
    expect(errorOf(el, 'body')).to.equal('Please write a comment.');
    expect(active(el)?.id).to.equal('body');
  });

  it('validates on blur only what was typed, and clears an error as it is fixed', async () => {
    const el = await make();
    $(el, '#name').dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect($(el, '#name-error')).to.be.null;
    await fill(el, 'email', 'a@b');
    expect(errorOf(el, 'email')).to.equal('Please enter a valid email address, like name@example.com.');
    expect($(el, '#body-error')).to.be.null;
    await fill(el, 'email', 'a@b.co', false);
    expect($(el, '#email-error')).to.be.null;
  });

  for (const email of ['a@b', '"x"@example.com', 'a@b.c\r\nBcc:x', `${'a'.repeat(290)}@example.com`, `${'a'.repeat(65)}@example.com`]) {
    it(`refuses the email ${JSON.stringify(email.slice(0, 20))}`, async () => {
      const el = await make();
      await fill(el, 'email', email);
      expect(errorOf(el, 'email')).to.match(/valid email address|too long/);
      expect($(el, '#email').getAttribute('aria-invalid')).to.equal('true');
    });
  }

  for (const website of ['javascript:alert(1)', 'ftp://x', 'https://']) {
    it(`refuses the website ${website} without a suggestion`, async () => {
      const el = await make();
      await fill(el, 'website', website);
      expect(errorOf(el, 'website')).to.equal('Please enter a web address starting with http:// or https://.');
      expect($(el, '#website-error button')).to.be.null;
    });
  }

  it('offers https:// for a bare host and applies it', async () => {
    const el = await make();
    await fill(el, 'website', 'example.com');
    expect(errorOf(el, 'website')).to.match(/^Did you mean https:\/\/example\.com\?/);
    const fix = $<HTMLButtonElement>(el, '#website-error button');
    expect(fix.textContent!.trim()).to.equal('Use https://example.com');
    fix.click();
    await el.updateComplete;
    await aTimeout(0);
    expect($(el, '#website').value).to.equal('https://example.com');
    expect($(el, '#website-error')).to.be.null;
    expect(active(el)?.id).to.equal('website');
  });

  it('shows the count near the limit and explains the excess before posting', async () => {
    const el = await make();
    await fill(el, 'body', 'x'.repeat(1000));
    expect($(el, '#body-count')).to.be.null;
    await fill(el, 'body', '😀'.repeat(60_000), false);
    expect(text(el, '#body-count')).to.equal('60,000 / 65,525 characters');
    await fill(el, 'body', 'x'.repeat(70_000));
    expect(text(el, '#body-count')).to.equal('70,000 / 65,525 characters 4,475 characters too many.');
    expect(errorOf(el, 'body')).to.equal('Your comment is too long: at most 65,525 characters.');
    expect($(el, '#body').getAttribute('aria-describedby')).to.equal('body-error body-count');
  });
});

describe('<ink-comment-form>: posting', () => {
  it('sends the exact request, keeps markup, emoji, RTL and zero-width text as typed', async () => {
    const tag = uid();
    const thread = `t-${uid()}`;
    const el = await make(`/fault/comments?tag=${tag}`, thread);
    const body = '<b>hi</b> <script>alert(1)</script> 👩🏽‍💻 שלום\u200b!';
    const name = '<i>Ada</i> \u202eRTL\u200d 🎉';
    await fillAll(el, { body: `  ${body}\n`, name, website: 'https://ada.example' });
    const posted = oneEvent(el, 'ink-posted');
    await submit(el);
    const { detail } = await posted;
    const [req, ...more] = await requests(tag);
    expect(more).to.have.length(0);
    expect(req.method).to.equal('POST');
    expect(req.headers['content-type']).to.equal('application/json');
    expect(req.headers['idempotency-key']).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.parse(req.body)).to.deep.equal({
      thread,
      parentId: null,
      name,
      email: 'ada@example.com',
      website: 'https://ada.example',
      body,
      hp: '',
    });
    expect(detail.comment).to.include({ thread, name, body, website: 'https://ada.example', status: 'published' });
    expect(detail.comment).not.to.have.property('email');
    // Never interpreted: no element came out of the typed markup.
    expect(root(el).querySelector('b, i, script')).to.be.null;
  });

  it('posts a reply with parentId, and a pending comment says so', async () => {
    const thread = `t-${uid()}`;
    const parentEl = await make('/api-mod/comments', thread);
    await fillAll(parentEl);
    const posted = oneEvent(parentEl, 'ink-posted');
    await submit(parentEl);
    const { detail } = await posted;
    expect(detail.comment.status).to.equal('pending');
    expect(statusText(parentEl)).to.equal('Your comment is awaiting moderation.');

    const tag = uid();
    const top = await make('/api/comments', thread);
    await fillAll(top);
    await submit(top);
    await settled(top);
    const reply = await make(`/fault/comments?tag=${tag}`, thread, { parent: 'c_nope' });
    await fillAll(reply);
    await submit(reply);
    await settled(reply);
    expect(JSON.parse((await requests(tag))[0].body).parentId).to.equal('c_nope');
    expect(statusText(reply)).to.equal('The comment you are replying to no longer exists.');
  });

  it('on success clears the body and its draft, keeps the identity, and focuses the status', async () => {
    const thread = `t-${uid()}`;
    const el = await make('/api/comments', thread);
    await fillAll(el, { website: 'https://ada.example' });
    expect(getDraft('/api/comments', thread, '')?.body).to.equal('Hello there.');
    $<HTMLButtonElement>(el, 'button[type=submit]').focus();
    await submit(el);
    await settled(el);
    expect($(el, '#body').value).to.equal('');
    expect([$(el, '#name').value, $(el, '#email').value, $(el, '#website').value]).to.deep.equal(['Ada', 'ada@example.com', 'https://ada.example']);
    expect(getDraft('/api/comments', thread, '')).to.be.undefined;
    expect(active(el)?.id).to.equal('status');
  });

  it('submits with Ctrl+Enter in the comment, keyboard only', async () => {
    const tag = uid();
    const el = await make(`/fault/comments?tag=${tag}`);
    await fillAll(el);
    $(el, '#body').focus();
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Control' });
    await settled(el);
    expect(await requests(tag)).to.have.length(1);
    expect(statusText(el)).to.equal('Your comment was posted.');
  });

  it('is reachable by Tab in field order, skipping the honeypot', async () => {
    const el = await make();
    $(el, '#body').focus();
    const order = ['body'];
    for (let i = 0; i < 5; i++) {
      await sendKeys({ press: 'Tab' });
      order.push(active(el)?.id || active(el)!.localName);
    }
    expect(order).to.deep.equal(['body', 'name', 'email', 'website', 'remember', 'button']);
  });
});

describe('<ink-comment-form>: failures keep everything', () => {
  const cases: [string, string, RegExp | string, boolean][] = [
    ['500', '/fault/comments?status=500', 'The comment server had a problem (500). Your comment is kept here; try again.', true],
    ['429', '/fault/comments?status=429&retryAfter=12', 'Too many comments at once. Try again in 12 seconds.', true],
    ['429 with a date', `/fault/comments?status=429&retryAfter=${encodeURIComponent(new Date(Date.now() + 3_600_000).toUTCString())}`, /Try again in 3,[56]\d\d seconds\./, true],
    ['413', '/fault/comments?status=413', 'Your comment is too large for the server.', false],
    ['HTML instead of JSON', '/fault/comments?html=1', 'The comment server sent an answer that could not be read.', true],
    ['the wrong JSON', '/fault/comments?bad=1', 'The comment server sent an answer that could not be read.', true],
    ['the endpoint down', 'http://127.0.0.1:9/comments', 'Could not reach the comment server. Check your connection; your comment is kept here.', true],
  ];
  for (const [what, endpoint, message, retry] of cases) {
    it(`says so when ${what}, emits ink-error and loses nothing`, async () => {
      const thread = `t-${uid()}`;
      const el = await make(endpoint, thread);
      await fillAll(el);
      const failed = oneEvent(el, 'ink-error');
      await submit(el);
      const { detail } = await failed;
      await settled(el);
      if (typeof message === 'string') expect(statusText(el)).to.equal(message);
      else expect(statusText(el)).to.match(message);
      expect(detail.error.message).to.equal(statusText(el));
      if (what === '500') expect(detail.error).to.deep.include({ code: 'internal', status: 500 });
      expect($(el, '[part=status]').className).to.equal('failed');
      expect(!!$(el, 'button.secondary')).to.equal(retry);
      expect($(el, '#body').value).to.equal('Hello there.');
      expect($(el, '#email').value).to.equal('ada@example.com');
      expect(getDraft(endpoint, thread, '')?.body).to.equal('Hello there.');
      expect($<HTMLButtonElement>(el, 'button[type=submit]').disabled).to.be.false;
    });
  }

  it('retries a timed-out post with the same Idempotency-Key, and stores one comment', async () => {
    const tag = uid();
    const thread = `t-${uid()}`;
    const el = await make(`/fault/comments?delay=700&tag=${tag}`, thread, { timeout: 200 });
    await fillAll(el);
    await submit(el);
    await settled(el);
    expect(statusText(el)).to.equal('The comment server did not answer in time. Your comment is kept here; try again.');
    el.timeout = 5000;
    await el.updateComplete;
    const posted = oneEvent(el, 'ink-posted');
    $<HTMLButtonElement>(el, 'button.secondary').click();
    await posted;
    const reqs = await requests(tag);
    expect(reqs).to.have.length(2);
    expect(reqs[1].headers['idempotency-key']).to.equal(reqs[0].headers['idempotency-key']);
    expect(reqs[1].body).to.equal(reqs[0].body);
    const page = await (await fetch(`/api/comments?thread=${thread}`)).json();
    expect(page.total).to.equal(1);
  });

  it('reuses the key after a reload, and makes a new one when the input changes', async () => {
    const tag = uid();
    const thread = `t-${uid()}`;
    const endpoint = `/fault/comments?status=503&tag=${tag}`;
    let el = await make(endpoint, thread);
    await fillAll(el);
    $(el, '#remember').click();
    await submit(el);
    await settled(el);
    await submit(el);
    await settled(el);
    fixtureCleanup();
    el = await make(endpoint, thread);
    await submit(el);
    await settled(el);
    await fill(el, 'body', 'Hello there!');
    await submit(el);
    await settled(el);
    await fill(el, 'email', 'ada@example.org');
    await submit(el);
    await settled(el);
    const keys = (await requests(tag)).map((r) => r.headers['idempotency-key']);
    expect(keys).to.have.length(5);
    expect(new Set(keys.slice(0, 3)).size).to.equal(1);
    expect(new Set(keys).size).to.equal(3);
  });

  it('shows server 422 field errors by their fields and focuses the first', async () => {
    const fields = encodeURIComponent(JSON.stringify({ email: 'That address bounced.', name: 'Name taken.' }));
    const el = await make(`/fault/comments?status=422&fields=${fields}`);
    await fillAll(el);
    await submit(el);
    await settled(el);
    expect(errorOf(el, 'email')).to.equal('That address bounced.');
    expect(errorOf(el, 'name')).to.equal('Name taken.');
    expect(statusText(el)).to.equal('The server did not accept some fields; see the messages next to them.');
    expect(active(el)?.id).to.equal('name');
  });
});

describe('<ink-comment-form>: drafts and "remember me"', () => {
  it('restores the draft in a re-created element, per thread and parent', async () => {
    const thread = `t-${uid()}`;
    let el = await make('/api/comments', thread);
    await fill(el, 'body', 'Unsent 👋 <b>words</b>', false);
    fixtureCleanup();
    el = await make('/api/comments', thread);
    expect($(el, '#body').value).to.equal('Unsent 👋 <b>words</b>');
    expect(statusText(el)).to.equal('Your unsent comment was restored.');
    const reply = await make('/api/comments', thread, { parent: 'c_1' });
    expect($(reply, '#body').value).to.equal('');
    el.parent = 'c_1';
    await el.updateComplete;
    expect($(el, '#body').value).to.equal('');
    el.parent = '';
    await el.updateComplete;
    expect($(el, '#body').value).to.equal('Unsent 👋 <b>words</b>');
  });

  it('remembers name, email and website only while ticked', async () => {
    const el = await make();
    await fillAll(el, { website: 'https://ada.example' });
    expect(localStorage.getItem(IDENTITY_KEY)).to.be.null;
    $(el, '#remember').click();
    await el.updateComplete;
    expect(JSON.parse(localStorage.getItem(IDENTITY_KEY)!)).to.deep.equal({ name: 'Ada', email: 'ada@example.com', website: 'https://ada.example' });
    await fill(el, 'name', 'Ada L.');
    expect(JSON.parse(localStorage.getItem(IDENTITY_KEY)!).name).to.equal('Ada L.');
    fixtureCleanup();
    const again = await make();
    expect([$(again, '#name').value, $(again, '#email').value, $(again, '#remember').checked]).to.deep.equal(['Ada L.', 'ada@example.com', true]);
    $(again, '#remember').click();
    await again.updateComplete;
    expect(localStorage.getItem(IDENTITY_KEY)).to.be.null;
  });

  it('keeps the email in no storage and in no rendered text when remember is off', async () => {
    const email = `secret-${uid()}@example.com`;
    const el = await make('/fault/comments?status=422&fields=' + encodeURIComponent(JSON.stringify({ body: 'Nope.' })));
    await fillAll(el, { email });
    await submit(el);
    await settled(el);
    const stores = [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => s.getItem(k) ?? ''));
    expect(stores.join('\n')).not.to.contain(email);
    const rendered = (node: Node): string =>
      node instanceof Element && node.id === 'email'
        ? ''
        : (node.nodeType === Node.TEXT_NODE ? node.textContent! : '') +
          (node instanceof Element ? [...node.attributes].map((a) => a.value).join(' ') : '') +
          [...node.childNodes].map(rendered).join('');
    expect(rendered(root(el))).not.to.contain(email);
    expect(el.outerHTML).not.to.contain(email);
  });
});

describe('<ink-comment-form>: author token', () => {
  const stored = (storage: Storage) => Object.keys(storage).map((k) => storage.getItem(k) ?? '').join('\n');

  it('sends the token this browser holds for the endpoint in the body, and none meant for another', async () => {
    const post = async (endpoint: string, tag: string) => {
      const el = await make(endpoint);
      const submitted = oneEvent(el, 'ink-submit');
      await fillAll(el);
      await submit(el);
      // Not part of the comment a page listener sees: it is this browser's, not the comment's.
      expect((await submitted).detail.input).not.to.have.property('authorToken');
      await settled(el);
      return JSON.parse((await requests(tag))[0].body) as Record<string, unknown>;
    };
    const tag = uid();
    setAuthorToken('/api/comments', 'another_' + 'y'.repeat(20), true);
    expect(await post(`/fault/comments?tag=${tag}`, tag)).not.to.have.property('authorToken');

    const held = uid();
    const token = 'held_' + uid().padEnd(20, 'x');
    setAuthorToken(`/fault/comments?tag=${held}`, token, false);
    expect((await post(`/fault/comments?tag=${held}`, held)).authorToken).to.equal(token);
  });

  // Needs the reference server to answer `201 { comment, authorToken }` (issue 14, item 4): on a branch whose
  // server does not send one yet, this test fails at the first `getAuthorToken`.
  it('keeps the token of a 201 for this tab, sends it on the next post, and remembers it only while ticked', async () => {
    const tag = uid();
    const endpoint = `/fault/comments?tag=${tag}`;
    const el = await make(endpoint);
    await fillAll(el, { body: 'First.' });
    await submit(el);
    await settled(el);
    const token = getAuthorToken(endpoint) ?? '';
    // (storage keeps nothing but a well-formed token.)
    expect(token, 'the server answered the post without an authorToken').not.to.equal('');
    expect(stored(sessionStorage)).to.contain(token);
    expect(stored(localStorage)).not.to.contain(token);

    await fill(el, 'body', 'Second.');
    await submit(el);
    await settled(el);
    const [first, second] = await requests(tag);
    expect(JSON.parse(first.body)).not.to.have.property('authorToken');
    expect(JSON.parse(second.body).authorToken).to.equal(token);

    // The server may have answered the second post with the same token or a new one: what counts is the latest.
    const latest = getAuthorToken(endpoint)!;
    $(el, '#remember').click();
    await el.updateComplete;
    expect(stored(localStorage)).to.contain(latest);
    $(el, '#remember').click();
    await el.updateComplete;
    expect(stored(localStorage)).not.to.contain(latest);
    expect(getAuthorToken(endpoint)).to.equal(latest);
  });
});

describe('<ink-comment-form>: events', () => {
  it('ink-submit carries the input; a listener may add to it', async () => {
    const tag = uid();
    const el = await make(`/fault/comments?tag=${tag}`);
    await fillAll(el);
    el.addEventListener('ink-submit', (e) => {
      expect(e.detail.input).to.include({ name: 'Ada', body: 'Hello there.', website: null, parentId: null });
      e.detail.input.captcha = 'token-1';
    });
    await submit(el);
    await settled(el);
    expect(JSON.parse((await requests(tag))[0].body).captcha).to.equal('token-1');
  });

  it('ink-submit canceled: nothing is sent, nothing changes', async () => {
    const tag = uid();
    const el = await make(`/fault/comments?tag=${tag}`);
    await fillAll(el);
    el.addEventListener('ink-submit', (e) => e.preventDefault());
    const ev = oneEvent(el, 'ink-submit');
    await submit(el);
    expect((await ev).defaultPrevented).to.be.true;
    await aTimeout(100);
    expect(await requests(tag)).to.have.length(0);
    expect(statusText(el)).to.equal('');
    expect($(el, '#body').value).to.equal('Hello there.');
  });

  it('events bubble out of a shadow root, and a second click during sending posts once', async () => {
    const tag = uid();
    // Not fixture(): it waits for an animation frame, which a background page never paints.
    const host = document.body.appendChild(document.createElement('div'));
    try {
      const el = document.createElement('ink-comment-form');
      el.endpoint = `/fault/comments?delay=300&tag=${tag}`;
      el.thread = `t-${uid()}`;
      host.attachShadow({ mode: 'open' }).append(el);
      await el.updateComplete;
      await fillAll(el);
      const posted = oneEvent(host, 'ink-posted');
      await submit(el);
      await submit(el);
      await settled(el);
      expect(statusText(el)).to.equal('Your comment was posted.');
      expect((await posted).composed).to.be.true;
    } finally {
      host.remove();
    }
    expect(await requests(tag)).to.have.length(1);
  });
});
