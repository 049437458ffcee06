#!/usr/bin/env node
// How soon a result reaches its webhook receiver (issue 11's goal: p95 under 100 ms on this 2-core
// machine): the time from the moment the judge recorded the submission final (its finishedAt) to the
// moment a receiver on this machine got the signed POST. An API (delivering webhooks in-process, the
// default) and a worker run from dist/apps under a prefix of their own; submissions are sent one at
// a time, so each delivery meets an idle deliverer. The baseline, in the same run: a bare POST of the
// same body from this process to the same receiver (what a delivery cannot go below).
//
//   node bench/webhook-latency.mjs [--n 40]
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { loadavg, availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { appEnv, deleteKeys, fail, percentile, runPrefix, startApp, stopProcesses, tenantAuth } from './support/processes.mjs';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '40' }, port: { type: 'string', default: '3193' } } });
const n = Number(args.n);
if (!Number.isInteger(n) || n < 1) fail('--n must be a positive integer');

const SUBMISSION = { language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '1 2\n', expectedOutput: '3\n' }] };

/** The receiver: answers 204 and resolves the waiter of each webhook-id at the moment the body is in. */
const arrivals = new Map();
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const at = Date.now();
    res.writeHead(204).end();
    const body = Buffer.concat(chunks).toString('utf8');
    arrivals.get(req.headers['webhook-id'])?.({ at, body });
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
const arrival = (id) => new Promise((resolve) => arrivals.set(id, resolve));

const prefix = runPrefix();
const base = `http://127.0.0.1:${args.port}`;
const env = appEnv(prefix, { API_PORT: args.port, WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`, WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32', WORKER_CONCURRENCY: '1', SANDBOX_POOL_SIZE: '1' });
let auth = {};
const post = async (path, body) => {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
};

const api = await startApp('api', env, async () => (await fetch(`${base}/v1/health`)).ok);
auth = await tenantAuth(base);
const processes = [api];
const delays = [];
const baseline = [];
try {
  // Ready when a submission is judged: the worker's self-tests and pool are done by then.
  processes.push(await startApp('worker', env, async () => (await post('/v1/submissions?wait=true', SUBMISSION)).status === 200));
  for (let i = 0; i <= n; i++) {
    const accepted = await post('/v1/submissions', { ...SUBMISSION, callbackUrl: hookUrl });
    if (accepted.status !== 202) fail(`submission refused: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    const got = await arrival(`msg_${accepted.body.id}_1`);
    const { data } = JSON.parse(got.body);
    if (i > 0) delays.push(got.at - Date.parse(data.finishedAt)); // the first warms the deliverer up
    // The same body, sent bare to the same receiver.
    const id = `bare_${i}`;
    const bare = arrival(id);
    const sent = performance.now();
    await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id }, body: got.body });
    await bare;
    if (i > 0) baseline.push(performance.now() - sent);
  }
} finally {
  await stopProcesses(processes);
  await deleteKeys(prefix);
  receiver.close();
}

const ms = (x) => `${Math.round(x * 10) / 10} ms`;
console.log(`\nVerdict webhook latency — ${new Date().toISOString()}, ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${n} submissions one at a time\n`);
console.log('| | p50 | p95 | max |');
console.log('|---|---|---|---|');
console.log(`| finishedAt → the receiver has the webhook | ${ms(percentile(delays, 50))} | ${ms(percentile(delays, 95))} | ${ms(Math.max(...delays))} |`);
console.log(`| baseline: a bare POST of the same body to the same receiver | ${ms(percentile(baseline, 50))} | ${ms(percentile(baseline, 95))} | ${ms(Math.max(...baseline))} |`);
console.log(`BENCH_JSON ${JSON.stringify({ at: new Date().toISOString(), n, delaysMs: delays, baselineMs: baseline })}`);
