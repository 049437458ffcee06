import { Inject } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueDeclaration } from './queue-declaration';

/** Jobs per addBulk call: one Redis MULTI each, small enough not to stall Redis for other clients. */
const BULK_CHUNK = 1000;

/**
 * The producer side of one declared queue: every job gets its options from the declaration, so no
 * producer decides ids, retries or retention itself. Payloads are checked against the contract where
 * they are read (every consumer's `readPayload`), not here: a check per enqueue cost an eighth of the
 * API's CPU per accepted submission, and each producer's spec checks the payloads it builds instead.
 */
export class JobQueue<P extends object> {
  constructor(
    private readonly declaration: QueueDeclaration<P>,
    private readonly queue: Queue,
    private readonly config: object,
  ) {}

  async enqueue(payload: P): Promise<void> {
    await this.queue.add(this.declaration.jobName, payload, this.declaration.jobOptions(this.config, payload));
  }

  /** Many jobs at once (BullMQ addBulk, in chunks). A failure part way leaves the earlier chunks queued: the caller undoes them. */
  async enqueueMany(payloads: P[]): Promise<void> {
    for (let start = 0; start < payloads.length; start += BULK_CHUNK) {
      const chunk = payloads.slice(start, start + BULK_CHUNK);
      await this.queue.addBulk(chunk.map((payload) => ({ name: this.declaration.jobName, data: payload, opts: this.declaration.jobOptions(this.config, payload) })));
    }
  }

  /** Removes a job that no worker holds (waiting, delayed, or finished); false when it is held (running) or unknown. */
  async removeUnstarted(jobId: string): Promise<boolean> {
    return (await this.queue.remove(jobId)) === 1;
  }

}

export function jobQueueToken(declaration: QueueDeclaration): string {
  return `JobQueue:${declaration.name}`;
}

/** Injects the JobQueue of a declared queue (its module imports `JobQueuesModule.forProducers(declaration)`). */
export const InjectJobQueue = (declaration: QueueDeclaration): ParameterDecorator => Inject(jobQueueToken(declaration));
