import { IsInt, Matches, Max, Min } from 'class-validator';

/** Tenant ids as `TENANT_ID_PATTERN` (libs/contracts) has them, each with a weight. */
const WEIGHTS = /^(?:[a-z0-9][a-z0-9-]{1,62}=[1-9][0-9]{0,2}(?:,[a-z0-9][a-z0-9-]{1,62}=[1-9][0-9]{0,2})*)?$/;

/**
 * Retry and retention policy of judge jobs, set by the producer when it enqueues, and how the
 * workers are shared (`FairDispatcher` in `@verdict/job-queues`): lanes are served highest first;
 * within a lane each tenant takes its weight in jobs per turn (deficit round robin), so one
 * tenant's backlog delays another's job by at most one round of slots.
 */
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

  /**
   * Tenants whose turn is worth more than one job: `tenant=weight` pairs, comma-separated
   * (`contest-site=3,course=2`); a weight is 1 to 999. Every other tenant, and the judge's own
   * work (an admin's), has weight 1.
   */
  @Matches(WEIGHTS, { message: 'FAIR_SHARE_WEIGHTS must be tenant=weight pairs separated by commas, each weight a whole number from 1 to 999 (e.g. contest-site=3,course=2)' })
  FAIR_SHARE_WEIGHTS: string = '';

  /**
   * Jobs handed to the workers beyond their free slots. 0 (the default): a job leaves its tenant's
   * queue only when a slot is free, so the next job is always the fair one; more hides the
   * hand-over's round trip at the cost of that many jobs chosen early.
   */
  @IsInt({ message: 'JUDGE_DISPATCH_LOOKAHEAD must be a whole number of jobs' })
  @Min(0, { message: 'JUDGE_DISPATCH_LOOKAHEAD must be 0 or more' })
  @Max(1000, { message: 'JUDGE_DISPATCH_LOOKAHEAD must be at most 1000' })
  JUDGE_DISPATCH_LOOKAHEAD: number = 0;

  /**
   * A worker's heartbeat: how often it renews its slots and hands out jobs without being woken (a
   * missed wake-up, a crashed hand-over). Its slots count for three intervals after the last one.
   */
  @IsInt({ message: 'JUDGE_DISPATCH_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(50, { message: 'JUDGE_DISPATCH_INTERVAL_MS must be at least 50' })
  @Max(60000, { message: 'JUDGE_DISPATCH_INTERVAL_MS must be at most 60000' })
  JUDGE_DISPATCH_INTERVAL_MS: number = 1000;

  /**
   * The global backlog bound: submissions waiting their turn, all tenants together. Past it, new
   * work is refused with 429 and a Retry-After from the drain rate rather than accepted to wait
   * longer than anyone would (each tenant's own bound is its maxQueued quota).
   */
  @IsInt({ message: 'JUDGE_BACKLOG_LIMIT must be a whole number of submissions' })
  @Min(1, { message: 'JUDGE_BACKLOG_LIMIT must be at least 1' })
  JUDGE_BACKLOG_LIMIT: number = 100_000;

  /**
   * The longest Retry-After a refusal for a full backlog names: the time the excess takes to drain
   * at the last minute's rate, up to this; this when nothing drained (no worker, or all paused).
   */
  @IsInt({ message: 'ADMISSION_RETRY_AFTER_MAX_SECONDS must be a whole number of seconds' })
  @Min(1, { message: 'ADMISSION_RETRY_AFTER_MAX_SECONDS must be at least 1' })
  @Max(86400, { message: 'ADMISSION_RETRY_AFTER_MAX_SECONDS must be at most 86400 (a day)' })
  ADMISSION_RETRY_AFTER_MAX_SECONDS: number = 300;

  /** The weight of each tenant named in FAIR_SHARE_WEIGHTS. */
  weights(): Record<string, number> {
    if (this.FAIR_SHARE_WEIGHTS === '') return {};
    return Object.fromEntries(this.FAIR_SHARE_WEIGHTS.split(',').map((pair) => {
      const [tenant, weight] = pair.split('=');
      return [tenant, Number(weight)];
    }));
  }
}
