// The npm package as a user gets it: `npm pack`, then installed into a fresh project. What the tarball holds,
// whether package.json points only at shipped files, publint and @arethetypeswrong/cli, Node and TypeScript
// consumers, and a bundler building the npm, React 19 and Vue 3 examples, run in Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launch, requireBuild, root, tempDir, watchPage } from '../support/browser.js';
import { seed, startSite, type Site } from '../fixtures/site.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('the npm package', () => {
  let dir: string;
  let cleanup: () => void;
  let tarball: string;
  let files: string[];
  let project: string;

  before(() => {
    requireBuild();
    [dir, cleanup] = tempDir('inkwell-pack-');
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    tarball = join(dir, packed.filename);
    files = packed.files.map((f: { path: string }) => f.path);

    // A fresh project that installs the tarball. Its dependencies come from the npm cache (they were installed
    // into this repository), so no network is needed.
    project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const install = (mode: string) => run('npm', ['install', tarball, '--no-audit', '--no-fund', '--ignore-scripts', mode], project);
    let r = install('--offline');
    if (r.status !== 0) r = install('--prefer-offline');
    assert.equal(r.status, 0, `npm install of the tarball failed:\n${r.stderr}`);
  });
  after(() => cleanup?.());

  test('the tarball holds what a user needs and nothing else', () => {
    for (const f of ['package.json', 'README.md', 'custom-elements.json', 'dist/inkwell.js', 'dist/inkwell-form.js', 'dist/inkwell-sanitize.js', 'dist/inkwell-markdown.js', 'dist/locales/de.js', 'dist/index.js', 'dist/index.d.ts', 'dist/schema.js', 'dist/schema.d.ts', 'dist/server/index.js', 'dist/server/cli.js', 'dist/elements/ink-comments.js', 'dist/inkwell-admin.js', 'dist/admin/index.js', 'dist/admin/index.d.ts']) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    const extra = files.filter((f) => !/^(dist\/|package\.json$|README\.md$|LICENSE|custom-elements\.json$)/.test(f));
    assert.deepEqual(extra, [], 'only dist/, the manifest, the readme and the licence');
    assert.deepEqual(files.filter((f) => /(^|\/)(test|demo|bench|src|examples|\.data)\/|\.(db|tgz|tsbuildinfo)$|\.test\./.test(f)), []);
    // Source maps ship (they carry their sources inline, so src/ need not), so that no sourceMappingURL dangles.
    for (const f of files.filter((f) => f.endsWith('.js') && f.startsWith('dist/'))) {
      const m = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, f), 'utf8'));
      if (m) assert.ok(files.includes(join(f, '..', m[1])), `${f} points at a map that ships`);
    }
    const map = JSON.parse(readFileSync(join(root, 'dist/inkwell.js.map'), 'utf8'));
    assert.equal(map.sourcesContent?.length, map.sources.length, 'maps are self-contained');
  });

  test('package.json points only at files that ship', () => {
    const targets: string[] = [pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.jsdelivr, pkg.customElements, ...Object.values<string>(pkg.bin)];
    for (const [subpath, entry] of Object.entries<string | Record<string, string>>(pkg.exports)) {
      if (typeof entry === 'string') targets.push(entry);
      else {
        // TypeScript reads conditions in order: `types` must come first to be seen.
        assert.equal(Object.keys(entry)[0], 'types', `${subpath}: types first`);
        targets.push(...Object.values(entry));
      }
    }
    for (const t of targets) assert.ok(files.includes(t.replace(/^\.\//, '')), `${t} ships`);
    assert.deepEqual(Object.keys(pkg.exports), ['.', './schema', './server', './admin', './inkwell.js', './custom-elements.json', './package.json']);
    assert.equal(pkg.unpkg, './dist/inkwell.js');
    assert.equal(pkg.jsdelivr, './dist/inkwell.js');
    assert.ok(readFileSync(join(root, pkg.bin['inkwell-server']), 'utf8').startsWith('#!/usr/bin/env node\n'), 'the CLI has a shebang');
    for (const pattern of pkg.sideEffects) {
      const re = new RegExp('^' + pattern.replace(/^\.\//, '').replace(/\./g, '\\.').replace(/\*/g, '[^/]*') + '$');
      assert.ok(files.some((f) => re.test(f)), `sideEffects ${pattern} matches a shipped file`);
    }
  });

  test('custom-elements.json describes the four elements', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
    const tags = manifest.modules.flatMap((m: { declarations?: { tagName?: string }[] }) => (m.declarations ?? []).map((d) => d.tagName).filter(Boolean));
    assert.deepEqual(tags.sort(), ['ink-article', 'ink-comment-form', 'ink-comments', 'ink-count']);
  });

  test('custom-elements.json names modules that ship', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
    for (const m of manifest.modules) assert.ok(files.includes(m.path), `${m.path} ships`);
  });

  test('publint and @arethetypeswrong/cli find no problem', () => {
    const lint = run(bin('publint'), ['--strict'], root);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    assert.match(lint.stdout, /All good!/);
    // ESM only, on purpose: node10 and require() resolutions are not promised.
    const types = run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], root);
    assert.equal(types.status, 0, types.stdout + types.stderr);
  });

  test('installed from the tarball, inkwell/schema works in Node', () => {
    const code = `
      const { CommentInputSchema, CommentSchema } = await import('inkwell/schema');
      const ok = CommentInputSchema.safeParse({ thread: 't', name: 'Ada', email: 'ada@example.com', body: 'Hello' });
      const bad = CommentInputSchema.safeParse({ thread: 't', name: ' ', email: 'nope', body: '' });
      const { default: pkg } = await import('inkwell/package.json', { with: { type: 'json' } });
      console.log(JSON.stringify({ ok: ok.success, bad: bad.success, comment: typeof CommentSchema.parse, name: pkg.name }));`;
    const r = run(process.execPath, ['--input-type=module', '-e', code], project);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { ok: true, bad: false, comment: 'function', name: 'inkwell' });
  });

  test('TypeScript sees the types of every entry point, with node16 and bundler resolution', () => {
    writeFileSync(
      join(project, 'check.ts'),
      `import { InkComments, CommentSchema, type InkPostedDetail } from 'inkwell';
import { CommentInputSchema, type CommentInput } from 'inkwell/schema';
import { createHandler } from 'inkwell/server';
import 'inkwell/inkwell.js';

const el = document.createElement('ink-comments');
const typed: InkComments = el;
typed.pageSize = 20;
// @ts-expect-error pageSize is a number
typed.pageSize = '20';
el.addEventListener('ink-posted', (e) => {
  const detail: InkPostedDetail = e.detail;
  const id: string = detail.comment.id;
  console.log(id, CommentSchema.parse(detail.comment).name);
});
const input: CommentInput = CommentInputSchema.parse({});
const handler = createHandler({ db: ':memory:' });
console.log(input.body, typeof handler);
`,
    );
    for (const [name, options] of [
      ['node16', { module: 'node16', moduleResolution: 'node16' }],
      ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
    ] as const) {
      const config = `tsconfig.${name}.json`;
      writeFileSync(
        join(project, config),
        JSON.stringify({
          compilerOptions: { ...options, target: 'es2022', lib: ['es2023', 'dom', 'dom.iterable'], strict: true, noEmit: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')] },
          files: ['check.ts'],
        }),
      );
      const r = run(bin('tsc'), ['-p', config], project);
      assert.equal(r.status, 0, `${name}:\n${r.stdout}${r.stderr}`);
    }
  });

  describe('examples built by a bundler from the installed package, in Chromium', () => {
    let site: Site;
    let browser: Browser;

    before(async () => {
      // The examples as a user copies them into their project; React, ReactDOM and Vue come from this repository.
      cpSync(join(root, 'examples'), join(project, 'examples'), { recursive: true });
      site = await startSite();
      const bundle = async (name: string, entry: string, options: Parameters<typeof build>[0] = {}) => {
        const out = await build({
          entryPoints: [join(project, 'examples', name, entry)],
          bundle: true,
          splitting: true,
          format: 'esm',
          outdir: join(project, 'out', name),
          write: false,
          jsx: 'automatic',
          nodePaths: [join(root, 'node_modules')],
          define: { 'process.env.NODE_ENV': '"production"' },
          logLevel: 'silent',
          ...options,
        });
        for (const f of out.outputFiles ?? []) site.put(`/${name}/${basename(f.path)}`, f.text, { type: 'text/javascript; charset=utf-8' });
        const page = readFileSync(join(project, 'examples', name, 'index.html'), 'utf8').replace(`./${entry}`, `./${entry.replace(/\.jsx$/, '.js')}`);
        return page;
      };
      site.put('/bundler/index.html', await bundle('bundler', 'main.js'));
      site.put('/react/index.html', await bundle('react', 'main.jsx'));
      // Vue's string templates need its full build, aliased as its docs say; compiling them in the browser needs
      // eval, so this page alone goes without the policy (a single-file component compiles at build time instead).
      const vue = await bundle('vue', 'main.js', {
        alias: { vue: 'vue/dist/vue.esm-bundler.js' },
        define: { 'process.env.NODE_ENV': '"production"', __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
      });
      site.put('/vue/index.html', vue, { csp: false });
      site.put('/posts/42.json', JSON.stringify({ title: 'Post 42', format: 'markdown', body: 'Some **markdown**, split into its own chunk.' }));
      browser = await launch();
    });
    after(async () => {
      await browser?.close();
      await site?.close();
    });

    for (const name of ['bundler', 'react', 'vue']) {
      test(`the ${name} example: a property reaches the element, and ink-loaded and ink-posted reach the app`, async () => {
        const total = (await (await fetch(`${site.url}/api/comments?thread=post-42`)).json()).total + 1;
        await seed(site, 'post-42', `A comment before the ${name} page loaded.`);
        const page = await browser.newPage();
        const watch = await watchPage(page);
        try {
          await page.goto(`${site.url}/${name}/index.html`);
          const status = page.locator('#status, .comments-status');
          await status.filter({ hasText: `${total} comments` }).waitFor();
          const form = page.locator('ink-comments ink-comment-form');
          if (name === 'bundler') {
            await page.locator('ink-article strong').filter({ hasText: 'markdown' }).waitFor();
          } else {
            const props = await page.evaluate(() => {
              const el = document.querySelector('ink-comments')!;
              return { pageSize: el.pageSize, strings: el.strings, attr: el.getAttribute('strings') };
            });
            assert.deepEqual(props, { pageSize: 20, strings: { 'form.submit': 'Send comment' }, attr: null });
          }
          const submit = name === 'bundler' ? 'Post Comment' : 'Send comment';
          await form.locator('textarea[name=body]').fill(`Posted from the ${name} example.`);
          await form.locator('input[name=name]').fill('Grace');
          await form.locator('input[name=email]').fill(`grace.${name}@example.com`);
          await form.getByRole('button', { name: submit }).click();
          await status.filter({ hasText: 'Thanks, Grace!' }).waitFor();
          assert.deepEqual(await watch.csp(), [], 'no CSP violation');
          assert.deepEqual(watch.errors, [], 'no page error');
        } finally {
          await page.close();
        }
      });
    }
  });
});
