import { Injectable } from '@nestjs/common';
import { DelivererHttpConfig, MetricsConfig } from '@verdict/config';
import { MetricsRegistry, ProcessHttpListener } from '@verdict/metrics';

/**
 * A webhook deliverer process's small HTTP listener (it has no API): GET /metrics and /healthz on
 * DELIVERER_HTTP_HOST:DELIVERER_HTTP_PORT, from start-up to shutdown. Only a deliverer of its own
 * has it: one inside the API process shows its metrics on the API's /metrics.
 */
@Injectable()
export class DelivererHttpEndpoint extends ProcessHttpListener {
  constructor(config: DelivererHttpConfig, metricsConfig: MetricsConfig, metrics: MetricsRegistry) {
    super({ name: 'webhook deliverer', host: config.DELIVERER_HTTP_HOST, port: config.DELIVERER_HTTP_PORT, metrics, bearerToken: metricsConfig.bearerToken() });
  }
}
