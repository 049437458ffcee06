import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HealthConfig } from '@verdict/config';
import { Queue } from 'bullmq';

/**
 * Whether every BullMQ queue this process holds (its producers') has its Redis connection ready.
 * Each module that registers a queue gets a Queue, and a connection, of its own, so all are
 * checked: one that stays down fails the jobs enqueued through it while the others look fine.
 */
@Injectable()
export class QueueConnectionsHealthIndicator {
  private found?: Queue[];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly indicators: HealthIndicatorService,
    private readonly config: HealthConfig,
  ) {}

  /**
   * Up when every queue's connection is `ready`, within READINESS_CHECK_TIMEOUT_MS (a queue whose
   * first connection never came up has no client to ask yet); down names each queue that is not,
   * with its connection's state (`reconnecting`, `connecting`, `end`) and how many of its Queues are in it.
   */
  areReady<const K extends string = 'bullmq'>(key: K = 'bullmq' as K) {
    const queues = this.queues();
    return this.indicators
      .check(key)
      .attempt(async () => {
        const states = await Promise.all(queues.map(async (queue) => `${queue.name} (${(await queue.client).status})`));
        // Several modules' Queues of one name in the same state are one line, counted.
        const down = new Map<string, number>();
        for (const state of states) if (!state.endsWith(' (ready)')) down.set(state, (down.get(state) ?? 0) + 1);
        if (down.size > 0) throw new Error(`BullMQ connection not ready: ${[...down].map(([state, count]) => (count > 1 ? `${state} x${count}` : state)).join(', ')}`);
      })
      .withTimeout(this.config.READINESS_CHECK_TIMEOUT_MS)
      .withSuccessData({ queues: [...new Set(queues.map((queue) => queue.name))] });
  }

  /** Every Queue the container holds, looked up once: providers are all made before the first probe. */
  private queues(): Queue[] {
    this.found ??= this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is Queue => instance instanceof Queue);
    return this.found;
  }
}
