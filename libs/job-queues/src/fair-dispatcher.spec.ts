import { Logger } from '@nestjs/common';
import { JudgeQueueConfig, loadConfig } from '@verdict/config';
import { JUDGE_LANES, JudgeJobPayload, JudgeLane } from '@verdict/contracts';
import { JudgeQueueGauges, MetricsRegistry } from '@verdict/metrics';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { FairDispatcher } from './fair-dispatcher';
import { Exposition } from '../../metrics/src/exposition.spec-support';
import { BacklogBoundError, FairEntry, FairQueue, FairSharePolicy } from './fair-queue';
import { JobQueue } from './job-queue';
import { JUDGE_QUEUE } from './judge.queue';

/**
 * Fair sharing against real Redis and a real BullMQ queue and worker (the processor records which
 * job started, in order, and holds it until the test lets it go), each test under a key prefix of
 * its own, every key deleted after. Order is asserted, never time: a "round" is as many starts as
 * there are slots.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EQUAL: FairSharePolicy = { weights: {}, lookahead: 0 };

function payload(tenantId: string | null, lane: JudgeLane): JudgeJobPayload {
  return { submissionId: randomUUID(), lane, ...(tenantId && { tenantId }) } as unknown as JudgeJobPayload;
}

/** A judge job's fair-queue entry, as JobQueue stages it. */
function entryOf(job: JudgeJobPayload): FairEntry {
  const opts = JUDGE_QUEUE.jobOptions(loadConfig(JudgeQueueConfig, {}), job);
  return { id: job.submissionId, lane: job.lane, group: job.tenantId ?? '~judge', name: JUDGE_QUEUE.jobName, data: job, opts };
}

/** A judge queue with its producer, a worker of `slots` slots whose jobs wait for `release`, and the start order. */
class Rig {
  readonly connection: Redis;
  readonly queue: Queue;
  readonly fairQueue: FairQueue;
  readonly producer: JobQueue<JudgeJobPayload>;
  readonly started: JudgeJobPayload[] = [];
  private readonly holds = new Map<string, () => void>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  worker: Worker | null = null;
  private readonly workerConnection: Redis;
  workerDispatcher: FairDispatcher | null = null;

  constructor(readonly prefix: string, policy: FairSharePolicy = EQUAL, private readonly autoRelease = false) {
    this.connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    this.workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(JUDGE_QUEUE.name, { connection: this.connection, prefix: `{${prefix}}` });
    this.fairQueue = new FairQueue(this.queue, JUDGE_LANES);
    const config = loadConfig(JudgeQueueConfig, {});
    this.producer = new JobQueue(JUDGE_QUEUE, this.queue, config, { queue: this.fairQueue, dispatcher: this.dispatcher(policy) });
  }

  dispatcher(policy: FairSharePolicy = EQUAL): FairDispatcher {
    return new FairDispatcher(this.fairQueue, this.queue, policy, { intervalMs: 100 });
  }

  /** Starts a worker of `slots` slots (its dispatcher serving them). */
  async startWorker(slots: number, policy: FairSharePolicy = EQUAL): Promise<void> {
    this.workerDispatcher = this.dispatcher(policy);
    this.worker = new Worker(
      JUDGE_QUEUE.name,
      async (job: Job<JudgeJobPayload>) => {
        this.started.push(job.data);
        for (const waiter of this.waiters.filter((w) => this.started.length >= w.count)) waiter.resolve();
        if (!this.autoRelease) await new Promise<void>((resolve) => this.holds.set(job.data.submissionId, resolve));
      },
      { connection: this.workerConnection, prefix: `{${this.prefix}}`, concurrency: slots, autorun: false },
    );
    this.worker.on('completed', () => this.workerDispatcher!.nudge());
    await this.workerDispatcher.serve(slots);
    void this.worker.run();
  }

  /** Resolves once `count` jobs have started. */
  startedCount(count: number): Promise<void> {
    if (this.started.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  release(submissionId: string): void {
    this.holds.get(submissionId)!();
  }

  async close(): Promise<void> {
    for (const release of this.holds.values()) release();
    await this.workerDispatcher?.leave();
    await this.worker?.close();
    await this.queue.close();
    const left = await this.connection.keys(`{${this.prefix}}*`);
    if (left.length) await this.connection.del(...left);
    this.connection.disconnect();
    this.workerConnection.disconnect();
  }
}

describe('FairDispatcher with FairQueue (real Redis, real BullMQ worker)', () => {
  const rigs: Rig[] = [];
  const rig = (policy?: FairSharePolicy, autoRelease = false) => {
    const made = new Rig(`fair-${randomBytes(4).toString('hex')}`, policy, autoRelease);
    rigs.push(made);
    return made;
  };
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const r of rigs.splice(0)) await r.close();
  });

