import { WebhookDeliveryConfig } from '@verdict/config';
import { QueueHandler, QueueProcessor, ReceivedJob, WEBHOOK_DELIVERY_QUEUE } from '@verdict/job-queues';
import { JobMetrics } from '@verdict/metrics';
import { DeliverWebhook, DeliveryState } from '@verdict/webhooks';

/** The webhook delivery queue's handler: one try of a delivery job is DeliverWebhook. */
@QueueHandler(WEBHOOK_DELIVERY_QUEUE)
export class WebhookDeliveryProcessor extends QueueProcessor<DeliveryState> {
  constructor(
    private readonly deliverWebhook: DeliverWebhook,
    config: WebhookDeliveryConfig,
    metrics: JobMetrics,
  ) {
    // A try ends within WEBHOOK_TIMEOUT_MS, so shutdown waits that long for the tries in flight.
    super({ concurrency: config.WEBHOOK_DELIVERY_CONCURRENCY, shutdownGraceMs: config.WEBHOOK_TIMEOUT_MS, metrics });
  }

  protected handle(job: ReceivedJob): Promise<DeliveryState> {
    return this.deliverWebhook.execute(job);
  }

  protected interruptAll(): Promise<void> {
    return this.deliverWebhook.interruptAll();
  }
}
