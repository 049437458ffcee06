import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { WorkerConfig } from '@verdict/config';
import { SUBMISSION_QUEUE } from '@verdict/contracts';
import { InterruptedJudgeJob, PermanentJudgeFailure, PrepareJudging, RunJudgeJob } from '@verdict/judging';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Thin adapter from BullMQ to the RunJudgeJob use case. Permanent failures become UnrecoverableError
 * (no retry); transient ones are rethrown for BullMQ's exponential backoff; jobs interrupted by
 * shutdown go back to the queue at once, without using up a try.
 */
// autorun off: the worker takes jobs only from start(), once judging is prepared (images, pool).
@Processor(SUBMISSION_QUEUE, { autorun: false })
export class SubmissionProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SubmissionProcessor.name);

  constructor(
    private readonly prepareJudging: PrepareJudging,
    private readonly runJudgeJob: RunJudgeJob,
    private readonly config: WorkerConfig,
  ) {
    super();
  }

  /** Takes jobs from now on, once judging is prepared; a failure to prepare means no worker at all. */
  async start(): Promise<void> {
    // Connected first: BullMQ cannot close a connection that is still being set up without an
    // unhandled error, and a failed preparation closes the worker right away.
    await this.worker.waitUntilReady();
    await this.prepareJudging.execute();
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
    this.worker.run().catch((error: Error) => this.logger.error(`queue consumer stopped: ${error.message}`));
    this.logger.log(`worker ${this.config.WORKER_ID} serving queue ${SUBMISSION_QUEUE} with concurrency ${this.config.WORKER_CONCURRENCY}`);
  }

  async process(job: Job, token?: string): Promise<{ verdict: string }> {
    try {
      return await this.runJudgeJob.execute({
        id: job.id,
        data: job.data,
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
      });
    } catch (error) {
      if (error instanceof PermanentJudgeFailure) throw new UnrecoverableError(error.message);
      if (error instanceof InterruptedJudgeJob && token) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError(error.message);
      }
      throw error;
    }
  }

  /** Redis trouble is reported here (BullMQ reconnects by itself); unheard, it would crash the process. */
  @OnWorkerEvent('error')
  onQueueError(error: Error): void {
    this.logger.error(`queue connection error: ${error.message}`);
  }

  /**
   * SIGTERM: stop taking jobs and let those in flight finish within the grace period; past it,
   * interrupt them and hand them back to the queue for another worker.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const closing = this.worker.close();
    const finishedInTime = await Promise.race([closing.then(() => true), sleep(this.config.SHUTDOWN_GRACE_MS, false, { ref: false })]);
    if (finishedInTime) return;
    this.logger.warn(`jobs still running after ${this.config.SHUTDOWN_GRACE_MS} ms; handing them back to the queue`);
    await this.runJudgeJob.interruptAll();
    await closing;
  }
}
