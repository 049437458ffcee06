import { RedisConfig } from '@verdict/config';
import { QueueOptions } from 'bullmq';
import { RedisKeys } from './redis-keys';
import { redisOptionsFromUrl } from './redis-options';

/**
 * BullMQ connection settings by role. A producer (the API) must fail fast when Redis is down, so an
 * HTTP request gets an error instead of hanging; a worker must wait out outages (BullMQ requires
 * maxRetriesPerRequest null for its blocking connections).
 */
export type BullRole = 'producer' | 'worker';

export function bullOptions(config: RedisConfig, keys: RedisKeys, role: BullRole): QueueOptions {
  const connection = redisOptionsFromUrl(config.REDIS_URL);
  return {
    prefix: keys.bullPrefix,
    connection:
      role === 'producer'
        ? { ...connection, enableOfflineQueue: false, maxRetriesPerRequest: 1 }
        : { ...connection, maxRetriesPerRequest: null },
  };
}
