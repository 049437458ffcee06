import { DomainError } from '@verdict/contracts';

/** A batch refused whole: every bad item named by its index. */
export class BatchRejectedError extends DomainError {
  readonly kind = 'invalid';
}

export class BatchNotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor() {
    super('batch not found');
  }
}
