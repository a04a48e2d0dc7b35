// Render time in headless Chromium: from the widget's creation to N comments in the DOM, and to the next frame;
// plus layouts, style recalculations and DOM nodes from the Chromium performance metrics (CDP Performance.getMetrics).
import { ARTALK_SITE, threadOf } from './page-server.mjs';
import { summary } from './stats.mjs';

export const WIDGETS = ['inkwell', 'waline', 'artalk'];

/**
 * Not a widget: what the browser itself needs to show the same comments (fetch, parse, one innerHTML of Inkwell's
 * markup). Measured with the widgets, render only (it has no files to weigh), so that a goal can be read against it.
 */
export const FLOOR = 'floor';

/**
 * Runs in the page: creates the widget (or, for the floor, inserts the markup), waits for N comment nodes, then for
 * the next frame. Self-contained: it is serialised into the page.
 */
export async function inPage({ kind, n, origin, thread, site, timeout }) {
  const mount = document.getElementById('mount');
  mount.replaceChildren();
  let count;
  let loadedAt = null;
  const roots = [mount];
  const t0 = performance.now();
  if (kind === 'inkwell') {
    const el = document.createElement('ink-comments');
    el.setAttribute('endpoint', '/api/comments');
    el.setAttribute('thread', thread);
    el.setAttribute('page-size', String(n));
    el.addEventListener('ink-loaded', () => (loadedAt ??= performance.now()), { once: true });
    mount.append(el);
    if (el.shadowRoot) roots.push(el.shadowRoot);
    count = () => el.shadowRoot?.querySelectorAll('[part~="comment"]').length ?? 0;
  } else if (kind === 'floor') {
    // No widget, no framework: the least any widget has to do with Inkwell's answer and markup. Its one style rule is
    // Inkwell's for long lists, so that the next frame, too, lays out only what is on screen.
    const host = mount.appendChild(document.createElement('div'));
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<style>li{content-visibility:auto;contain-intrinsic-size:auto 7rem}</style>';
    const list = shadow.appendChild(document.createElement('ol'));
    roots.push(shadow);
    const esc = (s) => s.replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
    // Not awaited: the observers below must be watching before the markup lands. A failure shows as a page error.
    (async () => {
      const res = await fetch(`/api/comments?thread=${thread}&limit=${n}`);
      const { comments } = JSON.parse(await res.text());
      let html = '';
      for (const c of comments) {
        const id = esc(c.id);
        const words = c.name.split(' ');
        const initials = esc((words[0][0] + (words.length > 1 ? words[words.length - 1][0] : '')).toUpperCase());
        html +=
          `<li><article id="comment-${id}" part="comment" tabindex="-1"><span class="av" aria-hidden="true" data-i="${initials}"></span>` +
          `<div class="hd"><a class="au" dir="auto">${esc(c.name)}</a><a href="#comment-${id}"><time datetime="${esc(c.createdAt)}">${esc(c.createdAt.slice(0, 10))}</time></a></div>` +
          `<div class="body" dir="auto">${esc(c.body)}</div><button>Reply</button></article></li>`;
      }
      list.innerHTML = html;
    })();
    count = () => shadow.querySelectorAll('article').length;
  } else if (kind === 'waline') {
    // Everything that would reach past this machine is off: emoji CDN, search (GIPHY), counters, reactions, login.
    window.Waline.init({
      el: mount, serverURL: origin, path: `/${thread}`, lang: 'en', pageSize: n, dark: false, login: 'disable',
      emoji: false, search: false, reaction: false, pageview: false, comment: false,
      imageUploader: false, highlighter: false, texRenderer: false,
    });
    count = () => mount.querySelectorAll('.wl-card-item').length;
  } else {
    // Avatars from the bench server instead of Gravatar; no emoticon packs, no page-view counter.
    window.Artalk.init({
      el: mount, server: origin, site, pageKey: `/${thread}`, pageTitle: 'Bench article', locale: 'en', darkMode: false,
      pagination: { pageSize: n, readMore: true, autoLoad: false }, emoticons: false, pvAdd: false,
      gravatar: { mirror: `${origin}/avatar/`, params: 's=80' },
    });
    count = () => mount.querySelectorAll('.atk-comment-wrap').length;
  }
  return new Promise((resolve) => {
    let domAt = null;
    const observers = [];
    const finish = (extra) => {
      clearTimeout(timer);
      for (const o of observers) o.disconnect();
      resolve({ count: count(), loaded: loadedAt === null ? null : loadedAt - t0, ...extra });
    };
    const check = () => {
      if (domAt !== null || count() < n) return;
      domAt = performance.now();
      requestAnimationFrame(() => setTimeout(() => finish({ dom: domAt - t0, frame: performance.now() - t0 }), 0));
    };
    for (const r of roots) {
      const mo = new MutationObserver(check);
      mo.observe(r, { childList: true, subtree: true });
      observers.push(mo);
    }
    // A per-frame look as well, for comments that land somewhere the observers do not see (a nested shadow root).
    const poll = () => {
      check();
      if (domAt === null) requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
    const timer = setTimeout(() => finish({ error: `only ${count()} of ${n} comments in the DOM after ${timeout / 1000} s` }), timeout);
    check();
  });
}

export const READY = {
  inkwell: () => !!customElements.get('ink-comments') && !!document.getElementById('article')?.shadowRoot?.querySelector('[part~="title"]')?.textContent,
  waline: () => typeof window.Waline?.init === 'function',
  artalk: () => typeof window.Artalk?.init === 'function',
  floor: () => true,
};

const metric = (m, name) => m.metrics.find((x) => x.name === name)?.value ?? 0;

/** One fresh page, one measured render. Resolves with the figures or `{ error }`. */
async function runOnce(context, origin, kind, n, timeout) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let cdp;
  try {
    await page.goto(`${origin}/page/${kind}.html`, { waitUntil: 'load', timeout: 30_000 });
    await page.waitForFunction(READY[kind], null, { timeout: 15_000 });
    cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const before = await cdp.send('Performance.getMetrics');
    const args = { kind, n, origin, thread: threadOf(n), site: ARTALK_SITE, timeout };
    const r = await Promise.race([
      page.evaluate(inPage, args),
      new Promise((resolve) => setTimeout(() => resolve({ error: `the page did not answer within ${timeout / 1000 + 15} s` }), timeout + 15_000)),
    ]);
    if (r.error) return { error: [r.error, ...errors].join('; ') };
    await cdp.send('HeapProfiler.collectGarbage');
    const after = await cdp.send('Performance.getMetrics');
    return {
      dom: r.dom,
      frame: r.frame,
      loaded: r.loaded,
      count: r.count,
      layouts: metric(after, 'LayoutCount') - metric(before, 'LayoutCount'),
      recalcs: metric(after, 'RecalcStyleCount') - metric(before, 'RecalcStyleCount'),
      nodes: metric(after, 'Nodes') - metric(before, 'Nodes'),
      layoutMs: (metric(after, 'LayoutDuration') - metric(before, 'LayoutDuration')) * 1000,
      scriptMs: (metric(after, 'ScriptDuration') - metric(before, 'ScriptDuration')) * 1000,
    };
  } catch (e) {
    return { error: [e.message.split('\n')[0], ...errors].join('; ') };
  } finally {
    await cdp?.detach().catch(() => {});
    await page.close().catch(() => {});
  }
}

