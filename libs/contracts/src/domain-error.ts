/**
 * What kind of failure a request met, whatever library found it. The API maps each kind to one HTTP
 * status in one place (apps/api HttpErrorsFilter); libraries never speak HTTP.
 */
export const DOMAIN_ERROR_KINDS = ['invalid', 'not-found', 'conflict', 'too-large', 'unavailable', 'rate-limited'] as const;
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

/** A failure the caller can act on: its kind, and one message per problem found (naming the field or file). */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  readonly problems: string[];

  constructor(problems: string | string[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.join('; '));
    this.problems = list;
  }
}
