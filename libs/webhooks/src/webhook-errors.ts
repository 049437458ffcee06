import { DomainError } from '@verdict/contracts';

/** The submission named is unknown, or expired with its deliveries. */
export class SubmissionNotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** A redelivery of a submission that has no webhook event (no callbackUrl, or not finished yet). */
export class NothingToRedeliverError extends DomainError {
  readonly kind = 'conflict';
}
