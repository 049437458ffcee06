import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { BacklogBound, FairEntry, FairQueue, FairSharePolicy } from './fair-queue';
import { sweepEvery } from './sweep-every';

/** Entries per take: enough to fill a large pool at once, small enough for one short script call. */
const TAKE_MOST = 200;

export interface FairDispatchTiming {
  /** The heartbeat: slots renewed, lost hand-overs recovered, jobs handed out unprompted. */
  intervalMs: number;
}

/**
 * Moves jobs from the tenants' queues (`FairQueue`) into BullMQ as workers free slots. Any process
 * may wake it, and several may run at once: the take is one script that counts the free slots and
 * marks what it takes, so together they never hand out more than there is room for. Wakes come
 * from the producer after it stages jobs, from a worker each time one of its jobs ends, and from
 * each worker's heartbeat (which also keeps its slots counted and re-adds the jobs of a hand-over
 * that died between taking and adding).
 */
export class FairDispatcher {
  private readonly log = new Logger(FairDispatcher.name);
  private running: Promise<void> | null = null;
  private again = false;
  private serving: { worker: string; stop: AbortController; loop: Promise<void> } | null = null;

  constructor(
    private readonly fairQueue: FairQueue,
    private readonly queue: Queue,
    private readonly policy: FairSharePolicy,
    private readonly timing: FairDispatchTiming,
  ) {}

  /** Hands out what the free slots allow. Wakes during a pass make one more pass, not one each. */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.handOut();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /**
   * Stages jobs and hands out at once what free slots allow (one round trip per slice of jobs);
   * what is staged but not handed out waits for a wake-up. A failure after staging loses nothing:
   * a taken job not yet added is re-added by a worker's heartbeat. A bound refuses all of them or none
   * (BacklogBoundError).
   */
  async stage(entries: FairEntry[], bound?: BacklogBound): Promise<void> {
    const taken = await this.fairQueue.stageAndTake(entries, TAKE_MOST, this.policy, bound);
    if (taken.length === 0) return;
    await this.add(taken).catch((error: Error) => this.log.warn(`${taken.length} job(s) taken but not yet added wait for a worker's heartbeat: ${error.message}`));
  }

  /** Wakes without waiting: a failure is logged, and the next wake or heartbeat tries again. */
  nudge(): void {
    this.wake().catch((error: Error) => this.log.warn(`handing out jobs failed (the next wake-up tries again): ${error.message}`));
  }

  /**
   * Counts this process's `slots` as the workers' until `leave()`, renewing them every interval
   * (they lapse three intervals after a process stops renewing, as when it dies).
   */
  async serve(slots: number): Promise<void> {
    if (this.serving) return;
    const worker = `${process.pid}-${randomUUID()}`;
    const stop = new AbortController();
    const renew = () => this.fairQueue.setSlots(worker, slots, Date.now() + 3 * this.timing.intervalMs);
    await renew();
    const loop = sweepEvery(this.timing.intervalMs, stop.signal, async () => {
      await renew();
      await this.readdLost();
      await this.wake();
    }, (error) => this.log.warn(`fair dispatch heartbeat failed (retrying): ${error.message}`));
    this.serving = { worker, stop, loop };
  }

  /** Withdraws this process's slots: nothing more is handed out for them. */
  async leave(): Promise<void> {
    if (!this.serving) return;
    const { worker, stop, loop } = this.serving;
    this.serving = null;
    stop.abort();
    await loop;
    await this.fairQueue.setSlots(worker, 0, 0);
  }

  private async handOut(): Promise<void> {
    for (;;) {
      const entries = await this.fairQueue.take(TAKE_MOST, this.policy);
      if (entries.length === 0) return;
      await this.add(entries);
      if (entries.length < TAKE_MOST) return;
    }
  }

  /** A hand-over is two steps, short ones; one unconfirmed after many heartbeats died between them. */
  private async readdLost(): Promise<void> {
    const lost = await this.fairQueue.recover(Date.now() - Math.max(10_000, 10 * this.timing.intervalMs));
    if (lost.length === 0) return;
    this.log.warn(`adding again ${lost.length} job(s) whose hand-over to the workers did not finish`);
    await this.add(lost);
  }

  /** BullMQ keeps the first job of an id, so adding one that made it in after all changes nothing. */
  private async add(entries: FairEntry[]): Promise<void> {
    await this.queue.addBulk(entries.map((entry) => ({ name: entry.name, data: entry.data, opts: entry.opts })));
    await this.fairQueue.confirm(entries.map((entry) => entry.id));
  }
}
