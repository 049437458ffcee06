import { IsInt, Max, Min } from 'class-validator';

/** Retry and retention policy of judge jobs, set by the producer when it enqueues. */
export class JudgeQueueConfig {
  /** Tries of a job that hit an infrastructure fault (Docker down, image missing); verdicts never retry. */
  @IsInt() @Min(1) @Max(20)
  JOB_ATTEMPTS: number = 4;

  /** First retry delay; doubles on each further try. */
  @IsInt() @Min(0)
  JOB_BACKOFF_MS: number = 2000;

  /** How long finished jobs stay in the queue for inspection (results live in the submission store). */
  @IsInt() @Min(60)
  JOB_RETENTION_SECONDS: number = 24 * 3600;

  /**
   * How long a removed judge job may stay gone before its unfinished submission is failed with the
   * reason: an operator who removes a job to add it again under the same id does so within it.
   */
  @IsInt() @Min(0)
  JOB_REMOVAL_GRACE_MS: number = 10000;

  /**
   * Interval of the API's sweeps over unfinished submissions. The reconciler's fails those whose job
   * vanished without an event (cleaned, drained, obliterated, never queued) or whose event was
   * missed: a job must be seen so on two sweeps in a row, so such a submission ends within two
   * intervals. The queue-age sweep ends those queued longer than MAX_QUEUE_AGE_SECONDS: within one
   * interval of their bound.
   */
  @IsInt() @Min(100)
  JOB_RECONCILE_INTERVAL_MS: number = 60000;

  /**
   * The longest a submission may stay queued (never taken by a worker) before it ends `failed`
   * with the message "expired in queue", counted from when its current judging was queued: its
   * acceptance, or the rejudge that queued it again (a rejudge of an old submission must not be
   * expired at once). Every judging has a bound: there is no value that turns it off (0 is
   * refused at start-up); a deployment whose queues may rightly wait longer, as a large rejudge on
   * few workers, sets a larger one. Running submissions are never expired. It should stay below
   * SUBMISSION_RETENTION_SECONDS (a warning at start-up otherwise): a record that expires first
   * is forgotten, not failed.
   */
  @IsInt() @Min(1)
  MAX_QUEUE_AGE_SECONDS: number = 3600;
}
