import { RedisConfig, WebhookDeliveryConfig, loadConfig } from '@verdict/config';
import { RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { RecordedAttempt, WebhookDeliveryStore } from './webhook-delivery-store';
import { WebhookEvent, submissionEventId, submissionSubject } from './webhook-event';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TRACEPARENT = '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01';

/** The delivery records on real Redis, under a prefix of their own: here, the index of pending deliveries the reconciler sweeps. */
describe('WebhookDeliveryStore', () => {
  const env = { REDIS_URL, VERDICT_KEY_PREFIX: `unit-${randomBytes(4).toString('hex')}` };
  const keys = new RedisKeys(loadConfig(RedisConfig, env));
  const redis = new Redis(REDIS_URL);
  const store = new WebhookDeliveryStore(redis, keys, loadConfig(WebhookDeliveryConfig, {}));

  afterAll(async () => {
    const left = await redis.keys(`${keys.prefix}*`);
    if (left.length) await redis.del(...left);
    redis.disconnect();
  });

  function event(): WebhookEvent {
    const submissionId = `0c8a4f5e-1b2c-4d3e-8f90-${randomBytes(6).toString('hex')}`;
    return { id: submissionEventId(submissionId, 1), type: 'submission.completed', subject: submissionSubject(submissionId), body: '{"a":1}', traceparent: TRACEPARENT, tenantId: null };
  }
  const attempt = (run: number, state: RecordedAttempt['state']): RecordedAttempt => ({
    run,
    startedAt: new Date().toISOString(),
    durationMs: 1,
    statusCode: state === 'delivered' ? 204 : 503,
    error: state === 'delivered' ? null : 'HTTP 503',
    responseBody: '',
    responseBodyTruncated: false,
    state,
    nextAttemptAt: null,
  });
  async function pending(): Promise<string[]> {
    const ids: string[] = [];
    let cursor = '0';
    do {
      const page = await store.scanPending(cursor, 10);
      cursor = page.cursor;
      ids.push(...page.eventIds);
    } while (cursor !== '0');
    return ids.sort();
  }

  it('indexes a delivery as pending from its opening until a try of its run ends it, and again from a redelivery', async () => {
    const e = event();
    expect(await store.open(e, 'https://grader.example/hook')).toEqual({ state: 'pending', run: 0 });
    expect(await pending()).toContain(e.id);
    expect(await store.stateOf(e.id)).toEqual({ state: 'pending', run: 0 });

    await store.recordAttempt(e.id, attempt(0, 'pending'));
    expect(await pending()).toContain(e.id);
    await store.recordAttempt(e.id, attempt(0, 'delivered'));
    expect(await pending()).not.toContain(e.id);
    // Announced again: the delivery keeps what it was, and stays out of the index.
    expect(await store.open({ ...e, body: '{"a":2}' }, 'https://elsewhere.example/')).toEqual({ state: 'delivered', run: 0 });
    expect(await pending()).not.toContain(e.id);
    expect((await store.get(e.id))!.body).toBe('{"a":1}');

    expect(await store.startRedelivery(e.id)).toBe(1);
    expect(await pending()).toContain(e.id);
    // A try of the replaced run ends nothing.
    await store.recordAttempt(e.id, attempt(0, 'dead-lettered'));
    expect(await store.stateOf(e.id)).toEqual({ state: 'pending', run: 1 });
    expect(await pending()).toContain(e.id);
    expect((await store.attemptsOfRun(e.id, 0)).map((a) => a.state)).toEqual(['pending', 'delivered', 'dead-lettered']);
    expect(await store.attemptsOfRun(e.id, 1)).toEqual([]);
  });

  it('records a lost try once per end of its job, only for the run pending; past the schedule it ends the delivery', async () => {
    const e = event();
    await store.open(e, 'https://grader.example/hook');
    const lost = { ...attempt(0, 'pending'), statusCode: null, error: 'the delivery job failed in the queue, its try unrecorded (job stalled more than allowable limit)' };
    expect(await store.recordLostTry(e.id, lost, `${e.id}-0@1000`)).toBe(true);
    expect(await store.recordLostTry(e.id, lost, `${e.id}-0@1000`)).toBe(false);
    expect(await store.recordLostTry(e.id, { ...lost, run: 1 }, `${e.id}-1@1000`)).toBe(false);
    expect(await store.triesOfRun(e.id, 0)).toBe(1);

    expect(await store.recordLostTry(e.id, { ...lost, state: 'dead-lettered' }, `${e.id}-0@2000`)).toBe(true);
    expect(await store.stateOf(e.id)).toEqual({ state: 'dead-lettered', run: 0 });
    expect(await pending()).not.toContain(e.id);
    // Ended: no later end of a job is recorded.
    expect(await store.recordLostTry(e.id, lost, `${e.id}-0@3000`)).toBe(false);
    expect(await store.triesOfRun(e.id, 0)).toBe(2);
    expect(await store.stateOf('msg_nothing_1')).toBeNull();
  });

  it('forgetEnded drops only what ended or expired: a delivery pending again stays', async () => {
    const [ended, expired, open] = [event(), event(), event()];
    for (const e of [ended, expired, open]) await store.open(e, 'https://grader.example/hook');
    await redis.hset(keys.webhookDelivery(ended.id), 'state', 'delivered');
    await redis.del(keys.webhookDelivery(expired.id));
    await store.forgetEnded([ended.id, expired.id, open.id, 'msg_never_1']);
    const left = await pending();
    expect(left).toContain(open.id);
    expect(left).not.toContain(ended.id);
    expect(left).not.toContain(expired.id);
  });
});
