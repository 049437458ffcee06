import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MetricsConfig } from '@verdict/config';
import { APP_METRIC_GROUPS, MetricGroupName, VerdictApp } from './catalog';
import { HttpMetrics } from './http-metrics';
import { JobMetrics } from './job-metrics';
import { JudgeMetrics } from './judge-metrics';
import { JudgeQueueGauges } from './judge-queue-gauges';
import { MetricGroupClass, MetricsRegistry } from './metrics-registry';
import { SandboxMetrics } from './sandbox-metrics';
import { RateLimitMetrics, SubmissionMetrics } from './submission-metrics';
import { WebhookMetrics } from './webhook-metrics';

/** The class that records each group (verdict_build_info, `process`, is the registry's own). */
const GROUP_CLASSES: Record<Exclude<MetricGroupName, 'process'>, MetricGroupClass<unknown>> = {
  http: HttpMetrics,
  submissions: SubmissionMetrics,
  rateLimits: RateLimitMetrics,
  judgeQueue: JudgeQueueGauges,
  webhooks: WebhookMetrics,
  jobs: JobMetrics,
  judging: JudgeMetrics,
  sandbox: SandboxMetrics,
};

export interface MetricsModuleOptions {
  /** The program this application is: decides the groups registered (`APP_METRIC_GROUPS`). */
  app: VerdictApp;
  /**
   * The registry to record into instead of a new one: a webhook deliverer inside the API process
   * passes the API's, so the API's /metrics shows its deliveries. Without it, MetricsConfig must be
   * among the app's configuration.
   */
  registry?: MetricsRegistry;
}

/**
 * The application's `MetricsRegistry` and the metric groups its program owns, each injectable by
 * its class (`HttpMetrics`, `SubmissionMetrics`, `JudgeMetrics`, ...). Global: every library of the
 * app injects what it records. A library whose group the app does not own cannot be wired into it
 * (Nest refuses at start-up), so no process exports series it never moves.
 */
@Module({})
export class MetricsModule {
  static forRoot({ app, registry }: MetricsModuleOptions): DynamicModule {
    const registryProvider: Provider = registry
      ? { provide: MetricsRegistry, useValue: registry }
      : { provide: MetricsRegistry, inject: [MetricsConfig], useFactory: (config: MetricsConfig) => new MetricsRegistry(app, { tenantLabels: config.METRICS_TENANT_LABELS }) };
    const groups: Provider[] = APP_METRIC_GROUPS[app]
      .filter((group): group is Exclude<MetricGroupName, 'process'> => group !== 'process')
      .map((group) => GROUP_CLASSES[group])
      .map((type) => ({ provide: type, inject: [MetricsRegistry], useFactory: (metrics: MetricsRegistry) => metrics.group(type) }));
    const providers = [registryProvider, ...groups];
    return { module: MetricsModule, global: true, providers, exports: providers };
  }
}
