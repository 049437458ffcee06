import { problemsOf } from './config.spec-support';
import { loadConfig } from './load-config';
import { RateLimitConfig } from './rate-limit.config';

describe('RateLimitConfig', () => {
  it('allows 600 requests per 60 s per key by default, and is on', () => {
    const config = loadConfig(RateLimitConfig, {});
    expect(config.RATE_LIMIT_REQUESTS).toBe(600);
    expect(config.RATE_LIMIT_WINDOW_SECONDS).toBe(60);
    expect(config.enabled()).toBe(true);
  });

  it('takes other limits, and can be turned off', () => {
    const config = loadConfig(RateLimitConfig, { RATE_LIMIT_REQUESTS: '5', RATE_LIMIT_WINDOW_SECONDS: '1', RATE_LIMIT_ENABLED: 'false' });
    expect(config.RATE_LIMIT_REQUESTS).toBe(5);
    expect(config.RATE_LIMIT_WINDOW_SECONDS).toBe(1);
    expect(config.enabled()).toBe(false);
  });

  it('names each bad variable, what it must be, and the value it got', () => {
    const message = problemsOf(() =>
      loadConfig(RateLimitConfig, { RATE_LIMIT_REQUESTS: '0', RATE_LIMIT_WINDOW_SECONDS: '1.5', RATE_LIMIT_ENABLED: 'yes' }),
    );
    expect(message).toContain('Invalid configuration (RateLimitConfig)');
    expect(message).toContain('RATE_LIMIT_REQUESTS must be at least 1 (to turn limits off, set RATE_LIMIT_ENABLED=false) (got "0")');
    expect(message).toContain('RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds (got "1.5")');
    expect(message).toContain('RATE_LIMIT_ENABLED must be true or false (got "yes")');
  });

  it('bounds the window to a day and the budget to a million', () => {
    expect(problemsOf(() => loadConfig(RateLimitConfig, { RATE_LIMIT_WINDOW_SECONDS: '86401' }))).toContain('RATE_LIMIT_WINDOW_SECONDS must be at most 86400 (a day) (got "86401")');
    expect(problemsOf(() => loadConfig(RateLimitConfig, { RATE_LIMIT_REQUESTS: 'many' }))).toContain('RATE_LIMIT_REQUESTS must be a whole number of requests per window (got "many")');
  });
});
