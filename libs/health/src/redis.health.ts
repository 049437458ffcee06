import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HealthConfig } from '@verdict/config';
import { REDIS } from '@verdict/redis';
import Redis from 'ioredis';

/** Whether this process's own Redis connection (`REDIS`, what its requests use) answers a PING in time. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly indicators: HealthIndicatorService,
    private readonly config: HealthConfig,
  ) {}

  /**
   * Up when PING answers within READINESS_CHECK_TIMEOUT_MS. The connection has no offline queue,
   * so while Redis is unreachable the PING fails at once; the bound covers a Redis that accepts the
   * command and never answers.
   */
  isReachable<const K extends string = 'redis'>(key: K = 'redis' as K) {
    return this.indicators
      .check(key)
      .attempt(async () => {
        await this.redis.ping();
      })
      .withTimeout(this.config.READINESS_CHECK_TIMEOUT_MS);
  }
}
