import { RedisConfig, loadConfig } from '@verdict/config';
import { RedisKeys } from './redis-keys';

describe('RedisKeys', () => {
  const keys = new RedisKeys(loadConfig(RedisConfig, { VERDICT_KEY_PREFIX: 'acme-prod' }));

  it('keeps rate-limit counters under the deployment hash tag, one prefix per policy', () => {
    expect(keys.rateLimit('api-key')).toBe('{acme-prod}:rate-limit:api-key');
    // rate-limiter-flexible appends ":<subject>"; the only hash tag stays the deployment's, so every counter shares its slot.
    expect(`${keys.rateLimit('api-key')}:AbCd1234`.match(/\{[^}]*\}/g)).toEqual(['{acme-prod}']);
  });
});
