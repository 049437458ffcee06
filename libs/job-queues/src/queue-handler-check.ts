import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { QueueDeclaration } from './queue-declaration';
import { QUEUE_HANDLER, QueueProcessor } from './queue-processor';

export const CONSUMED_QUEUES = Symbol('verdict:consumed-queues');

/** A process's queues and handlers do not match one to one; start-up stops with the reason. */
export class QueueHandlerMismatchError extends Error {}

export interface FoundHandler {
  handler: string;
  queue: string;
  /** Whether it frees its slots to a fair dispatcher (`QueueProcessor.dispatchesFairly`). */
  dispatchesFairly: boolean;
}

/** Every way the handlers found differ from "exactly one per consumed queue, none for another". */
export function queueHandlerProblems(consumed: readonly QueueDeclaration[], found: readonly FoundHandler[]): string[] {
  const problems: string[] = [];
  for (const { name } of consumed) {
    const handlers = found.filter((f) => f.queue === name).map((f) => f.handler);
    if (handlers.length === 0) problems.push(`queue "${name}" has no handler (a @QueueHandler processor among this process's providers)`);
    if (handlers.length > 1) problems.push(`queue "${name}" has ${handlers.length} handlers (${handlers.join(', ')}); it needs exactly one`);
  }
  for (const { handler, queue, dispatchesFairly } of found) {
    if (consumed.some((d) => d.name === queue && d.fairShare) && !dispatchesFairly) {
      problems.push(`queue "${queue}" is fair-shared: ${handler} must pass its FairDispatcher (@InjectFairDispatcher) in QueueProcessor's options, or no job ever reaches it`);
    }
  }
  for (const { handler, queue } of found) {
    if (!consumed.some((d) => d.name === queue)) problems.push(`${handler} handles queue "${queue}", which this process does not consume (JobQueuesModule.forConsumers)`);
  }
  return problems;
}

/** Runs at start-up (module init): a queue without a handler, or with two, stops the process. */
@Injectable()
export class QueueHandlerCheck implements OnModuleInit {
  constructor(
    @Inject(CONSUMED_QUEUES) private readonly consumed: QueueDeclaration[],
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const found: FoundHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const declaration = wrapper.metatype && this.reflector.get<QueueDeclaration | undefined>(QUEUE_HANDLER, wrapper.metatype);
      if (declaration) found.push({ handler: wrapper.name, queue: declaration.name, dispatchesFairly: (wrapper.instance as QueueProcessor | undefined)?.dispatchesFairly ?? false });
    }
    const problems = queueHandlerProblems(this.consumed, found);
    if (problems.length > 0) throw new QueueHandlerMismatchError(`queues and their handlers do not match:\n  - ${problems.join('\n  - ')}`);
  }
}
