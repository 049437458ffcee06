import { INestApplication } from '@nestjs/common';
import { APP_METRIC_GROUPS, metricNamesOf } from '@verdict/metrics';
import { REDIS } from '@verdict/redis';
import Redis from 'ioredis';
import { startApi } from '../apps/api/src/api.bootstrap';
import { DelivererHttpEndpoint } from '../apps/api/src/deliverer-http';
import { startWebhookDeliverer } from '../apps/api/src/webhook-deliverer.bootstrap';
import { WorkerHttpEndpoint } from '../apps/worker/src/worker-http';
import { Exposition } from '../libs/metrics/src/exposition.spec-support';
import { builtInCatalogFiles, removeCatalogFiles } from './support/language-catalogs';
import { TENANT, VerdictStack } from './support/verdict-stack';

const SUM = { language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '1 2\n', expectedOutput: '3\n' }, { input: '5 5\n', expectedOutput: '10\n' }] };

/** Retries `read` until `holds` says yes (the API applies results, and the worker records, a moment after a client sees them). */
async function eventually<T>(what: string, read: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Prometheus metrics end to end: a real API and worker (in this process, each its own registry),
 * a submission judged in a real container, then the API's GET /metrics and the worker's own
 * listener scraped over HTTP and read with a strict parser of the text format. The series a user
 * relies on must have moved; every catalog name is exported by the process that owns it; the
 * worker's /readyz says what is not ready.
 */
describe('Prometheus metrics', () => {
  const catalog = builtInCatalogFiles(['python']);
  // maxQueued 1: a batch of two is refused by admission control (429) before anything is stored.
  const stack = new VerdictStack({ ...catalog, TENANT_DEFAULT_MAX_QUEUED: '1' });
  let workerUrl = '';

  beforeAll(async () => {
    await stack.start();
    workerUrl = `http://127.0.0.1:${stack.workers[0].get(WorkerHttpEndpoint).port}`;
  });
  afterAll(async () => {
    await stack.stop();
    removeCatalogFiles(catalog);
  });

  async function scrape(url: string, headers: Record<string, string> = {}): Promise<Exposition> {
    const response = await fetch(`${url}/metrics`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return new Exposition(await response.text());
  }
  const api = () => scrape(stack.baseUrl);
  const worker = () => scrape(workerUrl);

  it('exports every catalog name on the process that owns it, with its build info, in text Prometheus reads', async () => {
    const [fromApi, fromWorker] = await Promise.all([api(), worker()]);
    const verdictNames = (exposition: Exposition) => [...exposition.families.keys()].filter((name) => name.startsWith('verdict_')).sort();
    // The API delivers webhooks in its own process here (WEBHOOK_DELIVERY_MODE=api): their metrics are its.
    expect(verdictNames(fromApi)).toEqual(metricNamesOf([...APP_METRIC_GROUPS.api, 'webhooks', 'jobs']).sort());
    expect(verdictNames(fromWorker)).toEqual(metricNamesOf(APP_METRIC_GROUPS.worker).sort());
    expect(fromApi.matching('verdict_build_info').map((s) => s.labels.app)).toEqual(['api']);
    expect(fromWorker.matching('verdict_build_info').map((s) => s.labels.app)).toEqual(['worker']);
    for (const process of [fromApi, fromWorker]) {
      for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) expect(process.families.has(name)).toBe(true);
    }
    expect(fromWorker.value('verdict_judge_worker_concurrency')).toBe(Number(stack.env.WORKER_CONCURRENCY));
    expect(fromWorker.value('verdict_sandbox_pool_containers', { state: 'idle' })).toBeGreaterThan(0);
    expect(fromApi.value('verdict_judge_worker_slots')).toBe(Number(stack.env.WORKER_CONCURRENCY));
  });

  it('a submission judged end to end moves what a user relies on, on the API and on the worker', async () => {
    const [apiBefore, workerBefore] = await Promise.all([api(), worker()]);
    const judged = await stack.judge(SUM);
    expect(judged).toMatchObject({ status: 'completed', verdict: 'AC' });
    const moved = (after: Exposition, before: Exposition, name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);

    const apiAfter = await eventually('the API counts the judging finished', api, (after) => moved(after, apiBefore, 'verdict_submissions_finished_total', { language: 'python', verdict: 'AC', status: 'completed' }) === 1);
    expect(moved(apiAfter, apiBefore, 'verdict_submissions_accepted_total', { lane: 'live' })).toBe(1);
    expect(moved(apiAfter, apiBefore, 'verdict_submission_wait_seconds_count', { language: 'python' })).toBe(1);
    // Requests by route template: the submission's GETs under /v1/submissions/:id, never its id.
    expect(moved(apiAfter, apiBefore, 'verdict_http_requests_total', { method: 'POST', route: '/v1/submissions', status: '202' })).toBe(1);
    expect(moved(apiAfter, apiBefore, 'verdict_http_requests_total', { method: 'GET', route: '/v1/submissions/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(moved(apiAfter, apiBefore, 'verdict_http_request_duration_seconds_count', { method: 'GET', route: '/v1/submissions/:id' })).toBeGreaterThanOrEqual(1);
    expect(apiAfter.matching('verdict_http_requests_total').filter((s) => s.labels.route.includes(judged.id))).toEqual([]);
    expect(apiAfter.value('verdict_judge_waiting_jobs')).toBe(0);
    expect(apiAfter.value('verdict_judge_oldest_waiting_seconds')).toBe(0);

    const workerAfter = await eventually('the worker counts its judging', worker, (after) => moved(after, workerBefore, 'verdict_judge_duration_seconds_count', { language: 'python', verdict: 'AC' }) === 1);
    expect(moved(workerAfter, workerBefore, 'verdict_tests_judged_total', { language: 'python', verdict: 'AC' })).toBe(2);
    expect(workerAfter.value('verdict_judge_jobs_active')).toBe(0);
    // A fresh sandbox replaces the used one after the submission, not during it: counted once made.
    await eventually('the worker counts the replacement sandbox it creates', worker, (after) => moved(after, workerBefore, 'verdict_sandbox_container_start_seconds_count', { phase: 'create' }) >= 1, 60000);
  });

  it('counts a request no route matched as "unmatched", never by its path', async () => {
    const before = await api();
    expect((await stack.get('/v1/no-such-thing/12345')).status).toBe(404);
    const after = await api();
    expect(after.value('verdict_http_requests_total', { route: 'unmatched', status: '404' }) - before.value('verdict_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(after.matching('verdict_http_requests_total').filter((s) => s.labels.route.includes('12345'))).toEqual([]);
  });

  it("counts a 429 of admission control by the tenant and the bound it hit", async () => {
    const before = await api();
    const refused = await stack.post('/v1/batches', { submissions: [SUM, SUM] });
    expect(refused.status).toBe(429);
    const after = await api();
    expect(after.value('verdict_admission_refusals_total', { tenant: TENANT, bound: 'group' }) - before.value('verdict_admission_refusals_total', { tenant: TENANT, bound: 'group' })).toBe(1);
  });

  it("serves /metrics with no API key and no rate limit, hidden from the OpenAPI document; METRICS_BEARER_TOKEN closes it", async () => {
    expect(Object.keys((await stack.get('/openapi.json')).body.paths).filter((path) => path.includes('metrics'))).toEqual([]);
    const token = 'scrape-token-of-this-e2e-run';
    // A second API replica of the same deployment: one request per key per window, and a token.
    let guarded: INestApplication | undefined;
    try {
      guarded = await startApi({ ...stack.env, METRICS_BEARER_TOKEN: token, RATE_LIMIT_REQUESTS: '1', RESULT_STREAM_CONSUME: 'false', WEBHOOK_DELIVERY_MODE: 'separate' });
      const url = (await guarded.getUrl()).replace('[::1]', '127.0.0.1');
      const refused = await fetch(`${url}/metrics`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="verdict-metrics"');
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      for (let i = 0; i < 3; i++) await scrape(url, { authorization: `Bearer ${token}` });
      expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer another-token-entirely' } })).status).toBe(401);
    } finally {
      await guarded?.close();
    }
  });

  it('gives a webhook deliverer process its own listener: its metrics and /healthz, no /readyz', async () => {
    const deliverer = await startWebhookDeliverer(stack.env);
    try {
      const url = `http://127.0.0.1:${deliverer.get(DelivererHttpEndpoint).port}`;
      const exposition = await scrape(url);
      expect([...exposition.families.keys()].filter((name) => name.startsWith('verdict_')).sort()).toEqual(metricNamesOf(APP_METRIC_GROUPS['webhook-deliverer']).sort());
      expect(exposition.matching('verdict_build_info').map((s) => s.labels.app)).toEqual(['webhook-deliverer']);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(404);
    } finally {
      await deliverer.close();
    }
  });

  it("answers the worker's probes: alive, ready with every check up, 503 naming redis while its Redis connection is gone, ready again once it is back", async () => {
    expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${workerUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { redis: { status: 'up' }, docker: { status: 'up' }, 'runtime-images': { status: 'up' }, 'sandbox-pool': { status: 'up' } },
      error: {},
    });

    // The worker's own connection, closed under it.
    const redis = stack.workers[0].get<Redis>(REDIS);
    redis.disconnect();
    const notReady = await fetch(`${workerUrl}/readyz`);
    expect(notReady.status).toBe(503);
    const body = (await notReady.json()) as { error: Record<string, unknown> };
    expect(body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } }, info: { docker: { status: 'up' } } });
    expect(Object.keys(body.error)).toEqual(['redis']);
    // Alive all the same: liveness asks nothing of Redis.
    expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);

    // Back (once the old socket has closed: ioredis reconnects only an ended connection).
    if (redis.status !== 'end') await new Promise((resolve) => redis.once('end', resolve));
    await redis.connect();
    expect((await fetch(`${workerUrl}/readyz`)).status).toBe(200);
  });
});
