import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MetricsConfig, WorkerHttpConfig } from '@verdict/config';
import { MetricsRegistry, ProcessHttpListener } from '@verdict/metrics';
import { WorkerReadiness } from './worker-readiness';

/**
 * The worker's small HTTP listener (it has no API): GET /metrics, /healthz and /readyz on
 * WORKER_HTTP_HOST:WORKER_HTTP_PORT, from start-up (while the worker prepares, /readyz says what is
 * not ready yet) to shutdown.
 */
@Injectable()
export class WorkerHttpEndpoint implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly listener: ProcessHttpListener;

  constructor(config: WorkerHttpConfig, metricsConfig: MetricsConfig, metrics: MetricsRegistry, readiness: WorkerReadiness) {
    this.listener = new ProcessHttpListener({
      name: 'worker',
      host: config.WORKER_HTTP_HOST,
      port: config.WORKER_HTTP_PORT,
      metrics,
      bearerToken: metricsConfig.bearerToken(),
      readiness: () => readiness.check(),
    });
  }

  /** The port bound (WORKER_HTTP_PORT, or the one chosen for 0); null before start or after shutdown. */
  get port(): number | null {
    return this.listener.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.close();
  }
}
