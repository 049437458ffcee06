import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule, RedisConfig, WebhookDeliveryConfig, WebhookSigningConfig, loadConfig } from '@verdict/config';
import { WebhookDeliveryJobPayload } from '@verdict/contracts';
import { InterruptedJob, JobQueue, JobQueuesModule, QueueProcessor, ReceivedJob, WEBHOOK_DELIVERY_QUEUE, webhookDeliveryJobId } from '@verdict/job-queues';
import { JobMetrics, MetricsRegistry, WebhookMetrics } from '@verdict/metrics';
import { RedisKeys, bullOptions } from '@verdict/redis';
import { Job, Processor, Queue, UnrecoverableError, Worker, WorkerOptions } from 'bullmq';
import Redis from 'ioredis';
import { EventEmitter, once } from 'node:events';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { CallbackHttpClient } from './callback-http-client';
import { DeliverWebhook } from './deliver-webhook';
import { DeliveryState } from './delivery-decision';
import { systemResolver } from './guarded-lookup';
import { RecordedAttempt, WebhookDeliveryStore } from './webhook-delivery-store';
import { WebhookDeliveryReconciler } from './webhook-delivery.reconciler';
import { WebhookEvent, submissionEventId, submissionSubject } from './webhook-event';
import { WebhookSigner } from './webhook-signer';
import { NO_TENANTS } from './webhooks.spec-support';
import { WebhookDeliveryReconcilerModule } from './webhooks.module';

/**
 * The reconciler against real Redis and real BullMQ queues and workers, each test under a key
 * prefix of its own (its own queue). A job is failed the ways BullMQ fails one: by its stall check
 * and the worker that takes the job next (the whole path, with a real deliverer), or, where only
 * the end state matters, by a worker failing it for good as BullMQ's own does
 * (`moveToFailed(UnrecoverableError)`), DeliverWebhook never involved.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const TRACEPARENT = '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01';
const STALLED = 'job stalled more than allowable limit';
const QUEUE = WEBHOOK_DELIVERY_QUEUE.name;
/** The deliverers' metrics in these tests (recorded, not asserted here: deliver-webhook.spec and queue-processor.spec do). */
const metrics = new MetricsRegistry('webhook-deliverer');

