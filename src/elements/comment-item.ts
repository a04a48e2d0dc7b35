/**
 * The list items of `<ink-comments>`, built by hand: the hot path of showing a long thread. Each comment is one
 * clone of a prepared item and a dozen DOM property sets, never a template per comment and never user text through
 * `innerHTML`; a thousand comments cost three to five times less this way than with a Lit template each. See
 * BENCHMARKS.md ("Where Inkwell's render time goes") before adding work per comment.
 * @module
 */
import type { Translate } from '../i18n/index.js';
import { isHttpUrl, type Comment } from '../rules.js';

/** Levels of nesting shown; replies deeper than this line up under the last level and say whom they answer. */
export const MAX_DEPTH = 3;

/** The `rel` of every link to a commenter's site or a URL in a comment: user content, not endorsed. */
const USER_LINK_REL = 'nofollow ugc noopener noreferrer';

/** What building items needs from the render: strings, formatters, the time now and the Reply button's label. */
export type Formatting = [
  t: Translate,
  relativeTime: Intl.RelativeTimeFormat,
  fullDate: Intl.DateTimeFormat,
  now: number,
  replyLabel: string,
];

/** Made once per rendering of the list, not per comment: making formatters costs more than using them. */
export function formatting(t: Translate, lang: string): Formatting {
  return [
    t,
    new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }),
    new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }),
    Date.now(),
    t('comments.reply'),
  ];
}

/** Seconds per unit, largest first (object keys keep their order). */
const UNITS = Object.entries({ year: 31_536_000, month: 2_592_000, week: 604_800, day: 86_400, hour: 3_600, minute: 60 });

/** "3 hours ago"; a time ahead of the reader's clock (a skewed clock) reads "now". */
function timeAgo(relativeTime: Intl.RelativeTimeFormat, seconds: number): string {
  for (const [unit, unitSeconds] of UNITS) {
    if (seconds >= unitSeconds) return relativeTime.format(-Math.floor(seconds / unitSeconds), unit as Intl.RelativeTimeFormatUnit);
  }
  return relativeTime.format(0, 'second');
}

let segmenter: Intl.Segmenter | undefined;
/**
 * The first user-perceived character: a whole emoji sequence, flag, or letter with its marks. Intl.Segmenter costs
 * about 0.1 ms a call, the largest cost of showing a long thread, so it is asked only when the second code point
 * may belong to the first: a mark or other grapheme extender (joiners, tags, halfwidth kana sound marks), a flag's
 * second half, an emoji modifier, Thai or Lao AM, a Hangul vowel or final jamo. Otherwise the first code point is
 * the answer. (Checked against the Segmenter for every code point after a dozen kinds of first one: the cases left
 * out, sequences of archaic or leading jamo, do not come from a keyboard.)
 */
const firstGrapheme = (word: string) =>
  /^.[\p{Gr_Ext}\p{Mc}\p{RI}\p{EMod}\u200d\u0e33\u0eb3\u1160-\u11ff]/u.test(word)
    ? (segmenter ??= new Intl.Segmenter()).segment(word)[Symbol.iterator]().next().value!.segment
    : String.fromCodePoint(word.codePointAt(0)!);

/** Up to two initials, of the first and the last word; punctuation and bidi controls before a word are skipped. */
export function initials(name: string): string {
  // A word: from its first letter, digit or emoji to the next white space.
  const words: string[] = name.match(/[\p{L}\p{N}\p{Extended_Pictographic}\p{Regional_Indicator}]\S*/gu) ?? [];
  return (words.length > 1 ? [words[0], words.at(-1)!] : words).map(firstGrapheme).join('').toUpperCase() || '?';
}

/** A palette index (of the 8 avatar colours) from the name alone, never the email: a name always gets one colour. */
export function colourOf(name: string): number {
  let hash = 0;
  // Math.imul and & read the hash as a 32-bit integer: its low three bits, as an unsigned modulo 8 would give.
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash, 31) + name.charCodeAt(i);
  return hash & 7;
}

const occurrences = (text: string, character: string) => text.split(character).length - 1;
const make = <K extends keyof HTMLElementTagNameMap>(tag: K) => document.createElement(tag);

/**
 * The body: paragraphs split on blank lines, single line breaks kept, bare http(s) URLs as links. Text nodes and
 * attributes only, never markup.
 */
function fillBody(box: HTMLElement, text: string) {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n[^\S\n]*\n\s*/);
  for (const paragraph of paragraphs) {
    const p = paragraphs.length > 1 ? box.appendChild(make('p')) : box;
    // Text, then a line break or a URL, then text...: a URL ends before white space or a character that cannot appear
    // unescaped in one; trailing punctuation is trimmed after the match, so "see https://a.example." links without
    // its full stop.
    paragraph.split(/(\n|https?:\/\/[^\s<>"]+)/i).forEach((piece, i) => {
      if (!(i % 2)) return p.append(piece);
      if (piece === '\n') return p.append(make('br'));
      let url = piece;
      for (let last = url.at(-1)!; '.,;:!?'.includes(last) || (last === ')' && occurrences(url, '(') < occurrences(url, ')')); last = url.at(-1)!) {
        url = url.slice(0, -1);
      }
      p.append(isHttpUrl(url) ? Object.assign(make('a'), { href: url, rel: USER_LINK_REL, textContent: url }) : url, piece.slice(url.length));
    });
  }
}

