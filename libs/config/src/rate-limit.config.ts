import { IsIn, IsInt, Max, Min } from 'class-validator';

/**
 * Per-API-key request rate limits (`@verdict/rate-limits`): each key may make RATE_LIMIT_REQUESTS
 * requests per RATE_LIMIT_WINDOW_SECONDS, counted in Redis, so the limit holds across every API
 * replica together. Defaults: 600 requests per 60 s (10 a second on average), on.
 */
export class RateLimitConfig {
  /** Requests each API key may make per window (admins' keys too), across all API replicas. */
  @IsInt({ message: 'RATE_LIMIT_REQUESTS must be a whole number of requests per window' })
  @Min(1, { message: 'RATE_LIMIT_REQUESTS must be at least 1 (to turn limits off, set RATE_LIMIT_ENABLED=false)' })
  @Max(1_000_000, { message: 'RATE_LIMIT_REQUESTS must be at most 1000000' })
  RATE_LIMIT_REQUESTS: number = 600;

  /**
   * Length of the window in seconds. The window is fixed and starts at a key's first request in it:
   * once it ends, the key has its whole budget again.
   */
  @IsInt({ message: 'RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds' })
  @Min(1, { message: 'RATE_LIMIT_WINDOW_SECONDS must be at least 1' })
  @Max(86400, { message: 'RATE_LIMIT_WINDOW_SECONDS must be at most 86400 (a day)' })
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** false: no request is counted or refused, and no RateLimit header is sent. */
  @IsIn(['true', 'false'], { message: 'RATE_LIMIT_ENABLED must be true or false' })
  RATE_LIMIT_ENABLED: 'true' | 'false' = 'true';

  enabled(): boolean {
    return this.RATE_LIMIT_ENABLED === 'true';
  }
}
