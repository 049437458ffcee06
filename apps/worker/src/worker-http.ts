import { Injectable } from '@nestjs/common';
import { MetricsConfig, WorkerHttpConfig } from '@verdict/config';
import { MetricsRegistry, ProcessHttpListener } from '@verdict/metrics';
import { WorkerReadiness } from './worker-readiness';

/**
 * The worker's small HTTP listener (it has no API): GET /metrics, /healthz and /readyz on
 * WORKER_HTTP_HOST:WORKER_HTTP_PORT, from start-up (while the worker prepares, /readyz says what is
 * not ready yet) to shutdown.
 */
@Injectable()
export class WorkerHttpEndpoint extends ProcessHttpListener {
  constructor(config: WorkerHttpConfig, metricsConfig: MetricsConfig, metrics: MetricsRegistry, readiness: WorkerReadiness) {
    super({
      name: 'worker',
      host: config.WORKER_HTTP_HOST,
      port: config.WORKER_HTTP_PORT,
      metrics,
      bearerToken: metricsConfig.bearerToken(),
      readiness: () => readiness.check(),
    });
  }
}
