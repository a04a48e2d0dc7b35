// A rollup plugin for the script-tag build: renames our underscore-prefixed members (`this._errors`, `--_accent`)
// to short names (`_0`, `_1`…), most used first. Minifiers leave property names alone, and these are a tenth of
// the file. Only names of the form `_letter…` are touched; Lit's own internals are `_$…` and `__…`, never renamed.
// The rename is textual and consistent across the whole chunk, so decorators' string keys follow their properties.
export function shortenPrivate() {
  return {
    name: 'shorten-private',
    renderChunk(code) {
      const re = /(?<![\w$])_[a-zA-Z]\w*/g;
      const counts = new Map();
      for (const [m] of code.matchAll(re)) counts.set(m, (counts.get(m) ?? 0) + 1);
      const names = [...counts.keys()].sort((a, b) => counts.get(b) * b.length - counts.get(a) * a.length);
      const map = new Map(names.map((n, i) => [n, `_${i.toString(36)}`]));
      return { code: code.replace(re, (m) => map.get(m)), map: null };
    },
  };
}
