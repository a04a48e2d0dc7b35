// Fails when a file under test/, scripts/ or bench/ refers to a path outside the repository, so that `npm test`
// passes in any clone, not only in a checkout that happens to have a `shared/` folder beside it.
//
//   node scripts/check-paths.mjs [root]      (root defaults to this repository)
//
// Every string literal (and the fixed start of every template literal) in the .ts/.mts/.js/.mjs/.json files is read
// with TypeScript's parser, so comments, regular expressions and HTML templates do not confuse it. A literal fails when:
// - it is relative (`./…`, `../…`) and, resolved against the folder of its file, leaves the repository root
//   (`new URL('../../../shared/x', import.meta.url)`, `readFile({ path: '../../shared/x' })` in a browser test);
// - it is an absolute file-system path (`/work/…`, `/home/…`, `/tmp/…`, `C:\…`, `~/…`) or a `file:` URL: such a
//   path exists on one machine only. Executables in the system's bin folders (`/usr/bin/chromium`, Debian's `/usr/lib/postgresql`) are allowed: the
//   browser the tests drive is a program the machine provides, looked up and named in an error when missing.
// Not caught: paths built from segments (`join(root, '..', 'x')`) and relative paths meant for the working folder.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const FOLDERS = ['test', 'scripts', 'bench'];
/** Data, not code: hostile strings that may look like anything (`/etc/passwd`, `file:///…`). */
const SKIPPED = new Set(['node_modules', 'corpora']);
const EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json']);
/** First folders of absolute paths on Linux, macOS and CI machines; URL paths such as `/api/comments` do not match. */
const ABSOLUTE = /^(\/(work|workspace|home|Users|tmp|var|root|mnt|media|opt|srv|etc|usr|bin|lib|nix|snap|private|Volumes|Library|Applications|run|proc|dev|sys)(\/|$)|[A-Za-z]:[\\/]|~\/)/;
// Debian installs PostgreSQL's server programs under /usr/lib/postgresql/<version>/bin, outside PATH.
const SYSTEM_PROGRAM = /^\/(usr\/(local\/)?bin|bin|opt\/homebrew\/bin)\/[^/]+$|^\/usr\/lib\/postgresql(\/|$)/;

/** The files to check under `root`, as absolute paths. */
function filesUnder(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (EXTENSIONS.has(extname(entry.name))) out.push(path);
    }
  };
  for (const folder of FOLDERS) {
    try {
      walk(join(root, folder));
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return out;
}

/** Each string literal of a file with its line, the fixed head of a template literal standing for the whole. */
function literalsOf(file) {
  const text = readFileSync(file, 'utf8');
  const kind = file.endsWith('.json') ? ts.ScriptKind.JSON : file.endsWith('ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const out = [];
  const visit = (node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
      out.push({ value: node.text, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Why `value`, found in `file`, points outside `root`; undefined when it does not. */
function problemWith(value, file, root) {
  if (/^file:\/\//i.test(value)) {
    let path;
    try {
      path = fileURLToPath(value);
    } catch {
      return `the file URL '${value}' names a fixed place on one machine`;
    }
    if (isInside(path, root)) return `the file URL '${value}' is fixed to this checkout's folder`;
    return `the file URL '${value}' points outside the repository`;
  }
  if (ABSOLUTE.test(value)) {
    if (SYSTEM_PROGRAM.test(value)) return undefined;
    return `'${value}' is an absolute path: it exists only on one machine`;
  }
  if (/^\.\.?(\/|$)/.test(value)) {
    const target = resolve(join(file, '..'), value);
    if (!isInside(target, root)) return `'${value}' resolves to ${target}, outside the repository`;
  }
  return undefined;
}

function isInside(path, root) {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Every reference outside `root` in its test/, scripts/ and bench/ folders: `{ file, line, message }`. */
export function findOutsidePaths(root) {
  const problems = [];
  for (const file of filesUnder(root)) {
    for (const { value, line } of literalsOf(file)) {
      const message = problemWith(value, file, root);
      if (message) problems.push({ file: relative(root, file), line, message });
    }
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
  const problems = findOutsidePaths(root);
  if (problems.length === 0) {
    console.log(`No path outside the repository in ${FOLDERS.join('/, ')}/.`);
  } else {
    for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}.`);
    console.error(
      `\n${problems.length} reference${problems.length === 1 ? '' : 's'} outside the repository. Tests, scripts and benches may read only` +
        ' files inside it, so that they pass in any clone. Copy what the file needs into the repository (test data goes in' +
        ' test/corpora/ with its licence and a line in test/corpora/README.md) and refer to it relative to the file, e.g.' +
        " new URL('../corpora/blns.json', import.meta.url); use os.tmpdir() for scratch files.",
    );
    process.exitCode = 1;
  }
}
