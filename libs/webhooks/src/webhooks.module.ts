import { Module } from '@nestjs/common';
import { WebhookDeliveryConfig } from '@verdict/config';
import { JobQueuesModule, WEBHOOK_DELIVERY_QUEUE } from '@verdict/job-queues';
import { BatchesModule } from '@verdict/batches';
import { RedisModule } from '@verdict/redis';
import { SubmissionStoreModule } from '@verdict/submissions';
import { TenantsModule } from '@verdict/tenants';
import { CallbackHttpClient } from './callback-http-client';
import { DeliverWebhook } from './deliver-webhook';
import { systemResolver } from './guarded-lookup';
import { ScheduleBatchWebhook } from './schedule-batch-webhook';
import { ScheduleSubmissionWebhook } from './schedule-submission-webhook';
import { ListSubmissionDeliveries, RedeliverSubmissionWebhook } from './submission-deliveries';
import { WebhookDeliveryStore } from './webhook-delivery-store';
import { WebhookDeliveryReconciler } from './webhook-delivery.reconciler';
import { WebhookSigner } from './webhook-signer';

/** The delivery records (Redis). Needs WebhookDeliveryConfig and RedisConfig. */
@Module({
  imports: [RedisModule],
  providers: [WebhookDeliveryStore],
  exports: [WebhookDeliveryStore],
})
export class WebhookDeliveryStoreModule {}

/**
 * The sweep that puts back in the queue the pending deliveries whose job BullMQ failed or lost
 * (WebhookDeliveryReconciler), started and stopped with the app. Needs WebhookDeliveryConfig and
 * RedisConfig. The API has it through SubmissionWebhooksModule.
 */
@Module({
  imports: [JobQueuesModule.forProducers(WEBHOOK_DELIVERY_QUEUE), WebhookDeliveryStoreModule],
  providers: [WebhookDeliveryReconciler],
  exports: [WebhookDeliveryReconciler],
})
export class WebhookDeliveryReconcilerModule {}

/**
 * The API's side of submissions' webhooks: queues the delivery of a final result with a callback
 * (a SUBMISSION_FINISHED subscriber: needs an EventEmitterModule in the app), lists deliveries,
 * redelivers, and reconciles deliveries whose job was lost (WebhookDeliveryReconcilerModule, every
 * event type's: batches' too).
 */
@Module({
  imports: [JobQueuesModule.forProducers(WEBHOOK_DELIVERY_QUEUE), SubmissionStoreModule, WebhookDeliveryStoreModule, WebhookDeliveryReconcilerModule],
  providers: [ScheduleSubmissionWebhook, ListSubmissionDeliveries, RedeliverSubmissionWebhook],
  exports: [ListSubmissionDeliveries, RedeliverSubmissionWebhook],
})
export class SubmissionWebhooksModule {}

/** The `batch.completed` webhook: a BATCH_FINISHED subscriber (needs an EventEmitterModule in the app). */
@Module({
  imports: [JobQueuesModule.forProducers(WEBHOOK_DELIVERY_QUEUE), BatchesModule, WebhookDeliveryStoreModule],
  providers: [ScheduleBatchWebhook],
})
export class BatchWebhooksModule {}

/** The delivering side: DeliverWebhook with its signer (tenants' secrets) and SSRF-guarded HTTP client. Needs WebhookSigningConfig, TenantsConfig and ApiKeysConfig too. */
@Module({
  imports: [WebhookDeliveryStoreModule, TenantsModule],
  providers: [
    WebhookSigner,
    { provide: CallbackHttpClient, inject: [WebhookDeliveryConfig], useFactory: (config: WebhookDeliveryConfig) => new CallbackHttpClient(config, systemResolver) },
    DeliverWebhook,
  ],
  exports: [DeliverWebhook],
})
export class WebhookDeliveryModule {}
