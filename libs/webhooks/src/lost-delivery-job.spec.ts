import { LossObservations, lossKey, lostDeliveryJob, lostTry } from './lost-delivery-job';

const status = (state: string, extra: Partial<{ failedReason: string; processedOn: number; finishedOn: number }> = {}) => ({
  state: state as never,
  failedReason: extra.failedReason ?? null,
  processedOn: extra.processedOn ?? null,
  finishedOn: extra.finishedOn ?? null,
});

describe('lostDeliveryJob', () => {
  it.each(['waiting', 'delayed', 'prioritized', 'active', 'waiting-children'])('leaves a job %s alone: it may still try the delivery', (state) => {
    expect(lostDeliveryJob(status(state))).toBeNull();
  });

  it('names a failed, a completed and a missing job, each end of a job apart', () => {
    const failed = lostDeliveryJob(status('failed', { failedReason: 'job stalled more than allowable limit', processedOn: 10, finishedOn: 20 }));
    expect(failed).toEqual({ kind: 'failed', failedReason: 'job stalled more than allowable limit', processedOn: 10, finishedOn: 20 });
    expect(lostDeliveryJob(status('failed'))).toMatchObject({ failedReason: 'no reason recorded' });
    expect(lostDeliveryJob(status('completed', { finishedOn: 20 }))).toEqual({ kind: 'completed', finishedOn: 20 });
    expect(lostDeliveryJob(status('unknown'))).toEqual({ kind: 'gone' });
    expect(lossKey(failed!)).toBe('failed@20');
    expect(lossKey(lostDeliveryJob(status('failed', { finishedOn: 21 }))!)).toBe('failed@21');
  });
});

describe('lostTry', () => {
  const loss = { kind: 'failed' as const, failedReason: 'job stalled more than allowable limit', processedOn: Date.parse('2026-12-01T00:00:00.000Z'), finishedOn: Date.parse('2026-12-01T00:00:00.250Z') };
  const now = Date.parse('2026-12-01T00:01:00.000Z');

  it('is a try without an answer: the schedule says when the next is due', () => {
    expect(lostTry(loss, 2, 1, [1000, 60_000, 3_600_000], now, () => 0)).toEqual({
      run: 2,
      startedAt: '2026-12-01T00:00:00.000Z',
      durationMs: 250,
      statusCode: null,
      error: 'the delivery job failed in the queue, its try unrecorded (job stalled more than allowable limit)',
      responseBody: null,
      responseBodyTruncated: false,
      state: 'pending',
      nextAttemptAt: '2026-12-01T00:02:00.000Z',
    });
  });

  it('past the schedule, dead-letters the delivery: a job that fails every time ends', () => {
    expect(lostTry(loss, 0, 2, [1000, 60_000], now)).toMatchObject({
      state: 'dead-lettered',
      nextAttemptAt: null,
      error: 'the delivery job failed in the queue, its try unrecorded (job stalled more than allowable limit); no tries left (3 made)',
    });
  });
});

describe('LossObservations', () => {
  it('confirms a loss seen on two sweeps in a row, the same end of the same job', () => {
    const observations = new LossObservations();
    expect(observations.confirm('a-0', { kind: 'gone' })).toBe(false);
    expect(observations.confirm('b-0', { kind: 'completed', finishedOn: 1 })).toBe(false);
    observations.endSweep();
    expect(observations.confirm('a-0', { kind: 'gone' })).toBe(true);
    expect(observations.confirm('b-0', { kind: 'completed', finishedOn: 2 })).toBe(false);
    observations.endSweep();
    // Not seen on the sweep between: forgotten.
    observations.endSweep();
    expect(observations.confirm('a-0', { kind: 'gone' })).toBe(false);
  });
});
