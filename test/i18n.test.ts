import { expect, fixtureSync, html, waitUntil } from '@open-wc/testing';
import { dirOf, en, langOf, stringsFor, translator, type PluralForms, type Strings } from '../src/i18n/index.js';
import { LOCALES } from '../src/i18n/locales.js';
import { loadLocale } from '../src/lazy.js';
import '../src/elements/ink-count.js';
import '../src/elements/ink-comments.js';
import '../src/elements/ink-comment-form.js';

type Value = string | PluralForms;
const table = (s: Strings) => s as unknown as Record<string, Value>;
const names = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
const enNames = (v: Value) => names(typeof v === 'string' ? v : Object.values(v).join(' '));

/** Integers 0…1000 that `lang` puts in `category`: a form for a single number may spell it out ("تعليقان", "שתי"). */
function integersIn(lang: string, category: string) {
  const rules = new Intl.PluralRules(lang);
  let count = 0;
  for (let i = 0; i <= 1000; i++) if (rules.select(i) === category) count++;
  return count;
}

/** Every way a locale can fall short of en.ts, as readable lines (empty when complete). */
function problems(lang: string, strings: Strings): string[] {
  const out: string[] = [];
  const s = table(strings);
  const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[];
  for (const [key, source] of Object.entries(en as Record<string, Value>)) {
    const v = s[key];
    const want = enNames(source);
    if (v === undefined) out.push(`${key}: missing`);
    else if (typeof source === 'string') {
      if (typeof v !== 'string') out.push(`${key}: should be a string`);
      else if (names(v).join() !== want.join()) out.push(`${key}: placeholders ${names(v)} instead of ${want}`);
    } else if (typeof v === 'string') out.push(`${key}: should be plural forms`);
    else {
      for (const c of needed) if (!(c in v)) out.push(`${key}: no "${c}" form`);
      for (const [c, form] of Object.entries(v)) {
        if (!needed.includes(c)) out.push(`${key}: "${c}" is not a plural category of ${lang}`);
        const got = names(form!);
        const ok = want.filter((n) => n !== 'n' || integersIn(lang, c) !== 1);
        if (ok.some((n) => !got.includes(n)) || got.some((n) => !want.includes(n))) {
          out.push(`${key}.${c}: placeholders ${got} instead of ${want}`);
        }
      }
    }
  }
  for (const key of Object.keys(s)) if (!(key in en)) out.push(`${key}: not a key of en.ts`);
  return out;
}

describe('locales', () => {
  it('ships the nine languages, each loadable', async () => {
    expect([...LOCALES].sort()).to.deep.equal(['ar', 'de', 'es', 'fr', 'he', 'ja', 'pt', 'ru', 'zh']);
    for (const lang of LOCALES) expect(await loadLocale(lang), lang).to.be.an('object');
    expect(await loadLocale('xx')).to.equal(undefined);
  });

  for (const lang of LOCALES) {
    it(`${lang}: translates every key of en.ts, with its placeholders and every plural category Intl needs`, async () => {
      const strings = await stringsFor(lang);
      expect(strings).not.to.equal(en);
      expect(problems(lang, strings)).to.deep.equal([]);
    });
  }

  it('the completeness check catches a missing key, a lost placeholder and a missing plural category', async () => {
    // Only what each change adds, so that this test checks the checker whatever state the locales are in.
    const added = (lang: string, s: Record<string, Value>, base: Record<string, Value>) => {
      const before = problems(lang, base as unknown as Strings);
      return problems(lang, s as unknown as Strings).filter((p) => !before.includes(p));
    };
    const ru = table(await stringsFor('ru'));
    const { 'form.submit': _, ...noSubmit } = ru;
    expect(added('ru', noSubmit, ru)).to.deep.equal(['form.submit: missing']);
    expect(added('ru', { ...ru, 'article.by': 'Автор' }, ru)).to.deep.equal(['article.by: placeholders  instead of author']);
    expect(added('ru', { ...ru, 'form.count': '{count} / {max} / {min}' }, ru)).to.deep.equal([
      'form.count: placeholders count,max,min instead of count,max',
    ]);
    const { few: __, ...noFew } = ru['comments.count'] as PluralForms;
    expect(added('ru', { ...ru, 'comments.count': noFew }, ru)).to.deep.equal(['comments.count: no "few" form']);
    expect(added('ru', { ...ru, 'form.submit': { other: 'x' } }, ru)).to.deep.equal(['form.submit: should be a string']);
    // Arabic may spell out 2 ("تعليقان"), but not 3-10, which are many numbers
    const ar = table(await stringsFor('ar'));
    const count = ar['comments.count'] as PluralForms;
    expect(added('ar', { ...ar, 'comments.count': { ...count, few: 'تعليقات' } }, ar)).to.deep.equal([
      'comments.count.few: placeholders  instead of n',
    ]);
    const de = table(await stringsFor('de'));
    expect(added('de', { ...de, 'comments.count': { one: '{n} Kommentar', few: '{n} x', other: '{n} Kommentare' } }, de)).to.deep.equal([
      'comments.count: "few" is not a plural category of de',
    ]);
  });
});

