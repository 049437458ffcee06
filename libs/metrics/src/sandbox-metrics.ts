import { Counter, Histogram } from 'prom-client';
import { CATALOG } from './catalog';
import { LabelledChildren, MetricsRegistry } from './metrics-registry';

/** The states of the sandbox pool's containers. */
export const SANDBOX_POOL_STATES = ['idle', 'busy', 'starting', 'resetting'] as const;
export type SandboxPoolState = (typeof SANDBOX_POOL_STATES)[number];

/** What failed: creating a container, starting it (up to its harness connected), a harness exchange, a reset, a removal. */
export const SANDBOX_FAILURE_PHASES = ['create', 'start', 'run', 'reset', 'remove'] as const;
export type SandboxFailurePhase = (typeof SANDBOX_FAILURE_PHASES)[number];

/**
 * Sandboxes on a worker: containers, not judging (libs/sandbox records these and knows no verdict).
 * The pool's sizes are read when scraped (`observePool`).
 */
export class SandboxMetrics {
  private readonly phases: LabelledChildren<Histogram.Internal<'phase'>>;
  private readonly failures: LabelledChildren<Counter.Internal>;
  private pool: (() => Record<SandboxPoolState, number>) | null = null;

  constructor(registry: MetricsRegistry) {
    const start = registry.histogram(CATALOG.sandbox.startSeconds);
    const failures = registry.counter(CATALOG.sandbox.failures);
    this.phases = new LabelledChildren((phase) => start.labels(phase));
    this.failures = new LabelledChildren((phase) => failures.labels(phase));
    // At 0 from the start: a counter first seen at 1 shows no increase, and the first failure would fire no alert.
    for (const phase of SANDBOX_FAILURE_PHASES) this.failures.of(phase).inc(0);
    registry.gauge(CATALOG.sandbox.pool, (gauge) => {
      const sizes = this.pool?.();
      for (const state of SANDBOX_POOL_STATES) gauge.labels(state).set(sizes?.[state] ?? 0);
    });
  }

  /** Where verdict_sandbox_pool_containers comes from. */
  observePool(sizes: () => Record<SandboxPoolState, number>): void {
    this.pool = sizes;
  }

  /** A container was created (`create`), or started with its harness connected (`start`), in `seconds`. */
  took(phase: 'create' | 'start', seconds: number): void {
    this.phases.of(phase).observe(seconds);
  }

  failed(phase: SandboxFailurePhase): void {
    this.failures.of(phase).inc();
  }
}