/**
 * One comment's markup, with `AUTHOR` for the author's element: static markup only (no user text ever goes through
 * innerHTML), and no white space between tags, since each run of it would be one more node per comment. An article
 * can take the focus (from a permalink, or once a reply is posted).
 */
const ITEM_MARKUP = `<li><article part="comment" tabindex="-1"><span class="av" part="avatar" aria-hidden="true"></span><div class="hd">AUTHOR<a><time part="time"></time></a></div><div class="body" part="body" dir="auto"></div><button class="secondary reply" part="reply button" aria-expanded="false"></button></article></li>`;

/**
 * The two prepared items, made once: the author is a link to their website when they gave one, and text otherwise
 * (a link without `href` is no link: crawlers and assistive technology report it). Two prototypes rather than one
 * element swapped per comment, so that either kind costs one clone.
 */
let itemWithWebsite: Node | undefined;
let itemNameOnly: Node | undefined;
function prepare(authorMarkup: string): Node {
  return Object.assign(make('template'), { innerHTML: ITEM_MARKUP.replace('AUTHOR', authorMarkup) }).content.firstChild!;
}

/** One comment's list item: a clone of a prepared item (thirteen nodes), filled through DOM properties, so any text stays text. */
export function buildItem(
  comment: Comment,
  repliedTo: Comment | undefined,
  targetId: string | undefined,
  [t, relativeTime, fullDate, now, replyLabel]: Formatting,
): HTMLLIElement {
  const prototype = comment.website
    ? (itemWithWebsite ??= prepare(`<a class="au" part="author" dir="auto" rel="${USER_LINK_REL}"></a>`))
    : (itemNameOnly ??= prepare('<span class="au" part="author" dir="auto"></span>'));
  const li = prototype.cloneNode(true) as HTMLLIElement;
  // Walked by sibling, not destructured: an HTMLCollection's iterator is slow enough to show a thousand times over.
  const article = li.firstChild as HTMLElement;
  const avatar = article.firstChild as HTMLElement;
  const header = avatar.nextSibling as HTMLElement;
  const body = header.nextSibling as HTMLElement;
  const reply = body.nextSibling as HTMLElement;
  const author = header.firstChild as HTMLElement;
  const permalink = author.nextSibling as HTMLAnchorElement;
  const time = permalink.firstChild as HTMLTimeElement;
  const createdAt = Date.parse(comment.createdAt);
  article.id = `comment-${comment.id}`;
  if (comment.id === targetId) article.className = 'target';
  avatar.className = `av a${colourOf(comment.name)}`;
  avatar.dataset.i = initials(comment.name);
  author.textContent = comment.name;
  // (readComment() has set any website that is not http(s) to null.)
  if (comment.website) (author as HTMLAnchorElement).href = comment.website;
  permalink.href = '#' + article.id;
  time.dateTime = comment.createdAt;
  time.title = fullDate.format(createdAt);
  time.textContent = timeAgo(relativeTime, (now - createdAt) / 1000);
  if (repliedTo) {
    header.append(Object.assign(make('a'), { href: `#comment-${repliedTo.id}`, textContent: t('comments.inReplyTo', { name: repliedTo.name }) }));
  }
  fillBody(body, comment.body);
  reply.textContent = replyLabel;
  reply.ariaLabel = t('comments.replyTo', { name: comment.name });
  if (comment.status === 'pending') {
    // Nobody can reply to a comment the server has not published.
    article.className += ' pending';
    reply.replaceWith(Object.assign(make('p'), { className: 'note', textContent: t('form.pending') }));
  }
  return li;
}

/**
 * Brings the list of top-level comments up to date, and under each the list of its replies, down to `MAX_DEPTH`;
 * the last level holds every later generation in order, each saying whom it answers. Items already built (in
 * `built`, by comment) are kept, put back in order with what they hold (an open reply form keeps its text); new
 * ones are built and added to `built`. `targetId` is the permalinked comment, highlighted when its item is built.
 */
export function fillList(
  list: HTMLElement,
  children: ReadonlyMap<string | null, readonly Comment[]>,
  built: WeakMap<Comment, HTMLLIElement>,
  targetId: string | undefined,
  formatting: Formatting,
): void {
  const fill = (list: HTMLElement, parentId: string | null, depth: number) => {
    const items: HTMLLIElement[] = [];
    const walk = (comment: Comment, repliedTo?: Comment) => {
      let li = built.get(comment);
      if (!li) built.set(comment, (li = buildItem(comment, repliedTo, targetId, formatting)));
      items.push(li);
      if (depth >= MAX_DEPTH) children.get(comment.id)?.forEach((reply) => walk(reply, comment));
      else if (children.has(comment.id)) {
        let replies = li.lastElementChild as HTMLElement;
        if (replies.localName !== 'ol') replies = li.appendChild(make('ol'));
        fill(replies, comment.id, depth + 1);
      }
    };
    children.get(parentId)?.forEach((comment) => walk(comment));
    list.replaceChildren(...items);
  };
  fill(list, null, 1);
}