describe('stringsFor', () => {
  it('loads each locale once and resolves a regional tag to its language', async () => {
    expect(await stringsFor('de-AT')).to.equal(await stringsFor('de'));
    expect(await stringsFor('pt-BR')).to.equal(await stringsFor('pt'));
    expect((await stringsFor('ZH-cn'))['form.heading']).to.equal('发表评论');
  });

  it('falls back to English for a language not shipped', async () => {
    expect(await stringsFor('xx')).to.equal(en);
    expect(await stringsFor('tlh-Latn')).to.equal(en);
  });
});

describe('translator', () => {
  const counts = [0, 1, 2, 5, 11, 21, 100];
  // `#` is the number as Intl formats it for the language (Chromium may write Arabic-Indic digits for `ar`).
  const expected: Record<string, string[]> = {
    de: ['# Kommentare', '# Kommentar', '# Kommentare', '# Kommentare', '# Kommentare', '# Kommentare', '# Kommentare'],
    fr: ['# commentaire', '# commentaire', '# commentaires', '# commentaires', '# commentaires', '# commentaires', '# commentaires'],
    es: ['# comentarios', '# comentario', '# comentarios', '# comentarios', '# comentarios', '# comentarios', '# comentarios'],
    pt: ['# comentário', '# comentário', '# comentários', '# comentários', '# comentários', '# comentários', '# comentários'],
    ja: ['#件のコメント', '#件のコメント', '#件のコメント', '#件のコメント', '#件のコメント', '#件のコメント', '#件のコメント'],
    zh: ['# 条评论', '# 条评论', '# 条评论', '# 条评论', '# 条评论', '# 条评论', '# 条评论'],
    ru: ['# комментариев', '# комментарий', '# комментария', '# комментариев', '# комментариев', '# комментарий', '# комментариев'],
    ar: ['لا توجد تعليقات', 'تعليق واحد', 'تعليقان', '# تعليقات', '# تعليقًا', '# تعليقًا', '# تعليق'],
    he: ['# תגובות', 'תגובה אחת', 'שתי תגובות', '# תגובות', '# תגובות', '# תגובות', '# תגובות'],
  };

  for (const [lang, forms] of Object.entries(expected)) {
    it(`${lang}: "n comments" for ${counts.join(', ')}`, async () => {
      const t = translator(lang, await stringsFor(lang));
      const nf = new Intl.NumberFormat(lang);
      expect(counts.map((n) => t('comments.count', { n }))).to.deep.equal(forms.map((f, i) => f.replace('#', nf.format(counts[i]))));
    });
  }

  it('ru: the worked examples, and seconds and errors in the right case', async () => {
    const t = translator('ru', await stringsFor('ru'));
    expect([1, 2, 5].map((n) => t('count.comments', { n }))).to.deep.equal(['1 комментарий', '2 комментария', '5 комментариев']);
    expect(t('error.rateLimited', { n: 22 })).to.contain('через 22 секунды');
    expect(t('form.errorSummary', { n: 3 })).to.equal('Исправьте 3 ошибки в форме.');
    expect(t('form.tooLong', { n: 1.5 })).to.equal('На 1,5 символа больше допустимого.');
  });

  it('ar: all six forms, including 3-10 against 11-99', async () => {
    const t = translator('ar', await stringsFor('ar'));
    const nf = new Intl.NumberFormat('ar');
    expect(t('form.tooLong', { n: 1 })).to.equal('تجاوز النص الحد بحرف واحد.');
    expect(t('form.tooLong', { n: 2 })).to.equal('تجاوز النص الحد بحرفين.');
    expect(t('form.tooLong', { n: 10 })).to.equal(`تجاوز النص الحد بـ${nf.format(10)} أحرف.`);
    expect(t('form.tooLong', { n: 99 })).to.equal(`تجاوز النص الحد بـ${nf.format(99)} حرفًا.`);
    expect(t('form.tooLong', { n: 102 })).to.equal(`تجاوز النص الحد بـ${nf.format(102)} حرف.`);
  });

  it('fr, es, pt: a round million takes "de"', async () => {
    const fr = translator('fr', await stringsFor('fr'));
    const es = translator('es', await stringsFor('es'));
    const pt = translator('pt', await stringsFor('pt'));
    const n = 1_000_000;
    expect(fr('comments.count', { n })).to.equal(`${new Intl.NumberFormat('fr').format(n)} de commentaires`);
    expect(es('comments.count', { n })).to.equal(`${new Intl.NumberFormat('es').format(n)} de comentarios`);
    expect(pt('comments.count', { n })).to.equal(`${new Intl.NumberFormat('pt').format(n)} de comentários`);
  });

  it('fills named placeholders in every language', async () => {
    const t = translator('de', await stringsFor('de'));
    expect(t('form.headingReply', { name: 'Ada' })).to.equal('Schreibe eine Antwort an Ada');
    expect(t('error.server', { status: 503 })).to.contain('(503)');
    expect(translator('ja', await stringsFor('ja'))('comments.replyTo', { name: 'Ada' })).to.equal('Ada に返信');
  });

  it('`.strings` overrides win over the locale, plural forms included, and the rest stays translated', async () => {
    const t = translator('de', await stringsFor('de'), {
      'form.submit': 'Senden',
      'comments.count': { one: 'Ein Beitrag', other: '{n} Beiträge' },
    });
    expect(t('form.submit')).to.equal('Senden');
    expect(t('comments.count', { n: 1 })).to.equal('Ein Beitrag');
    expect(t('comments.count', { n: 7 })).to.equal('7 Beiträge');
    expect(t('form.heading')).to.equal('Schreibe einen Kommentar');
  });

  it('a key missing from a locale falls back to English, an unknown key to itself', () => {
    const t = translator('de', {} as Strings);
    expect(t('form.submit')).to.equal('Post Comment');
    expect(t('no.such.key')).to.equal('no.such.key');
  });
});

