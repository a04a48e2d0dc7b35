// scripts/check-paths.mjs, the step of `npm test` that keeps tests, scripts and benches inside the repository: it
// passes on this repository and fails, naming file and line, on a copy of it with references outside planted in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'scripts/check-paths.mjs');
const check = (dir: string) => spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });

describe('scripts/check-paths.mjs', () => {
  let copy: string;

  before(() => {
    // A copy in a folder of its own: what lies beside it is not the repository's, as in a fresh clone.
    copy = join(mkdtempSync(join(tmpdir(), 'inkwell-paths-')), 'inkwell');
    for (const folder of ['test', 'scripts', 'bench']) cpSync(join(root, folder), join(copy, folder), { recursive: true });
  });
  after(() => rmSync(join(copy, '..'), { recursive: true, force: true }));

  test('passes on the repository as it is', () => {
    const r = check(root);
    assert.equal(r.status, 0, r.stderr);
  });

  test('fails on references outside the repository, naming file, line and what to do', () => {
    assert.equal(check(copy).status, 0, 'the unchanged copy passes');
    writeFileSync(
      join(copy, 'test/planted.test.ts'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { readFile } from '@web/test-runner-commands';",
        '// A comment may mention ../../shared/corpora/ without reading it.',
        "const blns = readFileSync(new URL('../../shared/corpora/blns.json', import.meta.url), 'utf8');",
        'const name = "blns.json";',
        'const text = await readFile({ path: `../../${name}` });',
        "const inside = new URL('../src/index.ts', import.meta.url);",
        "const api = '/api/comments';",
        'export { blns, text, inside, api };',
        '',
      ].join('\n'),
    );
    mkdirSync(join(copy, 'scripts/deep'));
    writeFileSync(join(copy, 'scripts/deep/absolute.mjs'), "export const data = '/work/shared/seed/article.json';\nexport const url = 'file:///home/someone/corpora/x.txt';\n");
    writeFileSync(join(copy, 'bench/tsconfig.json'), '{\n  // JSON with comments, as tsc reads it\n  "extends": "../../tsconfig.json"\n}\n');

    const r = check(copy);
    assert.equal(r.status, 1, r.stdout);
    const lines = r.stderr.split('\n').filter((l) => /^\S+:\d+: /.test(l));
    assert.deepEqual(
      lines.map((l) => l.split(': ')[0]),
      ['bench/tsconfig.json:3', 'scripts/deep/absolute.mjs:1', 'scripts/deep/absolute.mjs:2', 'test/planted.test.ts:4', 'test/planted.test.ts:6'],
      r.stderr,
    );
    assert.match(r.stderr, /test\/planted\.test\.ts:4: '\.\.\/\.\.\/shared\/corpora\/blns\.json' resolves to .*shared\/corpora\/blns\.json, outside the repository/);
    assert.match(r.stderr, /absolute\.mjs:1: '\/work\/shared\/seed\/article\.json' is an absolute path/);
    assert.match(r.stderr, /5 references outside the repository\. .*Copy what the file needs into the repository/);
  });
});
