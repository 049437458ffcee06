import Redis from 'ioredis';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { API_MAIN as MAIN, AppProcess, freePort, until as waitUntil } from './support/processes';
import { REDIS_URL } from './support/verdict-stack';

/**
 * API_PROCESSES=2 through the built API (dist/apps/api/main.js) as an operator runs it: one port
 * served by two API processes under a supervising one, each its own result-stream consumer, all
 * of them stopped by one SIGTERM.
 */

/** Polls `check` until it holds, failing after 60 s, or at once if `app` exits, with what `app` printed. */
const until = (check: () => Promise<boolean>, app: AppProcess, what: string) =>
  waitUntil(check, { child: app.child, what: () => `${what}; its output:\n${app.output}` });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** Kills `app` and its API processes if a failed test left them running. */
const killAll = (app: AppProcess) => {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  for (const pid of childrenOf(app.child.pid!)) process.kill(pid, 'SIGKILL');
  app.child.kill('SIGKILL');
};

describe('API_PROCESSES: several API processes on one port', () => {
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const adminKey = `vk_${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  const redis = new Redis(REDIS_URL);
  const env = (port: number) => ({ ...process.env, REDIS_URL, VERDICT_KEY_PREFIX: prefix, API_HOST: '127.0.0.1', API_PORT: String(port), API_PROCESSES: '2', ADMIN_API_KEY: adminKey, RESULT_STREAM_CONSUMER: `${prefix}-api`, LOG_LEVEL: 'info' });
  let api: AppProcess;
  let base: string;
  /** API processes that have listened so far, by their start-up log line: a scrape or a request reaches only one of them. */
  const listened = () => api.output.match(/listening on http:/g)?.length ?? 0;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = new AppProcess(MAIN, env(port));
    // Both, before a test kills one: one killed before it listened is a failed start, which stops them all.
    await until(async () => listened() === 2, api, 'both API processes listening');
  });

  afterAll(async () => {
    killAll(api);
    const keys = await redis.keys(`{${prefix}}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('runs two API processes, each a result-stream consumer of its own, serving one port', async () => {
    expect(childrenOf(api.child.pid!)).toHaveLength(2);
    const consumers = async () => {
      const info = (await redis.xinfo('CONSUMERS', `{${prefix}}:results`, 'api')) as unknown[][];
      return info.map((fields) => fields[fields.indexOf('name') + 1]).sort();
    };
    await until(async () => (await consumers()).length === 2, api, 'both consumers reading');
    expect(await consumers()).toEqual([`${prefix}-api-0`, `${prefix}-api-1`]);

    const auth = { authorization: `Bearer ${adminKey}` };
    for (let i = 0; i < 6; i++) expect((await fetch(`${base}/v1/languages`, { headers: auth })).status).toBe(200);
  });

  it('a process that dies is started again', async () => {
    const [first] = childrenOf(api.child.pid!);
    process.kill(first, 'SIGKILL');
    await until(async () => {
      const now = childrenOf(api.child.pid!);
      return now.length === 2 && !now.includes(first);
    }, api, 'a replacement process');
    await until(async () => listened() === 3, api, 'the replacement listening');
    expect((await fetch(`${base}/v1/health`)).status).toBe(200);
  });

  it('SIGTERM stops every API process, and the supervisor exits 0', async () => {
    const children = childrenOf(api.child.pid!);
    api.child.kill('SIGTERM');
    expect(await api.closed).toBe(0);
    expect(children.filter(alive)).toEqual([]);
    expect(api.output).not.toMatch(/exited before it listened/);
  });

  it('API processes that cannot listen (the port is taken) stop the supervisor with a failing code', async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    const failing = new AppProcess(MAIN, env(port));
    try {
      expect(await failing.closed).toBe(1);
      expect(failing.output).toMatch(/EADDRINUSE/);
      expect(failing.output).toMatch(/exited before it listened/);
    } finally {
      killAll(failing);
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
