#!/usr/bin/env node
// What the judge adds to a program's own run time, measured against the raw process in the same run
// (issue #3's targets), for each sandbox runtime (runc, runsc) and container mode (fresh, reuse):
//
//   latency     10-test Python A+B, one submission at a time on an idle worker: POST -> result seen,
//               and created -> finished as the server records it, against the raw time of the same
//               compile check and 10 runs on the host (bench/raw-runner.c: fork, exec, wait4, like
//               the harness). Target: p50 added <= 50 ms.
//   per test    the same program with 1 and with 41 tests: (judged 41 - judged 1) / 40 is what one
//               more test costs; minus one raw run it is the judge's marginal overhead per test.
//               Targets: <= 1 ms (runc), <= 5 ms (runsc). For C (a ~1 ms program) and Python.
//   throughput  --m submissions with 1, 2 and 4 in flight; the raw limit is cores / the raw CPU
//               time of one submission. Targets: reuse >= 60% of the raw limit.
//
//   telemetry   --telemetry off,on --rounds 3: each configuration with tracing off and on
//               (exporting OTLP to a real Jaeger, started here, or to --otlp-endpoint), alternating,
//               --rounds times each; the medians and spread of each setting are reported, with the
//               CPU time the API and the worker spend per submission (from /proc), the judge's own
//               cost whatever else the machine runs. Target: on costs at most a few percent.
//               Then, paired: a stack with tracing off and one with it on run at once, and
//               --paired-n 10-test submissions go to each in turn (the order swapped every time),
//               so both see the same moment's noise, --rounds times: the CPU each stack's API,
//               worker and sandboxes (their cgroups) spend per submission, and the server p50, side
//               by side; the three together are the judge's CPU for a submission (Redis's and the
//               Docker engine's, which both stacks share, aside).
//               The Jaeger started here runs at nice 19 (bench/support/jaeger.mjs): in a deployment
//               the trace backend is on other machines.
//
// Each configuration gets an API and a worker of its own (dist/apps/*, built by
// `bash deploy/verdict.sh setup`) on the local Redis and Docker, under its own key prefix.
// Prints a table per configuration and one `BENCH_JSON {...}` line with every number.
//
//   node bench/judge-overhead.mjs [--runtimes runc,runsc] [--modes fresh,reuse] [--concurrency 1,2,4]
//        [--n 15] [--marginal-reps 9] [--m 24] [--idle-ms 1000] [--python /usr/bin/python3]
//        [--telemetry off] [--rounds 1] [--paired-n 30] [--otlp-endpoint http://host:4318]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startJaeger } from './support/jaeger.mjs';
import { ROOT, appEnv, cpuSecondsOfTree, deleteKeys, fail, percentile, runPrefix, startApp, stopProcesses, tenantAuth } from './support/processes.mjs';

