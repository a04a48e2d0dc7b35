// <ink-moderation> against the real reference server: test/support/api.ts mounts /api-admin/comments with moderation
// `all` (every seeded comment is pending) and the owner token `test-owner-token`.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { AdminComment } from '../src/admin/admin-client.js';
import '../src/admin/ink-moderation.js';
import type { InkModeration } from '../src/admin/ink-moderation.js';
import { postComment, uid } from './support/seed.js';

const ENDPOINT = '/api-admin/comments';
const TOKEN = 'test-owner-token';

/** Waits until `check` holds (or fails after `ms`). */
async function until(check: () => unknown, ms = 4000, what = 'the condition') {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Seeds `n` pending comments in a new thread (oldest first); returns the thread and the comments. */
async function seed(n: number, extra: { body?: string; name?: string } = {}) {
  const thread = `/mod-${uid()}`;
  const comments = [];
  for (let i = 0; i < n; i++) comments.push(await postComment(thread, { name: extra.name ?? `Author ${i}`, body: extra.body ?? `Body ${i} ${uid()}` }, ENDPOINT));
  return { thread, comments };
}

/** The comments of a thread as the admin API gives them now. */
async function adminList(thread: string, status = 'all'): Promise<AdminComment[]> {
  const res = await fetch(`${ENDPOINT}/admin/comments?status=${status}&thread=${encodeURIComponent(thread)}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return (await res.json()).comments;
}

const $ = <T extends Element = HTMLElement>(el: InkModeration, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: InkModeration, selector: string) => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const text = (el: InkModeration) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');

async function mount(attrs: { theme?: string; lang?: string; undoDelay?: number; pollInterval?: number } = {}) {
  return fixture<InkModeration>(html`<ink-moderation
    endpoint=${ENDPOINT}
    theme=${attrs.theme ?? 'light'}
    lang=${attrs.lang ?? 'en'}
    undo-delay=${attrs.undoDelay ?? 200}
    poll-interval=${attrs.pollInterval ?? 0}
  ></ink-moderation>`);
}

/** Signs in through the form, then (with a thread) shows that thread only. */
async function signIn(el: InkModeration, { token = TOKEN, keep = false, thread = '' } = {}) {
  $<HTMLInputElement>(el, '#token')!.value = token;
  $<HTMLInputElement>(el, '#keep')!.checked = keep;
  $<HTMLButtonElement>(el, '.sign-in button')!.click();
  await until(() => el.queue.state === 'ready' || $(el, '#sign-in-error'), 4000, 'sign-in');
  if (thread) {
    el.queue.filter({ thread, status: 'all' });
    await until(() => el.queue.state === 'ready' && el.queue.thread === thread, 4000, 'the thread');
  }
  await el.updateComplete;
}

const item = (el: InkModeration, id: string) => $(el, `#item-${id}`)!;
const button = (el: InkModeration, id: string, action: string) => item(el, id).querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;
const status = (el: InkModeration) => $(el, '[role="status"]')!.textContent!.trim();
const alertText = (el: InkModeration) => $(el, '[role="alert"]')!.textContent!.trim();

describe('<ink-moderation>', () => {
  afterEach(() => {
    sessionStorage.clear();
    return setViewport({ width: 800, height: 600 });
  });

  it('is accessible signed out, in light, dark and right to left', async () => {
    await expect(await mount()).to.be.accessible();
    await expect(await mount({ theme: 'dark' })).to.be.accessible();
    const rtl = await mount({ lang: 'he' });
    await expect(rtl).to.be.accessible();
  });

  it('refuses a wrong token with a clear sentence and shows nothing else', async () => {
    const el = await mount();
    await signIn(el, { token: 'not-the-token' });
    expect($(el, '#sign-in-error')!.textContent).to.contain('not accepted');
    expect($(el, 'nav')).to.equal(null);
    expect($(el, '.list')).to.equal(null);
    expect(el.client).to.equal(undefined);
  });

  it('lists the pending queue with what only a moderator sees, accessibly in light, dark and RTL', async () => {
    const { thread, comments } = await seed(2);
    for (const attrs of [{}, { theme: 'dark' }, { lang: 'ar' }]) {
      const el = await mount(attrs);
      await signIn(el, { thread });
      expect($$(el, 'article.item')).to.have.length(2);
      await expect(el).to.be.accessible();
      if (!attrs.lang) expect(text(el)).to.contain(comments[0].name).and.contain('@example.com');
    }
  });

  it('approves after the undo window, and says so', async () => {
    const { thread, comments } = await seed(1);
    const el = await mount({ undoDelay: 200 });
    await signIn(el, { thread });
    button(el, comments[0].id, 'approve').click();
    await el.updateComplete;
    expect(item(el, comments[0].id).textContent).to.contain('Approved');
    await until(() => status(el) === 'Approved.', 3000, '"Approved."');
    expect((await adminList(thread))[0].status).to.equal('published');
  });

  it('marks as spam and deletes', async () => {
    const { thread, comments } = await seed(2);
    const el = await mount({ undoDelay: 100 });
    await signIn(el, { thread });
    button(el, comments[0].id, 'spam').click();
    button(el, comments[1].id, 'delete').click();
    await until(async () => status(el) === 'Deleted.' || status(el) === 'Marked as spam.', 3000);
    await until(() => !$(el, `#item-${comments[1].id}`), 3000, 'the deleted item to go');
    const left = await adminList(thread);
    expect(left.map((c) => [c.id, c.status])).to.deep.equal([[comments[0].id, 'spam']]);
  });

  it('undo cancels the action: no request is ever sent', async () => {
    const { thread, comments } = await seed(1);
    const el = await mount({ undoDelay: 400 });
    await signIn(el, { thread });
    const sent: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => (sent.push(`${init?.method ?? 'GET'} ${String(input)}`), realFetch(input, init));
    try {
      button(el, comments[0].id, 'approve').click();
      await el.updateComplete;
      button(el, comments[0].id, 'undo').click();
      await until(() => status(el) === 'Undone.', 2000, '"Undone."');
      await new Promise((r) => setTimeout(r, 700));
    } finally {
      window.fetch = realFetch;
    }
    expect(sent.filter((s) => s.startsWith('POST'))).to.deep.equal([]);
    expect((await adminList(thread))[0].status).to.equal('pending');
    expect(button(el, comments[0].id, 'approve')).to.exist;
  });

  it('edits a comment inline', async () => {
    const { thread, comments } = await seed(1);
    const el = await mount({ undoDelay: 100 });
    await signIn(el, { thread });
    button(el, comments[0].id, 'edit').click();
    await el.updateComplete;
    const textarea = $<HTMLTextAreaElement>(el, `#edit-${comments[0].id}`)!;
    textarea.value = 'Edited by a moderator';
    item(el, comments[0].id).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => status(el) === 'Saved.', 3000, '"Saved."');
    expect((await adminList(thread))[0].body).to.equal('Edited by a moderator');
  });

  it('bulk-deletes the selected comments and says how many', async () => {
    const { thread } = await seed(3);
    const el = await mount();
    await signIn(el, { thread });
    $<HTMLInputElement>(el, '#select-all')!.click();
    await el.updateComplete;
    $$<HTMLButtonElement>(el, '.bulk button').find((b) => b.textContent!.includes('Delete'))!.click();
    await until(() => status(el) === '3 comments deleted.', 4000, '"3 comments deleted."');
    expect(await adminList(thread)).to.deep.equal([]);
  });

  it('says none were changed when a bulk request is refused, and reloads when its answer is lost', async () => {
    const { thread, comments } = await seed(2);
    const el = await mount();
    await signIn(el, { thread });
    // More ids than one bulk request may carry (200): the server refuses the whole request.
    el.queue.selected = new Set(Array.from({ length: 201 }, (_, i) => `x${i}`));
    await el.queue.bulk('approve');
    await until(() => alertText(el).startsWith('None of the 201 were changed:'), 3000, 'the refusal');
    // The connection drops mid-request (a fault a healthy server cannot produce): the dashboard cannot know, so it
    // says so and reloads the list to show what happened.
    const realFetch = window.fetch;
    window.fetch = (input, init) => (String(input).endsWith('/admin/bulk') ? Promise.reject(new TypeError('Failed to fetch')) : realFetch(input, init));
    try {
      el.queue.selected = new Set(comments.map((c) => c.id));
      await el.queue.bulk('spam');
    } finally {
      window.fetch = realFetch;
    }
    await until(() => alertText(el).includes('did not confirm'), 3000, 'the unknown outcome');
    expect(el.queue.state).to.equal('ready');
  });

  it('searches by text', async () => {
    const word = `needle${uid()}`;
    const { thread } = await seed(2);
    await postComment(thread, { name: 'Searcher', body: `a ${word} here` }, ENDPOINT);
    const el = await mount();
    await signIn(el, { thread });
    expect($$(el, 'article.item')).to.have.length(3);
    $<HTMLInputElement>(el, '#search')!.value = word;
    $<HTMLButtonElement>(el, '.search button')!.click();
    await until(() => el.queue.state === 'ready' && el.queue.q === word);
    await el.updateComplete;
    expect($$(el, 'article.item')).to.have.length(1);
    expect(text(el)).to.contain('Searcher');
  });

  it('moves with j and k, acts with a, s and d, searches with /, helps with ?, and ignores keys typed in a field', async () => {
    const { thread, comments } = await seed(3);
    const el = await mount({ undoDelay: 150 });
    await signIn(el, { thread });
    const [newest, middle, oldest] = [...comments].reverse();
    const focused = () => el.shadowRoot!.activeElement?.closest('article')?.dataset.id;
    await sendKeys({ press: 'j' });
    expect(focused()).to.equal(newest.id);
    await sendKeys({ press: 'j' });
    expect(focused()).to.equal(middle.id);
    await sendKeys({ press: 'k' });
    expect(focused()).to.equal(newest.id);
    await sendKeys({ press: 'a' }); // newest approved, focus moves on to the middle one
    expect(focused()).to.equal(middle.id);
    await sendKeys({ press: 's' });
    await sendKeys({ press: 'd' });
    await until(async () => {
      const now = await adminList(thread);
      return now.length === 2 && now.every((c) => c.status !== 'pending');
    }, 4000, 'the three actions');
    const now = Object.fromEntries((await adminList(thread)).map((c) => [c.id, c.status]));
    expect(now).to.deep.equal({ [newest.id]: 'published', [middle.id]: 'spam' });
    expect(oldest.id in now).to.equal(false);

    await sendKeys({ press: '/' });
    expect(el.shadowRoot!.activeElement!.id).to.equal('search');
    await sendKeys({ type: 'ads' });
    expect($<HTMLInputElement>(el, '#search')!.value).to.equal('ads');
    expect(el.queue.scheduled.size).to.equal(0);

    $<HTMLButtonElement>(el, 'nav button')!.focus();
    await sendKeys({ press: '?' });
    expect($<HTMLDialogElement>(el, 'dialog')!.open).to.equal(true);
    expect($(el, 'dialog')!.textContent).to.contain('Next comment');
  });

  it('shows a clear sentence and refreshes when the comment was deleted by someone else', async () => {
    const { thread, comments } = await seed(2);
    const el = await mount({ undoDelay: 300 });
    await signIn(el, { thread });
    button(el, comments[0].id, 'approve').click();
    await fetch(`${ENDPOINT}/admin/comments/${comments[0].id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${TOKEN}` } });
    await until(() => alertText(el).includes('no longer exists'), 3000, 'the 404 sentence');
    await until(() => el.queue.state === 'ready' && !$(el, `#item-${comments[0].id}`), 3000, 'the refresh');
    expect($$(el, 'article.item')).to.have.length(1);
  });

  it('offers new pending comments without a reload, and puts the count in the title', async () => {
    const el = await mount({ pollInterval: 200 });
    await signIn(el);
    await until(() => /^\(\d+\) /.test(document.title), 2000, 'the count in the title');
    await postComment(`/mod-${uid()}`, { name: 'Newcomer' }, ENDPOINT);
    await until(() => el.queue.fresh.length > 0, 3000, 'the poll');
    await el.updateComplete;
    const notice = $<HTMLButtonElement>(el, '.fresh')!;
    expect(notice.textContent).to.match(/1 new comment/);
    notice.click();
    await el.updateComplete;
    expect(text(el)).to.contain('Newcomer');
  });

  it('shows the audit log, and adds and removes a block (a bad value gets the server\'s sentence)', async () => {
    const { thread, comments } = await seed(1);
    const el = await mount({ undoDelay: 50 });
    await signIn(el, { thread });
    button(el, comments[0].id, 'approve').click();
    await until(() => status(el) === 'Approved.', 3000, '"Approved."');
    const views = $$<HTMLButtonElement>(el, 'nav button');
    views.find((b) => b.textContent!.includes('Audit log'))!.click();
    await until(() => el.panels.state === 'ready', 3000, 'the audit log');
    await el.updateComplete;
    expect($(el, 'table')!.textContent).to.contain(comments[0].id).and.contain('approve');
    await expect(el).to.be.accessible();

    views.find((b) => b.textContent!.includes('Blocks'))!.click();
    await until(() => el.panels.state === 'ready', 3000, 'the blocks');
    await el.updateComplete;
    const value = $<HTMLInputElement>(el, '#block-value')!;
    value.value = 'not an address';
    $<HTMLButtonElement>(el, '.block-form button')!.click();
    await until(() => $(el, '#block-error'), 3000, 'the block error');
    expect(value.getAttribute('aria-invalid')).to.equal('true');
    const email = `blocked-${uid()}@example.com`;
    value.value = email;
    $<HTMLButtonElement>(el, '.block-form button')!.click();
    await until(() => status(el) === 'Block added.', 3000, '"Block added."');
    await el.updateComplete;
    expect($(el, '.blocks')!.textContent).to.contain(email);
    await expect(el).to.be.accessible();
    $$<HTMLButtonElement>(el, '.blocks button').find((b) => b.getAttribute('aria-label')!.includes(email))!.click();
    await until(() => status(el) === 'Block removed.', 3000, '"Block removed."');
  });

  it('fits a 320 px phone without sideways scrolling', async () => {
    const { thread } = await seed(2, { name: 'A rather long name of a commenter', body: `https://example.com/${'x'.repeat(80)}` });
    await setViewport({ width: 320, height: 800 });
    const el = await mount();
    await signIn(el, { thread });
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
    for (const node of $$(el, 'article.item, .bulk, .search, .statuses')) expect(node.scrollWidth).to.be.at.most(node.clientWidth + 1);
  });

  it('keeps the token in sessionStorage only when ticked, and forgets it on sign-out', async () => {
    const stored = () => Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k));
    let el = await mount();
    await signIn(el);
    expect(stored()).not.to.include(TOKEN);
    expect(Object.values(localStorage)).not.to.include(TOKEN);
    el = await mount();
    await signIn(el, { keep: true });
    expect(stored()).to.include(TOKEN);
    // Kept: a new dashboard on this tab is signed in at once.
    const again = await mount();
    await until(() => again.client, 3000, 'the kept sign-in');
    $$<HTMLButtonElement>(again, '.top button').find((b) => b.textContent!.includes('Sign out'))!.click();
    expect(stored()).not.to.include(TOKEN);
  });
});
