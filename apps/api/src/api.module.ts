import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  ApiConfig,
  ApiKeysConfig,
  ConfigModule,
  ConfigModuleOptions,
  JudgeQueueConfig,
  LanguagesConfig,
  LoggingConfig,
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
import { LoggerModule } from 'nestjs-pino';
import { AdminController } from './admin.controller';
import { BatchesController } from './batches.controller';
import { HealthController } from './health.controller';
import { API_ENV, InProcessWebhookDeliverer } from './in-process-webhook-deliverer';
import { LanguagesController } from './languages.controller';
import { ProblemRejudgesController } from './problem-rejudges.controller';
import { ProblemsController } from './problems.controller';
import { SubmissionEventsController } from './submission-events.controller';
import { SubmissionListingController } from './submission-listing.controller';
import { SubmissionsController } from './submissions.controller';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';

export const API_CONFIG = [ApiConfig, RedisConfig, SubmissionPolicyConfig, JudgeQueueConfig, LanguagesConfig, ResultStreamConfig, LoggingConfig, ProblemsConfig, RequestBodyConfig, WebhookSigningConfig, WebhookDeliveryConfig, TenantsConfig, TenantQuotasConfig, ApiKeysConfig, RateLimitConfig];

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
        LoggerModule.forRootAsync({
          inject: [LoggingConfig],
          useFactory: (logging: LoggingConfig) => ({
            pinoHttp: { level: logging.LOG_LEVEL },
            // No per-request logger: binding one to every request (pino-http's child logger, kept in
            // an AsyncLocalStorage that hooks every promise) cost about a quarter of the API's CPU per
            // accepted submission. Log lines name their submission, batch and trace instead.
            forRoutes: [],
          }),
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
      ],
      controllers: [AdminController, SubmissionListingController, SubmissionsController, SubmissionEventsController, BatchesController, ProblemRejudgesController, WebhookDeliveriesController, LanguagesController, HealthController, ProblemsController],
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
