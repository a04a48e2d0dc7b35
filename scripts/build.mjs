// Builds dist/ in named steps. `node scripts/build.mjs` runs them all; `node scripts/build.mjs types manifest` runs
// those named. `npm run build` is `rollup -c` (the bundles, described in rollup.config.mjs) followed by the steps
// rollup cannot do: the .d.ts files, custom-elements.json and the JSON Schema of the wire contract.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (file, args) => execFileSync(process.execPath, [root + file, ...args], { stdio: 'inherit', cwd: root });

export const steps = {
  /** dist/: the npm build, dist/inkwell.js and its lazy pieces (rollup.config.mjs). */
  bundles: () => run('node_modules/rollup/dist/bin/rollup', ['-c', '--silent']),
  /** dist/**.d.ts, by the TypeScript 7 compiler. */
  types: () => run('node_modules/typescript-native/bin/tsc', ['-p', 'tsconfig.json', '--emitDeclarationOnly']),
  /** custom-elements.json, read from the elements' JSDoc. */
  manifest: () => run('node_modules/@custom-elements-manifest/analyzer/cem.js', ['analyze', '--litelement', '--globs', 'src/elements/*.ts', '--quiet']),
  /** docs/protocol.schema.json, rendered from the built schemas. */
  'json-schema': async () => {
    const { writeJsonSchema } = await import('./json-schema.mjs');
    await writeJsonSchema(new URL('../dist/', import.meta.url), root + 'docs/protocol.schema.json');
  },
};

/** Runs the named steps (all by default) in order; resolves to the milliseconds taken. */
export async function build(names = Object.keys(steps)) {
  const t0 = performance.now();
  for (const name of names) {
    if (!steps[name]) throw new Error(`No build step "${name}": the steps are ${Object.keys(steps).join(', ')}.`);
    try {
      await steps[name]();
    } catch (e) {
      throw new Error(`Build step "${name}" failed: ${e.message ?? e}`);
    }
  }
  return Math.round(performance.now() - t0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  build(names.length ? names : undefined).then(
    (ms) => console.log(`built ${names.length ? names.join(', ') : 'dist/'} in ${ms} ms`),
    (e) => {
      console.error(e.message ?? e);
      process.exit(1);
    },
  );
}
