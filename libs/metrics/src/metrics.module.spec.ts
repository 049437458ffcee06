import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, MetricsConfig } from '@verdict/config';
import { APP_METRIC_GROUPS, CATALOG, VERDICT_APPS, VerdictApp, metricNamesOf } from './catalog';
import { Exposition } from './exposition.spec-support';
import { HttpMetrics } from './http-metrics';
import { JobMetrics } from './job-metrics';
import { MetricsRegistry } from './metrics-registry';
import { MetricsModule } from './metrics.module';
import { WebhookMetrics } from './webhook-metrics';
import packageJson from '../../../package.json';

async function contextOf(app: VerdictApp, registry?: MetricsRegistry): Promise<INestApplicationContext> {
  const module = { module: class MetricsSpecApp {}, imports: [ConfigModule.forRoot({ load: [MetricsConfig], env: {} }), MetricsModule.forRoot({ app, registry })] };
  return NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
}

/** The verdict_* families an exposition declares. */
function verdictFamilies(exposition: Exposition): string[] {
  return [...exposition.families.keys()].filter((name) => name.startsWith('verdict_')).sort();
}

describe('MetricsModule', () => {
  const contexts: INestApplicationContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  it.each(VERDICT_APPS)("registers exactly the %s's metric groups, its build info and the process metrics, in text Prometheus reads", async (app) => {
    const context = await contextOf(app);
    contexts.push(context);
    const { contentType, text } = await context.get(MetricsRegistry).exposition();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const exposition = new Exposition(text);
    expect(verdictFamilies(exposition)).toEqual(metricNamesOf(APP_METRIC_GROUPS[app]).sort());
    expect(exposition.matching('verdict_build_info')).toEqual([{ name: 'verdict_build_info', labels: { app, version: packageJson.version }, value: 1 }]);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) expect(exposition.families.has(name)).toBe(true);
    for (const [name, family] of exposition.families) if (name.startsWith('verdict_')) expect(family.help.length).toBeGreaterThan(20);
  });

  it('exports the failure counters alerts watch at 0 before anything failed, so the first failure is an increase', async () => {
    const worker = await contextOf('worker');
    const deliverer = await contextOf('webhook-deliverer');
    contexts.push(worker, deliverer);
    worker.get(JobMetrics).track('submissions');
    const workerText = new Exposition((await worker.get(MetricsRegistry).exposition()).text);
    expect(workerText.matching('verdict_sandbox_failures_total').map((s) => [s.labels.phase, s.value])).toEqual(['create', 'start', 'run', 'reset', 'remove'].map((phase) => [phase, 0]));
    expect(workerText.matching('verdict_job_dead_letters_total')).toEqual([{ name: 'verdict_job_dead_letters_total', labels: { queue: 'submissions' }, value: 0 }]);
    const delivererText = new Exposition((await deliverer.get(MetricsRegistry).exposition()).text);
    expect(delivererText.matching('verdict_webhook_deliveries_total').filter((s) => s.labels.outcome === 'dead_lettered').map((s) => [s.labels.event, s.value])).toEqual([['submission.completed', 0], ['batch.completed', 0]]);
  });

  it("lets a webhook deliverer inside the API process record into the API's registry: one build info, the deliverer's groups beside the API's", async () => {
    const api = await contextOf('api');
    contexts.push(api);
    const registry = api.get(MetricsRegistry);
    const deliverer = await contextOf('webhook-deliverer', registry);
    contexts.push(deliverer);
    expect(deliverer.get(MetricsRegistry)).toBe(registry);
    deliverer.get(WebhookMetrics).tried('submission.completed', 'delivered', 0.2);
    deliverer.get(JobMetrics).retried('webhook-deliveries');
    api.get(HttpMetrics).answered('GET', '/v1/submissions/:id', 200, 0.003);

    const exposition = new Exposition((await registry.exposition()).text);
    expect(verdictFamilies(exposition)).toEqual(metricNamesOf([...APP_METRIC_GROUPS.api, 'webhooks', 'jobs']).sort());
    expect(exposition.matching('verdict_build_info').map((s) => s.labels.app)).toEqual(['api']);
    expect(exposition.value('verdict_webhook_deliveries_total', { event: 'submission.completed', outcome: 'delivered' })).toBe(1);
    expect(exposition.value('verdict_webhook_delivery_duration_seconds_count', { outcome: 'delivered' })).toBe(1);
    expect(exposition.value('verdict_job_retries_total', { queue: 'webhook-deliveries' })).toBe(1);
    expect(exposition.value('verdict_http_requests_total', { method: 'GET', route: '/v1/submissions/:id', status: '200' })).toBe(1);
  });

  it("provides no group its program does not own: the API alone has no webhook deliverer's metrics", async () => {
    const api = await contextOf('api');
    contexts.push(api);
    expect(() => api.get(WebhookMetrics)).toThrow();
  });

  it('two applications in one process (the tests run several) keep their own series and share the process metrics', async () => {
    const first = await contextOf('api');
    const second = await contextOf('api');
    contexts.push(first, second);
    first.get(HttpMetrics).answered('POST', '/v1/submissions', 202, 0.01);
    const [a, b] = await Promise.all([first, second].map(async (context) => new Exposition((await context.get(MetricsRegistry).exposition()).text)));
    expect(a.value(CATALOG.http.requests.name)).toBe(1);
    expect(b.value(CATALOG.http.requests.name)).toBe(0);
    expect(b.families.has('process_cpu_seconds_total')).toBe(true);
  });
});
