import { ConfigClass } from '@verdict/config';
import { describeValidationErrors } from '@verdict/contracts';
import { JobsOptions } from 'bullmq';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

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
