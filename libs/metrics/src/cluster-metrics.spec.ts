import { AggregatorRegistry } from 'prom-client';
import { Exposition } from './exposition.spec-support';
import { HttpMetrics } from './http-metrics';
import { JudgeQueueCensus, JudgeQueueGauges } from './judge-queue-gauges';
import { MetricsRegistry } from './metrics-registry';

const CENSUS: JudgeQueueCensus = {
  lanes: { live: 2 },
  dispatching: 0,
  states: { wait: 1, prioritized: 0, active: 3, delayed: 0, paused: 0, failed: 0 },
  waiting: 3,
  oldestAcceptedAt: null,
  workerSlots: 4,
};

/**
 * How the API processes of one port are combined into one answer (what the primary does with
 * their registries, `serveClusterScrapes`): the real aggregation of prom-client over two real
 * registries' metrics, without forking processes (test/metrics-processes.e2e-spec.ts runs the
 * built API with API_PROCESSES=2).
 */
describe('combining the API processes of one port', () => {
  it('sums each process\'s own counts, takes the shared queue gauges once and the build info once', async () => {
    const processes = [new MetricsRegistry('api'), new MetricsRegistry('api')];
    processes[0].group(HttpMetrics).answered('GET', '/v1/health', 200, 0.002);
    processes[0].group(HttpMetrics).answered('GET', '/v1/health', 200, 0.003);
    processes[1].group(HttpMetrics).answered('GET', '/v1/health', 200, 0.004);
    // Both read the same Redis.
    for (const process of processes) process.group(JudgeQueueGauges).observeJudgeQueue(['live', 'contest'], async () => CENSUS);

    const combined = AggregatorRegistry.aggregate(await Promise.all(processes.map((process) => process.registry.getMetricsAsJSON())));
    const exposition = new Exposition(await combined.metrics());
    expect(exposition.value('verdict_http_requests_total', { route: '/v1/health', status: '200' })).toBe(3);
    expect(exposition.value('verdict_http_request_duration_seconds_count', { route: '/v1/health' })).toBe(3);
    expect(exposition.value('verdict_judge_waiting_jobs')).toBe(3);
    expect(exposition.value('verdict_judge_worker_slots')).toBe(4);
    expect(exposition.value('verdict_judge_backlog_jobs', { lane: 'live' })).toBe(2);
    expect(exposition.matching('verdict_build_info')).toEqual([expect.objectContaining({ labels: expect.objectContaining({ app: 'api' }), value: 1 })]);
  });
});
