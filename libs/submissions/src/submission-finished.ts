import { Verdict } from '@verdict/contracts';

/** The name `SubmissionFinished` is announced under on the API's in-process event bus. */
export const SUBMISSION_FINISHED = 'submission.finished';

/**
 * A submission reached its final state (completed with a verdict, or failed), as stored. Announced
 * in-process once its final result is applied, for what follows a result: webhooks, live progress,
 * batch counters, metrics. At least once: an announcement lost to a crash is made again when the
 * final result is redelivered, and a late duplicate of a final announces again too, so a subscriber
 * is idempotent, keyed by `submissionId` and `attempt` (one judging of the submission).
 */
export interface SubmissionFinished {
  submissionId: string;
  status: 'completed' | 'failed';
  verdict: Verdict;
  /** The judging try whose final result is stored. */
  attempt: number;
  traceId: string;
}
