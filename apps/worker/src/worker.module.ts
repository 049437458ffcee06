import { Module } from '@nestjs/common';
import {
  ConfigModule,
  ConfigModuleOptions,
  HealthConfig,
  LanguagesConfig,
  LoggingConfig,
  MetricsConfig,
  RedisConfig,
  ResultStreamConfig,
  JudgingConfig,
  JudgeQueueConfig,
  SandboxConfig,
  SubmissionPolicyConfig,
  TestDataCacheConfig,
  WorkerConfig,
  WorkerHttpConfig,
} from '@verdict/config';
import { HealthModule } from '@verdict/health';
import { JUDGE_QUEUE, JobQueuesModule } from '@verdict/job-queues';
import { JudgingModule } from '@verdict/judging';
import { LanguagesModule } from '@verdict/languages';
import { MetricsModule } from '@verdict/metrics';
import { RedisModule } from '@verdict/redis';
import { SandboxModule } from '@verdict/sandbox';
import { loggerParams } from '@verdict/telemetry';
import { LoggerModule } from 'nestjs-pino';
import { JudgeJobProcessor } from './judge-job.processor';
import { WorkerHttpEndpoint } from './worker-http';
import { WorkerReadiness } from './worker-readiness';

export const WORKER_CONFIG = [RedisConfig, WorkerConfig, JudgeQueueConfig, SandboxConfig, JudgingConfig, SubmissionPolicyConfig, LanguagesConfig, ResultStreamConfig, LoggingConfig, TestDataCacheConfig, MetricsConfig, WorkerHttpConfig, HealthConfig];

/**
 * The judge worker: the queue consumer and what judging needs, and a small HTTP listener for its
 * metrics and probes (WorkerHttpEndpoint).
 */
@Module({})
export class WorkerModule {
  static forRoot(env?: ConfigModuleOptions['env']) {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot({ load: WORKER_CONFIG, env }),
        // Global: judging, the sandbox and the queue consumer record into this process's registry.
        MetricsModule.forRoot({ app: 'worker' }),
        LoggerModule.forRootAsync({
          inject: [LoggingConfig],
          useFactory: (logging: LoggingConfig) => loggerParams(logging.LOG_LEVEL),
        }),
        RedisModule,
        JobQueuesModule.forConnection('worker'),
        JobQueuesModule.forConsumers(JUDGE_QUEUE),
        JudgingModule,
        // For the readiness checks: the same module instances judging uses.
        SandboxModule,
        LanguagesModule,
        HealthModule,
      ],
      providers: [JudgeJobProcessor, WorkerReadiness, WorkerHttpEndpoint],
    };
  }
}