/** The delivery queue's real failure mapping (QueueProcessor) around a real DeliverWebhook, as the deliverer app's processor. */
class DeliveryProcessor extends QueueProcessor<DeliveryState> {
  constructor(private readonly deliver: DeliverWebhook) {
    super({ concurrency: 1, shutdownGraceMs: 1000, metrics: metrics.group(JobMetrics) });
  }
  protected handle(job: ReceivedJob): Promise<DeliveryState> {
    return this.deliver.execute(job);
  }
  protected interruptAll(): Promise<void> {
    return this.deliver.interruptAll();
  }
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('WebhookDeliveryReconciler', () => {
  const redis = new Redis(REDIS_URL);
  const prefixes: string[] = [];
  const closing: (() => Promise<unknown>)[] = [];

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
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

  /** A deployment of its own: store, the API's producer queue, a reconciler, on a fresh prefix. */
  function deployment(env: Record<string, string> = {}) {
    const prefix = `unit-${randomBytes(4).toString('hex')}`;
    prefixes.push(prefix);
    const redisConfig = loadConfig(RedisConfig, { REDIS_URL, VERDICT_KEY_PREFIX: prefix });
    const keys = new RedisKeys(redisConfig);
    const config = loadConfig(WebhookDeliveryConfig, { WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32', WEBHOOK_RETRY_SCHEDULE: '1h,2h', ...env });
    const store = new WebhookDeliveryStore(redis, keys, config);
    const replica = () => {
      const queue = new Queue(QUEUE, bullOptions(redisConfig, keys, 'producer'));
      closing.push(() => queue.close());
      const jobs = new JobQueue<WebhookDeliveryJobPayload>(WEBHOOK_DELIVERY_QUEUE, queue, config);
      return { queue, jobs, reconciler: new WebhookDeliveryReconciler(store, jobs, config) };
    };
    const { queue, jobs, reconciler } = replica();
    const worker = (options: Partial<WorkerOptions>, processor: Processor | null = null) => {
      const w = new Worker(QUEUE, processor, { ...bullOptions(redisConfig, keys, 'worker'), ...options });
      w.on('error', () => undefined);
      closing.push(() => w.close(true));
      return w;
    };
    /** A worker takes the next job and fails it for good, as BullMQ's worker does a job stalled too often (DeliverWebhook never runs). */
    const failForGood = async (jobId: string, reason = STALLED) => {
      const taker = worker({ autorun: false });
      const job = (await taker.getNextJob('taker')) as Job;
      expect(job.id).toBe(jobId);
      await job.moveToFailed(new UnrecoverableError(reason), 'taker');
      await taker.close();
    };
    const event = (): WebhookEvent => {
      const submissionId = `0c8a4f5e-1b2c-4d3e-8f90-${randomBytes(6).toString('hex')}`;
      return { id: submissionEventId(submissionId, 1), type: 'submission.completed', subject: submissionSubject(submissionId), body: `{"id":"${submissionId}"}`, traceparent: TRACEPARENT, tenantId: null };
    };
    const deliverer = () => {
      const signer = new WebhookSigner(loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: SECRET }), NO_TENANTS);
      return new DeliverWebhook(store, signer, new CallbackHttpClient(config, systemResolver), config, metrics.group(WebhookMetrics));
    };
    return { prefix, keys, config, store, queue, jobs, reconciler, replica, worker, failForGood, event, deliverer };
  }

  const triedAndDue = (run: number, dueInMs: number): RecordedAttempt => ({
    run,
    startedAt: new Date().toISOString(),
    durationMs: 3,
    statusCode: 503,
    error: 'HTTP 503',
    responseBody: '',
    responseBodyTruncated: false,
    state: 'pending',
    nextAttemptAt: new Date(Date.now() + dueInMs).toISOString(),
  });

  it('a delivery whose deliverer died mid-try, its job then failed by BullMQ as stalled, is queued again with the lost try recorded, and delivered', async () => {
    const d = deployment({ WEBHOOK_RETRY_SCHEDULE: '200ms,1h' });
    const received: http.IncomingHttpHeaders[] = [];
    const arrivals = new EventEmitter();
    const receiver = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push(request.headers);
        arrivals.emit('arrival');
        // The first try is held: its deliverer dies before the answer.
        if (received.length > 1) response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    closing.push(async () => {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    });
    const e = d.event();
    await d.store.open(e, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`);
    await d.jobs.enqueue({ eventId: e.id, run: 0 });
    const jobId = webhookDeliveryJobId({ eventId: e.id, run: 0 });

    // Deliverer A takes the job (its lock 1 s, never renewed from here) and sends the first try...
    const workerA = d.worker({ autorun: false, lockDuration: 1000 });
    const jobA = (await workerA.getNextJob('a')) as Job;
    const deliverA = d.deliverer();
    const tryA = deliverA.execute({ id: jobA.id, data: jobA.data, attempt: 1, maxAttempts: 5 }).catch((error: Error) => error);
    await once(arrivals, 'arrival');
    // ...and dies: its connection gone, its try never recorded.
    await workerA.close();
    await deliverA.interruptAll();
    expect(await tryA).toBeInstanceOf(InterruptedJob);

    // Deliverer B, whose stall check allows no stall (BullMQ's default allows one: this is the one too many).
    const processor = new DeliveryProcessor(d.deliverer());
    const workerB = d.worker({ maxStalledCount: 0, stalledInterval: 250 }, (job, token) => processor.process(job, token));
    const [failedJob, failure] = (await once(workerB, 'failed')) as [Job, Error];
    expect(failedJob.id).toBe(jobId);
    expect(failure.message).toBe(STALLED);
    // BullMQ failed it when B took it, without running the handler: nothing more was sent or recorded.
    expect(received).toHaveLength(1);
    expect(await d.store.attemptsOfRun(e.id, 0)).toEqual([]);
    expect(await d.store.stateOf(e.id)).toEqual({ state: 'pending', run: 0 });

    const completed = once(workerB, 'completed');
    expect((await d.reconciler.sweep()).get(e.id)).toBe('requeued');
    const [lost] = await d.store.attemptsOfRun(e.id, 0);
    expect(lost).toMatchObject({ run: 0, statusCode: null, responseBody: null, state: 'pending', error: `the delivery job failed in the queue, its try unrecorded (${STALLED})` });
    expect(lost.nextAttemptAt).not.toBeNull();

    const [doneJob, result] = (await completed) as [Job, DeliveryState];
    expect([doneJob.id, result]).toEqual([jobId, 'delivered']);
    expect(await d.store.stateOf(e.id)).toEqual({ state: 'delivered', run: 0 });
    expect((await d.store.attemptsOfRun(e.id, 0)).map((a) => [a.statusCode, a.state])).toEqual([
      [null, 'pending'],
      [204, 'delivered'],
    ]);
    // At least once: the try whose outcome was lost, and the one delivered, are the same event.
    expect(received.map((headers) => headers['webhook-id'])).toEqual([e.id, e.id]);
    expect((await d.reconciler.sweep()).size).toBe(0);
  });

  it('past the schedule, a lost try dead-letters the delivery: no job is queued again, and it leaves the pending index', async () => {
    const d = deployment({ WEBHOOK_RETRY_SCHEDULE: '1h' });
    const e = d.event();
    await d.store.open(e, 'http://127.0.0.1:9/hook');
    await d.store.recordAttempt(e.id, triedAndDue(0, -1000));
    await d.jobs.enqueue({ eventId: e.id, run: 0 });
    const jobId = webhookDeliveryJobId({ eventId: e.id, run: 0 });
    await d.failForGood(jobId, 'Connection is closed.');

    expect((await d.reconciler.sweep()).get(e.id)).toBe('dead-lettered');
    expect(await d.store.stateOf(e.id)).toEqual({ state: 'dead-lettered', run: 0 });
    const attempts = await d.store.attemptsOfRun(e.id, 0);
    expect(attempts.map((a) => [a.statusCode, a.state])).toEqual([
      [503, 'pending'],
      [null, 'dead-lettered'],
    ]);
    expect(attempts[1].error).toBe('the delivery job failed in the queue, its try unrecorded (Connection is closed.); no tries left (2 made)');
    expect((await d.jobs.inspect(jobId)).state).toBe('failed');
    expect((await d.reconciler.sweep()).size).toBe(0);
  });

  it('a job gone from the queue (removed, or never queued) is queued again once two sweeps in a row found it gone, when its next try is due, nothing recorded', async () => {
    const d = deployment();
    const [removed, neverQueued] = [d.event(), d.event()];
    await d.store.open(removed, 'http://127.0.0.1:9/hook');
    await d.store.recordAttempt(removed.id, triedAndDue(0, 3_600_000));
    await d.jobs.enqueue({ eventId: removed.id, run: 0 }, { delayMs: 3_600_000 });
    const removedJob = webhookDeliveryJobId({ eventId: removed.id, run: 0 });
    // An operator removes the job waiting for its next try.
    expect(await d.jobs.removeUnstarted(removedJob)).toBe(true);
    await d.store.open(neverQueued, 'http://127.0.0.1:9/hook');
    const neverQueuedJob = webhookDeliveryJobId({ eventId: neverQueued.id, run: 0 });

    const first = await d.reconciler.sweep();
    expect([first.get(removed.id), first.get(neverQueued.id)]).toEqual(['seen-lost', 'seen-lost']);
    expect((await d.jobs.inspect(removedJob)).state).toBe('unknown');
    expect((await d.jobs.inspect(neverQueuedJob)).state).toBe('unknown');

    const second = await d.reconciler.sweep();
    expect([second.get(removed.id), second.get(neverQueued.id)]).toEqual(['requeued', 'requeued']);
    // Due in an hour: it waits; never tried: at once.
    expect((await d.jobs.inspect(removedJob)).state).toBe('delayed');
    expect((await d.jobs.inspect(neverQueuedJob)).state).toBe('waiting');
    expect((await d.queue.getJob(removedJob))!.data).toEqual({ eventId: removed.id, run: 0 });
    expect(await d.store.triesOfRun(removed.id, 0)).toBe(1);
    expect(await d.store.triesOfRun(neverQueued.id, 0)).toBe(0);
    const third = await d.reconciler.sweep();
    expect([third.get(removed.id), third.get(neverQueued.id)]).toEqual(['alive', 'alive']);
  });

  it('a job that completed while its delivery is still pending under its run is replaced by a new one', async () => {
    const d = deployment();
    const e = d.event();
    await d.store.open(e, 'http://127.0.0.1:9/hook');
    await d.jobs.enqueue({ eventId: e.id, run: 0 });
    const jobId = webhookDeliveryJobId({ eventId: e.id, run: 0 });
    const taker = d.worker({ autorun: false });
    await ((await taker.getNextJob('taker')) as Job).moveToCompleted('pending', 'taker', false);
    await taker.close();

    expect((await d.reconciler.sweep()).get(e.id)).toBe('seen-lost');
    expect((await d.reconciler.sweep()).get(e.id)).toBe('requeued');
    expect((await d.jobs.inspect(jobId)).state).toBe('waiting');
  });

  it('leaves alone a job still waiting or held by a worker, a failed job of a run a redelivery replaced, and drops expired deliveries from the index', async () => {
    const d = deployment();
    const [waiting, active, replaced, expired] = [d.event(), d.event(), d.event(), d.event()];
    for (const e of [waiting, active, replaced, expired]) await d.store.open(e, 'http://127.0.0.1:9/hook');
    await d.jobs.enqueue({ eventId: active.id, run: 0 });
    const taker = d.worker({ autorun: false });
    expect(((await taker.getNextJob('taker')) as Job).id).toBe(webhookDeliveryJobId({ eventId: active.id, run: 0 }));
    await d.jobs.enqueue({ eventId: replaced.id, run: 0 });
    await d.failForGood(webhookDeliveryJobId({ eventId: replaced.id, run: 0 }));
    expect(await d.store.startRedelivery(replaced.id)).toBe(1);
    await d.jobs.enqueue({ eventId: replaced.id, run: 1 });
    await d.jobs.enqueue({ eventId: waiting.id, run: 0 });
    await redis.del(d.keys.webhookDelivery(expired.id));

    for (let sweep = 0; sweep < 2; sweep++) {
      const outcomes = await d.reconciler.sweep();
      expect([outcomes.get(waiting.id), outcomes.get(active.id), outcomes.get(replaced.id)]).toEqual(['alive', 'alive', 'alive']);
      expect(outcomes.has(expired.id)).toBe(sweep === 0);
    }
    expect((await d.jobs.inspect(webhookDeliveryJobId({ eventId: active.id, run: 0 }))).state).toBe('active');
    expect((await d.jobs.inspect(webhookDeliveryJobId({ eventId: replaced.id, run: 0 }))).state).toBe('failed');
    expect(await d.store.attemptsOfRun(replaced.id, 0)).toEqual([]);
  });

  it('two API replicas sweeping the same failed job at once record its lost try once, and leave one job', async () => {
    const d = deployment();
    const e = d.event();
    await d.store.open(e, 'http://127.0.0.1:9/hook');
    await d.jobs.enqueue({ eventId: e.id, run: 0 });
    const jobId = webhookDeliveryJobId({ eventId: e.id, run: 0 });
    await d.failForGood(jobId);
    const other = d.replica();

    await Promise.all([d.reconciler.sweep(), other.reconciler.sweep(), d.reconciler.sweep(), other.reconciler.sweep()]);
    expect(await d.store.attemptsOfRun(e.id, 0)).toEqual([expect.objectContaining({ statusCode: null, state: 'pending' })]);
    expect((await d.jobs.inspect(jobId)).state).toBe('delayed');
    expect((await d.queue.getJobs()).map((job) => job.id)).toEqual([jobId]);
  });

  it('runs in the app that imports WebhookDeliveryReconcilerModule, sweeping every WEBHOOK_RECONCILE_INTERVAL_MS until it stops', async () => {
    const d = deployment();
    const e = d.event();
    await d.store.open(e, 'http://127.0.0.1:9/hook');
    await d.jobs.enqueue({ eventId: e.id, run: 0 });
    const jobId = webhookDeliveryJobId({ eventId: e.id, run: 0 });
    await d.failForGood(jobId);

    const app = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ load: [RedisConfig, WebhookDeliveryConfig], env: { REDIS_URL, VERDICT_KEY_PREFIX: d.prefix, WEBHOOK_RECONCILE_INTERVAL_MS: '100', WEBHOOK_RETRY_SCHEDULE: '1h' } }),
        JobQueuesModule.forConnection('producer'),
        WebhookDeliveryReconcilerModule,
      ],
    }).compile();
    await app.init();
    closing.push(() => app.close());
    expect(app.get(WebhookDeliveryReconciler)).toBeInstanceOf(WebhookDeliveryReconciler);

    await until('the lost try recorded and the job queued again', async () => (await d.jobs.inspect(jobId)).state === 'delayed' && (await d.store.triesOfRun(e.id, 0)) === 1);
    expect(await d.store.stateOf(e.id)).toEqual({ state: 'pending', run: 0 });
  });
});