  it('with no worker serving, hands nothing out: jobs wait their turn, counted per tenant', async () => {
    const r = rig();
    await r.producer.enqueueMany([payload('a', 'practice'), payload('a', 'practice'), payload('b', 'live')]);
    await r.dispatcher().wake();
    expect(await r.queue.getJobCounts('wait', 'active', 'prioritized')).toEqual({ wait: 0, active: 0, prioritized: 0 });
    expect(await r.fairQueue.backlog('a')).toMatchObject({ group: 2, total: 3 });
    expect(await r.fairQueue.backlog('b')).toMatchObject({ group: 1, total: 3 });
  });

  it("1,000 of tenant A then 5 of tenant B, workers paused: B's first job starts in the first round, and all five within five turns", async () => {
    const r = rig(EQUAL, true);
    const slots = 4;
    await r.producer.enqueueMany(Array.from({ length: 1000 }, () => payload('a', 'practice')));
    const bJobs = Array.from({ length: 5 }, () => payload('b', 'practice'));
    for (const job of bJobs) await r.producer.enqueue(job);
    await r.startWorker(slots);
    await r.startedCount(5 * 2 + slots);
    const startOf = (job: JudgeJobPayload) => r.started.findIndex((s) => s.submissionId === job.submissionId);
    expect(startOf(bJobs[0])).toBeLessThan(slots);
    // Turns alternate A, B: B's fifth job is at most the tenth start (a round's slack for jobs started together).
    expect(Math.max(...bJobs.map(startOf))).toBeLessThan(5 * 2 + slots);
    expect(bJobs.every((job) => startOf(job) >= 0)).toBe(true);
  });

  it('a rejudge of 500 does not hold a fresh single submission back beyond the next free slot', async () => {
    const r = rig();
    const slots = 2;
    await r.producer.enqueueMany(Array.from({ length: 500 }, () => payload('a', 'rejudge')));
    await r.startWorker(slots);
    await r.startedCount(slots);
    const fresh = payload('b', 'live');
    await r.producer.enqueue(fresh);
    r.release(r.started[0].submissionId);
    await r.startedCount(slots + 1);
    expect(r.started[slots].submissionId).toBe(fresh.submissionId);
  });

  it('lanes go highest first: live, contest, practice, rejudge', async () => {
    const r = rig();
    const jobs = (['rejudge', 'practice', 'contest', 'live'] as const).map((lane) => payload('a', lane));
    await r.producer.enqueueMany(jobs);
    await r.startWorker(1);
    for (let i = 1; i <= 4; i++) {
      await r.startedCount(i);
      r.release(r.started[i - 1].submissionId);
    }
    expect(r.started.map((job) => job.lane)).toEqual(['live', 'contest', 'practice', 'rejudge']);
  });

  it("a tenant's weight is its jobs per turn; a tenant with nothing waiting until now goes first, for one turn", async () => {
    const policy = { weights: { a: 3 }, lookahead: 0 };
    const r = rig(policy, true);
    await r.producer.enqueueMany([...Array.from({ length: 8 }, () => payload('a', 'contest')), ...Array.from({ length: 4 }, () => payload('b', 'contest'))]);
    await r.startWorker(1, policy);
    await r.startedCount(12);
    expect(r.started.map((job) => job.tenantId).join('')).toBe('baaabaaabaab');
  });

  it('a cancelled job is skipped and uncounted; a job waiting its turn inspects as waiting', async () => {
    const r = rig(EQUAL, true);
    const [kept, cancelled] = [payload('a', 'live'), payload('a', 'live')];
    await r.producer.enqueueMany([cancelled, kept]);
    expect(await r.producer.inspect(cancelled.submissionId)).toMatchObject({ state: 'waiting' });
    expect(await r.producer.removeUnstarted(cancelled.submissionId)).toBe(true);
    expect(await r.fairQueue.backlog('a')).toMatchObject({ group: 1, total: 1 });
    await r.startWorker(1);
    await r.startedCount(1);
    await r.worker!.close();
    expect(r.started.map((job) => job.submissionId)).toEqual([kept.submissionId]);
    expect(await r.producer.inspect(cancelled.submissionId)).toMatchObject({ state: 'unknown' });
  });

