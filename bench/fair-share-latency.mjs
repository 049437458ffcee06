#!/usr/bin/env node
// Tenant B's single-submission latency while tenant A has 10,000 submissions queued, against B's
// latency on an idle judge in the same run (issue 12's goal: at most 2x idle; with every slot busy,
// B still waits for a job in flight and shares the cores). An API and a worker run from dist/apps
// under a prefix of their own. B sends its submissions one at a time; the latency of each is the
// judge's own record of it, createdAt to finishedAt, split into its wait for a slot (createdAt to
// startedAt: what fair sharing decides) and its run (startedAt to finishedAt: what the cores,
// shared with A's jobs in flight, decide). Two cases under load: B's submission in the
// same lane as A's batch (practice: tenants take turns) and in its default lane (live: ahead of
// every batch).
//
//   node bench/fair-share-latency.mjs [--n 30] [--backlog 10000]
import { loadavg, availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ADMIN_KEY, appEnv, deleteKeys, fail, percentile, runPrefix, startApp, stopProcesses } from './support/processes.mjs';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '30' }, backlog: { type: 'string', default: '10000' }, port: { type: 'string', default: '3194' } } });
const n = Number(args.n);
const backlog = Number(args.backlog);
if (!Number.isInteger(n) || n < 1) fail('--n must be a positive integer');
if (!Number.isInteger(backlog) || backlog < 1 || backlog > 10000) fail('--backlog must be an integer from 1 to 10000 (one batch)');

const ECHO = { language: 'python', source: 'print(input())\n', tests: [{ input: 'x\n', expectedOutput: 'x\n' }] };
const prefix = runPrefix();
const base = `http://127.0.0.1:${args.port}`;
const env = appEnv(prefix, { API_PORT: args.port });

async function call(method, path, body, key) {
  const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body && { 'content-type': 'application/json' }) }, body: body && JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function tenantKey(id) {
  const tenant = await call('POST', '/v1/admin/tenants', { id, name: id }, ADMIN_KEY);
  if (tenant.status !== 201 && tenant.status !== 409) fail(`creating tenant ${id}: ${tenant.status} ${JSON.stringify(tenant.body)}`);
  const key = await call('POST', `/v1/admin/tenants/${id}/keys`, { scopes: ['submit', 'read'] }, ADMIN_KEY);
  if (key.status !== 201) fail(`creating a key of ${id}: ${key.status} ${JSON.stringify(key.body)}`);
  return key.body.key;
}

/** B's submissions, one at a time: each one's createdAt → finishedAt, and its wait and run, in ms. */
async function latencies(key, body) {
  const result = { total: [], wait: [], run: [] };
  for (let i = 0; i < n; i++) {
    const accepted = await call('POST', '/v1/submissions?wait=true', body, key);
    let view = accepted.body;
    while (accepted.status === 202 && view.status !== 'completed' && view.status !== 'failed') {
      view = (await call('GET', `/v1/submissions/${accepted.body.id}`, undefined, key)).body;
      if (view.status !== 'completed' && view.status !== 'failed') await new Promise((r) => setTimeout(r, 20));
    }
    if (view.verdict !== 'AC') fail(`B's submission ended ${view.status} ${view.verdict}: ${view.message}`);
    const [created, started, finished] = [view.createdAt, view.startedAt, view.finishedAt].map(Date.parse);
    result.total.push(finished - created);
    result.wait.push(started - created);
    result.run.push(finished - started);
  }
  return result;
}

const summary = (xs) => ({ p50: percentile(xs.total, 50), p95: percentile(xs.total, 95), wait50: percentile(xs.wait, 50), wait95: percentile(xs.wait, 95), run50: percentile(xs.run, 50) });

const api = await startApp('api', env, async () => (await fetch(`${base}/v1/health`)).ok);
const processes = [api];
try {
  const [keyA, keyB] = [await tenantKey('bench-a'), await tenantKey('bench-b')];
  // Ready when a submission is judged: the worker's self-tests and pool are done by then.
  processes.push(await startApp('worker', env, async () => (await call('POST', '/v1/submissions?wait=true', ECHO, keyB)).status === 200));
  const idle = await latencies(keyB, ECHO);

  const batch = await call('POST', '/v1/batches', { lane: 'practice', label: 'backlog', submissions: Array.from({ length: backlog }, () => ECHO) }, keyA);
  if (batch.status !== 202) fail(`A's batch refused: ${batch.status} ${JSON.stringify(batch.body)}`);
  const sameLane = await latencies(keyB, { ...ECHO, lane: 'practice' });
  const live = await latencies(keyB, ECHO);
  const left = (await call('GET', `/v1/batches/${batch.body.id}`, undefined, keyA)).body;
  await call('DELETE', `/v1/batches/${batch.body.id}`, undefined, keyA);

  const rows = { idle: summary(idle), 'A backlog, B same lane (practice)': summary(sameLane), 'A backlog, B live': summary(live) };
  console.log(`fair-share latency: ${n} single submissions of tenant B, one at a time; tenant A's batch of ${backlog} (practice) queued; ${availableParallelism()} cores, load ${loadavg()[0].toFixed(2)}`);
  console.table(Object.fromEntries(Object.entries(rows).map(([name, r]) => [name, { 'p50 ms': r.p50, 'p95 ms': r.p95, 'p50 / idle': (r.p50 / rows.idle.p50).toFixed(2), 'p95 / idle': (r.p95 / rows.idle.p95).toFixed(2), 'wait p50': r.wait50, 'wait p95': r.wait95, 'run p50': r.run50 }])));
  console.log(`A's batch when B was done: ${left.statuses.queued} still queued, ${left.finished} finished (the backlog held throughout: ${left.statuses.queued > 0})`);
} finally {
  await stopProcesses(processes);
  await deleteKeys(prefix);
}
