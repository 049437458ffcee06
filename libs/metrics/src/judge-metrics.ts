import { Counter, Gauge, Histogram } from 'prom-client';
import { CATALOG } from './catalog';
import { LabelledChildren, MetricsRegistry } from './metrics-registry';

/** Judging on a worker: how long each judging took, the tests judged, the jobs running and the slots. */
export class JudgeMetrics {
  private readonly durations: LabelledChildren<Histogram.Internal<'language' | 'verdict'>>;
  private readonly tests: LabelledChildren<Counter.Internal>;
  private readonly active: Gauge;
  private readonly concurrency: Gauge;

  constructor(registry: MetricsRegistry) {
    const duration = registry.histogram(CATALOG.judging.duration);
    const tests = registry.counter(CATALOG.judging.testsJudged);
    this.durations = new LabelledChildren((language, verdict) => duration.labels(language, verdict));
    this.tests = new LabelledChildren((language, verdict) => tests.labels(language, verdict));
    this.active = registry.gauge(CATALOG.judging.active);
    this.concurrency = registry.gauge(CATALOG.judging.concurrency);
  }

  /** This worker's configured judge slots. */
  slots(count: number): void {
    this.concurrency.set(count);
  }

  /** Counts a judge job as running while `work` runs. */
  async running<T>(work: () => Promise<T>): Promise<T> {
    this.active.inc();
    try {
      return await work();
    } finally {
      this.active.dec();
    }
  }

  /** One judging finished with `verdict` after `seconds`, its tests with theirs. */
  judged(language: string, verdict: string, seconds: number, testVerdicts: readonly string[]): void {
    this.durations.of(language, verdict).observe(Math.max(0, seconds));
    for (const test of testVerdicts) this.tests.of(language, test).inc();
  }
}
