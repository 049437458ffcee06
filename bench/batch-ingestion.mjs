#!/usr/bin/env node
// How long POST /v1/batches takes to accept a 10,000-submission batch (issue #11's target: under
// 2 s on this 2-core machine): validation of every item, the pipelined records, the batch and the
// judge jobs queued with addBulk. The API (dist/apps/api, `npm run build`) runs alone on the local
// Redis under a prefix of its own; no worker runs, so judging does not share the CPU. Each round
// posts a fresh batch of small inline Python submissions; the first round warms the API up and is
// reported apart. Prints p50/max and one `BENCH_JSON {...}` line.
//
//   node bench/batch-ingestion.mjs [--size 10000] [--rounds 5]
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { appEnv, deleteKeys, fail, percentile, runPrefix, startApp, stopProcesses, tenantAuth } from './support/processes.mjs';

const { values: args } = parseArgs({ options: { size: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '5' }, port: { type: 'string', default: '3191' } } });
const size = Number(args.size);
const rounds = Number(args.rounds);
if (!Number.isInteger(size) || size < 1 || !Number.isInteger(rounds) || rounds < 1) fail('--size and --rounds must be positive integers');

const prefix = runPrefix();
const base = `http://127.0.0.1:${args.port}`;
const env = appEnv(prefix, { API_PORT: args.port, MAX_BATCH_SIZE: String(Math.max(size, 10000)), JOB_RECONCILE_INTERVAL_MS: '600000' });
const body = JSON.stringify({
  label: 'bench',
  submissions: Array.from({ length: size }, (_, i) => ({ language: 'python', source: `print(${i})\n`, tests: [{ input: '', expectedOutput: `${i}\n` }] })),
});

const api = await startApp('api', env, async () => (await fetch(`${base}/v1/health`)).ok);
const auth = await tenantAuth(base);
const times = [];
try {
  for (let round = 0; round <= rounds; round++) {
    const started = performance.now();
    const response = await fetch(`${base}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body });
    const answer = await response.json();
    const ms = performance.now() - started;
    if (response.status !== 202 || answer.total !== size) fail(`batch refused: ${response.status} ${JSON.stringify(answer).slice(0, 500)}`);
    if (round > 0) times.push(ms);
    console.log(`${round === 0 ? 'warm-up' : `round ${round}`}: ${size} submissions accepted in ${ms.toFixed(0)} ms`);
  }
} finally {
  await stopProcesses([api]);
  await deleteKeys(prefix);
}
const result = { size, rounds, p50Ms: Math.round(percentile(times, 50)), maxMs: Math.round(Math.max(...times)), bodyBytes: body.length, loadAverage: loadavg()[0] };
console.log(`\n${size}-submission batch accepted: p50 ${result.p50Ms} ms, max ${result.maxMs} ms (body ${(body.length / 1024 / 1024).toFixed(1)} MiB, load ${result.loadAverage.toFixed(1)})`);
console.log(`BENCH_JSON ${JSON.stringify(result)}`);
