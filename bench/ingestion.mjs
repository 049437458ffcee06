#!/usr/bin/env node
// How fast the API accepts single submissions (issue 11): submissions/s and latency with 32
// clients posting at once, workers not running (so judging does not share the CPU), against a
// baseline measured in the same run: a bare node:http server doing the same Redis writes per
// request (bench/support/bare-ingestion-server.mjs). Goals on a 2-core machine: >= 2,000/s with
// p95 under 50 ms. autocannon reports p97.5 (not p95): it bounds p95 from above.
//
//   node bench/ingestion.mjs [--connections 32] [--seconds 10] [--warmup-seconds 2] [--api-processes 1]
import autocannon from 'autocannon';
import { loadavg, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, appEnv, cpuSecondsOfTree, deleteKeys, fail, runPrefix, startProcess, stopProcesses, tenantAuth } from './support/processes.mjs';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '10' },
    'warmup-seconds': { type: 'string', default: '2' },
    'api-processes': { type: 'string', default: '1' },
  },
});
const positive = (name) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, got ${args[name]}`);
  return n;
};
const OPTS = { connections: positive('connections'), seconds: positive('seconds'), warmupSeconds: positive('warmup-seconds'), apiProcesses: positive('api-processes') };

const SUBMISSION = { language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '1 2\n', expectedOutput: '3\n' }] };

function load(url, seconds, auth) {
  return autocannon({
    url: `${url}/v1/submissions`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(SUBMISSION),
    connections: OPTS.connections,
    duration: seconds,
  });
}

/** Warms the server up, then measures; every answer must be 202. `keyed`: the server wants a tenant's API key. */
async function measure(name, script, port, isReady, { keyed, extraEnv = {} }) {
  const prefix = runPrefix();
  const url = `http://127.0.0.1:${port}`;
  const child = await startProcess(script, appEnv(prefix, { API_PORT: String(port), ...extraEnv }), isReady(url));
  try {
    const auth = keyed ? await tenantAuth(url) : {};
    await load(url, OPTS.warmupSeconds, auth);
    const cpuBefore = cpuSecondsOfTree(child.pid);
    const result = await load(url, OPTS.seconds, auth);
    const cpuMsPerRequest = ((cpuSecondsOfTree(child.pid) - cpuBefore) * 1000) / result.requests.total;
    if (result.non2xx > 0 || result.errors > 0) fail(`${name}: ${result.non2xx} answers other than 2xx, ${result.errors} errors`);
    return { name, perSecond: Math.round(result.requests.average), p50Ms: result.latency.p50, p97_5Ms: result.latency.p97_5, p99Ms: result.latency.p99, requests: result.requests.total, cpuMsPerRequest: Number(cpuMsPerRequest.toFixed(3)) };
  } finally {
    await stopProcesses([child]);
    await deleteKeys(prefix);
  }
}

const healthy = (url) => async () => (await fetch(`${url}/v1/health`)).ok;

async function main() {
  const bare = await measure('bare node:http + the same Redis writes', join(ROOT, 'bench/support/bare-ingestion-server.mjs'), 3911, healthy, { keyed: false });
  const api = await measure('Verdict API (POST /v1/submissions)', join(ROOT, 'dist/apps/api/main.js'), 3912, healthy, { keyed: true, extraEnv: { API_PROCESSES: String(OPTS.apiProcesses) } });
  console.log(`\nVerdict ingestion — ${new Date().toISOString()}, ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${OPTS.connections} clients, ${OPTS.seconds} s, API_PROCESSES=${OPTS.apiProcesses}\n`);
  console.log('| server | accepted/s | p50 | p97.5 (≥ p95) | p99 | requests | server CPU per request |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of [bare, api]) console.log(`| ${r.name} | ${r.perSecond} | ${r.p50Ms} ms | ${r.p97_5Ms} ms | ${r.p99Ms} ms | ${r.requests} | ${r.cpuMsPerRequest} ms |`);
  console.log(`\nthe API accepts ${((api.perSecond / bare.perSecond) * 100).toFixed(1)}% of the baseline's rate`);
  console.log(`BENCH_JSON ${JSON.stringify({ at: new Date().toISOString(), options: OPTS, bare, api })}`);
}

main().catch((error) => fail(error.stack ?? String(error)));
