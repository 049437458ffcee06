import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Requester, SUBMISSION_ID_PATTERN, WebhookDeliveryJobPayload } from '@verdict/contracts';
import { InjectJobQueue, JobQueue, WEBHOOK_DELIVERY_QUEUE } from '@verdict/job-queues';
import { SubmissionStore } from '@verdict/submissions';
import { DELIVERY_STATES, DeliveryState } from './delivery-decision';
import { WebhookDeliveryStore, WebhookDeliveryView } from './webhook-delivery-store';
import { NothingToRedeliverError, SubmissionNotFoundError } from './webhook-errors';
import { submissionSubject } from './webhook-event';

/** GET /v1/submissions/:id/deliveries. */
export class SubmissionDeliveries {
  @ApiProperty({ format: 'uuid', example: '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11' }) submissionId!: string;
  /** One per event of the submission (one per judging), oldest first, each with every try. */
  @ApiProperty({ type: [WebhookDeliveryView], description: 'One per event of the submission (one per judging), oldest first, each with every try.' })
  deliveries!: WebhookDeliveryView[];
}

/** POST /v1/submissions/:id/deliveries/redeliver. */
export class RedeliveryStarted {
  @ApiProperty({ example: 'msg_0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11_1' }) eventId!: string;
  /** Which redelivery this is (1 for the first). */
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Which redelivery this is (1 for the first).', example: 1 }) run!: number;
  @ApiProperty({ enum: DELIVERY_STATES, example: 'pending' }) state!: DeliveryState;
}

/** Another tenant's submission is as unknown as a missing one. */
async function mustExist(submissions: SubmissionStore, submissionId: string, requester: Requester): Promise<void> {
  if (!SUBMISSION_ID_PATTERN.test(submissionId) || !(await submissions.statusFor(submissionId, requester))) {
    throw new SubmissionNotFoundError(`submission ${submissionId} not found`);
  }
}

/** Every webhook delivery of a submission, with every try. */
@Injectable()
export class ListSubmissionDeliveries {
  constructor(
    private readonly submissions: SubmissionStore,
    private readonly deliveries: WebhookDeliveryStore,
  ) {}

  async execute(submissionId: string, requester: Requester): Promise<SubmissionDeliveries> {
    await mustExist(this.submissions, submissionId, requester);
    return { submissionId, deliveries: await this.deliveries.viewsOf(submissionSubject(submissionId)) };
  }
}

/**
 * Sends a submission's latest event again now, under the same event id (receivers deduplicate by
 * it), with a fresh retry schedule: for a receiver that was fixed after its delivery failed, that
 * lost what it was sent, or that should not wait for the next try of the schedule. A new run of the
 * delivery replaces the one under way (whose next try, if any, sends nothing).
 */
@Injectable()
export class RedeliverSubmissionWebhook {
  constructor(
    private readonly submissions: SubmissionStore,
    private readonly deliveries: WebhookDeliveryStore,
    @InjectJobQueue(WEBHOOK_DELIVERY_QUEUE) private readonly queue: JobQueue<WebhookDeliveryJobPayload>,
  ) {}

  async execute(submissionId: string, requester: Requester): Promise<RedeliveryStarted> {
    await mustExist(this.submissions, submissionId, requester);
    const eventId = (await this.deliveries.eventsOf(submissionSubject(submissionId))).at(-1);
    const run = eventId === undefined ? null : await this.deliveries.startRedelivery(eventId);
    if (eventId === undefined || run === null) {
      throw new NothingToRedeliverError(`submission ${submissionId} has no webhook event to redeliver: it has no callbackUrl, or is not finished yet`);
    }
    await this.queue.enqueue({ eventId, run });
    return { eventId, run, state: 'pending' };
  }
}
