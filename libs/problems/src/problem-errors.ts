import { DomainError } from '@verdict/contracts';

/** A package that cannot become a problem version; one message per problem found, naming file and field. */
export class InvalidProblemPackageError extends DomainError {
  readonly kind = 'invalid';
}

/** An upload larger than the configured bound. */
export class ProblemUploadTooLargeError extends DomainError {
  readonly kind = 'too-large';
}

export class ProblemNotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** Creating a problem whose id is taken: new versions go to POST /v1/problems/:id/versions. */
export class ProblemExistsError extends DomainError {
  readonly kind = 'conflict';
}

/** A valid request the problem cannot serve (a template of a stdio problem, pretests of a problem without any). */
export class ProblemRequestError extends DomainError {
  readonly kind = 'invalid';
}

/** A change to a problem the requester may read but not change: one shared with it that it does not own. */
export class ProblemForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}
