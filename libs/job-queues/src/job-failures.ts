/**
 * How a job's handler says a try failed, so the one `QueueProcessor` base maps it to BullMQ the
 * same way for every queue. Any other error is transient: retried with the queue's backoff.
 */

/** Trying again cannot help (a corrupt payload, a failing problem program): no retry. */
export class PermanentJobFailure extends Error {}
/** A fault outside the job (Docker, Redis, a receiver down): retried with the queue's backoff. */
export class TransientJobFailure extends Error {}
/** Cut short by this process's shutdown: the job goes back to the queue at once, its try not counted. */
export class InterruptedJob extends Error {}
/**
 * The handler schedules its next try itself, for a use case that keeps its own count and schedule of
 * tries (a webhook receiver that is down, or asks to come back later): the job waits `delayMs` in the
 * queue, without using up a try of the queue's own (those stay for faults of the process).
 */
export class RescheduledJob extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
  }
}
