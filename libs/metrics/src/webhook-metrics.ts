import { Counter, Histogram } from 'prom-client';
import { CATALOG } from './catalog';
import { LabelledChildren, MetricsRegistry } from './metrics-registry';

/**
 * What one webhook try came to: delivered (2xx), retry (another try is scheduled), failed (the
 * receiver refused the event: a 4xx other than 408 and 429, or a redirect), dead_lettered (no
 * tries left), refused (the callback's address is one the judge may not call, or nothing may sign it).
 */
export const WEBHOOK_OUTCOMES = ['delivered', 'retry', 'failed', 'dead_lettered', 'refused'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];
/** The webhook event types (@verdict/webhooks' webhook-event.ts), each counted from 0. */
const WEBHOOK_EVENTS = ['submission.completed', 'batch.completed'];

/** Webhook deliveries, in whichever process delivers them (the API, or a deliverer of its own). */
export class WebhookMetrics {
  private readonly tries: LabelledChildren<Counter.Internal>;
  private readonly durations: LabelledChildren<Histogram.Internal<'outcome'>>;
  private readonly latency: Histogram;

  constructor(registry: MetricsRegistry) {
    const deliveries = registry.counter(CATALOG.webhooks.deliveries);
    const duration = registry.histogram(CATALOG.webhooks.duration);
    this.tries = new LabelledChildren((event, outcome) => deliveries.labels(event, outcome));
    this.durations = new LabelledChildren((outcome) => duration.labels(outcome));
    this.latency = registry.histogram(CATALOG.webhooks.latency);
    // At 0 from the start: a counter first seen at 1 shows no increase, and the first dead letter would fire no alert.
    for (const event of WEBHOOK_EVENTS) for (const outcome of WEBHOOK_OUTCOMES) this.tries.of(event, outcome).inc(0);
  }

  /** One try of an `event` webhook (`submission.completed`, `batch.completed`); `httpSeconds` null when no request was made. */
  tried(event: string, outcome: WebhookOutcome, httpSeconds: number | null): void {
    this.tries.of(event, outcome).inc();
    if (httpSeconds !== null) this.durations.of(outcome).observe(httpSeconds);
  }

  /** The first successful delivery of an event, `seconds` after the result it reports. */
  deliveredAfter(seconds: number): void {
    this.latency.observe(Math.max(0, seconds));
  }
}
