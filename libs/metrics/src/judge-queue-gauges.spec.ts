import { Exposition } from './exposition.spec-support';
import { JudgeQueueCensus, JudgeQueueGauges } from './judge-queue-gauges';
import { MetricsRegistry } from './metrics-registry';

const LANES = ['live', 'contest', 'practice', 'rejudge'];

function census(overrides: Partial<JudgeQueueCensus> = {}): JudgeQueueCensus {
  return {
    lanes: { live: 3, practice: 2 },
    dispatching: 1,
    states: { wait: 4, prioritized: 5, active: 2, delayed: 1, paused: 0, failed: 7 },
    waiting: 15,
    oldestAcceptedAt: Date.now() - 90_000,
    workerSlots: 6,
    ...overrides,
  };
}

async function scrape(registry: MetricsRegistry): Promise<Exposition> {
  return new Exposition((await registry.exposition()).text);
}

describe('JudgeQueueGauges', () => {
  it('read 0 until a library registers where they come from', async () => {
    const registry = new MetricsRegistry('api');
    registry.group(JudgeQueueGauges);
    const exposition = await scrape(registry);
    expect(exposition.value('verdict_judge_waiting_jobs')).toBe(0);
    expect(exposition.value('verdict_result_stream_lag_entries')).toBe(0);
  });

  it('set every gauge of a source from one reading per scrape, every lane and state named', async () => {
    const registry = new MetricsRegistry('api');
    const gauges = registry.group(JudgeQueueGauges);
    let judgeQueueReads = 0;
    let streamReads = 0;
    gauges.observeJudgeQueue(LANES, async () => {
      judgeQueueReads++;
      return census();
    });
    gauges.observeResultStream(async () => {
      streamReads++;
      return { pending: 12, lag: 30 };
    });
    const exposition = await scrape(registry);
    expect([judgeQueueReads, streamReads]).toEqual([1, 1]);
    expect(exposition.matching('verdict_judge_backlog_jobs').map((s) => [s.labels.lane, s.value])).toEqual([['live', 3], ['contest', 0], ['practice', 2], ['rejudge', 0]]);
    expect(Object.fromEntries(exposition.matching('verdict_judge_queue_jobs').map((s) => [s.labels.state, s.value]))).toEqual({ wait: 4, prioritized: 5, active: 2, delayed: 1, paused: 0, failed: 7 });
    expect(exposition.value('verdict_judge_waiting_jobs')).toBe(15);
    expect(exposition.value('verdict_judge_oldest_waiting_seconds')).toBeGreaterThanOrEqual(90);
    expect(exposition.value('verdict_judge_oldest_waiting_seconds')).toBeLessThan(100);
    expect(exposition.value('verdict_judge_worker_slots')).toBe(6);
    expect(exposition.value('verdict_result_stream_pending_entries')).toBe(12);
    expect(exposition.value('verdict_result_stream_lag_entries')).toBe(30);
    await scrape(registry);
    expect([judgeQueueReads, streamReads]).toEqual([2, 2]);
  });

  it('read the oldest age 0 when nothing waits, and a lag Redis cannot tell as NaN', async () => {
    const registry = new MetricsRegistry('api');
    const gauges = registry.group(JudgeQueueGauges);
    gauges.observeJudgeQueue(LANES, async () => census({ oldestAcceptedAt: null, waiting: 0 }));
    gauges.observeResultStream(async () => ({ pending: 0, lag: null }));
    const exposition = await scrape(registry);
    expect(exposition.value('verdict_judge_oldest_waiting_seconds')).toBe(0);
    expect(exposition.value('verdict_result_stream_lag_entries')).toBeNaN();
  });

  it('answer the scrape when a reading fails: its gauges are NaN (a gap, not a stale number), the others still read', async () => {
    const registry = new MetricsRegistry('api');
    const gauges = registry.group(JudgeQueueGauges);
    gauges.observeJudgeQueue(LANES, async () => {
      throw new Error('Connection is closed.');
    });
    gauges.observeResultStream(async () => ({ pending: 2, lag: 0 }));
    const exposition = await scrape(registry);
    expect(exposition.value('verdict_judge_waiting_jobs')).toBeNaN();
    expect(exposition.value('verdict_judge_backlog_jobs', { lane: 'live' })).toBeNaN();
    expect(exposition.value('verdict_result_stream_pending_entries')).toBe(2);
  });
});
