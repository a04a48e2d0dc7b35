// A rollup plugin that strips the indentation out of Lit's html`` and css`` templates in the script-tag build.
// Minifiers leave template text alone; in a Lit bundle that text is a fifth of the bytes. Only whitespace that
// contains a line break is touched (in html it becomes one space, so inline spacing survives), and CSS comments go.

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
    .replace(/;}/g, '}');
const html = (s) => s.replace(/\s*\n\s*/g, ' ');

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
        for (const q of n.quasi.quasis) {
          const raw = code.slice(q.start, q.end);
          const out = fn(raw);
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
