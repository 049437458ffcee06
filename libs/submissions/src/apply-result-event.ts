import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ResultEvent, isTerminalStatus } from '@verdict/contracts';
import { ResultEventHandler } from '@verdict/result-stream';
import { SUBMISSION_FINISHED, SubmissionFinished } from './submission-finished';
import { SubmissionStore } from './submission-store';
import { SubmissionUpdates } from './submission-updates';

/**
 * Applies a result event from the stream to its submission's record (idempotent, forward only: see
 * SubmissionStore.apply) and, when the record is final after a final event, announces
 * SubmissionFinished in-process, waiting for the subscribers: the stream entry is acknowledged only
 * after both, so a crash in between announces again on redelivery.
 */
@Injectable()
export class ApplyResultEvent extends ResultEventHandler {
  private readonly logger = new Logger(ApplyResultEvent.name);

  constructor(
    private readonly store: SubmissionStore,
    private readonly updates: SubmissionUpdates,
    private readonly events: EventEmitter2,
  ) {
    super();
  }

  async handle(event: ResultEvent): Promise<void> {
    const outcome = await this.store.apply(event);
    if (outcome === 'missing') {
      this.logger.warn(`result for unknown or expired submission ${event.submissionId} ignored`);
      return;
    }
    // 'stale' too: a redelivered event may follow a crash between applying and waking followers.
    await this.updates.announce(event.submissionId);
    if (event.type !== 'final') return;
    // 'stale' too: the final may have been stored by a try that died before announcing it.
    const stored = await this.store.statusOf(event.submissionId);
    if (!stored || !isTerminalStatus(stored.status) || stored.verdict === null) return;
    const finished: SubmissionFinished = {
      submissionId: event.submissionId,
      status: stored.status as SubmissionFinished['status'],
      verdict: stored.verdict,
      attempt: stored.attempt ?? event.attempt,
      judging: stored.judging,
      batchId: stored.batchId,
      traceId: stored.traceId,
    };
    await this.events.emitAsync(SUBMISSION_FINISHED, finished);
  }
}
