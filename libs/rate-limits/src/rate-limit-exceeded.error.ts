import { DomainError } from '@verdict/contracts';

/** An API key over its request budget for the current window (kind `rate-limited`: the API answers 429). */
export class RateLimitExceededError extends DomainError {
  readonly kind = 'rate-limited';

  constructor(
    readonly keyId: string,
    readonly limit: number,
    readonly windowSeconds: number,
    /** Whole seconds, at least 1, until the key's window ends (the `Retry-After` value). */
    override readonly retryAfterSeconds: number,
  ) {
    super(`API key ${keyId} has used its ${limit} requests per ${windowSeconds} s; retry in ${retryAfterSeconds} s`);
  }
}
