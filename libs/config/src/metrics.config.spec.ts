import { problemsOf } from './config.spec-support';
import { loadConfig } from './load-config';
import { DelivererHttpConfig, MetricsConfig, WorkerHttpConfig } from './metrics.config';

describe('MetricsConfig, WorkerHttpConfig, DelivererHttpConfig', () => {
  it('default to 20 tenant labels, no bearer token, and loopback listeners on 9465 (worker) and 9466 (deliverer)', () => {
    const metrics = loadConfig(MetricsConfig, {});
    expect(metrics.METRICS_TENANT_LABELS).toBe(20);
    expect(metrics.bearerToken()).toBeNull();
    expect(loadConfig(WorkerHttpConfig, {})).toMatchObject({ WORKER_HTTP_HOST: '127.0.0.1', WORKER_HTTP_PORT: 9465 });
    expect(loadConfig(DelivererHttpConfig, {})).toMatchObject({ DELIVERER_HTTP_HOST: '127.0.0.1', DELIVERER_HTTP_PORT: 9466 });
  });

  it('takes a token, no tenant labels at all, and port 0 (any free port)', () => {
    const metrics = loadConfig(MetricsConfig, { METRICS_TENANT_LABELS: '0', METRICS_BEARER_TOKEN: 'a-scrape-token-of-32-characters!' });
    expect(metrics.METRICS_TENANT_LABELS).toBe(0);
    expect(metrics.bearerToken()).toBe('a-scrape-token-of-32-characters!');
    expect(loadConfig(WorkerHttpConfig, { WORKER_HTTP_PORT: '0' }).WORKER_HTTP_PORT).toBe(0);
  });

  it('names a bad variable, without showing a refused token', () => {
    const message = problemsOf(() => loadConfig(MetricsConfig, { METRICS_TENANT_LABELS: '-1', METRICS_BEARER_TOKEN: 'short-secret' }));
    expect(message).toContain('METRICS_TENANT_LABELS must not be less than 0');
    expect(message).toContain('METRICS_BEARER_TOKEN must be 16 to 512 characters');
    expect(message).toContain('a secret of 12 characters, not shown');
    expect(message).not.toContain('short-secret');
    expect(problemsOf(() => loadConfig(WorkerHttpConfig, { WORKER_HTTP_PORT: '70000' }))).toContain('WORKER_HTTP_PORT must not be greater than 65535');
    expect(problemsOf(() => loadConfig(DelivererHttpConfig, { DELIVERER_HTTP_PORT: 'x' }))).toContain('DELIVERER_HTTP_PORT');
  });
});
