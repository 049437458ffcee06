import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger, SetMetadata, applyDecorators } from '@nestjs/common';
import { JobMetrics } from '@verdict/metrics';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { FairDispatcher } from './fair-dispatcher';
import { InterruptedJob, PermanentJobFailure, RescheduledJob } from './job-failures';
import { QueueDeclaration } from './queue-declaration';

export const QUEUE_HANDLER = Symbol('verdict:queue-handler');

/**
 * Marks the one processor of a declared queue in this process. autorun off: it takes jobs only
 * from `start()`, once the process is ready to handle them.
 */
export const QueueHandler = (declaration: QueueDeclaration): ClassDecorator =>
  applyDecorators(Processor(declaration.name, { autorun: false }), SetMetadata(QUEUE_HANDLER, declaration));

/** A job as the queue hands it over, before anything about its payload is trusted. */
export interface ReceivedJob {
  id: string | undefined;
  data: unknown;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
}

export interface QueueProcessorOptions {
  concurrency: number;
  /** How long shutdown waits for jobs in flight before interrupting them and handing them back. */
  shutdownGraceMs: number;
  /**
   * A fair-shared queue's dispatcher (`@InjectFairDispatcher`): this process's slots are counted
   * while it takes jobs, and each job's end frees one. Without it no job of such a queue ever
   * reaches BullMQ for this worker; start-up refuses that (`QueueHandlerCheck`).
   */
  dispatcher?: FairDispatcher;
  /** Where failed tries are counted: retried, or dead (verdict_job_retries_total, verdict_job_dead_letters_total). */
  metrics: JobMetrics;
}

/**
 * The base of every queue's processor: a thin adapter from BullMQ to one use case (`handle`).
 * It maps how a try failed the same way for every queue: PermanentJobFailure ends the job (no
 * retry), InterruptedJob hands it back at once without using up a try, RescheduledJob hands it back
 * delayed as the handler asks (again without using up a try), anything else is retried with the
 * queue's backoff. On shutdown it stops taking jobs, lets those in flight finish within
 * the grace period, then interrupts them (`interruptAll`) and hands them back.
 */
export abstract class QueueProcessor<R = unknown> extends WorkerHost implements BeforeApplicationShutdown {
  private readonly log: Logger;

  protected constructor(private readonly options: QueueProcessorOptions) {
    super();
    this.log = new Logger(new.target.name);
  }

  /** The use case, for one try of one job. */
  protected abstract handle(job: ReceivedJob): Promise<R>;

  /** Cuts every job in flight short, each then ending with InterruptedJob. */
  protected abstract interruptAll(): Promise<void>;

  /** What must be ready before the first job (e.g. images checked, sandboxes warm); a failure means no consumer at all. */
  protected async prepare(): Promise<void> {}

  async start(): Promise<void> {
    // Connected first: BullMQ cannot close a connection that is still being set up without an
    // unhandled error, and a failed preparation closes the worker right away.
    await this.worker.waitUntilReady();
    await this.prepare();
    this.worker.concurrency = this.options.concurrency;
    await this.options.dispatcher?.serve(this.options.concurrency);
    this.options.metrics.track(this.worker.name);
    this.worker.run().catch((error: Error) => this.log.error(`queue consumer stopped: ${error.message}`));
    this.log.log(`serving queue ${this.worker.name} with concurrency ${this.options.concurrency}`);
  }

  async process(job: Job, token?: string): Promise<R> {
    try {
      return await this.handle({ id: job.id, data: job.data, attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 });
    } catch (error) {
      if (error instanceof PermanentJobFailure) {
        this.options.metrics.deadLettered(job.queueName);
        throw new UnrecoverableError(error.message);
      }
      if ((error instanceof InterruptedJob || error instanceof RescheduledJob) && token) {
        await job.moveToDelayed(Date.now() + (error instanceof RescheduledJob ? error.delayMs : 0), token);
        throw new DelayedError(error.message);
      }
      // BullMQ retries while tries are left (attemptsMade counts the earlier ones).
      if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) this.options.metrics.retried(job.queueName);
      else this.options.metrics.deadLettered(job.queueName);
      throw error;
    }
  }

  /** Whether this processor frees its slots to a fair dispatcher (a fair-shared queue's must). */
  get dispatchesFairly(): boolean {
    return this.options.dispatcher !== undefined;
  }

  /** A job's end (BullMQ has moved it out of active) frees its slot for the next in turn. */
  @OnWorkerEvent('completed')
  onJobCompleted(): void {
    this.options.dispatcher?.nudge();
  }

  @OnWorkerEvent('failed')
  onJobFailed(): void {
    this.options.dispatcher?.nudge();
  }

  /** Redis trouble is reported here (BullMQ reconnects by itself); unheard, it would crash the process. */
  @OnWorkerEvent('error')
  onQueueError(error: Error): void {
    this.log.error(`queue connection error: ${error.message}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Slots withdrawn first: nothing more is handed out for a worker that is leaving.
    await this.options.dispatcher?.leave().catch((error: Error) => this.log.warn(`could not withdraw this worker's slots (they lapse by themselves): ${error.message}`));
    const closing = this.worker.close();
    const grace = this.options.shutdownGraceMs;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<false>((resolve) => (timer = setTimeout(resolve, grace, false)).unref());
    const finishedInTime = await Promise.race([closing.then(() => true), graceOver]);
    clearTimeout(timer);
    if (finishedInTime) return;
    this.log.warn(`jobs still running after ${grace} ms; handing them back to the queue`);
    await this.interruptAll();
    await closing;
  }
}
