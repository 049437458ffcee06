import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { WebhookDeliveryJobPayload } from '@verdict/contracts';
import { InjectJobQueue, JobQueue, WEBHOOK_DELIVERY_QUEUE } from '@verdict/job-queues';
import { SUBMISSION_FINISHED, SubmissionFinished, SubmissionStore } from '@verdict/submissions';
import { traceparentWithinTrace } from '@verdict/telemetry';
import { WebhookDeliveryStore } from './webhook-delivery-store';
import { submissionCompletedEvent } from './webhook-event';

/**
 * When a submission with a callback is final, stores its `submission.completed` event (the public
 * view of the result) and queues its delivery. Errors are not suppressed: they fail the result
 * event's handling, which is then retried, so a result is never left without its webhook.
 * SubmissionFinished comes at least once; an announcement of an event already stored queues
 * nothing new (the job id is the event's and run's) and touches no delivery that has ended.
 */
@Injectable()
export class ScheduleSubmissionWebhook {
  constructor(
    private readonly submissions: SubmissionStore,
    private readonly deliveries: WebhookDeliveryStore,
    @InjectJobQueue(WEBHOOK_DELIVERY_QUEUE) private readonly queue: JobQueue<WebhookDeliveryJobPayload>,
  ) {}

  @OnEvent(SUBMISSION_FINISHED, { suppressErrors: false })
  async onSubmissionFinished(finished: SubmissionFinished): Promise<void> {
    const url = await this.submissions.callbackUrlOf(finished.submissionId);
    if (url === null) return;
    const view = await this.submissions.publicView(finished.submissionId);
    if (!view) return;
    const event = submissionCompletedEvent(view, finished.judging, traceparentWithinTrace(finished.traceId));
    const delivery = await this.deliveries.open(event, url);
    if (delivery.state === 'pending') await this.queue.enqueue({ eventId: event.id, run: delivery.run });
  }
}
