import { SubmissionView, encodeResultEvent } from '@verdict/contracts';
import { JUDGE_QUEUE } from '@verdict/job-queues';
import { compareStreamIds } from '@verdict/submissions';
import { Job, Processor, Worker, WorkerOptions } from 'bullmq';
import { REDIS_URL, VerdictStack } from './support/verdict-stack';

const AC_PYTHON = { language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '2 3\n', expectedOutput: '5\n' }] };
const DEADLINE_MS = 60000;

/**
 * What happens to a submission when its judge job ends without a worker reporting: BullMQ fails it,
 * an operator removes it, it is cleaned away or obliterated. No Verdict worker runs here: the jobs
 * are removed, or processed by plain BullMQ workers standing in for a crashing one (the stack counts
 * worker slots for them, so jobs reach BullMQ as they would with a worker).
 */
describe('submissions whose judge job ends without a result', () => {
  const stack = new VerdictStack({ JOB_REMOVAL_GRACE_MS: '2000' });
  const queue = stack.queue();
  const plainWorkers: Worker[] = [];

  beforeAll(async () => {
    await stack.start({ worker: false });
    // Slots as a worker would count them: the API hands every job straight to BullMQ, where the tests act on it.
    await stack.workerSlots(1000);
  });
  afterAll(async () => {
    await Promise.all(plainWorkers.map((w) => w.close(true)));
    await queue.close();
    await stack.stop();
  });

  /** A bare BullMQ worker on the judge queue, standing in for a Verdict worker that fails around the judge. */
  function plainWorker(processor: Processor, options: Partial<WorkerOptions> = {}): Worker {
    const { hostname, port } = new URL(REDIS_URL);
    const worker = new Worker(JUDGE_QUEUE.name, processor, {
      connection: { host: hostname, port: Number(port || 6379), maxRetriesPerRequest: null },
      prefix: stack.prefix,
      // BullMQ skips a stalled-jobs check while the last one's interval runs, whichever worker ran
      // it: every worker here checks often, so none holds the next one's check back.
      stalledInterval: 300,
      ...options,
    });
    worker.on('error', () => undefined);
    plainWorkers.push(worker);
    return worker;
  }

  /** Polls until `probe` returns a value, or fails naming what it waited for. */
  async function until<T>(what: string, probe: () => Promise<T | null | undefined>): Promise<T> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Id of the nth `event` BullMQ wrote to the queue's events stream for a job, once written. */
  function queueEvent(jobId: string, event: string, nth = 1): Promise<string> {
    return until(`${event} #${nth} of job ${jobId}`, async () => {
      const entries = await stack.redis.xrange(`${stack.prefix}:${JUDGE_QUEUE.name}:events`, '-', '+');
      const matching = entries.filter(([, f]) => f[f.indexOf('event') + 1] === event && f[f.indexOf('jobId') + 1] === jobId);
      return matching[nth - 1]?.[0];
    });
  }

  /** Resolves once the API has handled every queue event up to `eventId` (its persisted cursor is there). */
  function reconciledUpTo(eventId: string): Promise<string> {
    return until(`the reconciler to pass ${eventId}`, async () => {
      const cursor = await stack.redis.get(`${stack.prefix}:judge-job-events:cursor`);
      return cursor !== null && compareStreamIds(cursor, eventId) >= 0 ? cursor : null;
    });
  }

  async function view(id: string): Promise<SubmissionView> {
    return (await stack.get(`/v1/submissions/${id}`)).body as SubmissionView;
  }

  describe('removed by an operator', () => {
    it('fails a submission whose queued job is removed, naming the removal', async () => {
      const id = await stack.submit(AC_PYTHON);
      await queue.remove(id);
      const result = await stack.waitForResult(id, { timeoutMs: DEADLINE_MS });
      expect(result).toMatchObject({
        status: 'failed',
        verdict: 'IE',
        tests: [],
        message: 'the judge job was removed from the queue before it finished (it was waiting)',
      });
      expect(result.finishedAt).not.toBeNull();
    });

    it('keeps a submission whose job is removed and added again under the same id within the grace period', async () => {
      const id = await stack.submit(AC_PYTHON);
      const job = (await queue.getJob(id))!;
      await queue.remove(id);
      await queue.add(job.name, job.data, { ...job.opts, jobId: id });
      // Past the removal, its grace and the check after it: the new job is the one that will report.
      await reconciledUpTo(await queueEvent(id, 'removed'));
      expect((await view(id)).status).toBe('queued');
      await queue.remove(id); // no worker here to run it, and none of the tests below may take it
    });

    it('leaves a finished submission as it is when its job is removed afterwards', async () => {
      const id = await stack.submit(AC_PYTHON);
      const { traceId } = await view(id);
      await stack.redis.xadd(`${stack.prefix}:results`, '*', ...Object.entries(encodeResultEvent({
        type: 'final', submissionId: id, traceparent: `00-${traceId}-0000000000000001-01`, attempt: 1, status: 'completed', verdict: 'WA',
        tests: [], compileOutput: null, message: 'judged', finishedAt: new Date().toISOString(), score: 0, maxScore: 1, subtasks: [],
      })).flat());
      await until('the final result', async () => ((await view(id)).status === 'completed' ? true : null));
      await queue.remove(id);
      await reconciledUpTo(await queueEvent(id, 'removed'));
      expect(await view(id)).toMatchObject({ status: 'completed', verdict: 'WA', message: 'judged' });
    });
  });

  describe('failed by BullMQ without a worker reporting', () => {
    it('fails the submission once its last try failed, and not while a try is left', async () => {
      const id = await stack.submit(AC_PYTHON);
      let tries = 0;
      let releaseLastTry!: () => void;
      const lastTryHeld = new Promise<void>((resolve) => (releaseLastTry = resolve));
      const worker = plainWorker(async (job: Job) => {
        if (job.id !== id) throw new Error(`unexpected job ${job.id}`);
        tries += 1;
        if (tries === 2) await lastTryHeld;
        throw new Error('the processor crashed outside the judge');
      });

      // The first try failed with one left (JOB_ATTEMPTS is 2): once the API has handled every event
      // up to the second try's start, the submission must still be open.
      await reconciledUpTo(await queueEvent(id, 'active', 2));
      expect((await view(id)).status).toBe('queued');
      releaseLastTry();

      const result = await stack.waitForResult(id, { timeoutMs: DEADLINE_MS });
      expect(result).toMatchObject({ status: 'failed', verdict: 'IE', message: 'the judge job failed: the processor crashed outside the judge' });
      expect(tries).toBe(2);
      await worker.close();
    });

    it('fails the submission whose job stalled more often than allowed after its worker died', async () => {
      const id = await stack.submit(AC_PYTHON);
      // A worker that takes the job and dies with it: its lock is never renewed.
      const doomed = plainWorker(() => new Promise(() => undefined), { lockDuration: 1000 });
      await queueEvent(id, 'active');
      await doomed.close(true);
      // The next worker finds it stalled, and with no stall allowed fails it without running it.
      let ran = false;
      const next = plainWorker(async () => { ran = true; }, { maxStalledCount: 0 });

      const result = await stack.waitForResult(id, { timeoutMs: DEADLINE_MS });
      expect(result).toMatchObject({ status: 'failed', verdict: 'IE', message: 'the judge job failed: job stalled more than allowable limit' });
      expect(ran).toBe(false);
      await next.close();
    });
  });

  it('applies what happened to a job while the API was down, from where it stopped reading', async () => {
    const id = await stack.submit(AC_PYTHON);
    await stack.stopApi();
    expect(await stack.redis.get(`${stack.prefix}:judge-job-events:cursor`)).not.toBeNull();
    await queue.remove(id);
    await stack.startApi();
    const result = await stack.waitForResult(id, { timeoutMs: DEADLINE_MS });
    // The removal event itself, not the sweep (whose next pass is a minute away), closed it.
    expect(result).toMatchObject({ status: 'failed', verdict: 'IE', message: 'the judge job was removed from the queue before it finished (it was waiting)' });
  });

  describe('jobs gone without an event of their own', () => {
    beforeAll(async () => {
      await stack.stopApi();
      stack.env.JOB_RECONCILE_INTERVAL_MS = '200';
      await stack.startApi();
    });

    const GONE = 'the judge job is no longer in the queue (cleaned, drained or obliterated, or never queued) and no result arrived';

    it('fails a submission whose job was cleaned away', async () => {
      const id = await stack.submit(AC_PYTHON);
      await queue.clean(0, 0, 'wait');
      expect(await stack.waitForResult(id, { timeoutMs: DEADLINE_MS })).toMatchObject({ status: 'failed', verdict: 'IE', message: GONE });
    });

    it('fails a submission whose queue was obliterated', async () => {
      const id = await stack.submit(AC_PYTHON);
      await queue.obliterate({ force: true });
      expect(await stack.waitForResult(id, { timeoutMs: DEADLINE_MS })).toMatchObject({ status: 'failed', verdict: 'IE', message: GONE });
      // Finished submissions leave the index the sweep reads.
      await until('the sweep to drop finished submissions', async () => ((await stack.redis.zscore(`${stack.prefix}:open-submissions`, id)) === null ? true : null));
    });
  });
});
