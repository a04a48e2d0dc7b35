// Turns bench/results.json into the goal check, the stdout tables, the Markdown block of BENCHMARKS.md and the charts.
import { FLOOR } from './render.mjs';
import { barChart } from './svg.mjs';
import { int, kb, mdTable, ms, table } from './stats.mjs';

export const BUDGET = 18 * 1024;
export const TARGET = 15 * 1024;
const RATIO_GOAL = 15;
const P99_GOAL = 10;

/** What the floor is, in one sentence for the table's note and the chart's description. */
const FLOOR_WHAT = 'The floor is no widget: the same API answer fetched, parsed and inserted with one innerHTML.';

/** The rows of the render figures: the widgets, then the floor when it was measured (older results have none). */
const rendered = (r, kinds) => (r.render?.[FLOOR] ? [...kinds, FLOOR] : kinds);

export function labelOf(results, kind) {
  if (kind === FLOOR) return 'floor: bare fetch + one innerHTML, no widget';
  if (kind === 'inkwell') return `Inkwell ${results.versions?.inkwell ?? ''}`.trim();
  const v = results.versions?.[kind];
  return `${kind === 'waline' ? 'Waline' : 'Artalk'}${v ? ` ${v}` : ''}`;
}

const pass = (ok) => (ok ? 'PASS' : 'MISSED');
const notMeasured = (why) => ({ status: 'NOT MEASURED', value: why });

/** The goals of issue 9, each PASS, MISSED or NOT MEASURED with the figure (or the reason). */
export function checkGoals(r) {
  const goals = [];
  const w = r.weight?.files?.inkwell?.total;
  goals.push({
    id: 'weight',
    goal: 'Script-tag file ≤ 18 KB brotli (target 15 KB)',
    ...(w && w.raw
      ? { status: pass(w.brotli <= BUDGET), value: `${kb(w.brotli)} KB brotli (${w.brotli <= TARGET ? 'target met' : `target 15 KB ${w.brotli <= BUDGET ? 'not yet met' : 'missed'}`})` }
      : notMeasured(r.weight ? (r.weight.error ?? 'dist/inkwell.js missing') : 'weight not run')),
  });
  const ink = r.render?.inkwell?.[1000];
  const wal = r.render?.waline?.[1000];
  const floor = r.render?.[FLOOR]?.[1000];
  // What the browser alone reaches against Waline in the same run: whether the goal can be met on this machine at all.
  const floorRatio = floor?.dom && wal?.dom ? wal.dom.median / floor.dom.median : null;
  const floorNote =
    floorRatio !== null
      ? `the floor (bare fetch + one innerHTML, no widget) reaches ${floorRatio.toFixed(1)}× (Waline ${ms(wal.dom.median)} ms / floor ${ms(floor.dom.median)} ms, medians): ` +
        `the goal is ${floorRatio >= RATIO_GOAL ? 'within reach' : 'out of reach'} on this machine in this run`
      : floor?.error && `the floor NOT MEASURED: ${floor.error}`;
  goals.push({
    id: 'render-ratio',
    goal: `1,000 comments in the DOM ≥ ${RATIO_GOAL}× faster than Waline (same run)`,
    ...(ink?.dom && wal?.dom
      ? {
          status: pass(wal.dom.median / ink.dom.median >= RATIO_GOAL),
          value: `${(wal.dom.median / ink.dom.median).toFixed(1)}× (Inkwell ${ms(ink.dom.median)} ms, Waline ${ms(wal.dom.median)} ms, medians; to the next frame ${(wal.frame.median / ink.frame.median).toFixed(1)}×)`,
        }
      : notMeasured(ink?.error ? `Inkwell: ${ink.error}` : wal?.error ? `Waline: ${wal.error}` : (r.render?.error ?? 'render not run'))),
    ...(floorNote ? { note: floorNote } : {}),
  });
  const i100 = r.render?.inkwell?.[100];
  goals.push({
    id: 'layouts',
    goal: 'Number of layouts does not grow with N',
    ...(i100?.layouts && ink?.layouts
      ? {
          status: pass(ink.layouts.median <= i100.layouts.median),
          value: `${i100.layouts.median} layouts at N=100, ${ink.layouts.median} at N=1,000 (medians)`,
        }
      : notMeasured(i100?.error ?? ink?.error ?? r.render?.error ?? 'render not run')),
  });
  const s = r.server;
  goals.push({
    id: 'get-throughput',
    goal: 'GET throughput ≥ ½ of the bare node:http ceiling',
    ...(s?.get && s?.bare
      ? { status: pass(s.get.rps >= s.bare.rps / 2), value: `${int(s.get.rps)} req/s = ${Math.round((s.get.rps / s.bare.rps) * 100)}% of ${int(s.bare.rps)} req/s` }
      : notMeasured(s?.error ?? 'server not run')),
  });
  goals.push({
    id: 'get-p99',
    goal: `GET p99 < ${P99_GOAL} ms at that load`,
    ...(s?.get ? { status: pass(s.get.latency.p99 < P99_GOAL), value: `p99 ${s.get.latency.p99} ms (p50 ${s.get.latency.p50} ms)` } : notMeasured(s?.error ?? 'server not run')),
  });
  return goals;
}

