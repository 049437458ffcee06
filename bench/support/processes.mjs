// Processes of a bench run: the built apps (dist/apps/*) or a bench's own server, each a child
// process with its own environment, started until ready and stopped with their Redis keys.
import Redis from 'ioredis';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

/** A key prefix of its own for one configuration, so runs never see each other's keys. */
export function runPrefix() {
  return `bench-${randomBytes(4).toString('hex')}`;
}

/** The ADMIN_API_KEY of the APIs this bench starts. */
export const ADMIN_KEY = `vk_${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`;

/**
 * The environment of the apps of one run: its prefix, this machine's Redis, quiet logs, the bench's
 * admin key, and a rate limit and backlog bounds no load test reaches (they are counted and checked
 * all the same: no worker drains an ingestion bench's jobs).
 */
export function appEnv(prefix, extra = {}) {
  return {
    ...process.env,
    REDIS_URL,
    VERDICT_KEY_PREFIX: prefix,
    WORKER_ID: prefix,
    RESULT_STREAM_CONSUMER: `${prefix}-api`,
    API_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ADMIN_API_KEY: ADMIN_KEY,
    RATE_LIMIT_REQUESTS: '1000000',
    TENANT_DEFAULT_MAX_QUEUED: '1000000',
    JUDGE_BACKLOG_LIMIT: '10000000',
    ...extra,
  };
}

/** The Authorization header of a new key of the tenant "bench" (made if new) of the API at `base`, with every tenant scope. */
export async function tenantAuth(base) {
  const call = async (path, body) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };
  const tenant = await call('/v1/admin/tenants', { id: 'bench', name: 'bench' });
  if (tenant.status !== 201 && tenant.status !== 409) fail(`creating the bench tenant: ${tenant.status} ${JSON.stringify(tenant.body)}`);
  const key = await call('/v1/admin/tenants/bench/keys', { scopes: ['submit', 'read', 'problems:write'] });
  if (key.status !== 201) fail(`creating a bench key: ${key.status} ${JSON.stringify(key.body)}`);
  return { authorization: `Bearer ${key.body.key}` };
}

/**
 * Starts `node <script>` with `env` and waits until `ready()` resolves true (it may throw while
 * the process comes up), failing the bench if the process exits or is not ready within `timeoutMs`.
 */
export async function startProcess(script, env, ready, timeoutMs = 120000) {
  const child = spawn(process.execPath, [script], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderrText = '';
  child.stderr.on('data', (chunk) => (child.stderrText = (child.stderrText + chunk).slice(-4000)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) fail(`${script} exited: ${child.stderrText}`);
    let why = `not ready in ${timeoutMs} ms`;
    try {
      if (await ready()) return child;
    } catch (error) {
      why = error.message;
    }
    if (Date.now() > deadline) {
      // Never left running behind a failed bench.
      child.kill('SIGKILL');
      fail(`${script} did not come up: ${why}; its stderr: ${child.stderrText}`);
    }
    await sleep(200);
  }
}

/** An app of the build: `api` or `worker`. */
export function startApp(app, env, ready) {
  return startProcess(join(ROOT, `dist/apps/${app}/main.js`), env, ready);
}

/** SIGTERM, then waits for every process to exit. */
export async function stopProcesses(children) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode !== null ? null : new Promise((resolve) => child.once('exit', resolve)))));
}

/** CPU seconds used so far by a process and its children (API_PROCESSES > 1 runs the API in children), from /proc. */
export function cpuSecondsOfTree(rootPid) {
  const stats = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command (which may hold spaces): state, ppid, ..., utime (14th), stime (15th).
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // It exited while listed.
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, { ppid }] of stats) if (tree.has(ppid) && !tree.has(pid)) grew = tree.add(pid) !== undefined;
  }
  let ticks = 0;
  for (const pid of tree) ticks += stats.get(pid)?.ticks ?? 0;
  return ticks / 100; // USER_HZ
}

/** Deletes every key of a run (there may be hundreds of thousands after a load test). */
export async function deleteKeys(prefix) {
  const redis = new Redis(REDIS_URL);
  try {
    for await (const keys of redis.scanStream({ match: `{${prefix}}*`, count: 1000 })) if (keys.length) await redis.unlink(...keys);
  } finally {
    redis.disconnect();
  }
}

/** The p-th percentile (nearest rank) of the numbers among `xs`; null when there are none. */
export function percentile(xs, p) {
  const v = xs.filter((x) => x != null && !Number.isNaN(x)).sort((a, b) => a - b);
  return v.length ? v[Math.max(1, Math.ceil((p / 100) * v.length)) - 1] : null;
}
