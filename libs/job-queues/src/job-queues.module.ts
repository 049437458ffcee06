import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RedisConfig } from '@verdict/config';
import { BullRole, RedisKeys, RedisModule, bullOptions } from '@verdict/redis';
import { Queue } from 'bullmq';
import { JobQueue, jobQueueToken } from './job-queue';
import { QueueDeclaration } from './queue-declaration';
import { CONSUMED_QUEUES, QueueHandlerCheck } from './queue-handler-check';

/**
 * Wires declared queues into a process. Needs `JobQueuesModule.forConnection(role)` in the app,
 * and each declaration's config class in its ConfigModule.
 */
@Module({})
export class JobQueuesModule {
  /**
   * The process's BullMQ connection, once per app: a producer's (the API: requests fail fast when
   * Redis is down) or a worker's (consumers wait out outages). See `bullOptions` in libs/redis.
   */
  static forConnection(role: BullRole): DynamicModule {
    return BullModule.forRootAsync({
      imports: [RedisModule],
      inject: [RedisConfig, RedisKeys],
      useFactory: (config: RedisConfig, keys: RedisKeys) => bullOptions(config, keys, role),
    });
  }

  /** A `JobQueue` per declaration, injected with `@InjectJobQueue(declaration)`. */
  static forProducers(...declarations: QueueDeclaration[]): DynamicModule {
    const providers: Provider[] = declarations.map((declaration) => ({
      provide: jobQueueToken(declaration),
      inject: [getQueueToken(declaration.name), declaration.config],
      useFactory: (queue: Queue, config: object) => new JobQueue(declaration, queue, config),
    }));
    return {
      module: JobQueuesModule,
      imports: declarations.map((declaration) => BullModule.registerQueue({ name: declaration.name })),
      providers,
      exports: providers,
    };
  }

  /**
   * The queues this process consumes; start-up fails unless each has exactly one `@QueueHandler`
   * provider and no handler serves another. A consumer registers no Queue of its own (an idle
   * Queue's connection would only add a way to fail); `registerQueue()` brings in the explorer
   * that creates each handler's BullMQ worker.
   */
  static forConsumers(...declarations: QueueDeclaration[]): DynamicModule {
    return {
      module: JobQueuesModule,
      imports: [DiscoveryModule, BullModule.registerQueue()],
      providers: [{ provide: CONSUMED_QUEUES, useValue: declarations }, QueueHandlerCheck],
    };
  }
}
