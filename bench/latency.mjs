#!/usr/bin/env node
// Verdict latency / throughput benchmark against a running API on this machine.
//
// Scenario: a 10-test Python A+B submission through the API.
//   (a) raw baseline: the same program run directly with python3 on the host,
//       once per test (10 runs), repeated --reps times; the median is reported.
//   (b) sequential: --n submissions one after another; latency = POST sent ->
//       terminal status seen by polling GET every --poll-ms ms.
//   (c) load: --m submissions with --c in flight at once; submissions/second =
//       m / (first POST -> last completion); latency percentiles under load.
// Prints a table, then one line `BENCH_JSON {...}` with every number.
//
//   VERDICT_API_URL=http://127.0.0.1:3000 node bench/latency.mjs [--n 20] [--m 40] [--c 8]
//        [--reps 5] [--warmup 1] [--poll-ms 5] [--load-poll-ms 10] [--python /usr/bin/python3]
//        [--timeout-s 60] [--max-s 900]
//
// Plain Node >= 20, no dependencies. Only talks to a loopback API.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

// ------------------------------------------------------------------ options

const DEFAULTS = { n: 20, m: 40, c: 8, reps: 5, warmup: 1, 'poll-ms': 5, 'load-poll-ms': 10, 'timeout-s': 60, 'max-s': 900, python: '' };
const BOUNDS = { n: [1, 500], m: [1, 1000], c: [1, 64], reps: [1, 50], warmup: [0, 10], 'poll-ms': [1, 1000], 'load-poll-ms': [1, 1000], 'timeout-s': [1, 600], 'max-s': [10, 3600] };

function usage(code) {
  console.log(`usage: node bench/latency.mjs [--n N] [--m M] [--c C] [--reps R] [--warmup W]
       [--poll-ms MS] [--load-poll-ms MS] [--python PATH] [--timeout-s S] [--max-s S]
defaults: ${JSON.stringify(DEFAULTS)}; API from VERDICT_API_URL (default http://127.0.0.1:3000)`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === '-h' || arg === '--help') usage(0);
    if (!arg.startsWith('--')) fail(`unexpected argument: ${arg}`);
    arg = arg.slice(2);
    let value;
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    } else {
      value = argv[++i];
    }
    if (!(arg in DEFAULTS)) fail(`unknown option --${arg} (see --help)`);
    if (value === undefined) fail(`--${arg} needs a value`);
    if (arg === 'python') {
      opts.python = value;
      continue;
    }
    const num = Number(value);
    const [lo, hi] = BOUNDS[arg];
    if (!Number.isInteger(num) || num < lo || num > hi) fail(`--${arg} must be an integer in [${lo}, ${hi}], got ${value}`);
    opts[arg] = num;
  }
  return opts;
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

const opts = parseArgs(process.argv.slice(2));
const API = (process.env.VERDICT_API_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
{
  let host;
  try {
    host = new URL(API).hostname;
  } catch {
    fail(`VERDICT_API_URL is not a URL: ${API}`);
  }
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) fail(`refusing to benchmark a non-loopback API (${API}); use 127.0.0.1`);
}
const GLOBAL_DEADLINE = performance.now() + opts['max-s'] * 1000;

// ----------------------------------------------------------------- workload

const SOURCE = 'import sys\n\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n';
const TESTS = (() => {
  let seed = 20240601; // deterministic inputs (xorshift32): same numbers on every run
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const tests = [];
  for (let i = 0; i < 10; i++) {
    const a = (rnd() % 2000000001) - 1000000000;
    const b = (rnd() % 2000000001) - 1000000000;
    tests.push({ input: `${a} ${b}\n`, expectedOutput: `${a + b}\n` });
  }
  return tests;
})();
const BODY = JSON.stringify({ language: 'python', source: SOURCE, tests: TESTS });

