import { FieldError } from './problem-details';

/**
 * What kind of failure a request met, whatever library found it. The API maps each kind to one HTTP
 * status in one place (apps/api HttpErrorsFilter); libraries never speak HTTP.
 */
export const DOMAIN_ERROR_KINDS = ['invalid', 'unauthenticated', 'forbidden', 'not-found', 'conflict', 'unprocessable', 'too-large', 'unavailable', 'rate-limited'] as const;
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

/**
 * A failure the caller can act on: its kind, and every problem found, each with its message (naming
 * the field or file) and, where one is at fault, the field's path. A bare message concerns the
 * request as a whole.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  readonly problems: FieldError[];
  /** For a refusal that passes (`rate-limited`, `unavailable`): whole seconds after which a retry may succeed (the API's `Retry-After`). */
  readonly retryAfterSeconds?: number;

  constructor(problems: string | FieldError | (string | FieldError)[]) {
    const list = (Array.isArray(problems) ? problems : [problems]).map((p) => (typeof p === 'string' ? { field: null, message: p } : p));
    super(list.map((p) => p.message).join('; '));
    this.problems = list;
  }
}