// fixtureSync throughout: fixture() of a plain element waits for a frame, which a background tab never draws.
describe('dirOf and langOf', () => {
  it('writes Arabic and Hebrew right to left', () => {
    expect(dirOf('ar')).to.equal('rtl');
    expect(dirOf('he')).to.equal('rtl');
    expect(dirOf('ar-EG')).to.equal('rtl');
    expect(dirOf('de')).to.equal('ltr');
    expect(dirOf('ja')).to.equal('ltr');
  });

  it("takes the element's own lang first, else the nearest ancestor's", async () => {
    const el = fixtureSync<HTMLElement>(html`<div lang="fr"><section><p lang="ru"></p><span></span></section></div>`);
    expect(langOf(el.querySelector('p')!)).to.equal('ru');
    expect(langOf(el.querySelector('span')!)).to.equal('fr');
  });

  it("crosses a shadow root to its host's ancestors", async () => {
    const outer = fixtureSync<HTMLElement>(html`<div lang="ja"><div class="host"></div></div>`);
    const root = outer.querySelector('.host')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<p><b></b></p><p lang="he"><i></i></p>';
    expect(langOf(root.querySelector('b')!)).to.equal('ja');
    expect(langOf(root.querySelector('i')!)).to.equal('he');
  });

  it('passes over a lang that is no language tag, and gives tags in canonical case', () => {
    const el = fixtureSync<HTMLElement>(html`<div lang="pt-br"><p lang="en_US"><b lang="not a tag!"></b></p></div>`);
    expect(langOf(el.querySelector('b')!)).to.equal('pt-BR');
  });

  it('is English when nothing says otherwise', () => {
    const lone = document.createElement('div');
    lone.append(document.createElement('span'));
    expect(langOf(lone.firstElementChild!)).to.equal('en');
  });
});

