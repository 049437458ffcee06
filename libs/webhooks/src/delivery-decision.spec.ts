import { CallbackOutcome } from './callback-http-client';
import { decideAfterTry } from './delivery-decision';

const SCHEDULE = [1000, 60_000, 3_600_000];
/** An outcome a try can have (an interrupted try is never decided on). */
type Tried = Exclude<CallbackOutcome, { kind: 'interrupted' }>;

const answered = (statusCode: number, retryAfterMs: number | null = null): Tried => ({ kind: 'answered', response: { statusCode, body: '', bodyTruncated: false, retryAfterMs } });
const noJitter = () => 0;

describe('decideAfterTry', () => {
  it.each([200, 201, 202, 204, 299])('%i: delivered', (status) => {
    expect(decideAfterTry(answered(status), 1, SCHEDULE)).toEqual({ state: 'delivered' });
  });

  it.each([400, 401, 403, 404, 410, 413, 422])('%i: failed at once, no retry', (status) => {
    expect(decideAfterTry(answered(status), 1, SCHEDULE)).toEqual({ state: 'failed', reason: `HTTP ${status}: the receiver refused the event` });
  });

  it.each([301, 302, 307, 308])('%i: failed, the redirect not followed', (status) => {
    expect(decideAfterTry(answered(status), 1, SCHEDULE)).toEqual({ state: 'failed', reason: `HTTP ${status}: redirects are not followed` });
  });

  it('an address refused: failed, with the reason', () => {
    expect(decideAfterTry({ kind: 'refused', error: '10.0.0.1 is a private address' }, 1, SCHEDULE)).toEqual({ state: 'failed', reason: '10.0.0.1 is a private address' });
  });

  it.each<[string, Tried, string]>([
    ['500', answered(500), 'HTTP 500'],
    ['503', answered(503), 'HTTP 503'],
    ['408', answered(408), 'HTTP 408'],
    ['429', answered(429), 'HTTP 429'],
    ['no answer', { kind: 'unreachable', error: 'connect ECONNREFUSED 127.0.0.1:9' }, 'connect ECONNREFUSED 127.0.0.1:9'],
  ])('%s: retried after the schedule\'s wait for that try', (_what, outcome, reason) => {
    expect(decideAfterTry(outcome, 1, SCHEDULE, noJitter)).toEqual({ state: 'retrying', reason, delayMs: 1000 });
    expect(decideAfterTry(outcome, 3, SCHEDULE, noJitter)).toEqual({ state: 'retrying', reason, delayMs: 3_600_000 });
  });

  it('adds up to 20% of jitter, never less than the schedule', () => {
    expect(decideAfterTry(answered(503), 2, SCHEDULE, () => 0.999)).toMatchObject({ delayMs: 71_988 });
    expect(decideAfterTry(answered(503), 2, SCHEDULE, () => 0.5)).toMatchObject({ delayMs: 66_000 });
  });

  it("waits at least the receiver's Retry-After, at most the schedule's longest wait", () => {
    expect(decideAfterTry(answered(429, 30_000), 1, SCHEDULE, noJitter)).toMatchObject({ state: 'retrying', delayMs: 30_000 });
    expect(decideAfterTry(answered(429, 10), 2, SCHEDULE, noJitter)).toMatchObject({ delayMs: 60_000 });
    expect(decideAfterTry(answered(503, 86_400_000), 1, SCHEDULE, noJitter)).toMatchObject({ delayMs: 3_600_000 });
  });

  it('dead-letters a delivery whose last try failed in a way worth retrying', () => {
    expect(decideAfterTry(answered(503), 4, SCHEDULE)).toEqual({ state: 'dead-lettered', reason: 'HTTP 503; no tries left (4 made)' });
    expect(decideAfterTry(answered(404), 4, SCHEDULE)).toEqual({ state: 'failed', reason: 'HTTP 404: the receiver refused the event' });
  });
});
