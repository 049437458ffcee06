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
}
