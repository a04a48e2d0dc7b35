// The thread model of <ink-comments> (src/thread-model.ts) under node: no DOM, no Lit, plain data in and out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Comment, CommentPage } from '../../src/rules.js';
import {
  KEEP_PENDING_MS,
  KEEP_POSTED_MS,
  PERMALINK_SEEK_LIMIT,
  addPage,
  addPosted,
  createThread,
  pageLimit,
  permalinkId,
  readKeptComments,
  shouldSeekPermalink,
  stillShownComments,
  withoutListed,
  type Thread,
} from '../../src/thread-model.js';

let n = 0;
const comment = (c: Partial<Comment> = {}): Comment => ({
  id: `c${++n}`,
  thread: 't',
  parentId: null,
  name: 'Ada',
  website: null,
  body: 'Hello',
  createdAt: '2026-01-01T00:00:00.000Z',
  status: 'published',
  ...c,
});
const page = (comments: Comment[], total = comments.length, nextCursor: string | null = null): CommentPage => ({ thread: 't', total, comments, nextCursor });
/** The tree as ids: each parent's children, in the order shown. */
const tree = (thread: Thread) => Object.fromEntries([...thread.children].map(([parent, kids]) => [String(parent), kids.map((c) => c.id)]));

test('a new thread is empty, or holds the pending comments kept for their author', () => {
  const empty = createThread('oldest');
  assert.deepEqual([empty.listed, empty.local, empty.total, empty.nextCursor, empty.children.size], [[], [], 0, null, 0]);
  const mine = comment({ status: 'pending' });
  const kept = createThread('oldest', [mine]);
  assert.deepEqual(tree(kept), { null: [mine.id] });
  assert.equal(kept.byId.get(mine.id), mine);
  // A pending comment is not counted: the total is of published comments.
  assert.equal(kept.total, 0);
});

test('pages append in the server order, replies under their parents, with the next cursor and the total', () => {
  const a = comment();
  const a1 = comment({ parentId: a.id });
  const b = comment();
  const first = addPage(createThread('oldest'), page([a, a1], 5, 'p2'));
  assert.deepEqual(tree(first), { null: [a.id], [a.id]: [a1.id] });
  assert.deepEqual([first.total, first.nextCursor], [5, 'p2']);
  const c = comment();
  const second = addPage(first, page([b, c], 5, null));
  assert.deepEqual(tree(second), { null: [a.id, b.id, c.id], [a.id]: [a1.id] });
  assert.deepEqual(second.listed.map((x) => x.id), [a.id, a1.id, b.id, c.id]);
  assert.equal(second.nextCursor, null);
  // Threads are never changed in place: the element compares them by identity.
  assert.notEqual(second, first);
  assert.deepEqual(tree(first), { null: [a.id], [a.id]: [a1.id] });
});

test('a comment posted here shows at once: top level last when oldest first, first when newest first; replies last', () => {
  const a = comment();
  const b = comment();
  for (const [sort, expected] of [['oldest', [a.id, b.id, 'x']], ['newest', ['x', a.id, b.id]]] as const) {
    const loaded = addPage(createThread(sort), page([a, b], 2));
    const posted = addPosted(loaded, comment({ id: 'x' }))!;
    assert.deepEqual(posted.children.get(null)!.map((c) => c.id), expected, sort);
    assert.equal(posted.total, 3);
    const reply = addPosted(posted, comment({ id: 'r', parentId: a.id }))!;
    assert.deepEqual(reply.children.get(a.id)!.map((c) => c.id), ['r']);
    assert.equal(reply.total, 4);
  }
});

test('a comment posted twice (the event seen again) is shown once; a pending one is not counted', () => {
  const thread = addPage(createThread('oldest'), page([comment()], 1));
  const mine = comment({ status: 'pending' });
  const once = addPosted(thread, mine)!;
  assert.equal(once.total, 1);
  assert.equal(addPosted(once, mine), undefined);
  assert.equal(addPosted(once, { ...mine }), undefined);
});