// ------------------------------------------------------------------ helpers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x, d = 1) => (x == null || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const median = (xs) => percentile(xs, 50);
function percentile(xs, p) {
  const v = xs.filter((x) => x != null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * v.length)); // nearest-rank
  return v[rank - 1];
}
function summary(xs) {
  const v = xs.filter((x) => x != null && !Number.isNaN(x));
  if (v.length === 0) return { count: 0, p50: null, p95: null, min: null, max: null, mean: null };
  return {
    count: v.length,
    p50: round(percentile(v, 50)),
    p95: round(percentile(v, 95)),
    min: round(Math.min(...v)),
    max: round(Math.max(...v)),
    mean: round(v.reduce((a, b) => a + b, 0) / v.length),
  };
}

async function http(method, path, body) {
  try {
    const res = await fetch(`${API}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, json, text };
  } catch (err) {
    fail(`cannot reach the Verdict API at ${API} (${err?.cause?.code ?? err?.name}): is it running? (bash deploy/verdict.sh start)`);
  }
}

// Submit once and poll until terminal. Returns timings; exits loudly unless AC.
async function submitAndWait(pollMs, label) {
  const t0 = performance.now();
  const posted = await http('POST', '/v1/submissions', BODY);
  const tPosted = performance.now();
  if (posted.status !== 202 || !posted.json?.id) fail(`${label}: POST /v1/submissions -> ${posted.status}: ${posted.text.slice(0, 500)}`);
  const id = posted.json.id;
  const deadline = Math.min(t0 + opts['timeout-s'] * 1000, GLOBAL_DEADLINE);
  let polls = 0;
  for (;;) {
    const got = await http('GET', `/v1/submissions/${encodeURIComponent(id)}`);
    polls++;
    const view = got.json;
    if (got.status === 200 && view && (view.status === 'completed' || view.status === 'failed')) {
      const t1 = performance.now();
      const verdicts = (view.tests ?? []).map((t) => t.verdict);
      if (view.verdict !== 'AC' || verdicts.length !== TESTS.length || verdicts.some((v) => v !== 'AC')) {
        const bad = (view.tests ?? []).find((t) => t.verdict !== 'AC');
        fail(
          `${label}: submission ${id} got ${view.verdict ?? view.status} (tests: ${verdicts.join(',') || 'none'}), expected AC on all ${TESTS.length} tests` +
            (view.message ? `\n  message: ${view.message}` : '') +
            (bad ? `\n  test ${bad.index}: ${bad.message} stderr=${JSON.stringify(String(bad.stderr ?? '').slice(0, 300))}` : '') +
            (view.compileOutput ? `\n  compile output: ${String(view.compileOutput).slice(0, 300)}` : ''),
        );
      }
      const ms = (s) => (s ? Date.parse(s) : NaN);
      const judged = ms(view.finishedAt) - ms(view.startedAt);
      const queued = ms(view.startedAt) - ms(view.createdAt);
      return {
        id,
        latencyMs: t1 - t0,
        postMs: tPosted - t0,
        judgedMs: Number.isFinite(judged) ? judged : null,
        queueMs: Number.isFinite(queued) ? queued : null,
        sumWallMs: (view.tests ?? []).reduce((a, t) => a + (Number(t.wallTimeMs) || 0), 0),
        sumCpuMs: (view.tests ?? []).reduce((a, t) => a + (Number(t.cpuTimeMs) || 0), 0),
        polls,
        t0,
        t1,
      };
    }
    if (got.status !== 200 && got.status !== 404) fail(`${label}: GET /v1/submissions/${id} -> ${got.status}: ${got.text.slice(0, 300)}`);
    if (performance.now() > deadline) {
      fail(`${label}: submission ${id} not finished after ${round((performance.now() - t0) / 1000)} s (status ${view?.status ?? 'unknown'})`);
    }
    await sleep(pollMs);
  }
}

// ----------------------------------------------------------- (a) baseline

function resolvePython() {
  if (opts.python) return opts.python;
  // Prefer the system interpreter (what the judge image runs: Debian's python3)
  // over version-manager shims, which add their own start-up cost.
  if (existsSync('/usr/bin/python3')) return '/usr/bin/python3';
  return 'python3';
}

function baseline() {
  const python = resolvePython();
  const dir = mkdtempSync(join(os.tmpdir(), 'verdict-bench-'));
  const file = join(dir, 'main.py');
  writeFileSync(file, SOURCE);
  try {
    const ver = spawnSync(python, ['--version'], { encoding: 'utf8' });
    if (ver.error || ver.status !== 0) fail(`cannot run ${python} for the raw baseline (${ver.error?.message ?? ver.stderr}); pass --python PATH`);
    const runOne = (t) => {
      const s = performance.now();
      const r = spawnSync(python, [file], { input: t.input, encoding: 'utf8', timeout: 10_000 });
      const ms = performance.now() - s;
      if (r.status !== 0 || r.stdout.trim() !== t.expectedOutput.trim()) {
        fail(`raw baseline: ${python} ${file} gave exit ${r.status} stdout ${JSON.stringify(r.stdout)} for ${JSON.stringify(t.input)}`);
      }
      return ms;
    };
    runOne(TESTS[0]); // warm the page cache; not counted
    const totals = [];
    const perRun = [];
    for (let rep = 0; rep < opts.reps; rep++) {
      let total = 0;
      for (const t of TESTS) {
        const ms = runOne(t);
        perRun.push(ms);
        total += ms;
      }
      totals.push(total);
    }
    return {
      python,
      pythonVersion: (ver.stdout || ver.stderr).trim(),
      reps: opts.reps,
      runsPerRep: TESTS.length,
      totalMsMedian: round(median(totals)),
      totalMsAll: totals.map((x) => round(x)),
      perRunMs: summary(perRun),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------ (b) and (c)

async function sequential() {
  for (let i = 0; i < opts.warmup; i++) await submitAndWait(opts['poll-ms'], `warm-up ${i + 1}`);
  const results = [];
  for (let i = 0; i < opts.n; i++) results.push(await submitAndWait(opts['poll-ms'], `sequential ${i + 1}/${opts.n}`));
  return results;
}

async function load() {
  const results = [];
  let next = 0;
  const start = performance.now();
  const workers = Array.from({ length: Math.min(opts.c, opts.m) }, async () => {
    while (next < opts.m) {
      const i = next++;
      results.push(await submitAndWait(opts['load-poll-ms'], `load ${i + 1}/${opts.m}`));
    }
  });
  await Promise.all(workers);
  const firstPost = Math.min(...results.map((r) => r.t0));
  const lastDone = Math.max(...results.map((r) => r.t1));
  const spanMs = lastDone - firstPost;
  return { results, spanMs, wallMs: performance.now() - start, perSecond: opts.m / (spanMs / 1000) };
}

// ------------------------------------------------------------------- output

function table(title, rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  console.log(`\n${title}`);
  rows.forEach((r, j) => {
    console.log('  ' + r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '));
    if (j === 0) console.log('  ' + widths.map((w) => '-'.repeat(w)).join('  '));
  });
}
const fmt = (x) => (x == null ? '-' : String(x));
const statRow = (name, s) => [name, fmt(s.p50), fmt(s.p95), fmt(s.min), fmt(s.max), fmt(s.mean)];

async function main() {
  const health = await http('GET', '/v1/health');
  if (health.status !== 200) fail(`API at ${API} not healthy: GET /v1/health -> ${health.status} ${health.text.slice(0, 200)}`);
  const cpus = os.cpus();
  const host = {
    cores: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? null,
    memoryMb: Math.round(os.totalmem() / 1048576),
    loadavg: os.loadavg().map((x) => round(x, 2)),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
  const params = {
    api: API,
    language: 'python',
    testsPerSubmission: TESTS.length,
    n: opts.n,
    m: opts.m,
    c: opts.c,
    reps: opts.reps,
    warmup: opts.warmup,
    pollMs: opts['poll-ms'],
    loadPollMs: opts['load-poll-ms'],
    timeoutS: opts['timeout-s'],
    latencyDefinition: 'client: POST sent -> terminal status (completed|failed) first seen by polling GET /v1/submissions/:id',
    judgedDefinition: 'server: finishedAt - startedAt',
  };
  console.log(`Verdict latency benchmark: ${TESTS.length}-test Python A+B via ${API}`);
  console.log(`host: ${host.cores} cores (${host.cpuModel}), ${host.memoryMb} MB, node ${host.node}, load ${host.loadavg.join(' ')}`);

  process.stdout.write(`(a) raw baseline: ${TESTS.length} direct python3 runs x ${opts.reps} reps ... `);
  const base = baseline();
  console.log(`median ${base.totalMsMedian} ms (${base.python}, ${base.pythonVersion})`);

  process.stdout.write(`(b) sequential: ${opts.warmup} warm-up + ${opts.n} submissions, polling every ${opts['poll-ms']} ms ... `);
  const seq = await sequential();
  const seqLat = summary(seq.map((r) => r.latencyMs));
  console.log(`p50 ${seqLat.p50} ms`);

  process.stdout.write(`(c) load: ${opts.m} submissions, ${opts.c} in flight, polling every ${opts['load-poll-ms']} ms ... `);
  const ld = await load();
  const ldLat = summary(ld.results.map((r) => r.latencyMs));
  console.log(`${round(ld.perSecond, 2)} submissions/s`);

  const seqJudged = summary(seq.map((r) => r.judgedMs));
  const seqQueue = summary(seq.map((r) => r.queueMs));
  const seqPost = summary(seq.map((r) => r.postMs));
  const seqSumWall = summary(seq.map((r) => r.sumWallMs));
  const ldJudged = summary(ld.results.map((r) => r.judgedMs));
  const ldQueue = summary(ld.results.map((r) => r.queueMs));

  table(`Latency in ms (${TESTS.length} tests per submission; end-to-end = POST -> terminal status seen by polling GET)`, [
    ['', 'p50', 'p95', 'min', 'max', 'mean'],
    [`raw python3, ${TESTS.length} runs (total, ${opts.reps} reps)`, fmt(base.totalMsMedian), fmt(round(percentile(base.totalMsAll, 95))), fmt(Math.min(...base.totalMsAll)), fmt(Math.max(...base.totalMsAll)), '-'],
    statRow('raw python3, one run', base.perRunMs),
    statRow(`sequential end-to-end (n=${opts.n}, poll ${opts['poll-ms']} ms)`, seqLat),
    statRow('sequential server judged (finished-started)', seqJudged),
    statRow('sequential queue wait (started-created)', seqQueue),
    statRow('sequential POST round trip', seqPost),
    statRow('sequential sum of test wallTimeMs', seqSumWall),
    statRow(`load end-to-end (m=${opts.m}, c=${opts.c}, poll ${opts['load-poll-ms']} ms)`, ldLat),
    statRow('load server judged (finished-started)', ldJudged),
    statRow('load queue wait (started-created)', ldQueue),
  ]);
  const overheadMs = seqLat.p50 != null && base.totalMsMedian != null ? round(seqLat.p50 - base.totalMsMedian) : null;
  const ratio = seqLat.p50 != null && base.totalMsMedian ? round(seqLat.p50 / base.totalMsMedian, 2) : null;
  table('Summary', [
    ['metric', 'value'],
    ['throughput (submissions/s)', fmt(round(ld.perSecond, 2))],
    ['throughput (tests/s)', fmt(round(ld.perSecond * TESTS.length, 1))],
    ['load span first POST -> last done (ms)', fmt(round(ld.spanMs))],
    ['sequential p50 / raw baseline', ratio == null ? '-' : `${ratio}x`],
    ['sequential p50 - raw baseline (ms)', fmt(overheadMs)],
  ]);

  const result = {
    benchmark: 'verdict-latency',
    time: new Date().toISOString(),
    host,
    params,
    baseline: base,
    sequential: {
      latencyMs: seqLat,
      judgedMs: seqJudged,
      queueMs: seqQueue,
      postMs: seqPost,
      sumTestWallMs: seqSumWall,
      meanPolls: round(seq.reduce((a, r) => a + r.polls, 0) / seq.length),
      overheadVsBaselineMs: overheadMs,
      ratioVsBaseline: ratio,
    },
    load: {
      submissions: opts.m,
      concurrency: opts.c,
      spanMs: round(ld.spanMs),
      submissionsPerSecond: round(ld.perSecond, 3),
      testsPerSecond: round(ld.perSecond * TESTS.length, 2),
      latencyMs: ldLat,
      judgedMs: ldJudged,
      queueMs: ldQueue,
    },
    allAccepted: true,
  };
  console.log(`\nBENCH_JSON ${JSON.stringify(result)}`);
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
