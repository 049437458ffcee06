import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { JudgeQueueConfig, RedisConfig, SubmissionPolicyConfig, loadConfig } from '@verdict/config';
import { JudgeJobPayload, ResultEvent } from '@verdict/contracts';
import { JUDGE_QUEUE, JobQueue } from '@verdict/job-queues';
import { MetricsRegistry, SubmissionMetrics } from '@verdict/metrics';
import { RedisKeys, bullOptions } from '@verdict/redis';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { Exposition } from '../../metrics/src/exposition.spec-support';
import { EXPIRED_IN_QUEUE, EXPIRY_ANNOUNCEMENT_HOLD_MS, QueuedSubmissionExpiry } from './queued-submission-expiry';
import { SUBMISSION_FINISHED, SubmissionFinished } from './submission-finished';
import { NewSubmission, SubmissionStore } from './submission-store';
import { SubmissionUpdates } from './submission-updates';

/**
 * The queue-age sweep against real Redis and a real BullMQ judge queue, each test under a key
 * prefix of its own (every key of it deleted after). Time is not waited out: a sweep is given the
 * clock it runs at (`sweep(now)`), later than the bound.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MAX_AGE_S = 60;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;

/** Records whose followers were woken. */
class RecordingUpdates {
  readonly woken: string[] = [];
  async announce(submissionId: string): Promise<void> {
    this.woken.push(submissionId);
  }
}

