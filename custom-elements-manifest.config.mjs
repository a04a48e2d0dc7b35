// The custom-elements manifest: `cem analyze --litelement --globs 'src/elements/*.ts'` reads each element's JSDoc
// (@slot, @csspart, @cssprop, @fires) and its `static properties`. Three plugins complete what the analyzer
// cannot see on its own; test/node/manifest.test.ts checks the result against the sources.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The manifest ships in the package, so it names the files that ship: dist/elements/*.js, not src/elements/*.ts.
const toDist = (p) => p?.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');

/** Private reactive state by class (`path#Class`): the names declared `{ state: true }` in `static properties`. */
const stateByClass = new Map();

/**
 * Lit treats `{ state: true }` as internal state with no attribute, but the analyzer's Lit plugin lists it as an
 * attribute named after the field (`_errors`). Drop those attributes, so that the manifest lists only real ones.
 */
const stateIsNoAttribute = {
  name: 'inkwell-state-is-no-attribute',
  analyzePhase({ ts, node, moduleDoc }) {
    if (!ts.isClassDeclaration(node) || !node.name) return;
    for (const member of node.members) {
      const isStatic = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
      if (!isStatic || member.name?.getText() !== 'properties' || !member.initializer || !ts.isObjectLiteralExpression(member.initializer)) continue;
      const names = member.initializer.properties
        .filter((p) => ts.isPropertyAssignment(p) && ts.isObjectLiteralExpression(p.initializer))
        .filter((p) =>
          p.initializer.properties.some((o) => o.name?.getText() === 'state' && o.initializer?.kind === ts.SyntaxKind.TrueKeyword),
        )
        .map((p) => p.name.getText());
      stateByClass.set(`${moduleDoc.path}#${node.name.getText()}`, new Set(names));
    }
  },
  moduleLinkPhase({ moduleDoc }) {
    for (const declaration of moduleDoc.declarations ?? []) {
      const state = stateByClass.get(`${moduleDoc.path}#${declaration.name}`);
      if (!state?.size) continue;
      declaration.attributes = declaration.attributes?.filter((a) => !state.has(a.fieldName ?? a.name));
      if (!declaration.attributes?.length) delete declaration.attributes;
      for (const member of declaration.members ?? []) {
        if (!state.has(member.name)) continue;
        delete member.attribute;
        delete member.reflects;
      }
    }
  },
};

/** The `@cssprop` tags of a file: `[{ name, description }]`. */
const cssPropsOf = (file) =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*\*\s*@cssprop\s+(--[\w-]+)(?:\s+-\s+(.*))?$/gm)].map(([, name, description]) => ({
    name,
    description: description?.trim() ?? '',
  }));

/** The light defaults of the theme's tokens, read from `var(--ink-…, default)` in its `:host` rule. */
const lightDefaultsOf = (file) => {
  const source = readFileSync(file, 'utf8');
  const host = source.slice(source.indexOf('export const theme'));
  return new Map([...host.matchAll(/var\((--ink-[\w-]+),\s*([^)]+)\)/g)].map(([, name, value]) => [name, value.trim()]));
};

/** Shared style files imported by each element module: the theme and the element's own `*.styles.js`. */
const sharedStylesByModule = new Map();

/**
 * An element reads every `--ink-*` token of the styles it includes, but the analyzer reads only the element's own
 * JSDoc. Add the `@cssprop` entries of the theme (`src/styles/*.ts`) and of the element's `*.styles.ts` modules to
 * every element that imports them, keeping the element's own description of a token where it gives one.
 */
const sharedStyleTokens = {
  name: 'inkwell-shared-style-tokens',
  analyzePhase({ ts, node, moduleDoc }) {
    if (!ts.isImportDeclaration(node) || !ts.isStringLiteral(node.moduleSpecifier)) return;
    const specifier = node.moduleSpecifier.text;
    if (!/\/styles\/[\w-]+\.js$|\.styles\.js$/.test(specifier) || !specifier.startsWith('.')) return;
    const file = join(dirname(moduleDoc.path), specifier).replace(/\.js$/, '.ts');
    sharedStylesByModule.set(moduleDoc.path, [...(sharedStylesByModule.get(moduleDoc.path) ?? []), file]);
  },
  // After the analyzer's own package link phase, which marks the custom elements (and before the dist paths).
  packageLinkPhase({ customElementsManifest }) {
    for (const moduleDoc of customElementsManifest.modules) {
      const files = sharedStylesByModule.get(moduleDoc.path) ?? [];
      for (const declaration of moduleDoc.declarations ?? []) {
        if (!declaration.customElement || !files.length) continue;
        const props = (declaration.cssProperties ??= []);
        for (const file of files) {
          const defaults = lightDefaultsOf(file);
          for (const prop of cssPropsOf(file)) {
            const own = props.find((p) => p.name === prop.name);
            const value = defaults.get(prop.name);
            if (!own) props.push(value === undefined ? prop : { ...prop, default: value });
            else if (own.default === undefined && value !== undefined) own.default = value;
          }
        }
        props.sort((a, b) => a.name.localeCompare(b.name));
      }
    }
  },
};

export default {
  plugins: [
    stateIsNoAttribute,
    sharedStyleTokens,
    {
      name: 'inkwell-dist-paths',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          mod.path = toDist(mod.path);
          for (const e of mod.exports ?? []) if (e.declaration?.module) e.declaration.module = toDist(e.declaration.module);
          for (const d of mod.declarations ?? [])
            for (const m of [...(d.members ?? []), ...(d.attributes ?? []), ...(d.events ?? [])])
              if (m.inheritedFrom?.module) m.inheritedFrom.module = toDist(m.inheritedFrom.module);
        }
      },
    },
  ],
};
