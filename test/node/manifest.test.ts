// The custom-elements manifest against the sources: for every element, each `--ink-*` token its styles read (its
// own file, the modules it is split into, the theme), each `part` its templates render, each event it dispatches,
// each slot, and each property and attribute of its `static properties` is in custom-elements.json, documented.
// The analyzer runs as the build runs it, in a copy of the sources: run in place it would rewrite package.json.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TAGS = ['ink-article', 'ink-comment-form', 'ink-comments', 'ink-count'];

interface Item {
  name: string;
  description?: string;
}
interface Member extends Item {
  kind: string;
  privacy?: string;
  static?: boolean;
  attribute?: string;
  reflects?: boolean;
}
interface Attribute extends Item {
  fieldName?: string;
}
interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: Attribute[];
  members?: Member[];
  events?: Item[];
  slots?: Item[];
  cssParts?: Item[];
  cssProperties?: Item[];
}
interface Manifest {
  modules: { path: string; declarations?: Declaration[] }[];
}

let work: string;
let manifest: Manifest;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'inkwell-manifest-'));
  cpSync(join(root, 'src'), join(work, 'src'), { recursive: true });
  cpSync(join(root, 'custom-elements-manifest.config.mjs'), join(work, 'custom-elements-manifest.config.mjs'));
  writeFileSync(join(work, 'package.json'), '{ "name": "inkwell-manifest-test", "private": true }\n');
  const cem = join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js');
  execFileSync(process.execPath, [cem, 'analyze', '--litelement', '--globs', 'src/elements/*.ts', '--quiet'], { cwd: work, stdio: 'pipe' });
  manifest = JSON.parse(readFileSync(join(work, 'custom-elements.json'), 'utf8'));
});

after(() => rmSync(work, { recursive: true, force: true }));

