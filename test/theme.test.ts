import { expect, fixture, fixtureSync, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { LitElement, html as lit } from 'lit';
import { theme } from '../src/styles/theme.js';
import '../src/elements/ink-comments.js';
import '../src/elements/ink-comment-form.js';
import '../src/elements/ink-article.js';

/** A stand-in element that uses nothing but the shared theme, as every Inkwell element does. */
class ThemeProbe extends LitElement {
  static override styles = [theme];
  static override properties = { theme: { reflect: true } };
  theme: 'auto' | 'light' | 'dark' = 'auto';
  override render() {
    return lit`<p>Text <a href="#x">a link</a></p><button>Post</button><button class="secondary">Reply</button>`;
  }
}
if (!customElements.get('theme-probe')) customElements.define('theme-probe', ThemeProbe);

const TOKENS = ['text', 'muted', 'bg', 'surface', 'border', 'accent', 'on-accent', 'danger', 'success', 'focus'] as const;
type Token = (typeof TOKENS)[number];
type Colours = Record<Token, [number, number, number, number]>;

const ctx = document.createElement('canvas').getContext('2d')!;
/** Any CSS colour as [r, g, b, a] (0-255, alpha 0-1): the canvas normalises it to #rrggbb or rgba(). */
function rgba(value: string): [number, number, number, number] {
  ctx.fillStyle = '#010203';
  ctx.fillStyle = value.trim();
  const s = ctx.fillStyle;
  if (s.startsWith('#')) return [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16)).concat(1) as [number, number, number, number];
  const [r, g, b, a] = s.match(/[\d.]+/g)!.map(Number);
  return [r, g, b, a ?? 1];
}

