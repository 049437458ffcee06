import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VerdictStack } from './support/verdict-stack';

/**
 * The API's probes, GET /healthz (liveness) and GET /readyz (readiness), on a real API whose Redis
 * is a redis-server of this test's own (no persistence, on a free port), so that the test can stop
 * it and start it again without touching the Redis everyone else uses.
 */

interface Probe {
  status: number;
  headers: Headers;
  body: any;
}

/** A redis-server on `port`, resolved once it says it accepts connections. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready: ${output}`)));
  });
  return child;
}

async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('probes: GET /healthz and GET /readyz', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-health-'));
  let port: number;
  let redis: ChildProcess | undefined;
  let stack: VerdictStack;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port, dir);
    stack = new VerdictStack({ REDIS_URL: `redis://127.0.0.1:${port}` });
    await stack.start({ worker: false });
  });

  afterAll(async () => {
    // The API closes its connections cleanly only while its Redis answers.
    if (!redis || redis.exitCode !== null) redis = await startRedis(port, dir);
    await stack?.stop();
    await stopRedis(redis);
    rmSync(dir, { recursive: true, force: true });
  });

  async function probe(path: string, headers: Record<string, string> = {}): Promise<Probe> {
    const response = await fetch(`${stack.baseUrl}${path}`, { headers });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  /** Asks `path` until `done` holds of the answer (the API learns of a Redis outage or return through its connections' events). */
  async function probeUntil(path: string, done: (answer: Probe) => boolean, what: string): Promise<Probe> {
    const deadline = Date.now() + 20000;
    for (;;) {
      const answer = await probe(path);
      if (done(answer)) return answer;
      if (Date.now() > deadline) throw new Error(`${path} never ${what}; last answer ${answer.status} ${JSON.stringify(answer.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('both answer 200 without a key, uncached; readiness names each check it made', async () => {
    const live = await probe('/healthz');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(live.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');

    const ready = await probe('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      details: { redis: { status: 'up' }, bullmq: { status: 'up', queues: expect.arrayContaining(['submissions', 'webhook-deliveries']) } },
    });
    expect(ready.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('are public and not rate-limited: a key sent along is not even read, and no budget is counted', async () => {
    for (const headers of [{ authorization: `Bearer ${stack.apiKey}` }, { authorization: 'Bearer not-a-key' }]) {
      const ready = await probe('/readyz', headers);
      expect(ready.status).toBe(200);
      expect(ready.headers.get('ratelimit')).toBeNull();
    }
  });

  it('are not in the OpenAPI document, and GET /v1/health answers as before', async () => {
    const document = await probe('/openapi.json');
    expect(Object.keys(document.body.paths)).not.toEqual(expect.arrayContaining(['/healthz']));
    expect(Object.keys(document.body.paths).filter((path) => /healthz|readyz/.test(path))).toEqual([]);
    expect(document.body.paths['/v1/health']).toBeDefined();
    expect(await probe('/v1/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('with Redis gone: /readyz 503 with Terminus\'s body naming redis and the queue connections, /healthz still 200; ready again once Redis is back', async () => {
    await stopRedis(redis);
    const down = await probeUntil('/readyz', (answer) => answer.status === 503 && answer.body.error?.redis && answer.body.error?.bullmq, 'named both redis and bullmq down');
    expect(down.headers.get('content-type')).toMatch(/^application\/json/);
    expect(down.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
    expect(down.body).toMatchObject({
      status: 'error',
      error: {
        redis: { status: 'down', message: expect.any(String) },
        bullmq: { status: 'down', message: expect.stringMatching(/^BullMQ connection not ready: .*submissions/) },
      },
      details: { redis: { status: 'down' }, bullmq: { status: 'down' } },
    });
    // Liveness asks nothing of Redis: an outage of a dependency must not get the API restarted.
    expect(await probe('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    // An error of the API itself is still problem+json.
    const problem = await fetch(`${stack.baseUrl}/v1/health`);
    expect(problem.status).toBe(503);
    expect(problem.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    redis = await startRedis(port, dir);
    const back = await probeUntil('/readyz', (answer) => answer.status === 200, 'answered 200 again');
    expect(back.body).toMatchObject({ status: 'ok', details: { redis: { status: 'up' }, bullmq: { status: 'up' } } });
  });
});
