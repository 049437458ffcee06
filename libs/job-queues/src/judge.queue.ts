import { JudgeQueueConfig } from '@verdict/config';
import { JUDGE_LANES, JudgeJobPayload } from '@verdict/contracts';
import { declareQueue } from './queue-declaration';

/** The fair-share group of work no tenant owns (an admin's): not a tenant id, so it never names one. */
export const JUDGE_ITSELF_GROUP = '~judge';

/**
 * Submissions from the API to the workers: one job per submission, judged by one worker. Jobs wait
 * in their lane and tenant's queue and reach the workers in fair turns (`FairDispatcher`).
 */
export const JUDGE_QUEUE = declareQueue({
  name: 'submissions',
  jobName: 'judge',
  payload: JudgeJobPayload,
  config: JudgeQueueConfig,
  jobOptions: (config: JudgeQueueConfig, payload: JudgeJobPayload) => ({
    // The submission id is the job id: enqueuing the same submission twice never judges it twice.
    jobId: payload.submissionId,
    // Only infrastructure faults are retried; verdicts end a job normally.
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    removeOnComplete: { age: config.JOB_RETENTION_SECONDS, count: 100000 },
    removeOnFail: { age: config.JOB_RETENTION_SECONDS, count: 100000 },
  }),
  fairShare: {
    lanes: JUDGE_LANES,
    lane: (payload) => payload.lane,
    group: (payload) => payload.tenantId ?? JUDGE_ITSELF_GROUP,
    policy: (config) => ({ weights: config.weights(), lookahead: config.JUDGE_DISPATCH_LOOKAHEAD }),
    timing: (config) => ({ intervalMs: config.JUDGE_DISPATCH_INTERVAL_MS }),
  },
});