const list = (text, allowed) => {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (allowed && !allowed.includes(item)) fail(`"${item}" is not one of ${allowed.join(', ')}`);
  return items;
};
const positive = (name, text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, got ${text}`);
  return n;
};

const { values: args } = parseArgs({
  options: {
    runtimes: { type: 'string', default: 'runc,runsc' },
    modes: { type: 'string', default: 'fresh,reuse' },
    concurrency: { type: 'string', default: '1,2,4' },
    n: { type: 'string', default: '15' },
    'marginal-reps': { type: 'string', default: '9' },
    m: { type: 'string', default: '24' },
    'idle-ms': { type: 'string', default: '1000' },
    python: { type: 'string', default: '/usr/bin/python3' },
    telemetry: { type: 'string', default: 'off' },
    'otlp-endpoint': { type: 'string' },
    rounds: { type: 'string', default: '1' },
    'paired-n': { type: 'string', default: '30' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log('usage: node bench/judge-overhead.mjs [--runtimes runc,runsc] [--modes fresh,reuse] [--concurrency 1,2,4] [--n 15] [--marginal-reps 9] [--m 24] [--idle-ms 1000] [--python PATH] [--telemetry off,on] [--rounds 3] [--paired-n 30] [--otlp-endpoint URL]');
  process.exit(0);
}
const OPTS = {
  runtimes: list(args.runtimes, ['runc', 'runsc']),
  modes: list(args.modes, ['fresh', 'reuse']),
  concurrency: list(args.concurrency).map((c) => positive('concurrency', c)),
  n: positive('n', args.n),
  marginalReps: positive('marginal-reps', args['marginal-reps']),
  m: positive('m', args.m),
  idleMs: positive('idle-ms', args['idle-ms']),
  python: args.python,
  telemetry: list(args.telemetry, ['off', 'on']),
  rounds: positive('rounds', args.rounds),
  otlpEndpoint: args['otlp-endpoint'] ?? null,
  pairedN: positive('paired-n', args['paired-n']),
};
/** Tests of the long submission of the per-test measurement (the short one has 1). */
const MARGINAL_TESTS = 41;

// ---------------------------------------------------------------- workload

/** Deterministic A+B tests (xorshift32), so every run judges the same numbers. */
function aPlusBTests(count, seed = 20240601) {
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  return Array.from({ length: count }, () => {
    const a = (next() % 2000000001) - 1000000000;
    const b = (next() % 2000000001) - 1000000000;
    return { input: `${a} ${b}\n`, expectedOutput: `${a + b}\n` };
  });
}

const PROGRAMS = {
  python: { language: 'python', file: 'main.py', source: 'import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n' },
  c: { language: 'c', file: 'main.c', source: '#include <stdio.h>\nint main(void){long long a,b;if(scanf("%lld %lld",&a,&b)!=2)return 1;printf("%lld\\n",a+b);return 0;}\n' },
};

// ------------------------------------------------------------------ helpers

const round = (x, digits = 1) => (x == null || Number.isNaN(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);
const p50 = (xs) => percentile(xs, 50);

// ---------------------------------------------------------- the raw baseline

/** Host runs of the same programs with the same process costs as the harness (bench/raw-runner.c). */
class RawBaseline {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'verdict-bench-'));
    this.runner = join(this.dir, 'raw-runner');
    execFileSync('gcc', ['-O2', '-o', this.runner, join(ROOT, 'bench/raw-runner.c')]);
    writeFileSync(join(this.dir, 'main.py'), PROGRAMS.python.source);
    writeFileSync(join(this.dir, 'main.c'), PROGRAMS.c.source);
    // The judge's own flags (libs/languages/src/languages.json); the image's gcc is the host's gcc 12.
    execFileSync('gcc', ['-std=gnu17', '-O2', '-pipe', '-o', join(this.dir, 'main'), join(this.dir, 'main.c'), '-lm']);
    this.inputs = aPlusBTests(MARGINAL_TESTS).map((test, i) => {
      const path = join(this.dir, `input-${i}`);
      writeFileSync(path, test.input);
      return path;
    });
    writeFileSync(join(this.dir, 'empty'), '');
    this.pythonVersion = spawnSync(OPTS.python, ['--version'], { encoding: 'utf8' }).stdout.trim();
  }

  /** [{wallUs, cpuUs}] for argv run once per input. */
  run(inputs, argv) {
    const out = execFileSync(this.runner, [...inputs, '--', ...argv], { cwd: this.dir, encoding: 'utf8' });
    return out.trim().split('\n').map((line) => {
      const [wallUs, cpuUs] = line.split(' ').map(Number);
      return { wallUs, cpuUs };
    });
  }

  /** One 10-test Python submission done by hand: the compile check, then the 10 runs. */
  pythonSubmission(tests = 10) {
    const runs = [
      ...this.run([join(this.dir, 'empty')], [OPTS.python, '-m', 'py_compile', 'main.py']),
      ...this.run(this.inputs.slice(0, tests), [OPTS.python, 'main.py']),
    ];
    return { wallMs: runs.reduce((s, r) => s + r.wallUs, 0) / 1000, cpuMs: runs.reduce((s, r) => s + r.cpuUs, 0) / 1000 };
  }

  /** One run of a program (ms of wall time), the median of many. */
  perRun(program) {
    const argv = program === 'c' ? ['./main'] : [OPTS.python, 'main.py'];
    return p50(this.run(this.inputs, argv).map((r) => r.wallUs / 1000));
  }

  close() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// -------------------------------------------------------------- the stack

/** An API and a worker of one configuration, as separate processes, like a deployment. */
class Stack {
  /** `otlpEndpoint`: tracing on, exported there; null: off. */
  constructor(runtime, mode, port, otlpEndpoint) {
    this.base = `http://127.0.0.1:${port}`;
    this.prefix = runPrefix();
    this.telemetry = otlpEndpoint ? 'on' : 'off';
    const tracing = otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' } : { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_TRACES_EXPORTER: '' };
    this.env = appEnv(this.prefix, {
      ...tracing,
      API_PORT: String(port),
      // Any free port for the worker's metrics listener: the paired phase runs two workers at once.
      WORKER_HTTP_PORT: '0',
      WORKER_CONCURRENCY: String(Math.max(...OPTS.concurrency)),
      SANDBOX_POOL_SIZE: String(Math.max(...OPTS.concurrency)),
      SANDBOX_MODE: mode,
      SANDBOX_RUNTIME: runtime === 'runc' ? '' : runtime,
    });
  }

  async start() {
    const api = await startApp('api', this.env, async () => (await fetch(`${this.base}/v1/health`)).ok);
    this.auth = await tenantAuth(this.base);
    // Ready when a submission is judged: the worker's self-tests and pool are done by then.
    const worker = await startApp('worker', this.env, async () => {
      const warm = await this.judge({ ...PROGRAMS.python, tests: aPlusBTests(1) }, 50);
      if (warm.result.verdict !== 'AC') fail(`warm-up submission was ${warm.result.verdict}`);
      return true;
    });
    this.processes = [api, worker];
  }

  /** CPU seconds the API and the worker have each used so far, and each of the worker's sandboxes (by container id). */
  cpuSeconds() {
    const [api, worker] = this.processes;
    return { api: cpuSecondsOfTree(api.pid), worker: cpuSecondsOfTree(worker.pid), sandboxes: sandboxCpuSeconds(this.prefix) };
  }

  /**
   * The API's, the worker's and its sandboxes' CPU milliseconds per submission since `before` (a
   * `cpuSeconds()`). A sandbox removed in between takes its CPU with it: exact in reuse mode, where
   * a pool's sandboxes live through accepted submissions.
   */
  cpuMsPerSubmissionSince(before, submissions) {
    const after = this.cpuSeconds();
    const per = (seconds) => round((seconds * 1000) / submissions);
    let sandboxes = 0;
    for (const [id, seconds] of after.sandboxes) sandboxes += seconds - (before.sandboxes.get(id) ?? 0);
    return { api: per(after.api - before.api), worker: per(after.worker - before.worker), sandboxes: per(sandboxes) };
  }

  async stop() {
    await stopProcesses(this.processes);
    await deleteKeys(this.prefix);
  }

  /** Submits and polls until terminal: client latency and the server's own timestamps. */
  async judge({ language, source, tests }, pollMs = 2) {
    const sent = performance.now();
    const posted = await fetch(`${this.base}/v1/submissions`, { method: 'POST', headers: { 'content-type': 'application/json', ...this.auth }, body: JSON.stringify({ language, source, tests }) });
    if (posted.status !== 202) throw new Error(`POST answered ${posted.status}: ${await posted.text()}`);
    const { id } = await posted.json();
    for (;;) {
      const result = await (await fetch(`${this.base}/v1/submissions/${id}`, { headers: this.auth })).json();
      if (result.status === 'completed' || result.status === 'failed') {
        return {
          result,
          clientMs: performance.now() - sent,
          serverMs: Date.parse(result.finishedAt) - Date.parse(result.createdAt),
          judgedMs: Date.parse(result.finishedAt) - Date.parse(result.startedAt),
        };
      }
      await sleep(pollMs);
    }
  }
}

