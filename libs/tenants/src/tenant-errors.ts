import { DomainError, FieldError } from '@verdict/contracts';

export class TenantNotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(id: string) {
    super(`tenant ${id} not found`);
  }
}

export class TenantAlreadyExistsError extends DomainError {
  readonly kind = 'conflict';

  constructor(id: string) {
    super({ field: 'id', message: `id: a tenant ${id} already exists` });
  }
}

/** An API key unknown to the tenant named (or an admin key, for a null tenant): other tenants' keys are not found either. */
export class ApiKeyNotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(keyId: string) {
    super(`API key ${keyId} not found`);
  }
}

/** BootstrapAdminKey after the bootstrap, or once any admin key exists: it runs once per deployment. */
export class AdminKeyAlreadyBootstrappedError extends DomainError {
  readonly kind = 'conflict';

  constructor() {
    super('an admin API key has already been bootstrapped; use an admin key (or ADMIN_API_KEY) to create more');
  }
}

/** A command that passed its class's rules but not a rule across fields or against the present time. */
export class InvalidTenantsCommandError extends DomainError {
  readonly kind = 'invalid';

  constructor(problems: FieldError | FieldError[]) {
    super(problems);
  }
}

/** A request refused for who sent it: no usable key (401), or a key without the scope (403). */
export abstract class AccessError extends DomainError {
  abstract override readonly kind: 'unauthenticated' | 'forbidden';
}

/**
 * No usable API key. The message says what is wrong, but for a well-formed key it never tells an
 * unknown prefix from a wrong secret ("invalid API key"); revoked and expired are said only to the
 * holder of the right secret.
 */
export class ApiKeyRejectedError extends AccessError {
  readonly kind = 'unauthenticated';
}

/**
 * A progress token (`?access_token=vpt_...`) refused: malformed, not signed with the secret,
 * expired, for another submission, on a route that takes none, or sent beside an API key.
 */
export class ProgressTokenRejectedError extends AccessError {
  readonly kind = 'unauthenticated';
}

/** An authenticated key that lacks a scope the operation requires. */
export class MissingScopeError extends AccessError {
  readonly kind = 'forbidden';
}
