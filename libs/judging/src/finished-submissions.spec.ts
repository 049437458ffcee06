import { RedisConfig, loadConfig } from '@verdict/config';
import { SUBMISSION_STATUSES } from '@verdict/contracts';
import { RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { FinishedSubmissions } from './finished-submissions';

/** Against real Redis, under a key prefix of its own (deleted after): the record as the API's store writes its status. */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SUBMISSION_ID = '7d5e7b4e-1d2a-4c1e-9a57-2b0c7f1e8a11';

describe('FinishedSubmissions', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `unit-${randomBytes(4).toString('hex')}`;
  const keys = new RedisKeys(loadConfig(RedisConfig, { REDIS_URL, VERDICT_KEY_PREFIX: prefix }));
  const finished = new FinishedSubmissions(redis, keys);

  afterEach(async () => {
    const left = await redis.keys(`{${prefix}}*`);
    if (left.length) await redis.del(...left);
  });
  afterAll(() => redis.disconnect());

  it.each(SUBMISSION_STATUSES.map((status) => [status]))('reads a %s submission as final only when its status is terminal', async (status) => {
    await redis.hset(keys.submission(SUBMISSION_ID), { id: SUBMISSION_ID, status, verdict: 'IE', message: 'expired in queue' });
    const expected = ['completed', 'failed', 'cancelled'].includes(status) ? status : null;
    expect(await finished.finalStatusOf(SUBMISSION_ID)).toBe(expected);
  });

  it('reads an unknown (or expired) submission, or a status it does not know, as not final: the job is judged', async () => {
    expect(await finished.finalStatusOf(SUBMISSION_ID)).toBeNull();
    await redis.hset(keys.submission(SUBMISSION_ID), { status: 'archived' });
    expect(await finished.finalStatusOf(SUBMISSION_ID)).toBeNull();
  });
});
