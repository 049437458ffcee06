import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Inject, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RedisConfig } from '@verdict/config';
import { BullRole, RedisKeys, RedisModule, bullOptions } from '@verdict/redis';
import { Queue } from 'bullmq';
import { FairDispatcher } from './fair-dispatcher';
import { FairQueue } from './fair-queue';
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
      useFactory: (queue: Queue, config: object) => new JobQueue(declaration, queue, config, fairSharing(declaration, queue, config)),
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
   * that creates each handler's BullMQ worker. A fair-shared queue's consumer also hands out its
   * jobs: its `FairDispatcher` (`@InjectFairDispatcher(DECL)`, passed to the processor's options)
   * needs the queue itself.
   */
  static forConsumers(...declarations: QueueDeclaration[]): DynamicModule {
    const fair = declarations.filter((declaration) => declaration.fairShare);
    const dispatchers: Provider[] = fair.map((declaration) => ({
      provide: fairDispatcherToken(declaration),
      inject: [getQueueToken(declaration.name), declaration.config],
      useFactory: (queue: Queue, config: object) => fairSharing(declaration, queue, config)!.dispatcher,
    }));
    return {
      module: JobQueuesModule,
      imports: [DiscoveryModule, BullModule.registerQueue(...fair.map((declaration) => ({ name: declaration.name })))],
      providers: [{ provide: CONSUMED_QUEUES, useValue: declarations }, QueueHandlerCheck, ...dispatchers],
      exports: dispatchers,
    };
  }
}

/** A fair-shared queue's tenants' queues and the dispatcher that feeds BullMQ from them; null for another queue. */
function fairSharing(declaration: QueueDeclaration, queue: Queue, config: object): { queue: FairQueue; dispatcher: FairDispatcher } | null {
  const fairShare = declaration.fairShare;
  if (!fairShare) return null;
  const fairQueue = new FairQueue(queue, fairShare.lanes);
  return { queue: fairQueue, dispatcher: new FairDispatcher(fairQueue, queue, fairShare.policy(config), fairShare.timing(config)) };
}

export function fairDispatcherToken(declaration: QueueDeclaration): string {
  return `FairDispatcher:${declaration.name}`;
}

/** Injects the dispatcher of a fair-shared queue this process consumes (`JobQueuesModule.forConsumers(declaration)`). */
export const InjectFairDispatcher = (declaration: QueueDeclaration): ParameterDecorator => Inject(fairDispatcherToken(declaration));