test('once the server lists a comment posted here, it is shown once, as the server has it, and the total is not counted twice', () => {
  const a = comment();
  const loaded = addPage(createThread('newest'), page([a], 1));
  const mine = comment({ body: 'mine' });
  const posted = addPosted(loaded, mine)!;
  assert.equal(posted.total, 2);
  // Reloaded (a new thread) or a later page: the server now lists it, with its own copy.
  const served = { ...mine };
  const next = addPage(posted, page([served], 2));
  assert.deepEqual(next.local, []);
  assert.equal(next.byId.get(mine.id), served);
  assert.equal(next.total, 2);
  assert.equal([...next.children.get(null)!].filter((c) => c.id === mine.id).length, 1);
});

test('a published comment posted here but not yet listed adds to the server total of each later page', () => {
  const mine = comment();
  const posted = addPosted(addPage(createThread('oldest'), page([comment()], 10, 'p2')), mine)!;
  assert.equal(posted.total, 11);
  assert.equal(addPage(posted, page([comment()], 10)).total, 11);
});

test('kept comments: only Comments survive the stored text, the listed ones and the old ones go', () => {
  const mine = comment({ status: 'pending' });
  const stored = JSON.parse(JSON.stringify([mine, { ...mine, id: 'pub', status: 'published' }, { id: 5 }, 'text', null, { ...mine, id: 'e', email: 'secret@example.com' }]));
  const kept = readKeptComments(stored);
  assert.deepEqual(kept.map((c) => c.id), [mine.id, 'pub', 'e']);
  assert.equal('email' in kept[2], false, 'a field a Comment lacks is dropped');
  assert.deepEqual(readKeptComments(undefined), []);
  assert.deepEqual(readKeptComments({ ...mine }).map((c) => c.id), [mine.id], 'one object (an older format) reads as a list of one');
  assert.deepEqual(readKeptComments('nonsense'), []);

  const now = Date.parse('2026-03-01T00:00:00Z');
  const young = comment({ status: 'pending', createdAt: new Date(now - KEEP_PENDING_MS + 60_000).toISOString() });
  const old = comment({ status: 'pending', createdAt: new Date(now - KEEP_PENDING_MS - 60_000).toISOString() });
  assert.deepEqual(stillShownComments([young, old], now), [young]);
  // A published comment a cached page does not list yet is shown for a day, then taken as removed by a moderator.
  const posted = comment({ createdAt: new Date(now - KEEP_POSTED_MS + 60_000).toISOString() });
  const gone = comment({ createdAt: new Date(now - KEEP_POSTED_MS - 60_000).toISOString() });
  assert.deepEqual(stillShownComments([posted, gone, young], now), [posted, young]);

  assert.deepEqual(withoutListed([young, old], page([{ ...young, status: 'published' }])), [old]);
});

test('permalinks: the id a #comment-ID hash names, and when to load further pages to find it', () => {
  assert.equal(permalinkId('#comment-abc'), 'abc');
  assert.equal(permalinkId('#comment-a%20b'), 'a b');
  assert.equal(permalinkId('#comment-'), '');
  assert.equal(permalinkId('#comments'), undefined);
  assert.equal(permalinkId('#top'), undefined);
  assert.equal(permalinkId(''), undefined);
  assert.equal(permalinkId('#comment-%E0%A4%A'), undefined, 'a malformed escape is no permalink');

  const shown = comment();
  const more = addPage(createThread('oldest'), page([shown], 3, 'p2'));
  assert.equal(shouldSeekPermalink(more, shown.id), false, 'already shown');
  assert.equal(shouldSeekPermalink(more, 'elsewhere'), true);
  assert.equal(shouldSeekPermalink(addPage(createThread('oldest'), page([shown], 1)), 'elsewhere'), false, 'no next page');
  const many = Array.from({ length: PERMALINK_SEEK_LIMIT }, () => comment());
  assert.equal(shouldSeekPermalink(addPage(createThread('oldest'), page(many, 5000, 'p2')), 'deleted'), false, 'not past the limit');
});

test('page-size: a whole number from 1 to 1,000, 50 when unset', () => {
  assert.deepEqual([50, 1, 1000, 5000, 0, -3, 2.7, NaN].map(pageLimit), [50, 1, 1000, 1000, 50, 1, 2, 50]);
});