describe('QueuedSubmissionExpiry', () => {
  const redis = new Redis(REDIS_URL);
  const prefixes: string[] = [];
  const closing: (() => Promise<unknown>)[] = [];

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const close of closing.splice(0).reverse()) await close();
    for (const prefix of prefixes.splice(0)) {
      const left = await redis.keys(`{${prefix}}*`);
      if (left.length) await redis.del(...left);
    }
  });
  afterAll(() => redis.disconnect());

  /** A deployment of its own: the store, the judge queue, and API replicas sweeping it. */
  function deployment() {
    const prefix = `unit-${randomBytes(4).toString('hex')}`;
    prefixes.push(prefix);
    const redisConfig = loadConfig(RedisConfig, { REDIS_URL, VERDICT_KEY_PREFIX: prefix });
    const keys = new RedisKeys(redisConfig);
    const config = loadConfig(JudgeQueueConfig, { MAX_QUEUE_AGE_SECONDS: String(MAX_AGE_S) });
    const policy = loadConfig(SubmissionPolicyConfig, {});
    const store = new SubmissionStore(redis, keys, policy);
    const queue = new Queue(JUDGE_QUEUE.name, bullOptions(redisConfig, keys, 'producer'));
    closing.push(() => queue.close());
    const jobs = new JobQueue<JudgeJobPayload>(JUDGE_QUEUE, queue, config);

    /** One API replica: its own connection, store, bus and sweeper; `announced` is what its bus carried. */
    const replica = () => {
      const connection = new Redis(REDIS_URL);
      closing.push(async () => connection.disconnect());
      const replicaStore = new SubmissionStore(connection, keys, policy);
      const events = new EventEmitter2();
      const announced: SubmissionFinished[] = [];
      events.on(SUBMISSION_FINISHED, (finished: SubmissionFinished) => announced.push(finished));
      const updates = new RecordingUpdates();
      const metrics = new MetricsRegistry('api');
      const sweeper = new QueuedSubmissionExpiry(replicaStore, updates as unknown as SubmissionUpdates, events, jobs, config, policy, metrics.group(SubmissionMetrics));
      /** verdict_submissions_finished_total as this replica exports it. */
      const finishedCounts = async () => new Exposition((await metrics.exposition()).text).matching('verdict_submissions_finished_total').map(({ labels, value }) => ({ ...labels, value }));
      return { sweeper, events, announced, updates, finishedCounts };
    };

    /** A submission accepted (stored queued, indexed open) and its job queued, as CreateSubmission does. */
    const accept = async ({ batchId = null as string | null, createdAt = new Date().toISOString() } = {}): Promise<string> => {
      const id = randomUUID();
      const submission: NewSubmission = {
        id, language: 'python', traceId: TRACE_ID, createdAt,
        limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 128, outputKb: 64 }, limitMultipliers: null, problem: null,
        testCount: 1, disclosure: null, request: { language: 'python', source: 'print(1)' }, callbackUrl: null, batchId, tenantId: null,
      };
      await store.create(submission);
      await jobs.enqueue({ submissionId: id, traceparent: TRACEPARENT } as JudgeJobPayload);
      return id;
    };

    const running = (id: string): ResultEvent => ({ type: 'running', submissionId: id, traceparent: TRACEPARENT, attempt: 1, startedAt: new Date().toISOString(), workerId: 'w' });
    const final = (id: string): ResultEvent => ({
      type: 'final', submissionId: id, traceparent: TRACEPARENT, attempt: 1, status: 'completed', verdict: 'AC', tests: [], compileOutput: null,
      message: null, finishedAt: new Date().toISOString(), score: null, maxScore: null, subtasks: [],
    });

    const isOpen = async (id: string) => (await redis.zscore(keys.openSubmissions, id)) !== null;
    const unannounced = () => redis.zrange(keys.unannouncedQueueExpiries, 0, -1);
    /** A clock past the bound of everything accepted so far. */
    const pastTheBound = () => Date.now() + (MAX_AGE_S + 1) * 1000;

    return { keys, store, queue, jobs, replica, accept, running, final, isOpen, unannounced, pastTheBound, redisConfig };
  }

  it('ends a submission queued longer than the bound as failed "expired in queue": job removed, index left, followers woken, SubmissionFinished announced once', async () => {
    const d = deployment();
    const batchId = randomUUID();
    const id = await d.accept({ batchId });
    const { sweeper, announced, updates, finishedCounts } = d.replica();

    expect(await sweeper.sweep(d.pastTheBound())).toBe(1);
    expect(await finishedCounts()).toEqual([{ language: 'python', verdict: 'IE', status: 'expired', value: 1 }]);

    expect(await d.store.publicView(id)).toMatchObject({ status: 'failed', verdict: 'IE', message: EXPIRED_IN_QUEUE, startedAt: null, finishedAt: expect.any(String), judging: 1, batchId });
    expect(await d.queue.getJob(id)).toBeUndefined();
    expect(await d.isOpen(id)).toBe(false);
    expect(updates.woken).toEqual([id]);
    expect(announced).toEqual([{ submissionId: id, status: 'failed', verdict: 'IE', attempt: 0, judging: 1, batchId, traceId: TRACE_ID }]);
    expect(await d.unannounced()).toEqual([]);
    // A final record now: kept for the retention of a final one.
    expect(await redis.ttl(d.keys.submission(id))).toBeGreaterThan(0);

    // Swept again: nothing more.
    expect(await sweeper.sweep(d.pastTheBound())).toBe(0);
    expect(announced).toHaveLength(1);
    expect(await finishedCounts()).toEqual([{ language: 'python', verdict: 'IE', status: 'expired', value: 1 }]);
  });

  it('leaves a submission within the bound alone', async () => {
    const d = deployment();
    const id = await d.accept();
    const { sweeper, announced } = d.replica();
    expect(await sweeper.sweep(Date.now() + (MAX_AGE_S - 5) * 1000)).toBe(0);
    expect(await d.store.statusOf(id)).toMatchObject({ status: 'queued' });
    expect(await d.queue.getJob(id)).toBeDefined();
    expect(await d.isOpen(id)).toBe(true);
    expect(announced).toEqual([]);
  });

  it('never touches a submission a worker started (running applied) or one that is final, however old', async () => {
    const d = deployment();
    const started = await d.accept();
    const judged = await d.accept();
    await d.store.apply(d.running(started));
    await d.store.apply(d.final(judged));
    const { sweeper, announced } = d.replica();

    expect(await sweeper.sweep(d.pastTheBound())).toBe(0);
    expect(await d.store.statusOf(started)).toMatchObject({ status: 'running' });
    expect(await d.store.statusOf(judged)).toMatchObject({ status: 'completed', verdict: 'AC' });
    expect(await d.queue.getJob(started)).toBeDefined();
    expect(announced).toEqual([]);
  });

  it("expires only a submission still queued when the script runs: a worker's running applied after the sweep read it wins", async () => {
    const d = deployment();
    const id = await d.accept();
    const [candidate] = await d.store.queuedBefore(d.pastTheBound() - MAX_AGE_S * 1000, 0, 10);
    expect(candidate).toBe(id);
    await d.store.apply(d.running(id));
    expect(await d.store.expireIfQueued(id, { queuedBefore: Date.now(), message: EXPIRED_IN_QUEUE, heldUntil: Date.now() })).toBeNull();
    expect(await d.store.statusOf(id)).toMatchObject({ status: 'running' });
    expect(await d.unannounced()).toEqual([]);
  });

  it('a job a worker took before its running was applied: the submission expires, the job is left to the worker, and its results are stale', async () => {
    const d = deployment();
    const id = await d.accept();
    const worker = new Worker(JUDGE_QUEUE.name, null, { ...bullOptions(d.redisConfig, d.keys, 'worker'), autorun: false });
    worker.on('error', () => undefined);
    closing.push(() => worker.close(true));
    const job = (await worker.getNextJob('taker')) as Job;
    expect(job.id).toBe(id);
    const { sweeper, announced } = d.replica();

    expect(await sweeper.sweep(d.pastTheBound())).toBe(1);
    // Held by its worker: not removed (BullMQ refuses), and announced all the same.
    expect(await d.queue.getJobState(id)).toBe('active');
    expect(announced).toHaveLength(1);

    expect(await d.store.apply(d.running(id))).toBe('stale');
    expect(await d.store.apply(d.final(id))).toBe('stale');
    expect(await d.store.publicView(id)).toMatchObject({ status: 'failed', verdict: 'IE', message: EXPIRED_IN_QUEUE, startedAt: null });
  });

  it('counts a rejudge from when it was queued again, not from when the submission was accepted', async () => {
    const d = deployment();
    const accepted = new Date(Date.now() - 2 * MAX_AGE_S * 1000);
    const id = await d.accept({ createdAt: accepted.toISOString() });
    // Accepted (and queued) twice the bound ago, judged since.
    await redis.zadd(d.keys.openSubmissions, accepted.getTime(), id);
    await d.store.apply(d.final(id));
    const rejudgeBatch = randomUUID();
    expect(await d.store.startRejudging(id, { limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 128, outputKb: 64 }, limitMultipliers: null, problem: null, testCount: 1, disclosure: null, batchId: rejudgeBatch })).toBe(2);
    const { sweeper, announced } = d.replica();

    expect(await sweeper.sweep()).toBe(0);
    expect(await d.store.statusOf(id)).toMatchObject({ status: 'queued', judging: 2 });

    expect(await sweeper.sweep(d.pastTheBound())).toBe(1);
    expect(announced).toEqual([expect.objectContaining({ submissionId: id, status: 'failed', judging: 2, batchId: rejudgeBatch })]);
    expect(await d.store.publicView(id)).toMatchObject({ status: 'failed', message: EXPIRED_IN_QUEUE, previousJudgings: [expect.objectContaining({ judging: 1, verdict: 'AC' })] });
  });

  it("reports a judging's first running once, with when it was queued: its acceptance, then its rejudge", async () => {
    const d = deployment();
    const accepted = new Date(Date.now() - 90_000);
    const id = await d.accept({ createdAt: accepted.toISOString() });
    expect(await d.store.applyEvent(d.running(id))).toEqual({ outcome: 'applied', started: { language: 'python', queuedAt: accepted.getTime() } });
    expect(await d.store.applyEvent({ ...d.running(id), attempt: 2 })).toEqual({ outcome: 'applied', started: null });
    expect(await d.store.applyEvent(d.final(id))).toEqual({ outcome: 'applied', started: null });
    expect(await d.store.applyEvent(d.running(id))).toEqual({ outcome: 'stale', started: null });
    const before = Date.now();
    await d.store.startRejudging(id, { limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 128, outputKb: 64 }, limitMultipliers: null, problem: null, testCount: 1, disclosure: null, batchId: randomUUID() });
    const { started } = await d.store.applyEvent(d.running(id));
    expect(started).toEqual({ language: 'python', queuedAt: expect.any(Number) });
    expect(started!.queuedAt).toBeGreaterThanOrEqual(before);
  });

  it('several replicas sweeping at once: each submission expires once and is announced by one of them', async () => {
    const d = deployment();
    const ids = await Promise.all(Array.from({ length: 12 }, () => d.accept()));
    const replicas = [d.replica(), d.replica(), d.replica()];
    const now = d.pastTheBound();

    const expired = await Promise.all(replicas.map(({ sweeper }) => sweeper.sweep(now)));

    expect(expired.reduce((a, b) => a + b, 0)).toBe(ids.length);
    const announced = replicas.flatMap((r) => r.announced.map((f) => f.submissionId));
    expect(announced.sort()).toEqual([...ids].sort());
    for (const id of ids) expect(await d.store.statusOf(id)).toMatchObject({ status: 'failed' });
    expect((await d.queue.getJobCounts('waiting')).waiting).toBe(0);
    expect(await d.unannounced()).toEqual([]);
  });

  it('an announcement that fails half way (a subscriber down) is held, then made by a later sweep: once', async () => {
    const d = deployment();
    const id = await d.accept();
    const first = d.replica();
    first.events.on(SUBMISSION_FINISHED, async () => {
      throw new Error('webhook queue unavailable');
    });
    const now = d.pastTheBound();

    expect(await first.sweeper.sweep(now)).toBe(1);
    expect(await d.store.statusOf(id)).toMatchObject({ status: 'failed' });
    expect(await d.unannounced()).toHaveLength(1);

    // Another replica, within the hold: not its to make.
    const second = d.replica();
    await second.sweeper.sweep(now);
    expect(second.announced).toEqual([]);

    // After the hold: the first sweep to come makes it, and it leaves the index; counted where it expired, once.
    await second.sweeper.sweep(now + EXPIRY_ANNOUNCEMENT_HOLD_MS + 1000);
    expect(await first.finishedCounts()).toEqual([{ language: 'python', verdict: 'IE', status: 'expired', value: 1 }]);
    expect(await second.finishedCounts()).toEqual([]);
    expect(second.announced).toEqual([expect.objectContaining({ submissionId: id, status: 'failed', verdict: 'IE', attempt: 0, judging: 1 })]);
    expect(await d.unannounced()).toEqual([]);
    await second.sweeper.sweep(now + 2 * (EXPIRY_ANNOUNCEMENT_HOLD_MS + 1000));
    expect(second.announced).toHaveLength(1);
  });

  it('a sweep that died right after expiring (job still queued, nothing announced) is finished by a later sweep', async () => {
    const d = deployment();
    const id = await d.accept();
    const now = d.pastTheBound();
    // What a sweep had done when its process died: the script only.
    expect(await d.store.expireIfQueued(id, { queuedBefore: now - MAX_AGE_S * 1000, message: EXPIRED_IN_QUEUE, heldUntil: now + EXPIRY_ANNOUNCEMENT_HOLD_MS })).toMatchObject({ submissionId: id, judging: 1 });
    expect(await d.queue.getJobState(id)).toBe('waiting');
    const { sweeper, announced, updates } = d.replica();

    await sweeper.sweep(now + EXPIRY_ANNOUNCEMENT_HOLD_MS + 1000);

    expect(await d.queue.getJob(id)).toBeUndefined();
    expect(updates.woken).toEqual([id]);
    expect(announced).toEqual([{ submissionId: id, status: 'failed', verdict: 'IE', attempt: 0, judging: 1, batchId: null, traceId: TRACE_ID }]);
    expect(await d.unannounced()).toEqual([]);
  });
});