  it("a bound refuses in the staging step, stages nothing and names the bound: the group's, then everyone's", async () => {
    const r = rig();
    await r.producer.enqueueMany([payload('a', 'live'), payload('a', 'live'), payload('b', 'live')]);
    const refusal = (job: JudgeJobPayload, groupMost: number, totalMost: number) => r.producer.enqueue(job, { bound: { groupMost, totalMost } }).then(() => null, (error: unknown) => error);

    const overGroup = await refusal(payload('a', 'live'), 2, 100);
    expect(overGroup).toBeInstanceOf(BacklogBoundError);
    expect(overGroup).toMatchObject({ bound: 'group', backlog: { group: 2, total: 3 }, count: 1 });
    expect(await refusal(payload('b', 'live'), 5, 3)).toMatchObject({ bound: 'total', backlog: { group: 1, total: 3 } });
    expect(await r.fairQueue.backlog('a')).toMatchObject({ group: 2, total: 3 });

    expect(await refusal(payload('a', 'live'), 3, 4)).toBeNull();
    expect(await r.fairQueue.backlog('a')).toMatchObject({ group: 3, total: 4 });
    // Twenty at once against a bound of one more: exactly one is staged.
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => refusal(payload('c', 'live'), 10, 5)));
    expect(outcomes.filter((o) => o === null)).toHaveLength(1);
    expect(await r.fairQueue.backlog('c')).toMatchObject({ group: 1, total: 5 });
  });

  it('staging a job already waiting, being handed out or in BullMQ changes nothing', async () => {
    const r = rig(EQUAL, true);
    const job = payload('a', 'live');
    await r.producer.enqueue(job);
    await r.producer.enqueue(job);
    expect(await r.fairQueue.backlog('a')).toMatchObject({ group: 1 });
    await r.startWorker(1);
    await r.startedCount(1);
    await r.producer.enqueue(job);
    expect(await r.fairQueue.backlog('a')).toMatchObject({ group: 0, total: 0 });
  });

  it('a hand-over that died after taking is added again by the heartbeat; one that died after adding is not added twice', async () => {
    const r = rig(EQUAL, true);
    const [lostBeforeAdd, lostAfterAdd] = [payload('a', 'live'), payload('b', 'live')];
    await r.producer.enqueueMany([lostBeforeAdd, lostAfterAdd]);
    // A dispatcher that dies mid hand-over: slots of a worker that has not started taking, two taken, one added, none confirmed.
    await r.fairQueue.setSlots('dying', 2, Date.now() + 60_000);
    const taken = await r.fairQueue.take(10, EQUAL);
    expect(taken.map((entry) => entry.id).sort()).toEqual([lostBeforeAdd.submissionId, lostAfterAdd.submissionId].sort());
    const added = taken.find((entry) => entry.id === lostAfterAdd.submissionId)!;
    await r.queue.add(added.name, added.data, added.opts);
    await r.fairQueue.setSlots('dying', 0, 0);
    expect(await r.producer.inspect(lostBeforeAdd.submissionId)).toMatchObject({ state: 'waiting' });

    const again = await r.fairQueue.recover(Date.now() + 1);
    expect(again.map((entry) => entry.id)).toEqual([lostBeforeAdd.submissionId]);
    await r.queue.add(again[0].name, again[0].data, again[0].opts);
    await r.fairQueue.confirm([again[0].id]);
    await r.startWorker(2);
    await r.startedCount(2);
    await r.worker!.close();
    expect(r.started.map((job) => job.submissionId).sort()).toEqual([lostBeforeAdd.submissionId, lostAfterAdd.submissionId].sort());
    expect(await r.fairQueue.recover(Date.now() + 1)).toEqual([]);
  });

  it("a paused queue gets nothing; a worker that leaves, or whose heartbeat lapses, has its slots withdrawn", async () => {
    const r = rig();
    await r.producer.enqueueMany(Array.from({ length: 3 }, () => payload('a', 'live')));
    await r.queue.pause();
    await r.fairQueue.setSlots('w1', 2, Date.now() + 60_000);
    expect(await r.fairQueue.take(10, EQUAL)).toEqual([]);
    await r.queue.resume();
    await r.fairQueue.setSlots('w1', 2, Date.now() - 1);
    expect(await r.fairQueue.take(10, EQUAL)).toEqual([]);
    const d = r.dispatcher();
    await d.serve(1);
    await d.leave();
    // While it served, its one slot got one job (no BullMQ worker takes it here); none since it left.
    expect(await r.queue.getJobCounts('wait')).toEqual({ wait: 1 });
    expect(await r.fairQueue.take(10, EQUAL)).toEqual([]);
    await r.fairQueue.setSlots('w2', 2, Date.now() + 60_000);
    expect(await r.fairQueue.take(10, EQUAL)).toHaveLength(1);
  });

  it('reports the drain: jobs handed out per second over the last complete minute', async () => {
    const r = rig();
    await r.producer.enqueueMany(Array.from({ length: 6 }, () => payload('a', 'live')));
    await r.fairQueue.setSlots('w', 6, Date.now() + 600_000);
    const minuteAgo = Date.now() - 30_000;
    expect(await r.fairQueue.take(10, EQUAL, minuteAgo)).toHaveLength(6);
    expect(await r.fairQueue.backlog('a')).toEqual({ group: 0, total: 0, drainedPerSecond: 6 / 60 });
  });

  describe('census: the queue gauges in one script call', () => {
    it('counts by lane and state exactly, every job not yet taken by a worker, and the oldest from its staging time wherever it waits', async () => {
      const r = rig();
      const t0 = Date.now() - 60_000;
      // Two live jobs staged a minute ago, then three more (live, practice) five seconds later; nothing served yet.
      const early = [payload('a', 'live'), payload('a', 'live')];
      const later = [payload('a', 'live'), payload('b', 'practice'), payload('b', 'practice')];
      await r.fairQueue.stageAndTake(early.map(entryOf), 200, EQUAL, undefined, t0);
      await r.fairQueue.stageAndTake(later.map(entryOf), 200, EQUAL, undefined, t0 + 5000);
      expect(await r.fairQueue.census()).toMatchObject({ lanes: { live: 3, practice: 2 }, waiting: 5, oldestAcceptedAt: t0, workerSlots: 0 });
      // A cancelled one leaves its lane's count.
      expect(await r.producer.removeUnstarted(later[2].submissionId)).toBe(true);
      // A worker of two slots (no BullMQ worker takes anything here): the two early live jobs go to BullMQ's wait, carrying their staging time.
      await r.fairQueue.setSlots('w', 2, Date.now() + 60_000);
      await r.fairQueue.setSlots('lapsed', 5, Date.now() - 1);
      await r.dispatcher().wake();
      // A job added to BullMQ with a priority waits in its prioritized set (newer than the others).
      await r.queue.add(JUDGE_QUEUE.jobName, payload('c', 'live'), { jobId: randomUUID(), priority: 3, timestamp: t0 + 20_000 });
      expect(await r.queue.getJobCounts('wait', 'prioritized')).toEqual({ wait: 2, prioritized: 1 });
      expect(await r.fairQueue.census()).toEqual({
        lanes: { live: 1, practice: 1 },
        dispatching: 0,
        states: { wait: 2, prioritized: 1, active: 0, delayed: 0, paused: 0, failed: 0 },
        waiting: 2 + 2 + 1,
        oldestAcceptedAt: t0,
        workerSlots: 2,
      });

      // Taken but not yet added to BullMQ: out of its lane, still waiting; once confirmed (and here never added) it is gone.
      await r.fairQueue.setSlots('w', 4, Date.now() + 60_000);
      const taken = await r.fairQueue.take(10, EQUAL);
      expect(taken.map((entry) => entry.id)).toEqual([later[0].submissionId]);
      expect(await r.fairQueue.census()).toMatchObject({ lanes: { practice: 1 }, dispatching: 1, waiting: 5, workerSlots: 4 });
      await r.fairQueue.confirm([taken[0].id]);
      expect(await r.fairQueue.census()).toMatchObject({ dispatching: 0, waiting: 4 });

      // As the API exports them when scraped.
      const metrics = new MetricsRegistry('api');
      metrics.group(JudgeQueueGauges).observeJudgeQueue(JUDGE_LANES, () => r.producer.census());
      const exposition = new Exposition((await metrics.exposition()).text);
      expect(exposition.value('verdict_judge_waiting_jobs')).toBe(4);
      expect(Object.fromEntries(exposition.matching('verdict_judge_backlog_jobs').map((s) => [s.labels.lane, s.value]))).toEqual({ live: 0, contest: 0, practice: 1, rejudge: 0 });
      expect(exposition.value('verdict_judge_queue_jobs', { state: 'wait' })).toBe(2);
      expect(exposition.value('verdict_judge_queue_jobs', { state: 'prioritized' })).toBe(1);
      expect(exposition.value('verdict_judge_worker_slots')).toBe(4);
      const oldest = exposition.value('verdict_judge_oldest_waiting_seconds');
      expect(oldest).toBeGreaterThanOrEqual(60);
      expect(oldest).toBeLessThan(60 + 30);
    });

    it('reads a paused queue\'s jobs as waiting, and nothing waiting as no oldest', async () => {
      const r = rig();
      expect(await r.fairQueue.census()).toEqual({
        lanes: {},
        dispatching: 0,
        states: { wait: 0, prioritized: 0, active: 0, delayed: 0, paused: 0, failed: 0 },
        waiting: 0,
        oldestAcceptedAt: null,
        workerSlots: 0,
      });
      await r.queue.pause();
      const t0 = Date.now() - 10_000;
      await r.queue.add(JUDGE_QUEUE.jobName, payload('a', 'live'), { jobId: randomUUID(), timestamp: t0 });
      expect(await r.fairQueue.census()).toMatchObject({ states: { paused: 1, wait: 0 }, waiting: 1, oldestAcceptedAt: t0 });
    });
  });
});
