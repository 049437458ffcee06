import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { JudgeQueueConfig } from '@verdict/config';
import { JUDGE_JOB, JudgeJobPayload, SUBMISSION_QUEUE } from '@verdict/contracts';
import { JobsOptions, Queue } from 'bullmq';

/** Producer side of the submissions queue; every job option is decided here. */
@Injectable()
export class SubmissionQueue {
  constructor(
    @InjectQueue(SUBMISSION_QUEUE) private readonly queue: Queue<JudgeJobPayload>,
    private readonly config: JudgeQueueConfig,
  ) {}

  async enqueue(payload: JudgeJobPayload): Promise<void> {
    await this.queue.add(JUDGE_JOB, payload, this.jobOptions(payload));
  }

  private jobOptions(payload: JudgeJobPayload): JobsOptions {
    const c = this.config;
    return {
      // The submission id is the job id: enqueuing the same submission twice never judges it twice.
      jobId: payload.submissionId,
      attempts: c.JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: c.JOB_BACKOFF_MS },
      removeOnComplete: { age: c.JOB_RETENTION_SECONDS, count: 100000 },
      removeOnFail: { age: c.JOB_RETENTION_SECONDS, count: 100000 },
    };
  }
}
