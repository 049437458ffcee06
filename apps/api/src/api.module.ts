import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  ApiConfig,
  ApiKeysConfig,
  ConfigModule,
  ConfigModuleOptions,
  HealthConfig,
  JudgeQueueConfig,
  LanguagesConfig,
  LoggingConfig,
  MetricsConfig,
  ProblemsConfig,
  RateLimitConfig,
  RedisConfig,
  RequestBodyConfig,
  ResultStreamConfig,
  SubmissionPolicyConfig,
  TenantQuotasConfig,
  TenantsConfig,
  WebhookDeliveryConfig,
  WebhookSigningConfig,
} from '@verdict/config';
import { LanguagesModule } from '@verdict/languages';
import { JobQueuesModule } from '@verdict/job-queues';
import { RedisModule } from '@verdict/redis';
import { ResultStreamConsumerModule } from '@verdict/result-stream';
import { ProblemsModule } from '@verdict/problems';
import { JudgeJobReconcilerModule, SubmissionResultsModule, SubmissionStoreModule, SubmissionsModule } from '@verdict/submissions';
import { BatchWebhooksModule, SubmissionWebhooksModule } from '@verdict/webhooks';
import { BatchesModule } from '@verdict/batches';
import { ApiKeyGuard, TenantsModule } from '@verdict/tenants';
import { RateLimitGuard, RateLimitsModule } from '@verdict/rate-limits';
import { HealthModule } from '@verdict/health';
import { loggerParams } from '@verdict/telemetry';
import { MetricsModule } from '@verdict/metrics';
import { LoggerModule } from 'nestjs-pino';
import { AdminController } from './admin.controller';
import { BatchesController } from './batches.controller';
import { HealthController } from './health.controller';
import { API_ENV, InProcessWebhookDeliverer } from './in-process-webhook-deliverer';
import { LanguagesController } from './languages.controller';
import { MetricsController } from './metrics.controller';
import { ProblemRejudgesController } from './problem-rejudges.controller';
import { ProblemsController } from './problems.controller';
import { ProbesController } from './probes.controller';
import { SubmissionEventsController } from './submission-events.controller';
import { SubmissionListingController } from './submission-listing.controller';
import { SubmissionsController } from './submissions.controller';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';

export const API_CONFIG = [ApiConfig, RedisConfig, SubmissionPolicyConfig, JudgeQueueConfig, LanguagesConfig, ResultStreamConfig, LoggingConfig, ProblemsConfig, RequestBodyConfig, WebhookSigningConfig, WebhookDeliveryConfig, TenantsConfig, TenantQuotasConfig, ApiKeysConfig, RateLimitConfig, HealthConfig, MetricsConfig];

/**
 * The HTTP API: accepts submissions, serves results, applies the result stream to the store,
 * closes submissions whose judge job will never report, and queues (and by default delivers) the
 * webhooks of results.
 */
@Module({})
export class ApiModule {
  static forRoot(env?: ConfigModuleOptions['env']) {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot({ load: API_CONFIG, env }),
        // Global: every library records into this process's registry (GET /metrics).
        MetricsModule.forRoot({ app: 'api' }),
        LoggerModule.forRootAsync({
          inject: [LoggingConfig],
          useFactory: (logging: LoggingConfig) => loggerParams(logging.LOG_LEVEL),
        }),
        RedisModule,
        JobQueuesModule.forConnection('producer'),
        // In-process domain events (SubmissionFinished) for what follows a result.
        EventEmitterModule.forRoot(),
        LanguagesModule,
        SubmissionStoreModule,
        ResultStreamConsumerModule.register({ imports: [SubmissionResultsModule] }),
        JudgeJobReconcilerModule,
        SubmissionsModule,
        SubmissionWebhooksModule,
        BatchWebhooksModule,
        BatchesModule,
        ProblemsModule,
        TenantsModule,
        RateLimitsModule,
        HealthModule,
      ],
      controllers: [AdminController, SubmissionListingController, SubmissionsController, SubmissionEventsController, BatchesController, ProblemRejudgesController, WebhookDeliveriesController, LanguagesController, HealthController, ProbesController, MetricsController, ProblemsController],
      providers: [
        { provide: API_ENV, useValue: env ?? process.env },
        InProcessWebhookDeliverer,
        // Guards run in this order: every route needs an API key with its scopes, unless @Public();
        // then each key's requests are counted against its rate limit, shared by every replica.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
