// The manifest ships in the package, so it names the files that ship: dist/elements/*.js, not src/elements/*.ts.
const toDist = (p) => p?.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');

export default {
  plugins: [
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
