import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { JudgeJobPayload, Requester } from '@verdict/contracts';
import { JUDGE_QUEUE, InjectJobQueue, JobQueue } from '@verdict/job-queues';
import { SubmissionMetrics } from '@verdict/metrics';
import { SUBMISSION_FINISHED, SubmissionFinished } from './submission-finished';
import { SubmissionStore } from './submission-store';
import { SubmissionUpdates } from './submission-updates';

/** What cancelling did: `cancelled`, `started` (running or final: left alone), or `unknown` (no such submission, or expired). */
export type CancelOutcome = 'cancelled' | 'started' | 'unknown';

/**
 * Cancels a submission that has not started: a `queued` one ends `cancelled` (terminal, no verdict)
 * and its judge job leaves the queue; one already running finishes. The status changes first, in
 * one script, so a worker that takes the job in between reports into a final record (its events are
 * stale). Followers are woken and SubmissionFinished is announced, as for any final state.
 */
@Injectable()
export class CancelSubmission {
  private readonly logger = new Logger(CancelSubmission.name);

  constructor(
    private readonly store: SubmissionStore,
    private readonly updates: SubmissionUpdates,
    private readonly events: EventEmitter2,
    @InjectJobQueue(JUDGE_QUEUE) private readonly queue: JobQueue<JudgeJobPayload>,
    private readonly metrics: SubmissionMetrics,
  ) {}

  async execute(id: string, requester: Requester): Promise<CancelOutcome> {
    // Another tenant's submission is as unknown as a missing one.
    if (!(await this.store.statusFor(id, requester))) return 'unknown';
    if (!(await this.store.cancelIfQueued(id))) return (await this.store.statusOf(id)) ? 'started' : 'unknown';
    // False when a worker holds it already: it runs, and its results are stale.
    await this.queue.removeUnstarted(id);
    await this.updates.announce(id);
    const stored = await this.store.statusOf(id);
    this.logger.log({ submissionId: id, traceId: stored?.traceId }, 'submission cancelled');
    if (stored) {
      // Once: only the call whose script cancelled it gets here.
      this.metrics.finished(stored.language, null, 'cancelled');
      const finished: SubmissionFinished = { submissionId: id, status: 'cancelled', verdict: null, attempt: stored.attempt ?? 0, judging: stored.judging, batchId: stored.batchId, traceId: stored.traceId };
      await this.events.emitAsync(SUBMISSION_FINISHED, finished);
    }
    return 'cancelled';
  }
}
