import { RedisConfig, ResultStreamConfig, loadConfig } from '@verdict/config';
import { JudgeQueueGauges, MetricsRegistry } from '@verdict/metrics';
import { RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Exposition } from '../../metrics/src/exposition.spec-support';
import { ResultStreamCensus } from './result-stream-census';

/** The result stream's gauges against real Redis (7: XINFO GROUPS has `lag`), under a key prefix of its own, deleted after. */
describe('ResultStreamCensus', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `unit-${randomBytes(4).toString('hex')}`;
  const keys = new RedisKeys(loadConfig(RedisConfig, { VERDICT_KEY_PREFIX: prefix }));
  const config = loadConfig(ResultStreamConfig, {});
  const group = config.RESULT_STREAM_GROUP;
  const metrics = new MetricsRegistry('api');
  const census = new ResultStreamCensus(redis, keys, config, metrics.group(JudgeQueueGauges));

  afterAll(async () => {
    const left = await redis.keys(`{${prefix}}*`);
    if (left.length) await redis.del(...left);
    redis.disconnect();
  });

  it('reads nothing pending and nothing behind before the stream or its group exists', async () => {
    expect(await census.read()).toEqual({ pending: 0, lag: 0 });
    await redis.xadd(keys.resultStream, '*', 'type', 'running');
    expect(await census.read()).toEqual({ pending: 0, lag: 0 });
  });

  it("reads the group's entries delivered and not acknowledged, and those not yet delivered, as the API exports them", async () => {
    await redis.xgroup('CREATE', keys.resultStream, group, '0');
    for (const type of ['compiled', 'tests', 'final']) await redis.xadd(keys.resultStream, '*', 'type', type);
    // Four entries in all; a consumer reads three and acknowledges one.
    const [[, read]] = (await redis.xreadgroup('GROUP', group, 'api-1', 'COUNT', 3, 'STREAMS', keys.resultStream, '>')) as [string, [string, string[]][]][];
    await redis.xack(keys.resultStream, group, read[0][0]);
    expect(await census.read()).toEqual({ pending: 2, lag: 1 });

    census.onModuleInit();
    const exposition = new Exposition((await metrics.exposition()).text);
    expect(exposition.value('verdict_result_stream_pending_entries')).toBe(2);
    expect(exposition.value('verdict_result_stream_lag_entries')).toBe(1);
  });
});
