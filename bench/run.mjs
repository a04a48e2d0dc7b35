#!/usr/bin/env node
// `npm run bench`: weight, render time and server throughput of Inkwell next to Waline and Artalk.
// Prints a table, writes bench/results.json, bench/weight.svg, bench/render.svg and the figures in BENCHMARKS.md.
//
//   npm run bench                      everything (3 to 6 minutes on 2 cores, longer on a busy machine)
//   npm run bench -- --only=weight     one or more of weight,render,server (nothing is written unless --write)
//   npm run bench -- --runs=3          fewer runs, for a quick look (nothing is written unless --write)
//   npm run bench -- --build           rebuild dist/ first (it is built anyway when missing)
//
// Every server listens on 127.0.0.1 only; nothing reaches past this machine. The bench stops by itself: request
// runs are bounded by time, each render by a timeout, the render section by a deadline and the whole run by a
// watchdog. Servers, the browser and temp files are cleaned up on exit and on Ctrl-C.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, PEERS, benchDir, findChromium, machine, peerMissing, root } from './lib/env.mjs';
import { fileWeights, pageWeights } from './lib/weight.mjs';
import { FLOOR, measureRender, WIDGETS } from './lib/render.mjs';
import { measureServer, stopLoad } from './lib/load.mjs';
import { startPageServer } from './lib/page-server.mjs';
import { compressed } from './lib/stats.mjs';
import { checkGoals, markdownBlock, renderSvg, textReport, weightSvg } from './lib/report.mjs';

const NS = [100, 1000];
const WATCHDOG_MS = 15 * 60_000;
const RENDER_BUDGET_MS = 6 * 60_000;

