import { CallbackOutcome } from './callback-http-client';

/**
 * Where a delivery stands. pending: queued, or waiting for its next try. delivered: the receiver
 * answered 2xx. failed: ended at once, trying again could not help (the receiver refused the event
 * with a 4xx other than 408 and 429, or redirected it; or the address is one the judge may not call).
 * dead-lettered: every try of the schedule failed in a way worth retrying.
 */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'dead-lettered'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** What follows one try. */
export type DeliveryDecision =
  | { state: 'delivered' }
  | { state: 'retrying'; reason: string; delayMs: number }
  | { state: 'failed' | 'dead-lettered'; reason: string };

/** Each wait of the schedule is lengthened by up to this share, so receivers coming back are not hit by every sender at once. */
export const RETRY_JITTER = 0.2;

/**
 * Decides what follows try `tryOfRun` (1 for the first) of a delivery, after `outcome` (not an
 * interruption: that try never counted). Worth retrying: 5xx, 408, 429, and no answer at all;
 * the wait is the schedule's entry for this try plus jitter, and never shorter than the receiver's
 * Retry-After (capped at the schedule's longest wait, so a receiver cannot park a delivery for
 * ever). Past the schedule's last entry the delivery is dead-lettered.
 */
export function decideAfterTry(outcome: Exclude<CallbackOutcome, { kind: 'interrupted' }>, tryOfRun: number, scheduleMs: readonly number[], random: () => number = Math.random): DeliveryDecision {
  let reason: string;
  let retryAfterMs: number | null = null;
  switch (outcome.kind) {
    case 'refused':
      return { state: 'failed', reason: outcome.error };
    case 'unreachable':
      reason = outcome.error;
      break;
    case 'answered': {
      const status = outcome.response.statusCode;
      if (status >= 200 && status < 300) return { state: 'delivered' };
      if (status >= 300 && status < 400) return { state: 'failed', reason: `HTTP ${status}: redirects are not followed` };
      if (status !== 408 && status !== 429 && status < 500) return { state: 'failed', reason: `HTTP ${status}: the receiver refused the event` };
      reason = `HTTP ${status}`;
      retryAfterMs = outcome.response.retryAfterMs;
      break;
    }
  }
  if (tryOfRun > scheduleMs.length) return { state: 'dead-lettered', reason: `${reason}; no tries left (${tryOfRun} made)` };
  const scheduled = Math.round(scheduleMs[tryOfRun - 1] * (1 + RETRY_JITTER * random()));
  const askedFor = retryAfterMs === null ? 0 : Math.min(retryAfterMs, Math.max(...scheduleMs));
  return { state: 'retrying', reason, delayMs: Math.max(scheduled, askedFor) };
}
