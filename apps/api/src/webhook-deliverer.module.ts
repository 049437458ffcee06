import { Module } from '@nestjs/common';
import { ApiKeysConfig, ConfigModule, ConfigModuleOptions, LoggingConfig, RedisConfig, TenantQuotasConfig, TenantsConfig, WebhookDeliveryConfig, WebhookSigningConfig } from '@verdict/config';
import { JobQueuesModule, WEBHOOK_DELIVERY_QUEUE } from '@verdict/job-queues';
import { RedisModule } from '@verdict/redis';
import { WebhookDeliveryModule } from '@verdict/webhooks';
import { LoggerModule } from 'nestjs-pino';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

// Tenants' configuration too: their webhook secrets sign their events (TenantsModule, quotas and all).
export const WEBHOOK_DELIVERER_CONFIG = [RedisConfig, LoggingConfig, WebhookSigningConfig, WebhookDeliveryConfig, TenantsConfig, TenantQuotasConfig, ApiKeysConfig];

/**
 * The webhook deliverer: no HTTP server, only the consumer of the webhook delivery queue. It runs
 * inside the API process (WEBHOOK_DELIVERY_MODE=api) or as processes of its own
 * (`main.js --webhook-deliverer`), the same module either way.
 */
@Module({})
export class WebhookDelivererModule {
  static forRoot(env?: ConfigModuleOptions['env']) {
    return {
      module: WebhookDelivererModule,
      imports: [
        ConfigModule.forRoot({ load: WEBHOOK_DELIVERER_CONFIG, env }),
        LoggerModule.forRootAsync({
          inject: [LoggingConfig],
          useFactory: (logging: LoggingConfig) => ({ pinoHttp: { level: logging.LOG_LEVEL } }),
        }),
        RedisModule,
        JobQueuesModule.forConnection('worker'),
        JobQueuesModule.forConsumers(WEBHOOK_DELIVERY_QUEUE),
        WebhookDeliveryModule,
      ],
      providers: [WebhookDeliveryProcessor],
    };
  }
}
