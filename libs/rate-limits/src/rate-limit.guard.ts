import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RateLimitConfig } from '@verdict/config';
import { RateLimitMetrics } from '@verdict/metrics';
import { AuthenticatedRequest, Public } from '@verdict/tenants';
import { ApiKeyRateLimiter } from './api-key-rate-limiter';
import { rateLimitField, rateLimitPolicyField } from './rate-limit-headers';
import { RateLimitExceededError } from './rate-limit-exceeded.error';

/** The metadata key `@Public()` sets (read from the decorator itself, so the two cannot drift apart). */
const IS_PUBLIC = Public().KEY;

/**
 * Limits each API key to RATE_LIMIT_REQUESTS requests per RATE_LIMIT_WINDOW_SECONDS, across every
 * API replica (the count is in Redis). Runs after `ApiKeyGuard`, whose principal it counts by key
 * id (admins' keys too). Not counted: `@Public()` routes, requests without a principal, other
 * transports than HTTP, everything when RATE_LIMIT_ENABLED=false.
 *
 * A counted request gets `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers);
 * one over the budget also `Retry-After` (seconds, at least 1) and is refused with
 * `RateLimitExceededError` (kind `rate-limited`, 429), counted by the key's tenant
 * (verdict_rate_limited_total). A Redis failure passes through unchanged
 * (the API's error filter answers 503): nothing is let through or refused on a guess.
 *
 * To wire: `{ provide: APP_GUARD, useClass: RateLimitGuard }` after ApiKeyGuard's, with
 * RateLimitsModule imported.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: ApiKeyRateLimiter,
    private readonly config: RateLimitConfig,
    private readonly metrics: RateLimitMetrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.enabled() || context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const principal = http.getRequest<AuthenticatedRequest>().principal;
    if (!principal) return true;

    const decision = await this.limiter.consume(principal.keyId);
    const reply = http.getResponse<unknown>();
    setHeader(reply, 'RateLimit-Policy', rateLimitPolicyField(decision.limit, decision.windowSeconds));
    if (decision.allowed) {
      setHeader(reply, 'RateLimit', rateLimitField(decision.remaining, decision.resetSeconds));
      return true;
    }
    const retryAfter = Math.max(1, decision.resetSeconds);
    setHeader(reply, 'RateLimit', rateLimitField(0, retryAfter));
    setHeader(reply, 'Retry-After', String(retryAfter));
    this.metrics.rateLimited(principal.tenantId);
    throw new RateLimitExceededError(principal.keyId, decision.limit, decision.windowSeconds, retryAfter);
  }
}

/** On the reply that is sent, or that the error filter then sends (Fastify's `reply.header`). */
function setHeader(reply: unknown, name: string, value: string): void {
  (reply as { header(name: string, value: string): unknown }).header(name, value);
}