/** The label a worker puts its WORKER_ID in on each container it makes (libs/sandbox's OWNER_LABEL). */
const OWNER_LABEL = 'org.verdict.owner';

/**
 * CPU seconds used so far by each running sandbox of the worker `owner` (its WORKER_ID), by container
 * id, from the container's cgroup (v1 cpuacct or v2 cpu.stat): the programs it ran and its harness.
 */
function sandboxCpuSeconds(owner) {
  const ids = execFileSync('docker', ['ps', '-q', '--no-trunc', '--filter', `label=${OWNER_LABEL}=${owner}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const seconds = new Map();
  const read = (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  };
  for (const id of ids) {
    const v1 = read(`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`);
    const v2 = v1 === null ? read(`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`) : null;
    // Neither: removed since it was listed (the pool replaced it).
    if (v1 !== null) seconds.set(id, Number(v1) / 1e9);
    else if (v2 !== null) seconds.set(id, Number(/^usage_usec (\d+)$/m.exec(v2)[1]) / 1e6);
  }
  return seconds;
}

// ------------------------------------------------------------ measurements

async function latency(stack, raw) {
  const judged = [];
  const rawRuns = [];
  for (let i = 0; i < OPTS.n; i++) {
    // Interleaved: the host and the judge see the same moment's noise.
    rawRuns.push(raw.pythonSubmission());
    const { result, clientMs, serverMs } = await stack.judge({ ...PROGRAMS.python, tests: aPlusBTests(10) });
    if (result.verdict !== 'AC') fail(`latency submission was ${result.verdict}: ${result.message}`);
    judged.push({ clientMs, serverMs });
    await sleep(OPTS.idleMs); // an idle worker: the last sandbox's removal and its replacement's start are done
  }
  const rawMs = p50(rawRuns.map((r) => r.wallMs));
  return {
    rawP50Ms: round(rawMs),
    clientP50Ms: round(p50(judged.map((j) => j.clientMs))),
    clientP95Ms: round(percentile(judged.map((j) => j.clientMs), 95)),
    serverP50Ms: round(p50(judged.map((j) => j.serverMs))),
    addedP50Ms: round(p50(judged.map((j) => j.clientMs)) - rawMs),
    addedServerP50Ms: round(p50(judged.map((j) => j.serverMs)) - rawMs),
    rawCpuP50Ms: round(p50(rawRuns.map((r) => r.cpuMs))),
  };
}

async function marginal(stack, raw, program) {
  const one = [];
  const many = [];
  for (let i = 0; i < OPTS.marginalReps; i++) {
    for (const [tests, into] of [[1, one], [MARGINAL_TESTS, many]]) {
      const { result, judgedMs } = await stack.judge({ ...PROGRAMS[program], tests: aPlusBTests(tests) });
      if (result.verdict !== 'AC') fail(`${program} marginal submission was ${result.verdict}: ${result.message}`);
      into.push(judgedMs);
      await sleep(100);
    }
  }
  const perTestMs = (p50(many) - p50(one)) / (MARGINAL_TESTS - 1);
  const rawPerRunMs = raw.perRun(program);
  return { perTestMs: round(perTestMs, 2), rawPerRunMs: round(rawPerRunMs, 2), overheadMs: round(perTestMs - rawPerRunMs, 2) };
}

async function throughput(stack, raw, concurrency) {
  const rawCpuMs = p50(Array.from({ length: 5 }, () => raw.pythonSubmission().cpuMs));
  const rawLimit = availableParallelism() / (rawCpuMs / 1000);
  const cpuBefore = stack.cpuSeconds();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < OPTS.m) {
        next++;
        const { result } = await stack.judge({ ...PROGRAMS.python, tests: aPlusBTests(10) }, 10);
        if (result.verdict !== 'AC') fail(`throughput submission was ${result.verdict}: ${result.message}`);
      }
    }),
  );
  const perSecond = OPTS.m / ((performance.now() - started) / 1000);
  const cpuMs = stack.cpuMsPerSubmissionSince(cpuBefore, OPTS.m);
  return { concurrency, perSecond: round(perSecond, 2), rawLimitPerSecond: round(rawLimit, 2), ofRawLimitPct: round((100 * perSecond) / rawLimit), cpuMs };
}

/**
 * Submissions to the stacks in turn, one at a time, the order swapped each time; per stack: its
 * API's, worker's and sandboxes' CPU per submission over the whole phase (the idle one's background
 * work while the other judges falls to both alike) and the server's created → finished p50.
 */
async function paired(stacks) {
  const before = stacks.map((stack) => stack.cpuSeconds());
  const serverMs = stacks.map(() => []);
  for (let i = 0; i < OPTS.pairedN; i++) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const which of order) {
      // Polled every 20 ms: the polls' own CPU stays small beside the submission's.
      const { result, serverMs: ms } = await stacks[which].judge({ ...PROGRAMS.python, tests: aPlusBTests(10) }, 20);
      if (result.verdict !== 'AC') fail(`paired submission was ${result.verdict}: ${result.message}`);
      serverMs[which].push(ms);
    }
  }
  return stacks.map((stack, which) => ({ telemetry: stack.telemetry, ...stack.cpuMsPerSubmissionSince(before[which], OPTS.pairedN), serverP50Ms: p50(serverMs[which]) }));
}

// --------------------------------------------------------------------- main

async function main() {
  const raw = new RawBaseline();
  const results = [];
  const pairedResults = [];
  let port = 3190;
  // --otlp-endpoint: export there (a receiver elsewhere) instead of to a Jaeger on these cores.
  const jaeger = OPTS.telemetry.includes('on') && !OPTS.otlpEndpoint ? await startJaeger(4398, 16696) : null;
  const otlpEndpoint = OPTS.otlpEndpoint ?? jaeger?.otlpEndpoint;
  try {
    for (const runtime of OPTS.runtimes) {
      for (const mode of OPTS.modes) {
        // Settings alternate round by round, so both see the same drift of the machine.
        for (let round = 1; round <= OPTS.rounds; round++) {
          for (const telemetry of OPTS.telemetry) {
            const stack = new Stack(runtime, mode, port++, telemetry === 'on' ? otlpEndpoint : null);
            process.stderr.write(`bench: ${runtime}, ${mode}, telemetry ${telemetry}, round ${round} ... `);
            await stack.start();
            try {
              const row = {
                runtime,
                mode,
                telemetry,
                round,
                latency: await latency(stack, raw),
                perTest: { c: await marginal(stack, raw, 'c'), python: await marginal(stack, raw, 'python') },
                throughput: [],
              };
              for (const c of OPTS.concurrency) row.throughput.push(await throughput(stack, raw, c));
              results.push(row);
              process.stderr.write('done\n');
            } finally {
              await stack.stop();
            }
          }
        }
      }
    }
    if (OPTS.telemetry.length > 1) {
      for (const runtime of OPTS.runtimes) {
        for (const mode of OPTS.modes) {
          const stacks = [new Stack(runtime, mode, port++, null), new Stack(runtime, mode, port++, otlpEndpoint)];
          process.stderr.write(`bench: ${runtime}, ${mode}, telemetry off and on paired ... `);
          try {
            for (const stack of stacks) await stack.start();
            for (let round = 1; round <= OPTS.rounds; round++) pairedResults.push({ runtime, mode, round, stacks: await paired(stacks) });
            process.stderr.write('done\n');
          } finally {
            for (const stack of stacks) if (stack.processes) await stack.stop();
          }
        }
      }
    }
  } finally {
    raw.close();
    if (jaeger) await stopProcesses([jaeger.child]);
  }
  report(results, pairedResults, raw);
}

function report(results, pairedResults, raw) {
  console.log(`\nVerdict judge overhead — ${new Date().toISOString()}, ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, host ${raw.pythonVersion}`);
  const setting = (r) => `${r.runtime} | ${r.mode} | ${r.telemetry} | ${r.round}`;
  console.log('\n| runtime | mode | telemetry | round | raw 10-test run | POST → result p50 (p95) | added p50 | added p50, server | per test: C (raw) | overhead | per test: Python (raw) | overhead |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const l = r.latency;
    const { c, python } = r.perTest;
    console.log(
      `| ${setting(r)} | ${l.rawP50Ms} ms | ${l.clientP50Ms} (${l.clientP95Ms}) ms | ${l.addedP50Ms} ms | ${l.addedServerP50Ms} ms | ` +
        `${c.perTestMs} (${c.rawPerRunMs}) ms | ${c.overheadMs} ms | ${python.perTestMs} (${python.rawPerRunMs}) ms | ${python.overheadMs} ms |`,
    );
  }
  console.log('\n| runtime | mode | telemetry | round | in flight | submissions/s | raw limit /s | of raw limit | CPU per submission: API + worker + sandboxes |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) for (const t of r.throughput) console.log(`| ${setting(r)} | ${t.concurrency} | ${t.perSecond} | ${t.rawLimitPerSecond} | ${t.ofRawLimitPct}% | ${t.cpuMs.api} + ${t.cpuMs.worker} + ${t.cpuMs.sandboxes} ms |`);
  if (OPTS.telemetry.length > 1) telemetryCost(results);
  if (pairedResults.length) pairedCost(pairedResults);
  console.log(`\nBENCH_JSON ${JSON.stringify({ at: new Date().toISOString(), cores: availableParallelism(), options: OPTS, results, pairedResults })}`);
}

/** Per configuration and telemetry setting: the median of the rounds and their spread (min-max). */
function telemetryCost(results) {
  const measures = {
    'POST → result p50': (r) => r.latency.clientP50Ms,
    'server p50 (created → finished)': (r) => r.latency.serverP50Ms,
    'per test, Python': (r) => r.perTest.python.perTestMs,
    'per test, C': (r) => r.perTest.c.perTestMs,
    [`submissions/s at ${Math.max(...OPTS.concurrency)} in flight`]: (r) => r.throughput.at(-1).perSecond,
    [`API CPU ms per submission, ${Math.max(...OPTS.concurrency)} in flight`]: (r) => r.throughput.at(-1).cpuMs.api,
    [`worker CPU ms per submission, ${Math.max(...OPTS.concurrency)} in flight`]: (r) => r.throughput.at(-1).cpuMs.worker,
  };
  console.log('\n| runtime | mode | measure | telemetry off: median (min-max) | on: median (min-max) | on / off |');
  console.log('|---|---|---|---|---|---|');
  for (const runtime of OPTS.runtimes) {
    for (const mode of OPTS.modes) {
      for (const [name, read] of Object.entries(measures)) {
        const of = (telemetry) => results.filter((r) => r.runtime === runtime && r.mode === mode && r.telemetry === telemetry).map(read);
        const [off, on] = [of('off'), of('on')];
        const cell = (xs) => `${round(p50(xs), 2)} (${round(Math.min(...xs), 2)}-${round(Math.max(...xs), 2)})`;
        console.log(`| ${runtime} | ${mode} | ${name} | ${cell(off)} | ${cell(on)} | ${round(p50(on) / p50(off), 3)} |`);
      }
    }
  }
}

/** The paired phase: per configuration and measure, each round's on / off, and their median and spread. */
function pairedCost(pairedResults) {
  const measures = {
    'API CPU per submission': (r) => r.api,
    'worker CPU per submission': (r) => r.worker,
    'API + worker CPU per submission': (r) => r.api + r.worker,
    'sandboxes CPU per submission': (r) => r.sandboxes,
    "the judge's CPU per submission (API + worker + sandboxes)": (r) => r.api + r.worker + r.sandboxes,
    'server p50 (created → finished)': (r) => r.serverP50Ms,
  };
  console.log(`\n| runtime | mode | paired, ${OPTS.pairedN} submissions each a round | off, ms per round | on, ms per round | on / off per round | median on / off (min-max) |`);
  console.log('|---|---|---|---|---|---|---|');
  for (const runtime of OPTS.runtimes) {
    for (const mode of OPTS.modes) {
      const rounds = pairedResults.filter((r) => r.runtime === runtime && r.mode === mode);
      for (const [name, read] of Object.entries(measures)) {
        const off = rounds.map((r) => read(r.stacks[0]));
        const on = rounds.map((r) => read(r.stacks[1]));
        const ratios = on.map((x, i) => x / off[i]);
        const list = (xs, digits = 1) => xs.map((x) => round(x, digits)).join(', ');
        console.log(`| ${runtime} | ${mode} | ${name} | ${list(off)} | ${list(on)} | ${list(ratios, 3)} | ${round(p50(ratios), 3)} (${round(Math.min(...ratios), 3)}-${round(Math.max(...ratios), 3)}) |`);
      }
    }
  }
}

main().catch((error) => fail(error.stack ?? String(error)));
