import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';

/**
 * Wakes whoever follows a submission in this API replica (live-progress streams, bounded waits)
 * when any replica applies a result event to it: one Redis pub/sub channel, one subscription per
 * replica, listeners by submission id in memory. At most once, like pub/sub: followers also
 * re-read the record on their own from time to time, so a wake-up lost to a reconnect only delays.
 */
@Injectable()
export class SubmissionUpdates implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SubmissionUpdates.name);
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    // A subscribed connection can do nothing else, and must wait out outages rather than fail.
    this.subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: true });
    this.subscriber.on('error', (error: Error) => this.logger.warn(`submission updates subscription: ${error.message}`));
    this.subscriber.on('message', (_channel: string, id: string) => this.listeners.get(id)?.forEach((wake) => wake()));
  }

  async onModuleInit(): Promise<void> {
    await this.subscriber.subscribe(this.keys.submissionUpdates);
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber.disconnect();
  }

  /** Tells every replica that the submission's record changed. */
  async announce(submissionId: string): Promise<void> {
    await this.redis.publish(this.keys.submissionUpdates, submissionId);
  }

  /** Calls `wake` whenever the submission's record changes, until the returned function is called. */
  follow(submissionId: string, wake: () => void): () => void {
    let followers = this.listeners.get(submissionId);
    if (!followers) this.listeners.set(submissionId, (followers = new Set()));
    followers.add(wake);
    return () => {
      followers.delete(wake);
      if (followers.size === 0 && this.listeners.get(submissionId) === followers) this.listeners.delete(submissionId);
    };
  }

  /** How many submissions this replica follows (what a leak would grow). */
  get followed(): number {
    return this.listeners.size;
  }
}
