import { EventEmitter2 } from '@nestjs/event-emitter';
import { SubmissionFinished } from '@verdict/submissions';
import { BATCH_FINISHED, BatchFinished } from './batch-finished';
import { BatchStore } from './batch-store';
import { TrackBatchCompletion } from './track-batch-completion';

/** The batch store's finished set and finishedAt, in memory: what the Lua script does, without Redis. */
class FakeBatchStore {
  readonly finished = new Set<string>();
  finishedAt: string | null = null;
  constructor(private readonly total: number) {}
  async markFinished(_batchId: string, submissionId: string) {
    this.finished.add(submissionId);
    if (this.finished.size >= this.total && this.finishedAt === null) this.finishedAt = new Date().toISOString();
    return { finished: this.finished.size, total: this.total, finishedAt: this.finishedAt };
  }
  async get() {
    return { callbackUrl: 'https://grader.example/batches', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
  }
}

const finished = (submissionId: string, batchId: string | null = 'b1'): SubmissionFinished => ({
  submissionId, status: 'completed', verdict: 'AC', attempt: 1, judging: 1, batchId, traceId: 't',
});

describe('TrackBatchCompletion', () => {
  let store: FakeBatchStore;
  let announced: BatchFinished[];
  let track: TrackBatchCompletion;

  beforeEach(() => {
    store = new FakeBatchStore(2);
    const events = new EventEmitter2();
    announced = [];
    events.on(BATCH_FINISHED, (event: BatchFinished) => void announced.push(event));
    track = new TrackBatchCompletion(store as unknown as BatchStore, events);
  });

  it('announces BatchFinished once every member is final, not before', async () => {
    await track.onSubmissionFinished(finished('s1'));
    expect(announced).toEqual([]);
    await track.onSubmissionFinished({ ...finished('s2'), status: 'cancelled', verdict: null });
    expect(announced).toEqual([{ batchId: 'b1', total: 2, finishedAt: store.finishedAt, callbackUrl: 'https://grader.example/batches', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }]);
  });

  it('is idempotent under a re-announcement: a member counts once, finishedAt stays the first, the event is the same', async () => {
    await track.onSubmissionFinished(finished('s1'));
    await track.onSubmissionFinished(finished('s1'));
    expect(store.finished.size).toBe(1);
    expect(announced).toEqual([]);
    await track.onSubmissionFinished(finished('s2'));
    const first = store.finishedAt;
    await track.onSubmissionFinished(finished('s2'));
    expect(store.finishedAt).toBe(first);
    // At least once: the repeat carries the same batch and finishedAt, so a webhook keyed by batch id sends one event.
    expect(announced).toHaveLength(2);
    expect(announced[1]).toEqual(announced[0]);
  });

  it('ignores submissions outside any batch', async () => {
    await track.onSubmissionFinished(finished('s9', null));
    expect(store.finished.size).toBe(0);
  });
});
