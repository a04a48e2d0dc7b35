// A rollup plugin that strips the indentation out of Lit's html`` and css`` templates in the script-tag build.
// Minifiers leave template text alone; in a Lit bundle that text is a fifth of the bytes. Only whitespace that
// contains a line break is touched (in html it becomes one space, or nothing between two tags), and CSS comments go.

const walk = (node, visit) => {
  if (!node || typeof node.type !== 'string') return;
  visit(node);
  for (const key in node) {
    const v = node[key];
    if (Array.isArray(v)) for (const c of v) walk(c, visit);
    else if (v && typeof v.type === 'string') walk(v, visit);
  }
};

const css = (s) =>
  s
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/([\s:,(])0\.(\d)/g, '$1.$2')
    .replace(/;}/g, '}');
// Indentation at either end of a template is formatting, not content; inside, any run of white space reads as one.
const html = (s, first, last) =>
  (first ? s.replace(/^\s*\n\s*/, '') : s)
    .replace(last ? /\s*\n\s*$/ : /$^/, '')
    // Between two tags on separate lines (our templates put no inline elements there) a line break is layout only.
    .replace(/>\s*\n\s*</g, '><')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/ {2,}/g, ' ');

export function minifyTemplates() {
  return {
    name: 'minify-templates',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\b(html|css)`/.test(code)) return null;
      const edits = [];
      walk(this.parse(code), (n) => {
        if (n.type !== 'TaggedTemplateExpression' || n.tag.type !== 'Identifier') return;
        const fn = n.tag.name === 'css' ? css : n.tag.name === 'html' || n.tag.name === 'svg' ? html : null;
        if (!fn) return;
        const qs = n.quasi.quasis;
        for (const q of qs) {
          const raw = code.slice(q.start, q.end);
          const out = fn(raw, q === qs[0], q === qs[qs.length - 1]);
          if (out !== raw) edits.push([q.start, q.end, out]);
        }
      });
      if (!edits.length) return null;
      let out = code;
      for (const [a, b, s] of edits.sort((x, y) => y[0] - x[0])) out = out.slice(0, a) + s + out.slice(b);
      return { code: out, map: null };
    },
  };
}
