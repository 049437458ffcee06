import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { JudgeQueueConfig, SubmissionPolicyConfig } from '@verdict/config';
import { JudgeJobPayload } from '@verdict/contracts';
import { InjectJobQueue, JUDGE_QUEUE, JobQueue, sweepEvery } from '@verdict/job-queues';
import { SubmissionMetrics } from '@verdict/metrics';
import { SUBMISSION_FINISHED, SubmissionFinished } from './submission-finished';
import { SubmissionStore, UnannouncedExpiry } from './submission-store';
import { SubmissionUpdates } from './submission-updates';

/** The message of a submission that waited in the queue longer than MAX_QUEUE_AGE_SECONDS (status failed, verdict IE). */
export const EXPIRED_IN_QUEUE = 'expired in queue';

/**
 * How long the sweep that expired a submission (or claimed its announcement) holds the announcement
 * before another sweep may make it: far longer than announcing takes, so only one sweep announces,
 * unless it died or its announcement failed.
 */
export const EXPIRY_ANNOUNCEMENT_HOLD_MS = 30000;

/** Submissions read, and announcements claimed, per page. */
const PAGE = 100;

/**
 * Ends the submissions that waited in the queue longer than `MAX_QUEUE_AGE_SECONDS` (counted from
 * when their current judging was queued: the open index's score) as `failed` with the message
 * "expired in queue", so that no submission waits forever when no worker takes its job.
 *
 * Each expiry is one script (`SubmissionStore.expireIfQueued`): only a submission still queued
 * expires (one whose `running` was applied first is left to its worker), it leaves the open index,
 * and its announcement is written to the index of unannounced expiries, held by the sweep that
 * expired it. That sweep then removes the judge job if no worker holds it (one that does reports
 * into a final record: its events are stale, and the worker skips a job whose submission is final
 * when it takes it), wakes the submission's followers and announces `SubmissionFinished` as for any
 * final state (webhook, batch count), and only then drops the announcement. Every API replica
 * sweeps; the script lets one expire each submission, and the hold lets one announce it. A sweep
 * that dies or fails half way leaves its announcements held for `EXPIRY_ANNOUNCEMENT_HOLD_MS`: the
 * first sweep after that claims and makes them (at least once, as every SubmissionFinished).
 *
 * It sweeps every `JOB_RECONCILE_INTERVAL_MS`, as the judge-job reconciler does, so a submission
 * ends within one interval of its bound.
 */
@Injectable()
export class QueuedSubmissionExpiry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueuedSubmissionExpiry.name);
  private readonly stopping = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: SubmissionStore,
    private readonly updates: SubmissionUpdates,
    private readonly events: EventEmitter2,
    @InjectJobQueue(JUDGE_QUEUE) private readonly queue: JobQueue<JudgeJobPayload>,
    private readonly config: JudgeQueueConfig,
    private readonly policy: SubmissionPolicyConfig,
    private readonly metrics: SubmissionMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.MAX_QUEUE_AGE_SECONDS >= this.policy.SUBMISSION_RETENTION_SECONDS) {
      this.logger.warn(
        `MAX_QUEUE_AGE_SECONDS (${this.config.MAX_QUEUE_AGE_SECONDS}) is not below SUBMISSION_RETENTION_SECONDS (${this.policy.SUBMISSION_RETENTION_SECONDS}): ` +
          'a submission queued that long is forgotten before it can expire',
      );
    }
    this.loop = this.sweepLoop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private sweepLoop(): Promise<void> {
    return sweepEvery(this.config.JOB_RECONCILE_INTERVAL_MS, this.stopping.signal, () => this.sweep(), (error) =>
      this.logger.error(`sweeping submissions queued too long failed: ${error.message}`),
    );
  }

  /**
   * One pass: first the announcements no sweep holds any longer (their sweep died or failed), then
   * every submission queued at or before `now` minus the bound. `now` is the sweep's clock at its
   * start (it runs on from there); returns how many submissions this pass expired.
   */
  async sweep(now: number = Date.now()): Promise<number> {
    const started = Date.now();
    const clock = (): number => now + (Date.now() - started);

    for (;;) {
      const claimed = await this.store.claimUnannouncedExpiries(clock(), clock() + EXPIRY_ANNOUNCEMENT_HOLD_MS, PAGE);
      await Promise.all(claimed.map((expiry) => this.announce(expiry)));
      if (claimed.length < PAGE || this.stopping.signal.aborted) break;
    }

    const queuedBefore = now - this.config.MAX_QUEUE_AGE_SECONDS * 1000;
    let expired = 0;
    // Expired ids leave the index; those left (running, final, or expired by another replica meanwhile) are passed.
    let offset = 0;
    for (;;) {
      const ids = await this.store.queuedBefore(queuedBefore, offset, PAGE);
      const expiries = await Promise.all(
        ids.map((id) => this.store.expireIfQueued(id, { queuedBefore, message: EXPIRED_IN_QUEUE, heldUntil: clock() + EXPIRY_ANNOUNCEMENT_HOLD_MS })),
      );
      const done = expiries.filter((expiry): expiry is UnannouncedExpiry => expiry !== null);
      for (const expiry of done) {
        this.logger.warn({ submissionId: expiry.submissionId, judging: expiry.judging, batchId: expiry.batchId }, `submission failed: ${EXPIRED_IN_QUEUE}`);
        // Here, where the script expired it (once), not where it is announced (at least once).
        this.metrics.finished(expiry.language, 'IE', 'expired');
      }
      await Promise.all(done.map((expiry) => this.announce(expiry)));
      expired += done.length;
      offset += ids.length - done.length;
      if (ids.length < PAGE || this.stopping.signal.aborted) break;
    }
    return expired;
  }

  /**
   * Removes the job if no worker holds it, wakes followers and announces SubmissionFinished, then
   * drops the announcement. A failure leaves it held: the first sweep after the hold makes it again.
   */
  private async announce(expiry: UnannouncedExpiry): Promise<void> {
    const { submissionId, judging, batchId, traceId } = expiry;
    try {
      // A rejudge since (after a crash) queued a job of the same id for its own judging: not this one's to remove.
      const stored = await this.store.statusOf(submissionId);
      if (stored?.judging === judging) await this.queue.removeUnstarted(submissionId);
      await this.updates.announce(submissionId);
      // What the expiry stored: failed, IE, no try reported (attempt 0, as a cancellation).
      const finished: SubmissionFinished = { submissionId, status: 'failed', verdict: 'IE', attempt: 0, judging, batchId, traceId };
      await this.events.emitAsync(SUBMISSION_FINISHED, finished);
      await this.store.expiryAnnounced(expiry);
    } catch (error) {
      this.logger.error({ submissionId }, `announcing that a submission ${EXPIRED_IN_QUEUE} failed: ${(error as Error).message}; a later sweep announces it`);
    }
  }
}