function parseArgs(argv) {
  const o = { runs: 7, warmup: 1, seconds: 8, only: ['weight', 'render', 'server'], build: false, write: null };
  for (const a of argv) {
    const [k, v] = a.replace(/^--/, '').split('=');
    if (k === 'runs') o.runs = Math.max(1, Number(v) || 7);
    else if (k === 'warmup') o.warmup = Math.max(0, Number(v) || 0);
    else if (k === 'seconds') o.seconds = Math.min(30, Math.max(1, Number(v) || 8));
    else if (k === 'only') o.only = v.split(',').map((s) => s.trim());
    else if (k === 'build') o.build = true;
    else if (k === 'write') o.write = true;
    else if (k === 'no-write') o.write = false;
    else if (k === 'help' || k === 'h') {
      console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else {
      console.error(`Unknown option ${a}; try --help.`);
      process.exit(2);
    }
  }
  const unknown = o.only.filter((x) => !['weight', 'render', 'server'].includes(x));
  if (unknown.length || o.only.length === 0) {
    console.error(`--only takes weight, render and/or server, comma-separated (got ${unknown.join(', ') || 'nothing'}).`);
    process.exit(2);
  }
  const full = o.only.length === 3 && o.runs >= 7;
  o.write ??= full;
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const log = (s) => console.log(s);
const t0 = performance.now();

// Everything that must go, whatever happens.
const cleanups = [];
const children = new Set();
const track = (child) => {
  children.add(child);
  return () => children.delete(child);
};
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    stopLoad();
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const f of cleanups.reverse()) {
      try {
        await f();
      } catch {
        // best effort: the next cleanup still runs
      }
    }
  })();
  return cleaning;
}
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    interrupted = true;
    console.error(`\n${sig}: stopping the bench and cleaning up…`);
    await cleanup();
    process.exit(130);
  });
}
const watchdog = setTimeout(async () => {
  console.error(`The bench ran for more than ${WATCHDOG_MS / 60_000} minutes; stopping it.`);
  await cleanup();
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

const results = {
  date: new Date().toISOString(),
  machine: { ...machine(), loadAverage: loadavg().map((x) => Math.round(x * 100) / 100), chromium: null },
  versions: { inkwell: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version, waline: PEERS.waline.version(), artalk: PEERS.artalk.version() },
  settings: { ns: NS, runs: opts.runs, warmup: opts.warmup, sections: opts.only },
  weight: null,
  render: null,
  server: null,
  goals: [],
  problems: [],
};
results.machine.busy = results.machine.loadAverage[0] > results.machine.cores * 0.5;
/** The 1-minute load average as each section starts: how much else was running (a busy machine means noisy figures). */
results.machine.loadBySection = {};
const noteLoad = (section) => {
  results.machine.loadBySection[section] = Math.round(loadavg()[0] * 100) / 100;
};
/** Something the report must mention; `incomplete` (the default) when a figure could not be taken at all. */
let incomplete = false;
const problem = (s, { figureMissing = true } = {}) => {
  results.problems.push(s);
  if (figureMissing) incomplete = true;
  console.error(`  ! ${s}`);
};

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'inkwell-bench-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));

  console.log(`Inkwell bench: ${opts.only.join(', ')}; ${opts.runs} runs after ${opts.warmup} warm-up; ${results.machine.cores} cores, load average ${results.machine.loadAverage.join(' ')}`);
  if (results.machine.busy) console.log('  note: the machine is busy (load average above half the cores): figures will be noisy.');

  // dist/ is what gets measured: built when missing, or on --build.
  if (opts.build || !existsSync(join(root, 'dist/inkwell.js')) || !existsSync(join(root, 'dist/server/index.js'))) {
    // Only the bundles (rollup.config.mjs): the bench measures the built files, not their types.
    console.log('Building dist/ (node scripts/build.mjs bundles, i.e. rollup -c)…');
    try {
      execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'bundles'], { stdio: 'inherit', cwd: root, timeout: 5 * 60_000 });
    } catch {
      problem('rollup -c failed; measuring whatever dist/ holds.', { figureMissing: false });
    }
  }
  const haveInkwell = existsSync(join(root, 'dist/inkwell.js'));
  const haveServer = existsSync(join(root, 'dist/server/index.js')) && existsSync(join(root, 'dist/server/cli.js'));
  if (!haveInkwell) problem('dist/inkwell.js is missing: run npm run build.');

  const kinds = WIDGETS.filter((k) => {
    if (k === 'inkwell') return haveInkwell;
    const why = peerMissing(k);
    if (why) problem(`${PEERS[k].label} NOT MEASURED: ${why}`);
    return !why;
  });

  // 1. Weight of the files on disk.
  if (opts.only.includes('weight')) {
    console.log('\nWeight: script-tag files…');
    results.weight = { files: fileWeights(WIDGETS) };
  }

  // 2. In the browser: what the page downloads, and the render times.
  noteLoad('browser');
  if ((opts.only.includes('render') || opts.only.includes('weight')) && kinds.length) await browserSection(kinds);

  // 3. Server throughput, after the browser is gone so that it does not compete.
  noteLoad('server');
  if (opts.only.includes('server')) {
    if (!haveServer) {
      results.server = { error: 'dist/server/index.js or dist/server/cli.js is missing: run npm run build.' };
      problem(results.server.error);
    } else {
      console.log(`\nServer: autocannon, 10 connections, ${opts.seconds} s per run; SQLite, PostgreSQL and bare node:http, 1 and 2 workers…`);
      try {
        const addCleanup = (f) => cleanups.push(f);
        results.server = { ...(await measureServer({ tmp, seconds: opts.seconds, warmup: 2, track, addCleanup, log })), warmup: 2 };
        for (const x of results.server.runs) {
          const name = `${x.request} ${x.target}, ${x.workers} worker${x.workers > 1 ? 's' : ''}`;
          if (x.error) problem(`${name}: ${x.error}`);
          else if (x.non2xx || x.errors || x.timeouts) problem(`${name}: ${x.non2xx} non-2xx answers (${JSON.stringify(x.statusCodes)}), ${x.errors} errors, ${x.timeouts} timeouts`);
        }
      } catch (e) {
        results.server = { error: e.message };
        problem(`server NOT MEASURED: ${e.message}`);
      }
    }
  }

  noteLoad('end');
  results.seconds = (performance.now() - t0) / 1000;
  results.goals = checkGoals(results);
  console.log(`\n${textReport(results, WIDGETS, NS)}`);
  console.log(`\nBench took ${Math.round(results.seconds)} s.`);

  if (opts.write) {
    const written = ['bench/results.json'];
    writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    if (results.weight) {
      writeFileSync(join(benchDir, 'weight.svg'), weightSvg(results, WIDGETS));
      written.push('bench/weight.svg');
    }
    if (results.render && !results.render.error) {
      writeFileSync(join(benchDir, 'render.svg'), renderSvg(results, WIDGETS, 1000));
      written.push('bench/render.svg');
    }
    writeBenchmarksMd(markdownBlock(results, WIDGETS, NS));
    console.log(`Wrote ${written.join(', ')} and the figures in BENCHMARKS.md.`);
  } else {
    console.log('Partial or quick run: nothing written (add --write to write bench/results.json, the charts and BENCHMARKS.md).');
  }

  // A missed goal is a finding, not a failure; a figure that could not be taken is.
  return incomplete ? 1 : 0;
}

