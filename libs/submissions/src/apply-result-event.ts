import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ResultEvent, isTerminalStatus } from '@verdict/contracts';
import { SubmissionMetrics } from '@verdict/metrics';
import { ResultEventHandler } from '@verdict/result-stream';
import { traceIdOf } from '@verdict/telemetry';
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
    private readonly metrics: SubmissionMetrics,
  ) {
    super();
  }

  async handle(event: ResultEvent): Promise<void> {
    const { outcome, started } = await this.store.applyEvent(event);
    if (outcome === 'missing') {
      this.logger.warn(`result for unknown or expired submission ${event.submissionId} ignored`);
      return;
    }
    // Once per judging: the store reports only the running that first stored its startedAt.
    if (started && event.type === 'running') this.metrics.started(started.language, (Date.parse(event.startedAt) - started.queuedAt) / 1000);
    // One log line per state change: running, and the final state (queued is CreateSubmission's).
    if (outcome === 'applied' && event.type === 'running') {
      this.logger.log({ submissionId: event.submissionId, traceId: traceIdOf(event.traceparent), attempt: event.attempt, workerId: event.workerId }, 'submission running');
    } else if (outcome === 'applied' && event.type === 'final') {
      this.logger.log({ submissionId: event.submissionId, traceId: traceIdOf(event.traceparent), attempt: event.attempt, status: event.status, verdict: event.verdict }, `submission ${event.status}`);
    }
    // 'stale' too: a redelivered event may follow a crash between applying and waking followers.
    await this.updates.announce(event.submissionId);
    if (event.type !== 'final') return;
    // 'stale' too: the final may have been stored by a try that died before announcing it.
    const stored = await this.store.statusOf(event.submissionId);
    if (!stored || !isTerminalStatus(stored.status) || stored.verdict === null) return;
    // Counted where it became final ('applied'), before announcing: a redelivery finds it 'stale'.
    if (outcome === 'applied') this.metrics.finished(stored.language, stored.verdict, stored.status as 'completed' | 'failed');
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
