import { Module } from '@nestjs/common';
import {
  ApiKeysConfig,
  ConfigModule,
  ConfigModuleOptions,
  DelivererHttpConfig,
  LoggingConfig,
  MetricsConfig,
  RedisConfig,
  TenantQuotasConfig,
  TenantsConfig,
  WebhookDeliveryConfig,
  WebhookSigningConfig,
} from '@verdict/config';
import { JobQueuesModule, WEBHOOK_DELIVERY_QUEUE } from '@verdict/job-queues';
import { MetricsModule, MetricsRegistry } from '@verdict/metrics';
import { RedisModule } from '@verdict/redis';
import { WebhookDeliveryModule } from '@verdict/webhooks';
import { loggerParams } from '@verdict/telemetry';
import { LoggerModule } from 'nestjs-pino';
import { DelivererHttpEndpoint } from './deliverer-http';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

// Tenants' configuration too: their webhook secrets sign their events (TenantsModule, quotas and all).
export const WEBHOOK_DELIVERER_CONFIG = [RedisConfig, LoggingConfig, WebhookSigningConfig, WebhookDeliveryConfig, TenantsConfig, TenantQuotasConfig, ApiKeysConfig, MetricsConfig, DelivererHttpConfig];

/**
 * The webhook deliverer: no HTTP server, only the consumer of the webhook delivery queue. It runs
 * inside the API process (WEBHOOK_DELIVERY_MODE=api) or as processes of its own
 * (`main.js --webhook-deliverer`), the same module either way.
 */
@Module({})
export class WebhookDelivererModule {
  /**
   * `metrics`: the registry of the API process it runs in (its deliveries show on the API's
   * /metrics); without it, a deliverer process of its own, with its own registry and HTTP listener.
   */
  static forRoot(env?: ConfigModuleOptions['env'], metrics?: MetricsRegistry) {
    return {
      module: WebhookDelivererModule,
      imports: [
        ConfigModule.forRoot({ load: WEBHOOK_DELIVERER_CONFIG, env }),
        MetricsModule.forRoot({ app: 'webhook-deliverer', registry: metrics }),
        LoggerModule.forRootAsync({
          inject: [LoggingConfig],
          useFactory: (logging: LoggingConfig) => loggerParams(logging.LOG_LEVEL),
        }),
        RedisModule,
        JobQueuesModule.forConnection('worker'),
        JobQueuesModule.forConsumers(WEBHOOK_DELIVERY_QUEUE),
        WebhookDeliveryModule,
      ],
      providers: [WebhookDeliveryProcessor, ...(metrics ? [] : [DelivererHttpEndpoint])],
    };
  }
}
