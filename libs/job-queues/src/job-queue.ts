import { Inject } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueDeclaration, readPayload } from './queue-declaration';

/** A payload that breaks its queue's contract: a bug of the producer, never put on the queue. */
export class InvalidJobPayloadError extends Error {}

/** Jobs per addBulk call: one Redis MULTI each, small enough not to stall Redis for other clients. */
const BULK_CHUNK = 1000;

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
    this.check(payload);
    await this.queue.add(this.declaration.jobName, payload, this.declaration.jobOptions(this.config, payload));
  }

  /**
   * Many jobs at once (BullMQ addBulk, in chunks): every payload is checked before any is added, so
   * a broken one adds none. A failure part way leaves the earlier chunks queued: the caller undoes them.
   */
  async enqueueMany(payloads: P[]): Promise<void> {
    payloads.forEach((payload) => this.check(payload));
    for (let start = 0; start < payloads.length; start += BULK_CHUNK) {
      const chunk = payloads.slice(start, start + BULK_CHUNK);
      await this.queue.addBulk(chunk.map((payload) => ({ name: this.declaration.jobName, data: payload, opts: this.declaration.jobOptions(this.config, payload) })));
    }
  }

  /** Removes a job that no worker holds (waiting, delayed, or finished); false when it is held (running) or unknown. */
  async removeUnstarted(jobId: string): Promise<boolean> {
    return (await this.queue.remove(jobId)) === 1;
  }

  private check(payload: P): void {
    const read = readPayload(this.declaration, payload);
    if ('problems' in read) throw new InvalidJobPayloadError(`a ${this.declaration.name} job's payload breaks its contract: ${read.problems.join('; ')}`);
  }
}

export function jobQueueToken(declaration: QueueDeclaration): string {
  return `JobQueue:${declaration.name}`;
}

/** Injects the JobQueue of a declared queue (its module imports `JobQueuesModule.forProducers(declaration)`). */
export const InjectJobQueue = (declaration: QueueDeclaration): ParameterDecorator => Inject(jobQueueToken(declaration));
