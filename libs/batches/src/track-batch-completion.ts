import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { SUBMISSION_FINISHED, SubmissionFinished } from '@verdict/submissions';
import { BATCH_FINISHED, BatchFinished } from './batch-finished';
import { BatchStore } from './batch-store';

/**
 * Counts a batch's members as they become final and announces BatchFinished when all are. Idempotent
 * (SubmissionFinished comes at least once): a member is added to the batch's finished set, so a
 * re-announcement counts nothing twice, and finishedAt is written once. BatchFinished is announced
 * whenever the set is complete after an announcement, so a crash before it is made is repaired by
 * the redelivery of the member's final.
 */
@Injectable()
export class TrackBatchCompletion {
  constructor(
    private readonly batches: BatchStore,
    private readonly events: EventEmitter2,
  ) {}

  @OnEvent(SUBMISSION_FINISHED, { suppressErrors: false })
  async onSubmissionFinished(finished: SubmissionFinished): Promise<void> {
    if (finished.batchId === null) return;
    const progress = await this.batches.markFinished(finished.batchId, finished.submissionId);
    if (!progress || progress.finishedAt === null) return;
    const batch = await this.batches.get(finished.batchId);
    const event: BatchFinished = { batchId: finished.batchId, total: progress.total, finishedAt: progress.finishedAt, callbackUrl: batch?.callbackUrl ?? null, traceparent: batch?.traceparent ?? null };
    await this.events.emitAsync(BATCH_FINISHED, event);
  }
}
