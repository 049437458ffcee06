import { EventEmitter2 } from '@nestjs/event-emitter';
import { ResultEvent } from '@verdict/contracts';
import { MetricsRegistry, SubmissionMetrics } from '@verdict/metrics';
import { Exposition } from '../../metrics/src/exposition.spec-support';
import { ApplyResultEvent } from './apply-result-event';
import { SUBMISSION_FINISHED, SubmissionFinished } from './submission-finished';
import { AppliedEvent, ApplyOutcome, SubmissionStatusSummary, SubmissionStore } from './submission-store';
import { SubmissionUpdates } from './submission-updates';

/** A store that answers apply with a set outcome and holds one record's status: no Redis. */
class FakeStore {
  outcome: ApplyOutcome = 'applied';
  started: AppliedEvent['started'] = null;
  record: SubmissionStatusSummary | null = { status: 'completed', attempt: 2, verdict: 'WA', traceId: 't', judging: 1, batchId: null, tenantId: null, language: 'python' };
  applied: ResultEvent[] = [];
  async applyEvent(event: ResultEvent): Promise<AppliedEvent> {
    this.applied.push(event);
    return { outcome: this.outcome, started: this.started };
  }
  async statusOf(): Promise<SubmissionStatusSummary | null> {
    return this.record;
  }
}

/** Records which submissions' followers were woken. */
class RecordingUpdates {
  woken: string[] = [];
  async announce(submissionId: string): Promise<void> {
    this.woken.push(submissionId);
  }
}

const base = { submissionId: '7d5e7b4e-1d2a-4c1e-9a57-2b0c7f1e8a11', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', attempt: 2 };
const final: ResultEvent = {
  ...base, type: 'final', status: 'completed', verdict: 'WA', tests: [], compileOutput: null, message: null,
  finishedAt: '2026-12-06T00:00:00.000Z', score: 0, maxScore: 100, subtasks: [],
};

describe('ApplyResultEvent', () => {
  let store: FakeStore;
  let events: EventEmitter2;
  let announced: SubmissionFinished[];
  let apply: ApplyResultEvent;
  let updates: RecordingUpdates;
  let metrics: MetricsRegistry;
  const scrape = async () => new Exposition((await metrics.exposition()).text);

  beforeEach(() => {
    store = new FakeStore();
    events = new EventEmitter2();
    announced = [];
    events.on(SUBMISSION_FINISHED, (finished: SubmissionFinished) => announced.push(finished));
    updates = new RecordingUpdates();
    metrics = new MetricsRegistry('api');
    apply = new ApplyResultEvent(store as unknown as SubmissionStore, updates as unknown as SubmissionUpdates, events, metrics.group(SubmissionMetrics));
  });

  it('applies every event to the store and wakes its followers on every replica; only a final is announced as finished', async () => {
    await apply.handle({ ...base, type: 'running', startedAt: 'x', workerId: 'w' });
    expect(store.applied).toHaveLength(1);
    expect(updates.woken).toEqual([base.submissionId]);
    expect(announced).toEqual([]);
  });

  it('wakes followers again for an event already applied (redelivered after a crash), but nobody for an unknown submission', async () => {
    store.outcome = 'stale';
    await apply.handle({ ...base, type: 'running', startedAt: 'x', workerId: 'w' });
    store.outcome = 'missing';
    await apply.handle({ ...base, type: 'running', startedAt: 'x', workerId: 'w' });
    expect(updates.woken).toEqual([base.submissionId]);
  });

  it('announces a final result as stored, once per handling', async () => {
    await apply.handle(final);
    expect(announced).toEqual([{ submissionId: base.submissionId, status: 'completed', verdict: 'WA', attempt: 2, judging: 1, batchId: null, traceId: 't' }]);
  });

  it('announces again when a final comes back already stored (redelivered after a crash): subscribers are idempotent', async () => {
    store.outcome = 'stale';
    await apply.handle(final);
    expect(announced).toHaveLength(1);
  });

  it('announces what is stored, not what the event says, when another final won', async () => {
    store.outcome = 'stale';
    store.record = { status: 'failed', attempt: 1, verdict: 'IE', traceId: 't', judging: 1, batchId: null, tenantId: null, language: 'python' };
    await apply.handle(final);
    expect(announced[0]).toMatchObject({ status: 'failed', verdict: 'IE', attempt: 1 });
  });

  it('announces nothing for an unknown or expired submission', async () => {
    store.outcome = 'missing';
    await apply.handle(final);
    expect(announced).toEqual([]);
  });

  it('fails when a subscriber fails, so the stream entry stays pending and is handled again', async () => {
    events.on(SUBMISSION_FINISHED, async () => {
      throw new Error('webhook queue down');
    });
    await expect(apply.handle(final)).rejects.toThrow('webhook queue down');
  });

  it("observes a judging's wait once, from when it was queued to the running's startedAt, when the store says this running started it", async () => {
    const running: ResultEvent = { ...base, type: 'running', startedAt: '2026-12-06T00:00:02.500Z', workerId: 'w' };
    store.started = { language: 'cpp', queuedAt: Date.parse('2026-12-06T00:00:00.000Z') };
    await apply.handle(running);
    store.started = null; // a later try's running, or a redelivery: startedAt was stored already
    await apply.handle(running);
    const exposition = await scrape();
    expect(exposition.value('verdict_submission_wait_seconds_count', { language: 'cpp' })).toBe(1);
    expect(exposition.value('verdict_submission_wait_seconds_sum', { language: 'cpp' })).toBe(2.5);
  });

  it('counts a judging finished where its final was applied, with the stored language, verdict and status; a redelivered final is not counted again', async () => {
    await apply.handle(final);
    store.outcome = 'stale';
    await apply.handle(final);
    const exposition = await scrape();
    expect(exposition.matching('verdict_submissions_finished_total')).toEqual([
      { name: 'verdict_submissions_finished_total', labels: { language: 'python', verdict: 'WA', status: 'completed' }, value: 1 },
    ]);
    expect(announced).toHaveLength(2);
  });
});
