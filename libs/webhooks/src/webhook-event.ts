import { BatchView, SubmissionView } from '@verdict/contracts';

export const SUBMISSION_COMPLETED = 'submission.completed';
export const BATCH_COMPLETED = 'batch.completed';

/**
 * One event, as every try of it is sent: its id (the `webhook-id` receivers deduplicate by), its
 * type, the exact body that is signed, and the trace it belongs to. `subject` names what it is about
 * (`submission:<id>`): the deliveries of a subject are listed together.
 */
export interface WebhookEvent {
  id: string;
  type: string;
  subject: string;
  body: string;
  traceparent: string;
  /** Whose webhook secrets sign it: the tenant of the submission or batch; null (an admin's) signs with WEBHOOK_SECRET. */
  tenantId: string | null;
}

export function submissionSubject(submissionId: string): string {
  return `submission:${submissionId}`;
}

/**
 * The id of the event of a submission's final result: one per judging (1, then one more per
 * rejudge), so every announcement, try and redelivery of that result carries the same id, and a
 * rejudge's result is a new event.
 */
export function submissionEventId(submissionId: string, judging: number): string {
  return `msg_${submissionId}_${judging}`;
}

/**
 * `submission.completed`: the result as GET /v1/submissions/:id shows it (the caller passes the
 * public view, so hidden tests are cut to the problem's feedback level here too), in the Standard
 * Webhooks payload shape: type, when it happened, data.
 */
export function submissionCompletedEvent(view: SubmissionView, judging: number, traceparent: string): WebhookEvent {
  return {
    id: submissionEventId(view.id, judging),
    type: SUBMISSION_COMPLETED,
    subject: submissionSubject(view.id),
    body: JSON.stringify({ type: SUBMISSION_COMPLETED, timestamp: view.finishedAt, data: view }),
    traceparent,
    tenantId: view.tenantId,
  };
}

/** `batch.completed`: every member final; the batch as GET /v1/batches/:id shows it (counts, no results). One per batch. */
export function batchCompletedEvent(view: BatchView, traceparent: string): WebhookEvent {
  return {
    id: `msg_batch_${view.id}`,
    type: BATCH_COMPLETED,
    subject: `batch:${view.id}`,
    body: JSON.stringify({ type: BATCH_COMPLETED, timestamp: view.finishedAt, data: view }),
    traceparent,
    tenantId: view.tenantId,
  };
}
