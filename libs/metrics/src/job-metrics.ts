import { Counter } from 'prom-client';
import { CATALOG } from './catalog';
import { LabelledChildren, MetricsRegistry } from './metrics-registry';

/** Failed tries of the jobs this process consumes (`QueueProcessor` in @verdict/job-queues), by queue. */
export class JobMetrics {
  private readonly retries: LabelledChildren<Counter.Internal>;
  private readonly deadLetters: LabelledChildren<Counter.Internal>;

  constructor(registry: MetricsRegistry) {
    const retries = registry.counter(CATALOG.jobs.retries);
    const deadLetters = registry.counter(CATALOG.jobs.deadLetters);
    this.retries = new LabelledChildren((queue) => retries.labels(queue));
    this.deadLetters = new LabelledChildren((queue) => deadLetters.labels(queue));
  }

  /**
   * Both counters of `queue` at 0 from the start (its consumer calls this as it starts): a counter
   * that first appears at 1 shows no increase to rate()/increase(), so a process's first dead
   * letter would never fire an alert.
   */
  track(queue: string): void {
    this.retries.of(queue).inc(0);
    this.deadLetters.of(queue).inc(0);
  }

  /** A try failed and the queue will try the job again. */
  retried(queue: string): void {
    this.retries.of(queue).inc();
  }

  /** A try failed and the job will not be tried again. */
  deadLettered(queue: string): void {
    this.deadLetters.of(queue).inc();
  }
}
