import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an Authorization header carries `Bearer <expected>`; true for any request when nothing is
 * expected. Compared as digests, in constant time: neither the token nor its length leaks.
 */
export function bearerTokenAllows(expected: string | null, authorization: string | string[] | undefined): boolean {
  if (expected === null) return true;
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(expected));
}

/** The challenge a refused scrape gets (RFC 6750). */
export const METRICS_CHALLENGE = 'Bearer realm="verdict-metrics"';