/**
 * Measures every widget in `kinds` at every N: `warmup` unmeasured runs each, then `runs` measured rounds, the
 * widgets (and the floor, when `kinds` holds it) taking turns within a round so that drift on a busy machine hits
 * all of them alike.
 */
export async function measureRender({ browser, origin, kinds, ns, runs, warmup, timeout = 60_000, deadline = Infinity, log }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const results = Object.fromEntries(kinds.map((k) => [k, {}]));
  const failed = {};
  try {
    for (const [ni, n] of ns.entries()) {
      // Each N gets an equal share of what is left of the budget; time N=100 leaves unused carries over.
      const until = Date.now() + (deadline - Date.now()) / (ns.length - ni);
      for (const kind of kinds) {
        for (let i = 0; i < warmup; i++) {
          const r = await runOnce(context, origin, kind, n, timeout);
          if (r.error) failed[`${kind}/${n}`] = r.error;
        }
      }
      const samples = Object.fromEntries(kinds.map((k) => [k, []]));
      for (let i = 0; i < runs; i++) {
        if (Date.now() > until) {
          results.truncated = `${results.truncated ? `${results.truncated}; ` : ''}N=${n} stopped after ${i} of ${runs} runs`;
          log(`  N=${n}: time budget used up after ${i} runs; stopping here.`);
          break;
        }
        const line = [];
        for (const kind of kinds) {
          if (failed[`${kind}/${n}`]) continue;
          const r = await runOnce(context, origin, kind, n, timeout);
          if (r.error) {
            failed[`${kind}/${n}`] = r.error;
            line.push(`${kind} FAILED`);
            continue;
          }
          samples[kind].push(r);
          line.push(`${kind} ${Math.round(r.dom)} ms`);
        }
        log(`  N=${n} run ${i + 1}/${runs}: ${line.join(', ')}`);
      }
      for (const kind of kinds) {
        const s = samples[kind];
        if (failed[`${kind}/${n}`] || s.length === 0) {
          results[kind][n] = { error: failed[`${kind}/${n}`] ?? 'no run finished' };
          continue;
        }
        const pick = (f) => s.map(f);
        results[kind][n] = {
          runs: s.length,
          dom: summary(pick((r) => r.dom)),
          frame: summary(pick((r) => r.frame)),
          loaded: kind === 'inkwell' ? summary(pick((r) => r.loaded).filter((x) => x !== null)) : null,
          layouts: summary(pick((r) => r.layouts)),
          recalcs: summary(pick((r) => r.recalcs)),
          layoutMs: summary(pick((r) => r.layoutMs)),
          scriptMs: summary(pick((r) => r.scriptMs)),
          nodes: summary(pick((r) => r.nodes)),
          nodesPerComment: Math.round((summary(pick((r) => r.nodes)).median / n) * 10) / 10,
        };
      }
    }
  } finally {
    await context.close().catch(() => {});
  }
  return results;
}