const read = (file: string) => readFileSync(file, 'utf8');
const definesElement = (file: string) => /customElements\.define\(/.test(read(file));

/**
 * The files an element is made of: its own, and the modules of src/ it imports that define no element of their
 * own (its styles, renderers, models, the theme), followed through their imports too.
 */
function filesOf(elementFile: string): string[] {
  const files = [elementFile];
  for (let i = 0; i < files.length; i++) {
    for (const [, specifier] of read(files[i]).matchAll(/^import\s+(?:[^'"]*\sfrom\s+)?'(\.[^']+)'/gm)) {
      const file = join(dirname(files[i]), specifier).replace(/\.js$/, '.ts');
      const inElementsOrStyles = /\/src\/(elements|styles)\//.test(file);
      if (inElementsOrStyles && existsSync(file) && !files.includes(file) && !definesElement(file)) files.push(file);
    }
  }
  return files;
}

const unique = (values: Iterable<string>) => [...new Set(values)].sort();
const cssOf = (source: string) => [...source.matchAll(/\bcss`([^`]*)`/g)].map(([, text]) => text.replace(/\/\*[\s\S]*?\*\//g, '')).join('\n');

/** `--ink-*` tokens read by the CSS templates of the files. */
const tokensIn = (sources: string[]) => unique(sources.flatMap((s) => [...cssOf(s).matchAll(/--ink-[\w-]+/g)].map(([t]) => t)));

/** Part names rendered by the templates (`part="a b"`, `part=a`), and those forwarded with `exportparts`. */
function partsIn(sources: string[]): string[] {
  const parts: string[] = [];
  for (const source of sources) {
    for (const [, quoted, bare] of source.matchAll(/(?<=\s)part=(?:"([^"$]*)"|([\w-]+))/g)) parts.push(...(quoted ?? bare).split(/\s+/));
    for (const [, list] of source.matchAll(/(?<=\s)exportparts="([^"]*)"/g))
      for (const entry of list.split(',')) parts.push(entry.split(':').pop()!.trim());
  }
  return unique(parts.filter(Boolean));
}

/** Event names dispatched: `emit(this, 'name'` (events.ts) and `new CustomEvent('name'` / `new Event('name'`. */
const eventsIn = (sources: string[]) =>
  unique(sources.flatMap((s) => [...s.matchAll(/\bemit\(\s*[\w.]+\s*,\s*'([\w-]+)'|new (?:Custom)?Event\(\s*'([\w-]+)'/g)].map(([, a, b]) => a ?? b)));

/** Slots: `<slot name="x">`, and '' for the default slot. */
const slotsIn = (sources: string[]) =>
  unique(sources.flatMap((s) => [...s.matchAll(/<slot\b([^>]*)>/g)].map(([, attrs]) => /\bname="([^"]+)"/.exec(attrs)?.[1] ?? '')));

/** The entries of `static properties = { name: { … } }`, with their options as text. */
function propertiesIn(source: string): { name: string; options: string }[] {
  const start = /static\s+(?:override\s+)?properties\b[^=]*=\s*\{/.exec(source);
  if (!start) return [];
  let depth = 1;
  let end = start.index + start[0].length;
  while (depth && end < source.length) depth += { '{': 1, '}': -1 }[source[end++]] ?? 0;
  const body = source.slice(start.index + start[0].length, end - 1);
  return [...body.matchAll(/(\w+)\s*:\s*\{([^}]*)\}/g)].map(([, name, options]) => ({ name, options }));
}

const elements = () =>
  manifest.modules.flatMap((module) =>
    (module.declarations ?? [])
      .filter((d) => d.customElement && d.tagName)
      .map((declaration) => ({ declaration, file: join(root, module.path.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')) })),
  );

const names = (items?: Item[]) => unique((items ?? []).map((i) => i.name));
const missing = (wanted: string[], listed: string[]) => wanted.filter((w) => !listed.includes(w));
const undocumented = (items?: Item[]) => (items ?? []).filter((i) => !i.description?.trim()).map((i) => i.name || '(default)');

describe('custom-elements.json', () => {
  it('lists every element of src/elements, under its dist path', () => {
    const tags = unique(elements().map((e) => e.declaration.tagName!));
    const dir = join(root, 'src/elements');
    const defined = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...read(join(dir, f)).matchAll(/customElements\.define\('([\w-]+)'/g)].map(([, tag]) => tag));
    assert.deepEqual(tags, unique([...defined, ...TAGS]));
    for (const { file } of elements()) assert.ok(existsSync(file), `${relative(root, file)} does not exist`);
    for (const module of manifest.modules) assert.match(module.path, /^dist\/elements\/[\w.-]+\.js$/);
  });

  for (const tag of TAGS) {
    describe(`<${tag}>`, () => {
      const element = () => {
        const found = elements().find((e) => e.declaration.tagName === tag);
        assert.ok(found, `${tag} is not in the manifest`);
        return { ...found, sources: filesOf(found.file).map(read) };
      };

      it('lists every --ink-* token its styles read, with a description', () => {
        const { declaration, sources } = element();
        assert.deepEqual(missing(tokensIn(sources), names(declaration.cssProperties)), [], 'tokens read but not listed as cssProperties');
        assert.deepEqual(undocumented(declaration.cssProperties), [], 'cssProperties without a description');
      });

      it('lists every part its templates render, with a description', () => {
        const { declaration, sources } = element();
        assert.deepEqual(missing(partsIn(sources), names(declaration.cssParts)), [], 'parts rendered but not listed as cssParts');
        assert.deepEqual(undocumented(declaration.cssParts), [], 'cssParts without a description');
      });

      it('lists every event it dispatches and every slot, with a description', () => {
        const { declaration, sources } = element();
        assert.deepEqual(missing(eventsIn(sources), names(declaration.events)), [], 'events dispatched but not listed');
        assert.deepEqual(undocumented(declaration.events), [], 'events without a description');
        assert.deepEqual(missing(slotsIn(sources), names(declaration.slots)), [], 'slots rendered but not listed');
        assert.deepEqual(undocumented(declaration.slots), [], 'slots without a description');
      });

      it('lists its attributes (reflected ones as such) and public properties, and no private state as an attribute', () => {
        const { declaration, file } = element();
        const attributes = declaration.attributes ?? [];
        const members = declaration.members ?? [];
        for (const { name, options } of propertiesIn(read(file))) {
          const member = members.find((m) => m.name === name);
          assert.ok(member, `property ${name} is not a member`);
          const isState = /\bstate\s*:\s*true\b/.test(options);
          const noAttribute = isState || /\battribute\s*:\s*false\b/.test(options);
          if (name.startsWith('_')) {
            assert.ok(isState, `${name} is private: declare it { state: true }`);
            assert.equal(member.privacy, 'private', `${name} is not private`);
          } else {
            assert.ok(member.description?.trim(), `property ${name} has no description`);
          }
          const attribute = /\battribute\s*:\s*'([^']+)'/.exec(options)?.[1] ?? name.toLowerCase();
          const listed = attributes.find((a) => a.name === attribute);
          if (noAttribute) {
            assert.equal(listed, undefined, `${name} has no attribute, yet ${attribute} is listed`);
            continue;
          }
          assert.ok(listed, `attribute ${attribute} (property ${name}) is not listed`);
          assert.equal(member.attribute, attribute, `property ${name} does not name its attribute ${attribute}`);
          if (/\breflect\s*:\s*true\b/.test(options)) assert.equal(member.reflects, true, `property ${name} reflects, the manifest does not say so`);
        }
      });
    });
  }
});
