import { JudgeQueueConfig } from '@verdict/config';
import { JudgeJobPayload, JudgeLane } from '@verdict/contracts';
import { declareQueue } from './queue-declaration';

/**
 * BullMQ priority of each lane (lower is sooner; none at all is sooner still): fresh jobs carry none,
 * so a worker takes every waiting fresh job before any rejudge job.
 */
export const JUDGE_LANE_PRIORITY: Record<JudgeLane, number | undefined> = { fresh: undefined, rejudge: 100 };

/** Submissions from the API to the workers: one job per submission, judged by one worker. */
export const JUDGE_QUEUE = declareQueue({
  name: 'submissions',
  jobName: 'judge',
  payload: JudgeJobPayload,
  config: JudgeQueueConfig,
  jobOptions: (config: JudgeQueueConfig, payload: JudgeJobPayload) => ({
    // The submission id is the job id: enqueuing the same submission twice never judges it twice.
    jobId: payload.submissionId,
    priority: JUDGE_LANE_PRIORITY[payload.lane ?? 'fresh'],
    // Only infrastructure faults are retried; verdicts end a job normally.
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    removeOnComplete: { age: config.JOB_RETENTION_SECONDS, count: 100000 },
    removeOnFail: { age: config.JOB_RETENTION_SECONDS, count: 100000 },
  }),
});
