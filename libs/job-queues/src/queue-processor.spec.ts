import { JobMetrics, MetricsRegistry } from '@verdict/metrics';
import { Exposition } from '../../metrics/src/exposition.spec-support';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { InterruptedJob, PermanentJobFailure, RescheduledJob, TransientJobFailure } from './job-failures';
import { QueueProcessor, ReceivedJob } from './queue-processor';

/** A processor whose use case is a function the test sets, over a fake BullMQ worker. */
class ScriptedProcessor extends QueueProcessor<string> {
  handleJob: (job: ReceivedJob) => Promise<string> = async () => 'done';
  interrupted = 0;
  constructor(shutdownGraceMs = 1000, readonly metrics = new MetricsRegistry('worker')) {
    super({ concurrency: 3, shutdownGraceMs, metrics: metrics.group(JobMetrics) });
  }
  /** The failed tries counted so far: [retried, dead]. */
  async failedTries(): Promise<[number, number]> {
    const exposition = new Exposition((await this.metrics.exposition()).text);
    return [exposition.value('verdict_job_retries_total', { queue: 'spec-queue' }), exposition.value('verdict_job_dead_letters_total', { queue: 'spec-queue' })];
  }
  protected handle(job: ReceivedJob): Promise<string> {
    return this.handleJob(job);
  }
  protected async interruptAll(): Promise<void> {
    this.interrupted++;
  }
}

function fakeJob(overrides: Partial<Job> = {}): Job & { movedToDelayed: number[] } {
  const moved: number[] = [];
  return {
    id: 'j1',
    queueName: 'spec-queue',
    data: { a: 1 },
    attemptsMade: 1,
    opts: { attempts: 4 },
    movedToDelayed: moved,
    moveToDelayed: async (timestamp: number) => void moved.push(timestamp),
    ...overrides,
  } as unknown as Job & { movedToDelayed: number[] };
}

describe('QueueProcessor', () => {
  it('hands the use case the job with its try counted from 1, and returns what it returns', async () => {
    const processor = new ScriptedProcessor();
    let seen: ReceivedJob | undefined;
    processor.handleJob = async (job) => ((seen = job), 'verdict');
    await expect(processor.process(fakeJob(), 'token')).resolves.toBe('verdict');
    expect(seen).toEqual({ id: 'j1', data: { a: 1 }, attempt: 2, maxAttempts: 4 });
  });

  it('a permanent failure ends the job: UnrecoverableError with the same message, no retry', async () => {
    const processor = new ScriptedProcessor();
    processor.handleJob = async () => {
      throw new PermanentJobFailure('corrupt payload');
    };
    const error = await processor.process(fakeJob(), 'token').catch((e: Error) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe('corrupt payload');
  });

  it('a transient failure (or any other error) is rethrown as is, for the queue to retry with backoff', async () => {
    const processor = new ScriptedProcessor();
    const failure = new TransientJobFailure('docker down');
    processor.handleJob = async () => {
      throw failure;
    };
    await expect(processor.process(fakeJob(), 'token')).rejects.toBe(failure);
  });

  it('counts each failed try by its queue: retried while tries are left, dead on the last try or a permanent failure; handing back counts neither', async () => {
    const processor = new ScriptedProcessor();
    const failures = [new TransientJobFailure('docker down'), new PermanentJobFailure('corrupt'), new InterruptedJob('shutdown'), new RescheduledJob(10, 'later')];
    processor.handleJob = async () => {
      throw failures.shift();
    };
    await processor.process(fakeJob({ attemptsMade: 2 }), 'token').catch(() => undefined); // try 3 of 4: retried
    expect(await processor.failedTries()).toEqual([1, 0]);
    await processor.process(fakeJob({ attemptsMade: 0 }), 'token').catch(() => undefined); // permanent: dead at once
    expect(await processor.failedTries()).toEqual([1, 1]);
    await processor.process(fakeJob(), 'token').catch(() => undefined);
    await processor.process(fakeJob(), 'token').catch(() => undefined);
    expect(await processor.failedTries()).toEqual([1, 1]);
    processor.handleJob = async () => {
      throw new Error('Connection is closed.');
    };
    await processor.process(fakeJob({ attemptsMade: 3 }), 'token').catch(() => undefined); // try 4 of 4: no try left
    expect(await processor.failedTries()).toEqual([1, 2]);
  });

  it('an interrupted job goes back to the queue at once (delayed until now), its try not counted', async () => {
    const processor = new ScriptedProcessor();
    processor.handleJob = async () => {
      throw new InterruptedJob('shutting down');
    };
    const job = fakeJob();
    const before = Date.now();
    await expect(processor.process(job, 'token')).rejects.toBeInstanceOf(DelayedError);
    expect(job.movedToDelayed).toHaveLength(1);
    expect(job.movedToDelayed[0]).toBeGreaterThanOrEqual(before);
  });

  it('a rescheduled job goes back to the queue delayed by what the handler asked, its try not counted', async () => {
    const processor = new ScriptedProcessor();
    processor.handleJob = async () => {
      throw new RescheduledJob(60_000, 'receiver down; next try in a minute');
    };
    const job = fakeJob();
    const before = Date.now();
    const error = await processor.process(job, 'token').catch((e: Error) => e);
    expect(error).toBeInstanceOf(DelayedError);
    expect((error as Error).message).toBe('receiver down; next try in a minute');
    expect(job.movedToDelayed).toHaveLength(1);
    expect(job.movedToDelayed[0]).toBeGreaterThanOrEqual(before + 60_000);
  });

  describe('shutdown', () => {
    function withWorker(processor: ScriptedProcessor, close: () => Promise<void>): void {
      Object.defineProperty(processor, 'worker', { value: { close } });
    }

    it('waits for jobs in flight that finish within the grace period, and interrupts nothing', async () => {
      const processor = new ScriptedProcessor(60_000);
      withWorker(processor, async () => undefined);
      await processor.beforeApplicationShutdown();
      expect(processor.interrupted).toBe(0);
    });

    it('past the grace period interrupts the jobs in flight, then waits for the worker to close', async () => {
      jest.useFakeTimers();
      try {
        const processor = new ScriptedProcessor(5000);
        let finishClose!: () => void;
        let closed = false;
        withWorker(processor, () => new Promise<void>((resolve) => (finishClose = () => ((closed = true), resolve()))));
        const shutdown = processor.beforeApplicationShutdown();
        await jest.advanceTimersByTimeAsync(4999);
        expect(processor.interrupted).toBe(0);
        await jest.advanceTimersByTimeAsync(1);
        expect(processor.interrupted).toBe(1);
        let done = false;
        void shutdown.then(() => (done = true));
        await Promise.resolve();
        expect(done).toBe(false);
        finishClose();
        await shutdown;
        expect(closed).toBe(true);
      } finally {
        jest.useRealTimers();
      }
    });
  });
});
