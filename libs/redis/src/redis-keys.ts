import { Injectable } from '@nestjs/common';
import { RedisConfig } from '@verdict/config';

/**
 * Every Redis key Verdict uses, in one place. The prefix is wrapped in a hash tag so that on a Redis
 * Cluster all of one deployment's keys share a slot: BullMQ's scripts and our apply-event script touch
 * several keys at once, which a cluster allows only within one slot.
 */
@Injectable()
export class RedisKeys {
  readonly prefix: string;

  constructor(config: RedisConfig) {
    this.prefix = `{${config.VERDICT_KEY_PREFIX}}`;
  }

  /** BullMQ's own prefix: queue keys are `<prefix>:<queue>:...`. */
  get bullPrefix(): string {
    return this.prefix;
  }

  submission(id: string): string {
    return `${this.prefix}:submission:${id}`;
  }

  idempotency(key: string): string {
    return `${this.prefix}:idempotency:${key}`;
  }

  get resultStream(): string {
    return `${this.prefix}:results`;
  }

  /** Stream entries that could not be decoded or applied, kept with the reason for inspection. */
  get resultDeadLetters(): string {
    return `${this.prefix}:results:dead`;
  }
}
