import { JudgeJobPayload } from '@verdict/contracts';
import { SpanKind, activeSpanContext, inSpan, markSpan, spanContextOf, traceparentForCurrentContext, traceparentOf } from '@verdict/telemetry';

/**
 * Queues a judge job in a producer span of its submission's trace, the span its traceparent then
 * names: the worker's consumer span continues from it. With telemetry off the traceparent stays the
 * one planned (the span is the parent's context).
 */
export function publishJudgeJob(job: JudgeJobPayload, enqueue: () => Promise<void>): Promise<void> {
  const attributes = { 'messaging.system': 'bullmq', 'messaging.operation.type': 'send', 'messaging.destination.name': 'judge', 'messaging.message.id': job.submissionId, 'verdict.submission.id': job.submissionId, 'verdict.lane': job.lane };
  return inSpan('publish judge', { kind: SpanKind.PRODUCER, parent: job.traceparent, attributes }, (span) => {
    job.traceparent = traceparentOf(span) ?? job.traceparent;
    return enqueue();
  });
}

/**
 * A batch member's own trace: a root span linked to the batch's (the active request), whose
 * traceparent the member's job carries. A batch's trace stays one request long however large the
 * batch, and each member's judging reads as a trace of its own.
 */
export function batchMemberTraceparent(batchId: string): string {
  const batch = activeSpanContext();
  const span = markSpan('batch member', { kind: SpanKind.PRODUCER, root: true, links: batch ? [{ context: batch }] : [], attributes: { 'verdict.batch.id': batchId } });
  // Telemetry off: no span was made (and none is active): a new trace id all the same.
  return traceparentOf(span) ?? traceparentForCurrentContext();
}

/** Links per span: OpenTelemetry keeps 128 links a span by default (OTEL_SPAN_LINK_COUNT_LIMIT). */
const LINKS_PER_SPAN = 100;

/**
 * Queues a batch's judge jobs in a producer span of the batch's trace, linked to every member's
 * trace (by spans of at most LINKS_PER_SPAN links each, under it): from the batch's trace a viewer
 * reaches each member's, and from each member's root its batch.
 */
export function publishBatchJudgeJobs(batchId: string, jobs: JudgeJobPayload[], enqueue: () => Promise<void>): Promise<void> {
  const attributes = { 'messaging.system': 'bullmq', 'messaging.operation.type': 'send', 'messaging.destination.name': 'judge', 'messaging.batch.message_count': jobs.length, 'verdict.batch.id': batchId };
  return inSpan('publish judge', { kind: SpanKind.PRODUCER, attributes }, (span) => {
    if (span.isRecording()) {
      for (let start = 0; start < jobs.length; start += LINKS_PER_SPAN) {
        const links = jobs.slice(start, start + LINKS_PER_SPAN).flatMap((job) => {
          const member = spanContextOf(job.traceparent);
          return member ? [{ context: member, attributes: { 'verdict.submission.id': job.submissionId } }] : [];
        });
        markSpan('batch members', { links, attributes: { 'verdict.batch.id': batchId, 'verdict.batch.first_member': start } });
      }
    }
    return enqueue();
  });
}
