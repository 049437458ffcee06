import { Module } from '@nestjs/common';
import { RedisModule } from '@verdict/redis';
import { ApiKeyRateLimiter } from './api-key-rate-limiter';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * Per-API-key request rate limits kept in Redis. Needs RedisConfig and RateLimitConfig
 * (ConfigModule.forRoot). The app registers the guard: `{ provide: APP_GUARD, useClass: RateLimitGuard }`
 * after ApiKeyGuard's.
 */
@Module({
  imports: [RedisModule],
  providers: [ApiKeyRateLimiter, RateLimitGuard],
  exports: [ApiKeyRateLimiter, RateLimitGuard],
})
export class RateLimitsModule {}
