import { Module } from '@nestjs/common';
import {
  ConfigModule,
  ConfigModuleOptions,
  LanguagesConfig,
  LoggingConfig,
  RedisConfig,
  ResultStreamConfig,
  JudgingConfig,
  JudgeQueueConfig,
  SandboxConfig,
  SubmissionPolicyConfig,
  TestDataCacheConfig,
  WorkerConfig,
} from '@verdict/config';
import { JUDGE_QUEUE, JobQueuesModule } from '@verdict/job-queues';
import { JudgingModule } from '@verdict/judging';
import { RedisModule } from '@verdict/redis';
import { LoggerModule } from 'nestjs-pino';
import { JudgeJobProcessor } from './judge-job.processor';

export const WORKER_CONFIG = [RedisConfig, WorkerConfig, JudgeQueueConfig, SandboxConfig, JudgingConfig, SubmissionPolicyConfig, LanguagesConfig, ResultStreamConfig, LoggingConfig, TestDataCacheConfig];

/** The judge worker: no HTTP server, only the queue consumer and what judging needs. */
@Module({})
export class WorkerModule {
  static forRoot(env?: ConfigModuleOptions['env']) {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot({ load: WORKER_CONFIG, env }),
        LoggerModule.forRootAsync({
          inject: [LoggingConfig],
          useFactory: (logging: LoggingConfig) => ({ pinoHttp: { level: logging.LOG_LEVEL } }),
        }),
        RedisModule,
        JobQueuesModule.forConnection('worker'),
        JobQueuesModule.forConsumers(JUDGE_QUEUE),
        JudgingModule,
      ],
      providers: [JudgeJobProcessor],
    };
  }
}
