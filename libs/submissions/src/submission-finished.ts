import { Verdict } from '@verdict/contracts';

/** The name `SubmissionFinished` is announced under on the API's in-process event bus. */
export const SUBMISSION_FINISHED = 'submission.finished';

/**
 * A submission reached its final state (completed with a verdict, failed, or cancelled before it
 * started), as stored. Announced in-process once its final result is applied (or it is cancelled,
 * or fails "expired in queue" before it started: `QueuedSubmissionExpiry`), for what follows a
 * result: webhooks, live progress, batch counters, metrics. At least once: an
 * announcement lost to a crash is made again when the final result is redelivered, and a late
 * duplicate of a final announces again too, so a subscriber is idempotent, keyed by `submissionId`,
 * `judging` and `attempt` (one try of one judging of the submission).
 */
export interface SubmissionFinished {
  submissionId: string;
  status: 'completed' | 'failed' | 'cancelled';
  /** Null when cancelled (never judged). */
  verdict: Verdict | null;
  /** The judging try whose final result is stored (0 when cancelled or expired in the queue before any). */
  attempt: number;
  /** Which judging of the submission ended: 1, then one more per rejudge (a rejudge's result is a new event). */
  judging: number;
  /** The batch of this judging (a batch or a rejudge), if any. */
  batchId: string | null;
  traceId: string;
}