/** The browser half: page weights and render times, with the bench's page server; the browser is closed after. */
async function browserSection(kinds) {
  const chromium = findChromium();
  let why = chromium.why;
  let browser;
  if (chromium.path) {
    const { chromium: pw } = await import('playwright-core');
    try {
      // Ctrl-C is ours to handle: the browser closes in cleanup(), before the temp folder goes.
      browser = await pw.launch({
        executablePath: chromium.path, args: CHROMIUM_ARGS, headless: true, timeout: 30_000,
        handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
      });
      cleanups.push(() => browser.close());
    } catch (e) {
      why = `Chromium at ${chromium.path} did not start: ${e.message.split('\n')[0]}`;
    }
  }
  if (!browser) {
    problem(why);
    if (opts.only.includes('render')) results.render = { error: why };
    if (results.weight) results.weight.pageError = why;
    return;
  }
  results.machine.chromium = `Chromium ${browser.version()}`;
  const server = await startPageServer(NS);
  cleanups.push(() => server.close());
  try {
    if (opts.only.includes('weight')) {
      console.log('Weight: what a text-only article page with 10 comments downloads…');
      results.weight.page = await pageWeights({ browser, origin: server.origin, article: server.article, kinds, log });
      for (const [k, p] of Object.entries(results.weight.page)) {
        if (p.error) problem(`${k} page weight NOT MEASURED: ${p.error}`);
        else if (p.errors.length) problem(`${k} page: ${p.errors.join('; ')}`, { figureMissing: false });
      }
      const apiPath = { inkwell: '/api/comments?thread=n1000', waline: '/api/comment?path=%2Fn1000', artalk: '/api/v2/comments?page_key=%2Fn1000' };
      const answers = [];
      for (const k of kinds) answers.push([k, Buffer.from(await (await fetch(server.origin + apiPath[k])).arrayBuffer())]);
      results.weight.apiBytes = Object.fromEntries(answers.map(([k, body]) => [k, compressed(body)]));
    }
    if (opts.only.includes('render')) {
      console.log(`\nRender: N = ${NS.join(' and ')}, ${opts.warmup} warm-up + ${opts.runs} runs per widget and N, and the floor (no widget)…`);
      const deadline = Date.now() + RENDER_BUDGET_MS;
      // The floor takes its turn in every round with the widgets, so that it sees the same machine they do.
      const renderKinds = [...kinds, FLOOR];
      results.render = await measureRender({ browser, origin: server.origin, kinds: renderKinds, ns: NS, runs: opts.runs, warmup: opts.warmup, deadline, log });
      for (const k of renderKinds) {
        for (const n of NS) if (results.render[k]?.[n]?.error) problem(`${k} render at N=${n} NOT MEASURED: ${results.render[k][n].error}`);
      }
      if (results.render.truncated) {
        problem(`render section hit its ${RENDER_BUDGET_MS / 60_000}-minute budget: ${results.render.truncated}`, { figureMissing: false });
      }
    }
    if (server.unexpected.length) {
      problem(`requests the bench server did not expect: ${[...new Set(server.unexpected)].slice(0, 5).join(', ')}`, { figureMissing: false });
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}

const BEGIN = '<!-- bench:begin (written by npm run bench; edit bench/lib/report.mjs instead) -->';
const END = '<!-- bench:end -->';
function writeBenchmarksMd(block) {
  const file = join(root, 'BENCHMARKS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\nRun \`npm run bench\`.\n\n${BEGIN}\n${END}\n`;
  const a = text.indexOf('<!-- bench:begin');
  const b = text.indexOf(END);
  const next = a >= 0 && b > a ? `${text.slice(0, a)}${BEGIN}\n${block}\n${text.slice(b)}` : `${text.trimEnd()}\n\n${BEGIN}\n${block}\n${END}\n`;
  writeFileSync(file, next);
}

let code;
try {
  code = await main();
} catch (e) {
  if (!interrupted) console.error(`\nThe bench failed: ${e.stack ?? e}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(interrupted ? 130 : code);