/** "7 measured runs", or the counts per N when the time budget cut some short. */
function runsNote(r, kinds, ns) {
  const counts = ns.map((n) => [n, Math.min(...rendered(r, kinds).map((k) => r.render?.[k]?.[n]?.runs ?? Infinity))]);
  const all = counts.every(([, c]) => c === r.settings.runs || c === Infinity);
  const what = all
    ? `${r.settings.runs} measured runs`
    : `measured runs ${counts.map(([n, c]) => `N=${n} ${c === Infinity ? 0 : c} of ${r.settings.runs}`).join(', ')}, cut short by the time budget`;
  return `${what}; ${r.settings.warmup} warm-up per widget and N, fresh page each`;
}

const range = (x) => (x ? `${ms(x.median)} (${ms(x.min)}–${ms(x.max)})` : '–');

function weightRows(r, kinds) {
  const name = (k) => labelOf(r, k).split(' ')[0];
  const rows = [['Weight (KB = 1,024 B)', 'files (page: code and styles downloaded)', 'raw KB', 'gzip KB', 'brotli KB']];
  for (const k of kinds) {
    const f = r.weight?.files?.[k];
    if (f?.files?.length) {
      const t = f.total;
      rows.push([`${name(k)}: script-tag files`, f.files.map((x) => x.name.split('/').pop()).join(' + '), kb(t.raw), kb(t.gzip), kb(t.brotli)]);
    } else rows.push([`${name(k)}: script-tag files`, 'NOT MEASURED: not installed', '–', '–', '–']);
    const p = r.weight?.page?.[k];
    if (p?.code) {
      const files = p.codeFiles.map((f) => f.split('/').pop()).join(' + ');
      const extra = p.avatars ? ` + ${p.avatars} avatar images` : '';
      rows.push([`${name(k)}: page with ${p.comments} comments`, `${files}${extra}`, kb(p.code.raw), kb(p.code.gzip), kb(p.code.brotli)]);
    } else if (p?.error) rows.push([`${name(k)}: page`, `NOT MEASURED: ${p.error}`, '–', '–', '–']);
  }
  return rows;
}

function renderRows(r, kinds, ns) {
  const [a, b] = ns;
  const head = ['Render, ms median (min–max)', `N=${a}: in DOM`, `N=${a}: next frame`, `N=${b}: in DOM`, `N=${b}: next frame`, `layouts ${a}/${b}`, 'nodes/comment'];
  const rows = [head];
  for (const k of rendered(r, kinds)) {
    if (!r.render?.[k]) {
      rows.push([labelOf(r, k), 'NOT MEASURED: not installed', '', '', '', '', '']);
      continue;
    }
    const x = r.render[k][a];
    const y = r.render[k][b];
    const err = x?.error ?? y?.error;
    if (err && !x?.dom && !y?.dom) {
      rows.push([labelOf(r, k), `NOT MEASURED: ${err}`, '', '', '', '', '']);
      continue;
    }
    rows.push([
      labelOf(r, k),
      x?.dom ? range(x.dom) : 'FAILED',
      x?.frame ? range(x.frame) : '–',
      y?.dom ? range(y.dom) : 'FAILED',
      y?.frame ? range(y.frame) : '–',
      `${x?.layouts?.median ?? '–'} / ${y?.layouts?.median ?? '–'}`,
      y?.nodesPerComment ?? x?.nodesPerComment ?? '–',
    ]);
  }
  return rows;
}

const SERVER_ROWS = [
  ['GET', 'sqlite', 'GET 50-comment page, SQLite'],
  ['GET', 'postgres', 'GET 50-comment page, PostgreSQL'],
  ['GET', 'bare', 'GET same bytes, bare node:http (ceiling)'],
  ['POST', 'sqlite', 'POST new comment, SQLite'],
  ['POST', 'postgres', 'POST new comment, PostgreSQL'],
];

