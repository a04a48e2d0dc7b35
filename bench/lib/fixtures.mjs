// The benchmark's comment data, generated once and served in three API shapes: Inkwell's wire protocol v1, Waline's
// `/api/comment` and Artalk's `/api/v2/comments`. Every widget gets the same names, bodies and dates, so the only
// difference between runs is the widget.
import { createHash } from 'node:crypto';

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Tim',
  'Hedy', 'John', 'Katherine', 'Linus', 'Sophie', 'Niklaus', 'Shafi', 'Guido'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie'];
const WORDS = ('the a of and to in is that it for on with as this was but be at by not are from or have an they which one ' +
  'you had her all there were we when your can said use each how their if will other about out many then them these so some ' +
  'would make like into time has look two more write go see number way could people than first water been call who oil its ' +
  'now find long down day did get come made may part article thanks point agree argument reading comment example clear').split(' ');

/** A small deterministic PRNG (mulberry32), so every run and every widget sees the same text. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A sentence-cased body of about 150 characters (140 to 160, whole words). */
function body(rand) {
  const target = 140 + Math.floor(rand() * 21);
  let s = WORDS[Math.floor(rand() * WORDS.length)];
  for (;;) {
    const w = WORDS[Math.floor(rand() * WORDS.length)];
    if (s.length + 1 + w.length + 1 > target) break;
    s += ` ${w}`;
  }
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
}

/**
 * N top-level comments, oldest first: `{ id, name, email, website, body, createdAt }`. The same N always gives the
 * same list, and the first 100 of N = 1,000 are the N = 100 list.
 */
export function makeComments(n) {
  const rand = rng(42);
  const start = Date.UTC(2026, 0, 5, 9, 0, 0);
  const out = [];
  for (let i = 0; i < n; i++) {
    const first = FIRST[Math.floor(rand() * FIRST.length)];
    const last = LAST[Math.floor(rand() * LAST.length)];
    const name = `${first} ${last}`;
    const email = `${first}.${last}@example.com`.toLowerCase();
    out.push({
      id: i + 1,
      name,
      email,
      website: rand() < 0.3 ? `https://${last.toLowerCase()}.example` : null,
      body: body(rand),
      createdAt: new Date(start + i * 61_000).toISOString(),
    });
  }
  return out;
}

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const md5 = (s) => createHash('md5').update(s).digest('hex');
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `GET /api/comments?thread=T` of wire protocol v1: the whole list as one page. */
export function inkwellPage(thread, comments) {
  return {
    thread,
    total: comments.length,
    comments: comments.map((c) => ({
      id: `c_${String(c.id).padStart(6, '0')}`,
      thread,
      parentId: null,
      name: c.name,
      website: c.website,
      body: c.body,
      createdAt: c.createdAt,
      status: 'published',
    })),
    nextCursor: null,
  };
}

/**
 * Waline 3's `GET /api/comment?path=P&page=1&pageSize=N&sortBy=…`: `{ errno, errmsg, data: { count, page,
 * pageSize, totalPages, data: [WalineRootComment] } }`. `comment` is the HTML the Waline server renders from
 * markdown (a paragraph here); `avatar` points at the bench server, never at Gravatar. No `browser`/`os`/`addr`:
 * what a server with DISABLE_USERAGENT and DISABLE_REGION sends.
 */
export function walinePage(comments, avatarBase) {
  return {
    errno: 0,
    errmsg: '',
    data: {
      count: comments.length,
      page: 1,
      pageSize: comments.length,
      totalPages: 1,
      data: comments.map((c) => ({
        objectId: c.id,
        time: Date.parse(c.createdAt),
        comment: `<p>${escapeHtml(c.body)}</p>\n`,
        orig: c.body,
        like: 0,
        nick: c.name,
        link: c.website ?? '',
        avatar: `${avatarBase}${md5(c.email)}`,
        status: 'approved',
        sticky: false,
        children: [],
      })),
    },
  };
}

/**
 * Artalk 2.9's `GET /api/v2/comments?limit=N&offset=0&page_key=P&site_name=S…` (HandlerResponseCommentList):
 * `{ comments: [EntityCookedComment], count, roots_count, page }`. Artalk renders `content` as markdown itself.
 */
export function artalkPage(pageKey, site, comments) {
  return {
    comments: comments.map((c) => ({
      id: c.id,
      content: c.body,
      content_marked: `<p>${escapeHtml(c.body)}</p>\n`,
      nick: c.name,
      email_encrypted: md5(c.email),
      link: c.website ?? '',
      rid: 0,
      ua: UA,
      // Artalk's backend format: its client turns "-" into "/" before Date.parse, which an ISO string does not survive.
      date: c.createdAt.replace('T', ' ').slice(0, 19),
      is_collapsed: false,
      is_pending: false,
      is_pinned: false,
      is_verified: false,
      is_allow_reply: true,
      badge_name: '',
      badge_color: '',
      ip_region: '',
      page_key: pageKey,
      page_url: pageKey,
      site_name: site,
      user_id: 0,
      visible: true,
      vote_up: 0,
      vote_down: 0,
    })),
    count: comments.length,
    roots_count: comments.length,
    page: { id: 1, key: pageKey, title: 'Bench article', url: pageKey, admin_only: false, site_name: site, vote_up: 0, vote_down: 0, pv: 1, date: '' },
  };
}

/** Artalk's `GET /api/v2/conf`: no frontend overrides, and the version this client expects (no update banner). */
export function artalkConf(version) {
  return { frontend_conf: {}, version: { app: 'artalk', version, commit_hash: 'bench' } };
}

/** The text article every bench page shows above the comments (about 600 words, plain paragraphs). */
export function articleText() {
  const rand = rng(7);
  const paras = [];
  for (let p = 0; p < 8; p++) {
    const sentences = [];
    for (let s = 0; s < 5; s++) {
      const words = Array.from({ length: 8 + Math.floor(rand() * 10) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
      sentences.push(`${words[0].toUpperCase()}${words.slice(1)}.`);
    }
    paras.push(sentences.join(' '));
  }
  return { title: 'On measuring comment widgets', body: paras.join('\n\n') };
}

/** A neutral 40×40 SVG avatar: what the peers' avatar URLs get instead of Gravatar. */
export const AVATAR_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40"><rect width="40" height="40" fill="#bbb"/>' +
  '<circle cx="20" cy="15" r="7" fill="#fff"/><ellipse cx="20" cy="34" rx="12" ry="9" fill="#fff"/></svg>';
