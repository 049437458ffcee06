import { Exposition } from './exposition.spec-support';
import { JobMetrics } from './job-metrics';
import { MetricsRegistry } from './metrics-registry';
import { ProcessHttpListener, ReadinessAnswer } from './process-http-listener';

describe('ProcessHttpListener', () => {
  let listener: ProcessHttpListener;
  let base: string;
  let readiness: ReadinessAnswer;
  const registry = new MetricsRegistry('worker');

  async function start(bearerToken: string | null = null, withReadiness = true): Promise<void> {
    listener = new ProcessHttpListener({ name: 'spec', host: '127.0.0.1', port: 0, metrics: registry, bearerToken, ...(withReadiness && { readiness: async () => readiness }) });
    base = `http://127.0.0.1:${await listener.listen()}`;
  }

  beforeEach(() => {
    readiness = { status: 200, body: { status: 'ok', info: { redis: { status: 'up' } }, error: {}, details: { redis: { status: 'up' } } } };
  });
  afterEach(() => listener.close());

  it('binds a free port for port 0, and serves the registry as Prometheus text', async () => {
    await start();
    expect(listener.port).toBeGreaterThan(0);
    registry.group(JobMetrics).deadLettered('submissions');
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const exposition = new Exposition(await response.text());
    expect(exposition.value('verdict_job_dead_letters_total', { queue: 'submissions' })).toBe(1);
    expect(exposition.value('verdict_build_info', { app: 'worker' })).toBe(1);
  });

  it('answers /healthz 200 while the process runs, and /readyz as the readiness check says, 503 with its body', async () => {
    await start();
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    readiness = { status: 503, body: { status: 'error', info: {}, error: { redis: { status: 'down', message: 'Connection is closed.' } }, details: {} } };
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual(readiness.body);
  });

  it('has no /readyz without a readiness check; other paths are 404 and other methods 405', async () => {
    await start(null, false);
    expect((await fetch(`${base}/readyz`)).status).toBe(404);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('with a bearer token, serves /metrics only to requests carrying it; the probes stay open', async () => {
    await start('a-scrape-token-long-enough');
    const refused = await fetch(`${base}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="verdict-metrics"');
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer a-scrape-token-long-enough' } })).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('closes with connections still open (keep-alive), and frees its port', async () => {
    await start();
    await fetch(`${base}/healthz`, { headers: { connection: 'keep-alive' } });
    await listener.close();
    expect(listener.port).toBeNull();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
