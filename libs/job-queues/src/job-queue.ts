import { Inject } from '@nestjs/common';
import type { JudgeQueueCensus } from '@verdict/metrics';
import { JobState, Queue } from 'bullmq';
import { FairDispatcher } from './fair-dispatcher';
import { BacklogBound, FairBacklog, FairEntry, FairQueue } from './fair-queue';
import { QueueDeclaration } from './queue-declaration';

/** Jobs per addBulk call: one Redis MULTI each, small enough not to stall Redis for other clients. */
const BULK_CHUNK = 1000;

/** Where a job stands in its queue, as far as a producer deciding whether it was lost needs to know. */
export interface QueuedJobStatus {
  /** BullMQ's state of the job; 'unknown' when there is no job of that id (never added, removed, cleaned). */
  state: JobState | 'unknown';
  /** Why BullMQ failed it (a failed job), else null. */
  failedReason: string | null;
  /** When a worker last took it (ms since the epoch), or null. */
  processedOn: number | null;
  /** When it last completed or failed (ms since the epoch), or null: with the id, which end of the job this is. */
  finishedOn: number | null;
}

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
    /** A fair-shared queue's: jobs are staged there and handed to BullMQ in turns. */
    private readonly fair: { queue: FairQueue; dispatcher: FairDispatcher } | null = null,
  ) {}

  /**
   * Adds the job; with `delayMs`, it waits that long in the queue before a worker may take it. A
   * fair-shared queue's job waits its turn instead (no delay there: none of its producers asks for
   * one); with `bound`, only if its group's backlog and everyone's stay within it, checked as it is
   * staged (else BacklogBoundError).
   */
  async enqueue(payload: P, { delayMs = 0, bound }: { delayMs?: number; bound?: BacklogBound } = {}): Promise<void> {
    if (this.fair) return this.stage([payload], bound);
    if (bound) throw new Error(`queue "${this.declaration.name}" is not fair-shared: it keeps no backlog to bound`);
    const options = this.declaration.jobOptions(this.config, payload);
    await this.queue.add(this.declaration.jobName, payload, delayMs > 0 ? { ...options, delay: delayMs } : options);
  }

  /** Many jobs at once (BullMQ addBulk, in chunks). A failure part way leaves the earlier chunks queued: the caller undoes them. */
  async enqueueMany(payloads: P[]): Promise<void> {
    if (this.fair) return this.stage(payloads);
    for (let start = 0; start < payloads.length; start += BULK_CHUNK) {
      const chunk = payloads.slice(start, start + BULK_CHUNK);
      await this.queue.addBulk(chunk.map((payload) => ({ name: this.declaration.jobName, data: payload, opts: this.declaration.jobOptions(this.config, payload) })));
    }
  }

  /** Removes a job that no worker holds (waiting its turn, waiting, delayed, or finished); false when it is held (running) or unknown. */
  async removeUnstarted(jobId: string): Promise<boolean> {
    if (this.fair && (await this.fair.queue.remove(jobId))) return true;
    return (await this.queue.remove(jobId)) === 1;
  }

  /** Where the job of this id stands (its state, and for a finished one when and why it ended); waiting its turn is `waiting`. */
  async inspect(jobId: string): Promise<QueuedJobStatus> {
    if (this.fair && (await this.fair.queue.holds(jobId))) return { state: 'waiting', failedReason: null, processedOn: null, finishedOn: null };
    // The state and three fields, not the whole job: reconcilers ask for every open job on each
    // sweep, and a judge job's data holds its source and tests.
    const state = await this.queue.getJobState(jobId);
    if (state === 'unknown') return { state, failedReason: null, processedOn: null, finishedOn: null };
    const client = await this.queue.client;
    const [failedReason, processedOn, finishedOn] = await client.hmget(this.queue.toKey(jobId), 'failedReason', 'processedOn', 'finishedOn');
    return { state, failedReason: failedReason || null, processedOn: processedOn ? Number(processedOn) : null, finishedOn: finishedOn ? Number(finishedOn) : null };
  }

  /** A fair-shared queue's backlog, for admission control: the group's jobs waiting their turn, everyone's, and the drain rate. */
  async backlog(group: string): Promise<FairBacklog> {
    if (!this.fair) throw new Error(`queue "${this.declaration.name}" is not fair-shared: it keeps no backlog per group`);
    return this.fair.queue.backlog(group);
  }

  /** A fair-shared queue's gauges, in one round trip (`FairQueue.census`): what the API's /metrics reads when scraped. */
  async census(): Promise<JudgeQueueCensus> {
    if (!this.fair) throw new Error(`queue "${this.declaration.name}" is not fair-shared: its census is BullMQ's own`);
    return this.fair.queue.census();
  }

  private async stage(payloads: P[], bound?: BacklogBound): Promise<void> {
    const { fairShare, jobName } = this.declaration;
    const entries = payloads.map((payload): FairEntry => {
      const opts = this.declaration.jobOptions(this.config, payload);
      return { id: String(opts.jobId), lane: fairShare!.lane(payload), group: fairShare!.group(payload), name: jobName, data: payload, opts };
    });
    // Handed out before the request is answered when a slot is free.
    await this.fair!.dispatcher.stage(entries, bound);
  }
}

export function jobQueueToken(declaration: QueueDeclaration): string {
  return `JobQueue:${declaration.name}`;
}

/** Injects the JobQueue of a declared queue (its module imports `JobQueuesModule.forProducers(declaration)`). */
export const InjectJobQueue = (declaration: QueueDeclaration): ParameterDecorator => Inject(jobQueueToken(declaration));
