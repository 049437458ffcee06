import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { JUDGE_ITSELF, WebhookDeliveryJobPayload } from '@verdict/contracts';
import { BATCH_FINISHED, BatchFinished, GetBatch } from '@verdict/batches';
import { InjectJobQueue, JobQueue, WEBHOOK_DELIVERY_QUEUE } from '@verdict/job-queues';
import { traceparentForCurrentContext } from '@verdict/telemetry';
import { WebhookDeliveryStore } from './webhook-delivery-store';
import { batchCompletedEvent } from './webhook-event';

/**
 * When every member of a batch with a callback is final, stores its `batch.completed` event (the
 * batch's counts, as GET /v1/batches/:id shows them) and queues its delivery, like
 * ScheduleSubmissionWebhook does for a submission. BatchFinished comes at least once; the event id
 * is the batch's, so a repeated announcement queues nothing new.
 */
@Injectable()
export class ScheduleBatchWebhook {
  constructor(
    private readonly getBatch: GetBatch,
    private readonly deliveries: WebhookDeliveryStore,
    @InjectJobQueue(WEBHOOK_DELIVERY_QUEUE) private readonly queue: JobQueue<WebhookDeliveryJobPayload>,
  ) {}

  @OnEvent(BATCH_FINISHED, { suppressErrors: false })
  async onBatchFinished(finished: BatchFinished): Promise<void> {
    if (finished.callbackUrl === null) return;
    const event = batchCompletedEvent(await this.getBatch.execute(finished.batchId, JUDGE_ITSELF), finished.traceparent ?? traceparentForCurrentContext());
    const delivery = await this.deliveries.open(event, finished.callbackUrl);
    if (delivery.state === 'pending') await this.queue.enqueue({ eventId: event.id, run: delivery.run });
  }
}
