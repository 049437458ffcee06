import { WebhookDeliveryConfig } from '@verdict/config';
import { WebhookDeliveryJobPayload } from '@verdict/contracts';
import { declareQueue } from './queue-declaration';

/** The id of the one job of an event's delivery run: an event announced again while its run is queued adds nothing. */
export function webhookDeliveryJobId(payload: WebhookDeliveryJobPayload): string {
  return `${payload.eventId}-${payload.run}`;
}

/**
 * Webhook deliveries, from the API (which queues one when a result with a callback is final, or when
 * a redelivery is asked for) to whichever process delivers webhooks.
 */
export const WEBHOOK_DELIVERY_QUEUE = declareQueue({
  name: 'webhook-deliveries',
  jobName: 'deliver',
  payload: WebhookDeliveryJobPayload,
  config: WebhookDeliveryConfig,
  jobOptions: (config: WebhookDeliveryConfig, payload: WebhookDeliveryJobPayload) => ({
    // One job per event and run: an event announced again while its delivery is queued adds nothing.
    jobId: webhookDeliveryJobId(payload),
    // The receiver's failures are retried by the handler on WEBHOOK_RETRY_SCHEDULE, without using up
    // these tries; these cover faults of the delivering process itself (Redis unreachable mid-try).
    // They are the job's for its whole life, as is BullMQ's one stall allowed: a job that uses them
    // up is failed by BullMQ, and put back by WebhookDeliveryReconciler (libs/webhooks).
    attempts: 5,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: { age: config.WEBHOOK_DELIVERY_RETENTION_SECONDS, count: 100000 },
    removeOnFail: { age: config.WEBHOOK_DELIVERY_RETENTION_SECONDS, count: 100000 },
  }),
});
