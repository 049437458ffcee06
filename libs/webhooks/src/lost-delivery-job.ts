import { QueuedJobStatus } from '@verdict/job-queues';
import { decideAfterTry } from './delivery-decision';
import { RecordedAttempt } from './webhook-delivery-store';

/**
 * What became of the job of a pending delivery's run when it will never try the delivery again by
 * itself: BullMQ failed it outside DeliverWebhook's own ends (its tries for faults of the process
 * used up, stalled more than allowed, ...), it completed although the delivery is still pending
 * under its run, or there is no such job (removed, cleaned, drained, obliterated, or never queued).
 */
export type LostDeliveryJob =
  | { kind: 'failed'; failedReason: string; processedOn: number | null; finishedOn: number | null }
  | { kind: 'completed'; finishedOn: number | null }
  | { kind: 'gone' };

/** The job's loss, or null while it may still try the delivery (waiting, delayed, prioritized, active). */
export function lostDeliveryJob(status: QueuedJobStatus): LostDeliveryJob | null {
  switch (status.state) {
    case 'failed':
      return { kind: 'failed', failedReason: status.failedReason ?? 'no reason recorded', processedOn: status.processedOn, finishedOn: status.finishedOn };
    case 'completed':
      return { kind: 'completed', finishedOn: status.finishedOn };
    case 'unknown':
      return { kind: 'gone' };
    default:
      return null;
  }
}

/** Which end of a job a loss is: a job put back and lost again is a new loss. */
export function lossKey(loss: LostDeliveryJob): string {
  return loss.kind === 'gone' ? 'gone' : `${loss.kind}@${loss.finishedOn ?? 'unknown'}`;
}

/**
 * The try a failed job stands for: a worker took the job and BullMQ failed it without DeliverWebhook
 * recording a try (the process crashed or stalled mid-try, or the try's fault was one of the process,
 * such as Redis, on every one of the job's own tries). Whether the receiver got it is unknown, so it
 * counts as a try without an answer: the next waits as the schedule says, and past the schedule's
 * last entry the delivery is dead-lettered, so a job that fails every time ends.
 */
export function lostTry(
  loss: Extract<LostDeliveryJob, { kind: 'failed' }>,
  run: number,
  triesBefore: number,
  scheduleMs: readonly number[],
  now: number,
  random: () => number = Math.random,
): RecordedAttempt {
  const error = `the delivery job failed in the queue, its try unrecorded (${loss.failedReason})`;
  const decision = decideAfterTry({ kind: 'unreachable', error }, triesBefore + 1, scheduleMs, random);
  const startedAt = loss.processedOn ?? loss.finishedOn ?? now;
  const retrying = decision.state === 'retrying';
  return {
    run,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Math.max(0, (loss.finishedOn ?? startedAt) - startedAt),
    statusCode: null,
    // Retrying, the reason is the error itself; dead-lettered, it says no tries are left.
    error: decision.state === 'delivered' ? error : decision.reason,
    responseBody: null,
    responseBodyTruncated: false,
    state: retrying ? 'pending' : 'dead-lettered',
    nextAttemptAt: retrying ? new Date(now + decision.delayMs).toISOString() : null,
  };
}

/**
 * A loss other than a failure is acted on only when two sweeps in a row saw the same one: a job
 * briefly missing (the delivery opened an instant before its job was queued) is never mistaken for
 * a lost one. A failure is final in BullMQ, and acted on at once.
 */
export class LossObservations {
  private previous = new Map<string, string>();
  private current = new Map<string, string>();

  /** Records this sweep's loss of a job; true when the previous sweep saw the same. */
  confirm(jobId: string, loss: LostDeliveryJob): boolean {
    const key = lossKey(loss);
    this.current.set(jobId, key);
    return this.previous.get(jobId) === key;
  }

  /** Ends a sweep: what it saw is what the next compares against; a job it did not see is forgotten. */
  endSweep(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}