/** WCAG 2.2 relative luminance of an sRGB colour. */
function luminance([r, g, b]: number[]) {
  const lin = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio, 1 to 21. */
function contrast(a: number[], b: number[]) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The private colours an element resolved: what its shadow styles actually paint with. */
function colours(el: Element): Colours {
  const cs = getComputedStyle(el);
  return Object.fromEntries(TOKENS.map((t) => [t, rgba(cs.getPropertyValue(`--_${t}`))])) as Colours;
}

// WCAG 2.2 AA: 4.5 for text (links and buttons included), 3 for the boundaries of controls and the focus ring.
const PAIRS: [Token, Token, number][] = [
  ['text', 'bg', 4.5],
  ['text', 'surface', 4.5],
  ['muted', 'bg', 4.5],
  ['muted', 'surface', 4.5],
  ['accent', 'bg', 4.5],
  ['accent', 'surface', 4.5],
  ['on-accent', 'accent', 4.5],
  ['danger', 'bg', 4.5],
  ['danger', 'surface', 4.5],
  ['success', 'bg', 4.5],
  ['success', 'surface', 4.5],
  ['border', 'bg', 3],
  ['border', 'surface', 3],
  ['focus', 'bg', 3],
  ['focus', 'surface', 3],
];

/** `text` raises the 4.5 text pairs (7 for AAA); the 3:1 boundaries stay. */
function expectAA(c: Colours, label: string, text = 4.5) {
  for (const t of TOKENS) expect(c[t][3], `${label} --_${t} is opaque`).to.equal(1);
  const failing = PAIRS.map(([fg, bg, min]) => [`${fg}/${bg}`, contrast(c[fg], c[bg]), min === 4.5 ? text : min] as const)
    .filter(([, ratio, min]) => ratio < min)
    .map(([pair, ratio, min]) => `${pair} ${ratio.toFixed(2)} < ${min}`);
  expect(failing, `${label} pairs under WCAG AA`).to.deep.equal([]);
}

const probe = (attrs = '') => {
  const wrap = document.createElement('div');
  wrap.innerHTML = `<theme-probe ${attrs}></theme-probe>`;
  return fixture<ThemeProbe>(wrap.firstElementChild as ThemeProbe);
};

describe('theme', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('is accessible in both themes', async () => {
    await expect(await probe()).to.be.accessible();
    await expect(await probe('theme="dark"')).to.be.accessible();
  });

  it('light defaults meet WCAG 2.2 AA for every pair', async () => {
    await emulateMedia({ colorScheme: 'light' });
    const el = await probe();
    expectAA(colours(el), 'light');
    expect(getComputedStyle(el).colorScheme).to.equal('light');
    expect(luminance(colours(el).bg)).to.be.above(0.8);
  });

  it('theme="dark" defaults meet WCAG 2.2 AA for every pair', async () => {
    await emulateMedia({ colorScheme: 'light' });
    const el = await probe('theme="dark"');
    expectAA(colours(el), 'dark');
    expect(getComputedStyle(el).colorScheme).to.equal('dark');
    expect(luminance(colours(el).bg)).to.be.below(0.05);
  });

  it('auto follows a dark preference, with the same colours as theme="dark"', async () => {
    const dark = colours(await probe('theme="dark"'));
    const light = colours(await probe());
    await emulateMedia({ colorScheme: 'dark' });
    const el = await probe();
    expect(colours(el)).to.deep.equal(dark);
    expect(colours(el)).not.to.deep.equal(light);
    expect(getComputedStyle(el).colorScheme).to.equal('dark');
    expectAA(colours(el), 'auto under dark preference');
  });

  it('theme="light" stays light under a dark preference', async () => {
    const light = colours(await probe());
    await emulateMedia({ colorScheme: 'dark' });
    const el = await probe('theme="light"');
    expect(colours(el)).to.deep.equal(light);
    expect(getComputedStyle(el).colorScheme).to.equal('light');
  });

  it('switches when the theme property changes', async () => {
    const el = await probe();
    const light = colours(el);
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(colours(el)).not.to.deep.equal(light);
  });

  it('paints links, buttons and text with the tokens', async () => {
    const el = await probe('theme="dark"');
    const c = colours(el);
    const root = el.shadowRoot!;
    const [primary, secondary] = root.querySelectorAll('button');
    expect(rgba(getComputedStyle(el).color)).to.deep.equal(c.text);
    expect(rgba(getComputedStyle(root.querySelector('a')!).color)).to.deep.equal(c.accent);
    expect(rgba(getComputedStyle(primary).backgroundColor)).to.deep.equal(c.accent);
    expect(rgba(getComputedStyle(primary).color)).to.deep.equal(c['on-accent']);
    expect(rgba(getComputedStyle(secondary).color)).to.deep.equal(c.accent);
  });

  it('a page-set --ink-color-accent wins in light, dark and auto under a dark preference', async () => {
    // fixtureSync: a plain <div> would make fixture() wait for a frame, which a background tab never draws.
    const page = fixtureSync<HTMLElement>(html`
      <div class="page">
        <theme-probe></theme-probe>
        <theme-probe theme="light"></theme-probe>
        <theme-probe theme="dark"></theme-probe>
      </div>
    `);
    page.style.setProperty('--ink-color-accent', 'rgb(122, 0, 153)');
    page.style.setProperty('--ink-color-background', '#fdf6e3');
    const els = [...page.querySelectorAll<ThemeProbe>('theme-probe')];
    await Promise.all(els.map((el) => el.updateComplete));
    for (const scheme of ['light', 'dark'] as const) {
      await emulateMedia({ colorScheme: scheme });
      for (const el of els) {
        const c = colours(el);
        expect(c.accent, `${scheme} ${el.getAttribute('theme') ?? 'auto'}`).to.deep.equal([122, 0, 153, 1]);
        expect(c.bg).to.deep.equal([0xfd, 0xf6, 0xe3, 1]);
        expect(rgba(getComputedStyle(el.shadowRoot!.querySelector('a')!).color)).to.deep.equal([122, 0, 153, 1]);
      }
    }
    // the tokens the page did not set keep their theme's defaults
    expect(colours(els[2]).text).to.deep.equal(colours(await probe('theme="dark"')).text);
  });

  it('the elements use the shared theme', async () => {
    const dark = colours(await probe('theme="dark"'));
    const page = fixtureSync<HTMLElement>(html`
      <div>
        <ink-comments theme="dark"></ink-comments>
        <ink-comment-form theme="dark"></ink-comment-form>
        <ink-article theme="dark"></ink-article>
      </div>
    `);
    for (const el of page.children) expect(colours(el), el.localName).to.deep.equal(dark);
  });

  it('the demo themes (demo/themes.css) meet WCAG AA, and the high-contrast one AAA for text', async () => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/demo/themes.css' });
    await new Promise((resolve, reject) => {
      link.onload = resolve;
      link.onerror = reject;
      document.head.append(link);
    });
    try {
      const defaults = colours(await probe());
      for (const name of ['newspaper', 'contrast', 'dark']) {
        for (const attr of ['auto', 'dark']) {
          const page = fixtureSync<HTMLElement>(html`<div class=${`theme-${name}`}><theme-probe theme=${attr}></theme-probe></div>`);
          const el = page.firstElementChild as ThemeProbe;
          await el.updateComplete;
          const c = colours(el);
          expect(c.accent, `${name} sets its own accent`).not.to.deep.equal(defaults.accent);
          expectAA(c, `${name} (theme=${attr})`, name === 'contrast' ? 7 : 4.5);
        }
      }
    } finally {
      link.remove();
    }
  });
});
