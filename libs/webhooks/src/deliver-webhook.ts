import { Injectable, Logger } from '@nestjs/common';
import { WebhookDeliveryConfig } from '@verdict/config';
import { InterruptedJob, PermanentJobFailure, ReceivedJob, RescheduledJob, WEBHOOK_DELIVERY_QUEUE, readPayload } from '@verdict/job-queues';
import { TenantNotFoundError } from '@verdict/tenants';
import { CallbackHttpClient } from './callback-http-client';
import { DeliveryState, decideAfterTry } from './delivery-decision';
import { RecordedAttempt, WebhookDeliveryStore } from './webhook-delivery-store';
import { WebhookSigner } from './webhook-signer';

/**
 * One try of a webhook delivery job: sign the stored event afresh (a new timestamp; the same id and
 * body), POST it with the submission's traceparent, record the try, then end the job (delivered),
 * put it back for the next try of the schedule (RescheduledJob, after the wait decideAfterTry
 * chose), or fail it for good (refused, or dead-lettered after the last try). A job whose delivery
 * has ended, or whose run a redelivery has replaced, sends nothing: at least once, not once per
 * duplicate.
 */
@Injectable()
export class DeliverWebhook {
  private readonly logger = new Logger(DeliverWebhook.name);
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly store: WebhookDeliveryStore,
    private readonly signer: WebhookSigner,
    private readonly client: CallbackHttpClient,
    private readonly config: WebhookDeliveryConfig,
  ) {}

  async execute(job: ReceivedJob): Promise<DeliveryState> {
    const read = readPayload(WEBHOOK_DELIVERY_QUEUE, job.data);
    if ('problems' in read) throw new PermanentJobFailure(`unreadable webhook delivery job ${job.id}: ${read.problems.join('; ')}`);
    const { eventId, run } = read.payload;
    const delivery = await this.store.get(eventId);
    if (!delivery) throw new PermanentJobFailure(`webhook event ${eventId} is unknown or expired`);
    if (delivery.state !== 'pending' || delivery.run !== run) return delivery.state;

    const triesBefore = await this.store.triesOfRun(eventId, run);
    const startedAt = new Date();
    const signature = await this.signer.sign(eventId, delivery.body, startedAt, delivery.tenantId).catch((error: unknown) => {
      if (error instanceof TenantNotFoundError) return null;
      throw error;
    });
    if (signature === null) {
      // Nothing may sign for a deleted tenant: its webhooks end here, recorded, instead of retrying for a day.
      const reason = `tenant ${delivery.tenantId} was deleted: nothing signs its webhooks`;
      await this.store.recordAttempt(eventId, { run, startedAt: startedAt.toISOString(), durationMs: 0, statusCode: null, error: reason, responseBody: null, responseBodyTruncated: false, state: 'failed', nextAttemptAt: null });
      throw new PermanentJobFailure(`failed: ${reason}`);
    }
    const controller = new AbortController();
    this.inFlight.add(controller);
    let outcome;
    try {
      const headers = { ...signature, traceparent: delivery.traceparent };
      outcome = await this.client.post(delivery.url, headers, delivery.body, controller.signal);
    } finally {
      this.inFlight.delete(controller);
    }
    if (outcome.kind === 'interrupted') throw new InterruptedJob(`delivery of ${eventId} interrupted by shutdown`);

    const decision = decideAfterTry(outcome, triesBefore + 1, this.config.retryScheduleMs());
    const response = outcome.kind === 'answered' ? outcome.response : null;
    const attempt: RecordedAttempt = {
      run,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      statusCode: response?.statusCode ?? null,
      error: outcome.kind === 'answered' ? (decision.state === 'delivered' ? null : decision.reason) : outcome.error,
      responseBody: response?.body ?? null,
      responseBodyTruncated: response?.bodyTruncated ?? false,
      state: decision.state === 'retrying' ? 'pending' : decision.state,
      nextAttemptAt: decision.state === 'retrying' ? new Date(Date.now() + decision.delayMs).toISOString() : null,
    };
    await this.store.recordAttempt(eventId, attempt);

    switch (decision.state) {
      case 'delivered':
        return 'delivered';
      case 'retrying':
        throw new RescheduledJob(decision.delayMs, `${decision.reason}; try ${triesBefore + 2} of ${eventId} in ${decision.delayMs} ms`);
      case 'failed':
      case 'dead-lettered':
        this.logger.warn(`webhook ${eventId} to ${delivery.url} ${decision.state}: ${decision.reason}`);
        throw new PermanentJobFailure(`${decision.state}: ${decision.reason}`);
    }
  }

  /** Cuts every try in flight short (shutdown): each job goes back to the queue, its try unrecorded. */
  async interruptAll(): Promise<void> {
    for (const controller of this.inFlight) controller.abort();
  }
}
