/** A package that cannot become a problem version; one message per problem found, naming file and field. */
export class InvalidProblemPackageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** An upload larger than the configured bound (HTTP 413). */
export class ProblemUploadTooLargeError extends Error {}

export class ProblemNotFoundError extends Error {}

/** Creating a problem whose id is taken (HTTP 409): new versions go to POST /v1/problems/:id/versions. */
export class ProblemExistsError extends Error {}

/** A valid request the problem cannot serve (a template of a stdio problem, pretests of a problem without any). */
export class ProblemRequestError extends Error {}
