import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import {
  ConfigModule,
  ConfigModuleOptions,
  LanguagesConfig,
  LoggingConfig,
  RedisConfig,
  ResultStreamConfig,
  SandboxConfig,
  WorkerConfig,
} from '@verdict/config';
import { SUBMISSION_QUEUE } from '@verdict/contracts';
import { JudgingModule } from '@verdict/judging';
import { RedisKeys, RedisModule, bullOptions } from '@verdict/redis';
import { LoggerModule } from 'nestjs-pino';
import { SubmissionProcessor } from './submission.processor';

export const WORKER_CONFIG = [RedisConfig, WorkerConfig, SandboxConfig, LanguagesConfig, ResultStreamConfig, LoggingConfig];

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
        BullModule.forRootAsync({
          imports: [RedisModule],
          inject: [RedisConfig, RedisKeys],
          useFactory: (config: RedisConfig, keys: RedisKeys) => bullOptions(config, keys, 'worker'),
        }),
        BullModule.registerQueue({ name: SUBMISSION_QUEUE }),
        JudgingModule,
      ],
      providers: [SubmissionProcessor],
    };
  }
}