/** All text of an element, through open shadow roots. */
function deepText(node: Node): string {
  let s = node.nodeType === Node.TEXT_NODE ? node.textContent! : '';
  if (node instanceof Element && node.shadowRoot) s += deepText(node.shadowRoot);
  for (const c of node.childNodes) s += ' ' + deepText(c);
  return s.replace(/\s+/g, ' ');
}

async function seed(thread: string, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await fetch('/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ thread, name: `Reader ${i}`, email: `r${i}@example.com`, body: `Comment ${i} on ${thread}` }),
    });
    expect(res.status, await res.clone().text()).to.equal(201);
  }
}

describe('elements in other languages', () => {
  it('<ink-count lang="ru"> and lang="ar" pluralise the count', async () => {
    const id = 't-i18n-' + Math.random();
    await Promise.all([seed(id + '-1', 1), seed(id + '-2', 2), seed(id + '-5', 5)]);
    const el = fixtureSync<HTMLElement>(html`
      <p>
        <ink-count lang="ru" endpoint="/api/comments" thread=${id + '-1'}></ink-count>
        <ink-count lang="ru" endpoint="/api/comments" thread=${id + '-2'}></ink-count>
        <ink-count lang="ru" endpoint="/api/comments" thread=${id + '-5'}></ink-count>
        <ink-count lang="ar" endpoint="/api/comments" thread=${id + '-2'}></ink-count>
        <ink-count lang="ru" endpoint="/api/comments" thread=${id + '-0'}></ink-count>
      </p>
    `);
    const badges = [...el.querySelectorAll('ink-count')];
    const texts = () => badges.map((b) => deepText(b).trim());
    await waitUntil(() => texts().every(Boolean), 'counts did not render', { timeout: 5000 });
    await waitUntil(() => texts()[0] === '1 комментарий', `still ${texts()}`, { timeout: 5000 });
    expect(texts()).to.deep.equal(['1 комментарий', '2 комментария', '5 комментариев', 'تعليقان', 'Нет комментариев']);
  });

  it('<ink-comments> follows the lang of an ancestor <main>', async () => {
    const thread = 't-i18n-' + Math.random();
    await seed(thread, 2);
    const main = fixtureSync<HTMLElement>(html`<main lang="de"><ink-comments endpoint="/api/comments" thread=${thread}></ink-comments></main>`);
    const el = main.querySelector('ink-comments')!;
    await waitUntil(() => deepText(el).includes('2 Kommentare'), `no German count in: ${deepText(el).slice(0, 300)}`, { timeout: 5000 });
    await waitUntil(() => deepText(el).includes('Schreibe einen Kommentar'), 'no German form heading', { timeout: 5000 });
    expect(deepText(el)).to.contain('Kommentar abschicken');
    expect(deepText(el)).to.contain('Deine E-Mail-Adresse wird nicht veröffentlicht.');
    expect(deepText(el)).not.to.contain('Leave a comment');
  });

  it('<ink-comments lang="ar"> is Arabic and right to left', async () => {
    const thread = 't-i18n-' + Math.random();
    await seed(thread, 2);
    const el = fixtureSync<HTMLElement>(html`<ink-comments lang="ar" endpoint="/api/comments" thread=${thread}></ink-comments>`);
    await waitUntil(() => deepText(el).includes('تعليقان'), `no Arabic count in: ${deepText(el).slice(0, 300)}`, { timeout: 5000 });
    await waitUntil(() => deepText(el).includes('اترك تعليقاً'), 'no Arabic form heading', { timeout: 5000 });
    const dirs = [el, ...el.shadowRoot!.querySelectorAll('*')].map((n) => n.getAttribute('dir')).filter(Boolean);
    expect(dirs, 'an element carries dir="rtl"').to.include('rtl');
  });
});

describe('a lang set later on an ancestor', () => {
  it('re-renders the elements below it in that language', async () => {
    const wrap = fixtureSync(html`<div lang="en"><ink-comment-form endpoint="/api/comments" thread="lang-change"></ink-comment-form></div>`);
    const form = wrap.querySelector('ink-comment-form')!;
    const heading = () => form.shadowRoot?.querySelector('[part~=heading]')?.textContent?.trim();
    await waitUntil(() => heading() === 'Leave a comment');
    (wrap as HTMLElement).lang = 'de';
    await waitUntil(() => heading() === 'Schreibe einen Kommentar', 'the form follows the new lang');
  });
});
