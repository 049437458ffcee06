import Redis from 'ioredis';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { API_MAIN as MAIN, freePort, until as waitUntil } from './support/processes';
import { REDIS_URL } from './support/verdict-stack';

/**
 * API_PROCESSES=2 through the built API (dist/apps/api/main.js) as an operator runs it: one port
 * served by two API processes under a supervising one, each its own result-stream consumer, all
 * of them stopped by one SIGTERM.
 */

/** Polls `check` until it holds, failing after `timeoutMs` (or at once if `child` exits). */
const until = (check: () => Promise<boolean>, child: ChildProcess, what: string, timeoutMs = 60000) => waitUntil(check, { child, what, timeoutMs });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('API_PROCESSES: several API processes on one port', () => {
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const adminKey = `vk_${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  const redis = new Redis(REDIS_URL);
  let api: ChildProcess;
  let base: string;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build (bash deploy/verdict.sh setup does)`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = spawn(process.execPath, [MAIN], {
      env: { ...process.env, REDIS_URL, VERDICT_KEY_PREFIX: prefix, API_HOST: '127.0.0.1', API_PORT: String(port), API_PROCESSES: '2', ADMIN_API_KEY: adminKey, RESULT_STREAM_CONSUMER: `${prefix}-api`, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout?.on('data', (chunk) => (output += chunk));
    api.stderr?.on('data', (chunk) => (output += chunk));
    await until(async () => (await fetch(`${base}/v1/health`)).ok, api, 'health');
  });

  afterAll(async () => {
    if (api.exitCode === null) {
      api.kill('SIGKILL');
      for (const pid of childrenOf(api.pid!)) process.kill(pid, 'SIGKILL');
    }
    const keys = await redis.keys(`{${prefix}}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const childrenOf = (pid: number): number[] => {
    try {
      return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };

  it('runs two API processes, each a result-stream consumer of its own, serving one port', async () => {
    expect(childrenOf(api.pid!)).toHaveLength(2);
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
    const [first] = childrenOf(api.pid!);
    process.kill(first, 'SIGKILL');
    await until(async () => {
      const now = childrenOf(api.pid!);
      return now.length === 2 && !now.includes(first);
    }, api, 'a replacement process');
    await until(async () => (await fetch(`${base}/v1/health`)).ok, api, 'health after the restart');
  });

  it('SIGTERM stops every API process, and the supervisor exits 0', async () => {
    const children = childrenOf(api.pid!);
    const exited = new Promise<number | null>((resolve) => api.once('exit', (code) => resolve(code)));
    api.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(children.filter(alive)).toEqual([]);
    expect(output).not.toMatch(/exited before it listened/);
  });
});
