/**
 * The RateLimit header fields of draft-ietf-httpapi-ratelimit-headers (the -10/-11 syntax:
 * Structured Field lists of items named after a policy). Verdict has one policy, per API key.
 */

/** The policy's name in both fields. */
export const RATE_LIMIT_POLICY_NAME = 'default';

/** `RateLimit-Policy: "default";q=<requests per window>;w=<window in seconds>`: the quota, the same on every response. */
export function rateLimitPolicyField(limit: number, windowSeconds: number): string {
  return `"${RATE_LIMIT_POLICY_NAME}";q=${limit};w=${windowSeconds}`;
}

/** `RateLimit: "default";r=<requests remaining>;t=<seconds until the budget is whole again>`: this key's state now. */
export function rateLimitField(remaining: number, resetSeconds: number): string {
  return `"${RATE_LIMIT_POLICY_NAME}";r=${remaining};t=${resetSeconds}`;
}