function serverRows(r) {
  const s = r.server;
  const rows = [['Server (10 connections)', 'workers', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', 'non-2xx / errors']];
  const row = (name, workers, x) => {
    if (x && !x.error) return [name, String(workers), int(x.rps), String(x.latency.p50), String(x.latency.p99), String(x.latency.mean), `${x.non2xx} / ${x.errors + x.timeouts}`];
    // The reason is in the run's notes; the table says only which.
    return [name, String(workers), x?.error ? x.error.split(':')[0] : '–', '–', '–', '–', '–'];
  };
  if (!s?.runs) {
    // Results written before the server section measured PostgreSQL and workers: SQLite and bare, one process.
    rows.push(row('GET 50-comment page, SQLite', 1, s?.get), row('GET same bytes, bare node:http (ceiling)', 1, s?.bare), row('POST new comment, SQLite', 1, s?.post));
    return rows;
  }
  for (const [request, target, name] of SERVER_ROWS) {
    for (const x of s.runs.filter((run) => run.request === request && run.target === target)) rows.push(row(name, x.workers, x));
  }
  return rows;
}

/** The server section's method, in one paragraph for BENCHMARKS.md. */
function serverNote(r) {
  const s = r.server;
  const pg = s.postgres?.where ? `PostgreSQL is ${s.postgres.where}. ` : s.postgres?.error ? `PostgreSQL NOT MEASURED: ${s.postgres.error} ` : '';
  return (
    `autocannon, 10 connections, ${s.seconds} s per run after a ${s.warmup} s warm-up, on loopback; the 50-comment answer is ${int(s.getBytes)} bytes. ` +
    'The reference server is the `inkwell-server` CLI from `dist/` (flood control off, moderation none), with `--workers 2` for two workers; ' +
    `the bare ceiling answers the same bytes and headers from 1 or 2 node:http processes (node:cluster). ${pg}` +
    `Servers run in child processes and autocannon in the bench's own: on ${r.machine.cores} cores they compete, so every figure is lower than on a bigger machine, ` +
    'and a second worker has little idle CPU to use; the same-run ratios are what counts. autocannon records latency in whole milliseconds.'
  );
}

/** The whole stdout report. */
export function textReport(r, kinds, ns) {
  const out = [];
  out.push(`Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.os}, Node ${r.machine.node}, ${r.machine.chromium ?? 'no Chromium'}`);
  const by = Object.entries(r.machine.loadBySection ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
  out.push(`Load average at start: ${r.machine.loadAverage?.join(' ') ?? '?'}${by ? ` (1-minute, by section: ${by})` : ''}${r.machine.busy ? '  BUSY: figures are noisier than usual' : ''}`);
  out.push('');
  if (r.weight) out.push(table(weightRows(r, kinds)), '');
  if (r.render?.error) out.push(`Render: NOT MEASURED: ${r.render.error}`, '');
  else if (r.render) out.push(table(renderRows(r, kinds, ns)), `${runsNote(r, kinds, ns)}.`, '');
  if (r.server?.get) out.push(table(serverRows(r)), `(${r.server.seconds} s per run after a ${r.server.warmup} s warm-up; load generator and servers share ${r.machine.cores} cores)`, '');
  else if (r.server?.error) out.push(`Server: NOT MEASURED: ${r.server.error}`, '');
  out.push('Goals:');
  for (const g of r.goals) {
    out.push(`  ${g.status.padEnd(12)} ${g.goal}: ${g.value}`);
    if (g.note) out.push(`${' '.repeat(15)}${g.note}`);
  }
  if (r.problems.length) out.push('', 'Problems:', ...r.problems.map((p) => `  - ${p}`));
  return out.join('\n');
}

/** The generated part of BENCHMARKS.md. */
export function markdownBlock(r, kinds, ns) {
  const m = r.machine;
  const md = [];
  md.push(`Measured ${r.date.slice(0, 10)} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB RAM), ${m.os}, Node ${m.node}, ${m.chromium ?? 'no Chromium'} headless; ` +
    `load average at start ${m.loadAverage?.join(' ') ?? '?'}${m.loadBySection ? ` (1-minute, as each section began: ${Object.entries(m.loadBySection).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}${m.busy ? ' (the machine was busy: other processes shared the CPU, so every figure is slower and noisier than on an idle machine; the same-run ratios are the fair comparison)' : ''}. Bench run took ${Math.round(r.seconds)} s.`);
  md.push('');
  md.push('### Goals', '');
  for (const g of r.goals) {
    md.push(`- [${g.status === 'PASS' ? 'x' : ' '}] **${g.status}**: ${g.goal}: ${g.value}`);
    if (g.note) md.push(`  - ${g.note[0].toUpperCase()}${g.note.slice(1)}.`);
  }
  md.push('');
  if (r.weight) {
    md.push('### Weight', '', '![Script-tag weight, brotli](bench/weight.svg)', '');
    md.push(mdTable(weightRows(r, kinds).map((row) => row.map((c) => String(c).trim()))));
    const api = r.weight.apiBytes;
    if (api) {
      md.push('', `API answer for 1,000 comments, raw (gzip): ${kinds.filter((k) => api[k]).map((k) => `${labelOf(r, k)} ${kb(api[k].raw)} KB (${kb(api[k].gzip)} KB)`).join(', ')}.`);
    }
    md.push('');
  }
  if (r.render?.error) md.push('### Render', '', `NOT MEASURED: ${r.render.error}`, '');
  else if (r.render) {
    md.push('### Render', '', '![Render time at N = 1,000](bench/render.svg)', '');
    md.push(mdTable(renderRows(r, kinds, ns)));
    md.push('', `${runsNote(r, kinds, ns)[0].toUpperCase()}${runsNote(r, kinds, ns).slice(1)}; widgets and the floor take turns within each round. ` +
      'Layouts and nodes per comment from Chromium\'s `Performance.getMetrics` (LayoutCount, Nodes after a forced GC), for the whole render.' +
      (r.render[FLOOR] ? ` ${FLOOR_WHAT}` : ''), '');
  }
  if (r.server?.get) {
    md.push('### Server', '');
    md.push(mdTable(serverRows(r)));
    md.push('', serverNote(r), '');
  } else if (r.server?.error) md.push('### Server', '', `NOT MEASURED: ${r.server.error}`, '');
  if (r.problems.length) md.push('### Notes from this run', '', ...r.problems.map((p) => `- ${p}`), '');
  return md.join('\n');
}

/** bench/weight.svg: brotli bytes of each widget's script-tag files (JS + CSS). */
export function weightSvg(r, kinds) {
  const groups = kinds.map((k) => {
    const t = r.weight?.files?.[k]?.total;
    return {
      label: labelOf(r, k).split(' ')[0],
      bars: [t?.raw ? { value: t.brotli, text: `${kb(t.brotli)} KB brotli (gzip ${kb(t.gzip)}, raw ${kb(t.raw)})`, tone: 0 } : { value: null, text: 'not measured' }],
    };
  });
  const desc = groups.map((g, i) => `${g.label}: ${g.bars[0].text}${i === 0 ? ' (dist/inkwell.js)' : ' (script plus stylesheet)'}`).join('; ');
  return barChart({
    id: 'weight',
    title: 'Script-tag files, brotli (smaller is better)',
    desc: `Bytes a site adds to a page to show comments. ${desc}.`,
    groups,
    markers: [
      { value: TARGET, text: 'target 15 KB' },
      { value: BUDGET, text: 'budget 18 KB' },
    ],
    note: `KB = 1,024 bytes; brotli quality 11, gzip level 9; peers: script plus stylesheet. ${r.date.slice(0, 10)}.`,
  });
}

/** bench/render.svg: median time to 1,000 comments in the DOM and to the next frame; the floor last, in grey. */
export function renderSvg(r, kinds, n) {
  const s = (x) => `${(x / 1000).toFixed(x < 1000 ? 2 : 1)} s`;
  const groups = rendered(r, kinds).map((k) => {
    const x = r.render?.[k]?.[n];
    const grey = k === FLOOR ? 2 : 0;
    return {
      label: k === FLOOR ? 'floor (no widget)' : labelOf(r, k).split(' ')[0],
      bars: x?.dom
        ? [
            { value: x.dom.median, text: `${s(x.dom.median)} in the DOM`, tone: grey },
            { value: x.frame.median, text: `${s(x.frame.median)} to the next frame`, tone: grey + 1 },
          ]
        : [{ value: null, text: `not measured${x?.error ? `: ${x.error}` : ''}` }],
    };
  });
  const desc = groups.map((g) => `${g.label}: ${g.bars.map((b) => b.text).join(', ')}`).join('; ');
  return barChart({
    id: 'render',
    title: `Time to show ${n.toLocaleString('en')} comments (shorter is better)`,
    desc: `Median of up to ${r.settings.runs} runs in headless Chromium, from the widget's creation. ` +
      `${r.render?.[FLOOR] ? `${FLOOR_WHAT} ` : ''}${desc}.`,
    groups,
    legend: [
      { tone: 0, text: 'all comments in the DOM' },
      { tone: 1, text: 'next frame' },
    ],
    note: `Median of ${Math.min(...rendered(r, kinds).map((k) => r.render?.[k]?.[n]?.runs ?? Infinity))} runs each, headless ${r.machine.chromium ?? 'Chromium'}, ${r.machine.cores} cores, ${r.date.slice(0, 10)}.`,
  });
}
