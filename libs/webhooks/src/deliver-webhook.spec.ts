import { Logger } from '@nestjs/common';
import { RedisConfig, WebhookDeliveryConfig, WebhookSigningConfig, loadConfig } from '@verdict/config';
import { InterruptedJob, PermanentJobFailure, ReceivedJob, RescheduledJob } from '@verdict/job-queues';
import { MetricsRegistry, WebhookMetrics } from '@verdict/metrics';
import { RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import net, { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Exposition } from '../../metrics/src/exposition.spec-support';
import { CallbackHttpClient, CallbackOutcome } from './callback-http-client';
import { DeliverWebhook } from './deliver-webhook';
import { FullBacklogListener } from './full-backlog-listener.spec-support';
import { systemResolver } from './guarded-lookup';
import { RecordedAttempt, WebhookDelivery, WebhookDeliveryStore } from './webhook-delivery-store';
import { submissionEventId, submissionSubject } from './webhook-event';
import { WebhookSigner } from './webhook-signer';
import { NO_TENANTS } from './webhooks.spec-support';

/**
 * DeliverWebhook with its store and HTTP client in memory (the signer and the retry decisions are
 * the real ones); then with every part real, on Redis, against receivers on this machine that time out.
 */

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const EVENT_ID = 'msg_0c8a4f5e-1b2c-4d3e-8f90-a1b2c3d4e5f6_1';
const TRACEPARENT = '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01';
const BODY = '{"type":"submission.completed","timestamp":"2026-12-01T00:00:00.000Z","data":{"verdict":"AC"}}';

class FakeStore {
  delivery: WebhookDelivery = { eventId: EVENT_ID, type: 'submission.completed', url: 'https://grader.example/hook', body: BODY, traceparent: TRACEPARENT, tenantId: null, createdAt: '2026-12-01T00:00:00.000Z', state: 'pending', run: 0 };
  readonly attempts: RecordedAttempt[] = [];

  async get(eventId: string): Promise<WebhookDelivery | null> {
    return eventId === this.delivery.eventId ? { ...this.delivery } : null;
  }
  async triesOfRun(_eventId: string, run: number): Promise<number> {
    return this.attempts.filter((a) => a.run === run).length;
  }
  async recordAttempt(_eventId: string, attempt: RecordedAttempt): Promise<void> {
    this.attempts.push(attempt);
    if (attempt.run === this.delivery.run) this.delivery.state = attempt.state;
  }
}

/** Answers each POST with the next outcome of its script, recording what it was sent. */
class ScriptedClient {
  readonly sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  constructor(private readonly script: CallbackOutcome[]) {}
  async post(url: string, headers: Record<string, string>, body: string): Promise<CallbackOutcome> {
    this.sent.push({ url, headers, body });
    return this.script.shift() ?? { kind: 'answered', response: { statusCode: 200, body: '', bodyTruncated: false, retryAfterMs: null } };
  }
}

const status = (statusCode: number, body = ''): CallbackOutcome => ({ kind: 'answered', response: { statusCode, body, bodyTruncated: false, retryAfterMs: null } });
const job = (data: unknown = { eventId: EVENT_ID, run: 0 }): ReceivedJob => ({ id: `${EVENT_ID}-0`, data, attempt: 1, maxAttempts: 5 });

describe('DeliverWebhook', () => {
  let store: FakeStore;
  let client: ScriptedClient;
  let deliver: DeliverWebhook;
  let metrics: MetricsRegistry;

  /** The tries counted so far, by outcome, and the histograms' counts. */
  async function counted(): Promise<{ outcomes: Record<string, number>; timed: number; latencies: number }> {
    const exposition = new Exposition((await metrics.exposition()).text);
    // Every outcome is exported from 0: the ones that moved.
    const outcomes = Object.fromEntries(exposition.matching('verdict_webhook_deliveries_total', { event: 'submission.completed' }).filter((s) => s.value > 0).map((s) => [s.labels.outcome, s.value]));
    return { outcomes, timed: exposition.value('verdict_webhook_delivery_duration_seconds_count'), latencies: exposition.value('verdict_webhook_delivery_latency_seconds_count') };
  }

  function setUp(script: CallbackOutcome[]): void {
    store = new FakeStore();
    client = new ScriptedClient(script);
    const signer = new WebhookSigner(loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: SECRET }), NO_TENANTS);
    const config = loadConfig(WebhookDeliveryConfig, { WEBHOOK_RETRY_SCHEDULE: '1s,1m' });
    metrics = new MetricsRegistry('webhook-deliverer');
    deliver = new DeliverWebhook(store as unknown as WebhookDeliveryStore, signer, client as unknown as CallbackHttpClient, config, metrics.group(WebhookMetrics));
  }

  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('sends the stored body, signed and with the submission\'s traceparent, and records the try as delivered', async () => {
    setUp([status(200, 'thanks')]);
    await expect(deliver.execute(job())).resolves.toBe('delivered');
    const [sent] = client.sent;
    expect(sent.url).toBe('https://grader.example/hook');
    expect(sent.body).toBe(BODY);
    expect(sent.headers.traceparent).toBe(TRACEPARENT);
    expect(new Webhook(SECRET).verify(sent.body, sent.headers)).toEqual(JSON.parse(BODY));
    expect(store.attempts).toEqual([
      expect.objectContaining({ run: 0, statusCode: 200, error: null, responseBody: 'thanks', state: 'delivered', nextAttemptAt: null }),
    ]);
    // Its latency is observed once, counted from the result's timestamp in the body.
    expect(await counted()).toEqual({ outcomes: { delivered: 1 }, timed: 1, latencies: 1 });
    const latency = new Exposition((await metrics.exposition()).text).value('verdict_webhook_delivery_latency_seconds_sum');
    expect(latency).toBeLessThanOrEqual((Date.now() - Date.parse('2026-12-01T00:00:00.000Z')) / 1000);
    expect(latency).toBeGreaterThan((Date.now() - Date.parse('2026-12-01T00:00:00.000Z')) / 1000 - 60);
  });

  it('puts a failed try back on the schedule, then dead-letters after the last; every try the same event id and body', async () => {
    setUp([status(503), { kind: 'unreachable', error: 'connect ECONNREFUSED 203.0.113.9:443' }, status(502)]);
    const first = await deliver.execute(job()).catch((e: Error) => e);
    expect(first).toBeInstanceOf(RescheduledJob);
    expect((first as RescheduledJob).delayMs).toBeGreaterThanOrEqual(1000);
    expect((first as RescheduledJob).delayMs).toBeLessThanOrEqual(1200);
    const second = await deliver.execute(job()).catch((e: Error) => e);
    expect((second as RescheduledJob).delayMs).toBeGreaterThanOrEqual(60_000);
    const third = await deliver.execute(job()).catch((e: Error) => e);
    expect(third).toBeInstanceOf(PermanentJobFailure);
    expect((third as Error).message).toBe('dead-lettered: HTTP 502; no tries left (3 made)');

    expect(store.attempts.map((a) => [a.statusCode, a.error, a.state])).toEqual([
      [503, 'HTTP 503', 'pending'],
      [null, 'connect ECONNREFUSED 203.0.113.9:443', 'pending'],
      [502, 'HTTP 502; no tries left (3 made)', 'dead-lettered'],
    ]);
    expect(store.attempts[0].nextAttemptAt).not.toBeNull();
    expect(new Set(client.sent.map((s) => s.headers['webhook-id']))).toEqual(new Set([EVENT_ID]));
    expect(new Set(client.sent.map((s) => s.body))).toEqual(new Set([BODY]));
    expect(await counted()).toEqual({ outcomes: { retry: 2, dead_lettered: 1 }, timed: 3, latencies: 0 });
  });

  it('ends at once on a 4xx the receiver means', async () => {
    setUp([status(410, 'gone')]);
    const error = await deliver.execute(job()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(PermanentJobFailure);
    expect(store.attempts).toEqual([expect.objectContaining({ statusCode: 410, responseBody: 'gone', state: 'failed', error: 'HTTP 410: the receiver refused the event' })]);
    expect((await counted()).outcomes).toEqual({ failed: 1 });
  });

  it('records a refused address as a failure with its reason', async () => {
    setUp([{ kind: 'refused', error: 'grader.example refused: 10.0.0.8 is a private address' }]);
    await expect(deliver.execute(job())).rejects.toBeInstanceOf(PermanentJobFailure);
    expect(store.attempts).toEqual([expect.objectContaining({ statusCode: null, state: 'failed', error: 'grader.example refused: 10.0.0.8 is a private address' })]);
    expect((await counted()).outcomes).toEqual({ refused: 1 });
  });

  it('counts the tries of the current run only: a redelivery starts the schedule afresh', async () => {
    setUp([status(503), status(503), status(503)]);
    const earlierRun: RecordedAttempt = { run: 0, startedAt: '2026-12-01T00:00:00.000Z', durationMs: 3, statusCode: 503, error: 'HTTP 503', responseBody: '', responseBodyTruncated: false, state: 'pending', nextAttemptAt: null };
    store.attempts.push(earlierRun, earlierRun, { ...earlierRun, state: 'dead-lettered' });
    store.delivery.run = 1;
    const error = await deliver.execute(job({ eventId: EVENT_ID, run: 1 })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(RescheduledJob);
    expect((error as RescheduledJob).delayMs).toBeLessThanOrEqual(1200);
  });

  it('sends nothing for a delivery that has ended or a job of another run (a duplicate)', async () => {
    setUp([]);
    store.delivery.state = 'delivered';
    await expect(deliver.execute(job())).resolves.toBe('delivered');
    store.delivery = { ...store.delivery, state: 'pending', run: 1 };
    await expect(deliver.execute(job({ eventId: EVENT_ID, run: 0 }))).resolves.toBe('pending');
    expect(client.sent).toEqual([]);
  });

  it('a try cut short by shutdown goes back unrecorded', async () => {
    setUp([{ kind: 'interrupted' }]);
    await expect(deliver.execute(job())).rejects.toBeInstanceOf(InterruptedJob);
    expect(store.attempts).toEqual([]);
  });

  it('fails a job it cannot read, or whose event has expired', async () => {
    setUp([]);
    await expect(deliver.execute(job({ eventId: 'nope', run: -1 }))).rejects.toThrow(/unreadable webhook delivery job .*eventId must be a webhook event id/);
    await expect(deliver.execute(job({ eventId: 'msg_gone_1', run: 0 }))).rejects.toThrow('webhook event msg_gone_1 is unknown or expired');
    expect(client.sent).toEqual([]);
  });
});

describe('DeliverWebhook against Redis and receivers on this machine that never answer', () => {
  const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const env = { REDIS_URL, VERDICT_KEY_PREFIX: `unit-${randomBytes(4).toString('hex')}` };
  const keys = new RedisKeys(loadConfig(RedisConfig, env));
  const redis = new Redis(REDIS_URL);
  const backlogFull = new FullBacklogListener();
  /** Takes every TCP connection and never reads, answers or closes one. */
  const silent = net.createServer((socket) => void held.push(socket));
  const held: net.Socket[] = [];

  beforeAll(async () => {
    await backlogFull.start();
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await backlogFull.stop();
    for (const socket of held.splice(0)) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    const left = await redis.keys(`${keys.prefix}*`);
    if (left.length) await redis.del(...left);
    redis.disconnect();
  });
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  const cases: [string, () => string, string][] = [
    ['whose TCP connection is never established (accept queue full)', () => backlogFull.url('/hook'), 'no connection within 200 ms (WEBHOOK_CONNECT_TIMEOUT_MS)'],
    ['that takes the connection and never answers', () => `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`, 'no complete answer within 2000 ms (WEBHOOK_TIMEOUT_MS)'],
  ];

  it.each(cases)('a receiver %s: the try is recorded without a status, with the timeout named, and the delivery waits for its next try', async (_what, url, error) => {
    const config = loadConfig(WebhookDeliveryConfig, {
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      WEBHOOK_RETRY_SCHEDULE: '1m,1h',
      WEBHOOK_CONNECT_TIMEOUT_MS: '200',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    const store = new WebhookDeliveryStore(redis, keys, config);
    const signer = new WebhookSigner(loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: SECRET }), NO_TENANTS);
    const deliver = new DeliverWebhook(store, signer, new CallbackHttpClient(config, systemResolver), config, new MetricsRegistry('webhook-deliverer').group(WebhookMetrics));
    const submissionId = `0c8a4f5e-1b2c-4d3e-8f90-${randomBytes(6).toString('hex')}`;
    const event = { id: submissionEventId(submissionId, 1), type: 'submission.completed', subject: submissionSubject(submissionId), body: BODY, traceparent: TRACEPARENT, tenantId: null };
    await store.open(event, url());

    const thrown = await deliver.execute({ id: `${event.id}-0`, data: { eventId: event.id, run: 0 }, attempt: 1, maxAttempts: 5 }).catch((e: Error) => e);
    expect(thrown).toBeInstanceOf(RescheduledJob);
    expect((thrown as RescheduledJob).message).toBe(`${error}; try 2 of ${event.id} in ${(thrown as RescheduledJob).delayMs} ms`);

    const [view] = await store.viewsOf(event.subject);
    expect(view).toMatchObject({ eventId: event.id, state: 'pending', redeliveries: 0 });
    expect(view.attempts).toEqual([
      { attempt: 1, run: 0, startedAt: expect.any(String), durationMs: expect.any(Number), statusCode: null, error, responseBody: null, responseBodyTruncated: false, state: 'pending', nextAttemptAt: expect.any(String) },
    ]);
    expect(Date.parse(view.attempts[0].nextAttemptAt!)).toBeGreaterThan(Date.parse(view.attempts[0].startedAt));
  });
});
