import { Injectable, Logger } from '@nestjs/common';
import { WebhookDeliveryConfig } from '@verdict/config';
import { InterruptedJob, PermanentJobFailure, ReceivedJob, RescheduledJob, WEBHOOK_DELIVERY_QUEUE, readPayload } from '@verdict/job-queues';
import { WebhookMetrics, WebhookOutcome } from '@verdict/metrics';
import { SpanKind, inSpan, traceparentOf } from '@verdict/telemetry';
import { TenantNotFoundError } from '@verdict/tenants';
import { CallbackHttpClient } from './callback-http-client';
import { DeliveryDecision, DeliveryState, decideAfterTry } from './delivery-decision';
import { RecordedAttempt, WebhookDelivery, WebhookDeliveryStore } from './webhook-delivery-store';
import { WebhookSigner } from './webhook-signer';

/**
 * One try of a webhook delivery job: sign the stored event afresh (a new timestamp; the same id and
 * body), POST it with the submission's traceparent, record the try, then end the job (delivered),
 * put it back for the next try of the schedule (RescheduledJob, after the wait decideAfterTry
 * chose), or fail it for good (refused, or dead-lettered after the last try). A job whose delivery
 * has ended, or whose run a redelivery has replaced, sends nothing: at least once, not once per
 * duplicate.
 */
const OUTCOME_OF: Record<DeliveryDecision['state'], WebhookOutcome> = { delivered: 'delivered', retrying: 'retry', failed: 'failed', 'dead-lettered': 'dead_lettered' };

@Injectable()
export class DeliverWebhook {
  private readonly logger = new Logger(DeliverWebhook.name);
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly store: WebhookDeliveryStore,
    private readonly signer: WebhookSigner,
    private readonly client: CallbackHttpClient,
    private readonly config: WebhookDeliveryConfig,
    private readonly metrics: WebhookMetrics,
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
      this.metrics.tried(delivery.type, 'refused', null);
      throw new PermanentJobFailure(`failed: ${reason}`);
    }
    const posted = performance.now();
    const controller = new AbortController();
    this.inFlight.add(controller);
    let outcome;
    try {
      // Each try is a client span of the submission's (or batch's) trace, under the span that
      // applied its result; the receiver gets that span's traceparent.
      // The host only: a callback URL's path and query often hold the receiver's own secret.
      const attributes = { 'http.request.method': 'POST', 'server.address': new URL(delivery.url).host, 'verdict.webhook.event_id': eventId, 'verdict.webhook.try': triesBefore + 1 };
      outcome = await inSpan('webhook POST', { kind: SpanKind.CLIENT, parent: delivery.traceparent, attributes }, async (span) => {
        const sent = await this.client.post(delivery.url, { ...signature, traceparent: traceparentOf(span) ?? delivery.traceparent }, delivery.body, controller.signal);
        if (sent.kind === 'answered') span.setAttribute('http.response.status_code', sent.response.statusCode);
        else span.setAttribute('error.type', sent.kind);
        return sent;
      });
    } finally {
      this.inFlight.delete(controller);
    }
    if (outcome.kind === 'interrupted') throw new InterruptedJob(`delivery of ${eventId} interrupted by shutdown`);
    const httpSeconds = (performance.now() - posted) / 1000;

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
    this.recordMetrics(delivery, outcome.kind === 'refused' ? 'refused' : OUTCOME_OF[decision.state], httpSeconds);

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

  /** The try's outcome and HTTP time; a first run's delivery also its latency from the result (the body's `timestamp`). */
  private recordMetrics(delivery: WebhookDelivery, outcome: WebhookOutcome, httpSeconds: number): void {
    this.metrics.tried(delivery.type, outcome, httpSeconds);
    if (outcome !== 'delivered' || delivery.run !== 0) return;
    // The body starts with its type and timestamp (webhook-event.ts): read there, not by parsing a whole result.
    const happened = Date.parse(/"timestamp":"([^"]+)"/.exec(delivery.body.slice(0, 200))?.[1] ?? '');
    if (!Number.isNaN(happened)) this.metrics.deliveredAfter((Date.now() - happened) / 1000);
  }

  /** Cuts every try in flight short (shutdown): each job goes back to the queue, its try unrecorded. */
  async interruptAll(): Promise<void> {
    for (const controller of this.inFlight) controller.abort();
  }
}
