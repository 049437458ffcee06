import { EventEmitter2 } from '@nestjs/event-emitter';
import { ResultEvent } from '@verdict/contracts';
import { ApplyResultEvent } from './apply-result-event';
import { SUBMISSION_FINISHED, SubmissionFinished } from './submission-finished';
import { ApplyOutcome, SubmissionStatusSummary, SubmissionStore } from './submission-store';
import { SubmissionUpdates } from './submission-updates';

/** A store that answers apply with a set outcome and holds one record's status: no Redis. */
class FakeStore {
  outcome: ApplyOutcome = 'applied';
  record: SubmissionStatusSummary | null = { status: 'completed', attempt: 2, verdict: 'WA', traceId: 't', judging: 1, batchId: null, tenantId: null };
  applied: ResultEvent[] = [];
  async apply(event: ResultEvent): Promise<ApplyOutcome> {
    this.applied.push(event);
    return this.outcome;
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

  beforeEach(() => {
    store = new FakeStore();
    events = new EventEmitter2();
    announced = [];
    events.on(SUBMISSION_FINISHED, (finished: SubmissionFinished) => announced.push(finished));
    updates = new RecordingUpdates();
    apply = new ApplyResultEvent(store as unknown as SubmissionStore, updates as unknown as SubmissionUpdates, events);
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
    store.record = { status: 'failed', attempt: 1, verdict: 'IE', traceId: 't', judging: 1, batchId: null, tenantId: null };
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
});
