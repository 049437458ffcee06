import { ConfigClass } from '@verdict/config';
import { describeValidationErrors } from '@verdict/contracts';
import { JobsOptions } from 'bullmq';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FairDispatchTiming } from './fair-dispatcher';
import type { FairSharePolicy } from './fair-queue';

/**
 * Everything about one BullMQ queue that producers and consumers must agree on, in one place: its
 * name, its job name, the payload contract (a class-validator class) and the options of each job
 * (id, retries, backoff, retention) from the queue's own config class. A queue is declared once,
 * here in this library, and handled by exactly one `QueueProcessor` in each process that consumes it.
 */
export interface QueueDeclaration<P extends object = object, C extends object = object> {
  readonly name: string;
  readonly jobName: string;
  readonly payload: new () => P;
  readonly config: ConfigClass<C>;
  jobOptions(config: C, payload: P): JobsOptions;
  /** Present: jobs wait in tenants' queues and reach BullMQ in fair turns (`FairQueue`, `FairDispatcher`). */
  readonly fairShare?: FairShare<P, C>;
}

/** How a fair-shared queue's jobs are sorted into turns: each job's lane and group, and the policy from config. */
export interface FairShare<P extends object, C extends object> {
  /** Highest first: a lane's jobs all go before the next lane's. */
  readonly lanes: readonly string[];
  lane(payload: P): string;
  /** Whose job it is: turns go round the groups of a lane (for judging, the tenants). */
  group(payload: P): string;
  policy(config: C): FairSharePolicy;
  timing(config: C): FairDispatchTiming;
}

export function declareQueue<P extends object, C extends object>(declaration: QueueDeclaration<P, C>): QueueDeclaration<P, C> {
  return Object.freeze(declaration);
}

/** A job's data read against its queue's payload contract: the payload, or everything wrong with it. */
export function readPayload<P extends object>(declaration: QueueDeclaration<P>, data: unknown): { payload: P } | { problems: string[] } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { problems: ['payload must be an object'] };
  const payload = plainToInstance(declaration.payload, data);
  const problems = describeValidationErrors(validateSync(payload));
  return problems.length > 0 ? { problems } : { payload };
}
