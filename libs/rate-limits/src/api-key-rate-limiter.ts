import { Inject, Injectable } from '@nestjs/common';
import { RateLimitConfig } from '@verdict/config';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** What one request's consumption found. */
export interface RateLimitDecision {
  /** False: the key was over its budget before this request (which is then refused). */
  allowed: boolean;
  /** Requests per window (RATE_LIMIT_REQUESTS). */
  limit: number;
  /** The window in seconds (RATE_LIMIT_WINDOW_SECONDS). */
  windowSeconds: number;
  /** Requests the key may still make in this window. */
  remaining: number;
  /** Whole seconds (rounded up) until the window ends and the key has its whole budget again. */
  resetSeconds: number;
}

/** The rate-limit policy of API keys: its counters are `RedisKeys.rateLimit(API_KEY_RATE_LIMIT_POLICY):<keyId>`. */
export const API_KEY_RATE_LIMIT_POLICY = 'api-key';

/**
 * Counts each API key's requests in Redis (rate-limiter-flexible's `RateLimiterRedis`: one Lua
 * script increments a counter that expires with its window), so every API replica shares one
 * budget per key. A fixed window: it starts at the key's first request and lasts
 * RATE_LIMIT_WINDOW_SECONDS; refused requests are counted but do not lengthen it.
 *
 * A Redis failure rejects `consume` with Redis's error as it is: no request is let through or
 * refused on a guess (no in-memory insurance limiter).
 */
@Injectable()
export class ApiKeyRateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, keys: RedisKeys, private readonly config: RateLimitConfig) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.rateLimit(API_KEY_RATE_LIMIT_POLICY),
      points: config.RATE_LIMIT_REQUESTS,
      duration: config.RATE_LIMIT_WINDOW_SECONDS,
    });
  }

  /** Counts one request of the key `keyId` (an API key's public prefix). */
  async consume(keyId: string): Promise<RateLimitDecision> {
    try {
      return this.decision(true, await this.limiter.consume(keyId, 1));
    } catch (rejection) {
      // rate-limiter-flexible rejects with its result when the budget is used up, with an Error when Redis failed.
      if (rejection instanceof RateLimiterRes) return this.decision(false, rejection);
      throw rejection;
    }
  }

  /** Gives the key its whole budget back at once (deletes its counter). */
  async reset(keyId: string): Promise<void> {
    await this.limiter.delete(keyId);
  }

  private decision(allowed: boolean, result: RateLimiterRes): RateLimitDecision {
    return {
      allowed,
      limit: this.config.RATE_LIMIT_REQUESTS,
      windowSeconds: this.config.RATE_LIMIT_WINDOW_SECONDS,
      remaining: result.remainingPoints,
      resetSeconds: Math.max(0, Math.ceil(result.msBeforeNext / 1000)),
    };
  }
}
