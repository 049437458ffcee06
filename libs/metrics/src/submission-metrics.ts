import { Counter, Histogram } from 'prom-client';
import { CATALOG } from './catalog';
import { LabelledChildren, MetricsRegistry } from './metrics-registry';
import { TenantLabel } from './tenant-label';

/** A judging's final state as the API counts it: `expired` is a `failed` one that waited in the queue too long. */
export type FinishedStatus = 'completed' | 'failed' | 'expired' | 'cancelled';

/** Submissions in the API: accepted, refused by admission control, started after their wait, finished. */
export class SubmissionMetrics {
  private readonly acceptedByLane: LabelledChildren<Counter.Internal>;
  private readonly refusals: Counter<'tenant' | 'bound'>;
  private readonly waits: LabelledChildren<Histogram.Internal<'language'>>;
  private readonly finishedBy: LabelledChildren<Counter.Internal>;
  private readonly tenants: TenantLabel;

  constructor(registry: MetricsRegistry) {
    const accepted = registry.counter(CATALOG.submissions.accepted);
    const wait = registry.histogram(CATALOG.submissions.wait);
    const finished = registry.counter(CATALOG.submissions.finished);
    this.refusals = registry.counter(CATALOG.submissions.admissionRefusals);
    this.acceptedByLane = new LabelledChildren((lane) => accepted.labels(lane));
    this.waits = new LabelledChildren((language) => wait.labels(language));
    this.finishedBy = new LabelledChildren((language, verdict, status) => finished.labels(language, verdict, status));
    this.tenants = registry.tenants;
  }

  /** `count` submissions accepted into `lane` (a batch's items all at once). */
  accepted(lane: string, count = 1): void {
    this.acceptedByLane.of(lane).inc(count);
  }

  /** Work of `tenantId` (null: an admin's) refused with 429 by a backlog bound. */
  admissionRefused(tenantId: string | null, bound: 'group' | 'total'): void {
    this.refusals.labels(this.tenants.of(tenantId), bound).inc();
  }

  /** A judging started `waitedSeconds` after it was queued (once per judging). */
  started(language: string, waitedSeconds: number): void {
    this.waits.of(language).observe(Math.max(0, waitedSeconds));
  }

  /** A judging's final state, once per judging as the API applies it; `verdict` null when it has none. */
  finished(language: string, verdict: string | null, status: FinishedStatus): void {
    this.finishedBy.of(language, verdict ?? '', status).inc();
  }
}

/** The per-key rate limit's refusals (verdict_rate_limited_total). */
export class RateLimitMetrics {
  private readonly refused: Counter<'tenant'>;
  private readonly tenants: TenantLabel;

  constructor(registry: MetricsRegistry) {
    this.refused = registry.counter(CATALOG.rateLimits.rateLimited);
    this.tenants = registry.tenants;
  }

  /** A request of a key of `tenantId` (null: an admin key) refused with 429. */
  rateLimited(tenantId: string | null): void {
    this.refused.labels(this.tenants.of(tenantId)).inc();
  }
}
