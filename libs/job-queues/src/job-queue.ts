import { Inject } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueDeclaration, readPayload } from './queue-declaration';

/** A payload that breaks its queue's contract: a bug of the producer, never put on the queue. */
export class InvalidJobPayloadError extends Error {}

/**
 * The producer side of one declared queue: every job is checked against the payload contract and
 * gets its options from the declaration, so no producer decides ids, retries or retention itself.
 */
export class JobQueue<P extends object> {
  constructor(
    private readonly declaration: QueueDeclaration<P>,
    private readonly queue: Queue,
    private readonly config: object,
  ) {}

  async enqueue(payload: P): Promise<void> {
    const read = readPayload(this.declaration, payload);
    if ('problems' in read) throw new InvalidJobPayloadError(`a ${this.declaration.name} job's payload breaks its contract: ${read.problems.join('; ')}`);
    await this.queue.add(this.declaration.jobName, payload, this.declaration.jobOptions(this.config, payload));
  }
}

export function jobQueueToken(declaration: QueueDeclaration): string {
  return `JobQueue:${declaration.name}`;
}

/** Injects the JobQueue of a declared queue (its module imports `JobQueuesModule.forProducers(declaration)`). */
export const InjectJobQueue = (declaration: QueueDeclaration): ParameterDecorator => Inject(jobQueueToken(declaration));
