import { Test } from '@nestjs/testing';
import { ConfigModule, MetricsConfig, RateLimitConfig, RedisConfig } from '@verdict/config';
import { MetricsModule } from '@verdict/metrics';
import { ApiKeyRateLimiter } from './api-key-rate-limiter';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitsModule } from './rate-limits.module';
import { RateLimitsFixture, httpContext, newKeyId, tenantPrincipal } from './rate-limits.spec-support';

class Controller {
  handle(): void {}
}

describe('RateLimitsModule', () => {
  const f = new RateLimitsFixture({ RATE_LIMIT_REQUESTS: '7' });
  afterAll(() => f.close());

  it('provides the guard and the limiter, wired to Redis, RateLimitConfig and the API\'s metrics', async () => {
    const app = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ load: [RedisConfig, RateLimitConfig, MetricsConfig], env: f.env }), MetricsModule.forRoot({ app: 'api' }), RateLimitsModule],
    }).compile();
    try {
      expect(app.get(ApiKeyRateLimiter)).toBeInstanceOf(ApiKeyRateLimiter);
      const guard = app.get(RateLimitGuard);
      const key = newKeyId();
      const { context, reply } = httpContext(Controller, 'handle', tenantPrincipal(key));
      expect(await guard.canActivate(context)).toBe(true);
      expect(reply.headers['RateLimit-Policy']).toBe('"default";q=7;w=60');
      expect(await f.storedKeys()).toEqual([`{${f.env.VERDICT_KEY_PREFIX}}:rate-limit:api-key:${key}`]);
    } finally {
      await app.close();
    }
  });
});
