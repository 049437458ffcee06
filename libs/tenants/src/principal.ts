import { ApiScope, SubmissionLane } from '@verdict/contracts';
import { MissingScopeError } from './tenant-errors';

/** Who a request acts as: what `ApiKeyAuthenticator` makes of a key, and `ApiKeyGuard` attaches to the request. */
export interface Principal {
  /** The tenant the key acts for; null for an admin (ADMIN_API_KEY or an admin key in Redis), who acts for no tenant and may act on any. */
  tenantId: string | null;
  /** The key's public prefix (ADMIN_API_KEY's own prefix for that key). */
  keyId: string;
  scopes: readonly ApiScope[];
  /** Holds the `admin` scope: every scope. */
  isAdmin: boolean;
  /** The lanes its submissions and batches may name: a tenant's key's own `lanes`. Absent: every lane (admins, progress tokens). */
  lanes?: readonly SubmissionLane[];
}

/** The scopes of `required` that `principal` lacks (none for an admin). */
export function missingScopes(principal: Principal, required: readonly ApiScope[]): ApiScope[] {
  if (principal.isAdmin) return [];
  return required.filter((scope) => !principal.scopes.includes(scope));
}

/**
 * Refuses (`MissingScopeError`, forbidden) a principal without every scope of `required`, naming
 * those missing. `undefined` (an operation that declares no scopes) admits admins only.
 */
export function authorize(principal: Principal, required: readonly ApiScope[] | undefined): void {
  if (required === undefined) {
    if (!principal.isAdmin) throw new MissingScopeError(`API key ${principal.keyId} cannot do this: this operation needs an admin API key`);
    return;
  }
  const missing = missingScopes(principal, required);
  if (missing.length > 0) {
    const named = missing.map((scope) => `"${scope}"`).join(', ');
    throw new MissingScopeError(`API key ${principal.keyId} lacks the scope${missing.length > 1 ? 's' : ''} ${named} this operation needs`);
  }
}
