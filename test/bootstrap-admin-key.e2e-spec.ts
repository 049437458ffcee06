import { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startApi } from '../apps/api/src/api.bootstrap';
import { REDIS_URL } from './support/verdict-stack';

/**
 * The one-time command that makes a deployment's first admin key, run as an operator runs it:
 * the built API (`node dist/apps/api/main.js bootstrap-admin-key`) against the test Redis under a
 * key prefix of its own. The key it prints must work on the admin routes of an API with no
 * ADMIN_API_KEY; a second run must be refused.
 */

const MAIN = join(__dirname, '..', 'dist', 'apps', 'api', 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('bootstrap-admin-key: the first admin key, once', () => {
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const env = { ...process.env, REDIS_URL, VERDICT_KEY_PREFIX: prefix, ADMIN_API_KEY: '', LOG_LEVEL: 'error' };
  const redis = new Redis(REDIS_URL);
  const children = new Set<ReturnType<typeof spawn>>();
  let api: INestApplication | undefined;

  /** Runs the built command to its end (killed after 60 s, which fails the test). */
  function run(...args: string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [MAIN, 'bootstrap-admin-key', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      const out = { stdout: '', stderr: '' };
      child.stdout!.on('data', (chunk) => (out.stdout += chunk));
      child.stderr!.on('data', (chunk) => (out.stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        children.delete(child);
        resolve({ code, ...out });
      });
    });
  }

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build (bash deploy/verdict.sh setup does)`);
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await api?.close();
    const keys = await redis.keys(`{${prefix}}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('prints a working admin key once, alone on stdout; a second run is refused with a clear message and exit 1', async () => {
    const first = await run('--name', 'first operator');
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/^vk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}\n$/);
    const key = first.stdout.trim();
    const prefixOfKey = key.slice(3, 11);
    expect(first.stderr).toContain(`admin API key ${prefixOfKey} made. It is shown this once`);
    expect(first.stderr).not.toContain(key);

    api = await startApi({ ...env, API_PORT: '0', RESULT_STREAM_CONSUMER: `${prefix}-api` });
    const base = (await api.getUrl()).replace('[::1]', '127.0.0.1');
    const admin = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const created = await fetch(`${base}/v1/admin/tenants`, { method: 'POST', headers: admin, body: JSON.stringify({ id: 'bootstrapped', name: 'made with the bootstrap key' }) });
    expect(created.status).toBe(201);
    const keys = await fetch(`${base}/v1/admin/keys`, { headers: admin }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(keys.status).toBe(200);
    expect(JSON.stringify(keys.body)).toContain('first operator');

    const second = await run();
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('an admin API key has already been bootstrapped; use an admin key (or ADMIN_API_KEY) to create more');
    expect(await redis.zcard(`{${prefix}}:admin-api-keys`)).toBe(1);
  });

  it('refuses an unknown option with the usage, making nothing', async () => {
    const wrong = await run('--nam', 'typo');
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toContain("Unknown option '--nam'");
    expect(wrong.stderr).toContain('usage: node dist/apps/api/main.js bootstrap-admin-key [--name <name>]');
  });
});
