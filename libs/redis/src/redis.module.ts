import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { RedisConfig } from '@verdict/config';
import Redis from 'ioredis';
import { RedisKeys } from './redis-keys';
import { redisOptionsFromUrl } from './redis-options';

/** Injection token of the shared command connection (not for blocking commands: duplicate it). */
export const REDIS = Symbol('REDIS');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Module({
  providers: [
    RedisKeys,
    RedisLifecycle,
    {
      provide: REDIS,
      inject: [RedisConfig],
      useFactory: async (config: RedisConfig): Promise<Redis> => {
        // No offline queue: while Redis is unreachable a request fails at once instead of hanging.
        const redis = new Redis({
          ...redisOptionsFromUrl(config.REDIS_URL),
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 2,
          // Commands issued in the same tick go out in one write: under load the API's requests
          // share socket writes instead of paying a system call each.
          enableAutoPipelining: true,
        });
        redis.on('error', () => undefined); // reconnects on its own; failed commands report the error
        try {
          await redis.connect();
        } catch (error) {
          throw new Error(`Cannot connect to Redis at ${config.REDIS_URL} (REDIS_URL): ${(error as Error).message}`);
        }
        return redis;
      },
    },
  ],
  exports: [REDIS, RedisKeys],
})
export class RedisModule {}
