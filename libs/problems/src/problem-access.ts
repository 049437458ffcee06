import { Requester, canAccess } from '@verdict/contracts';
import { ProblemForbiddenError, ProblemNotFoundError } from './problem-errors';

/**
 * Who a problem belongs to and who else may read it: stored with the problem, so every version has
 * the same. The owner is the tenant of the key that created it (null: an admin created it, or it was
 * created before problems had owners); `shared`, set by an admin, lets every tenant read it and
 * submit against it.
 */
export interface ProblemAccess {
  ownerTenantId: string | null;
  shared: boolean;
}

/** Reading a problem and submitting against it: its owner, any tenant when it is shared, admins always. */
export function canSeeProblem(requester: Requester, access: ProblemAccess): boolean {
  return access.shared || canAccess(requester, access.ownerTenantId);
}

/** Changing a problem (a new version, deleting it, rejudging it): its owner and admins only, shared or not. */
export function canChangeProblem(requester: Requester, access: ProblemAccess): boolean {
  return canAccess(requester, access.ownerTenantId);
}

/**
 * Whether `requester` may ask for `full` feedback (hidden tests' outputs) on a submission against
 * the problem whose access is `access`: its owner and admins, nobody else (a tenant it is shared
 * with included). `null`, a problem that no longer exists: admins only.
 */
export function maySeeFullFeedback(requester: Requester, access: ProblemAccess | null): boolean {
  return access === null ? requester.isAdmin : canAccess(requester, access.ownerTenantId);
}

/** The refusal of a problem that does not exist, and of one the requester may not see: the same words, so ids reveal nothing. */
export function problemNotFound(problemId: string): ProblemNotFoundError {
  return new ProblemNotFoundError(`problem "${problemId}" not found`);
}

/** Throws `problem "x" not found` unless the problem exists and `requester` may see it. */
export function assertCanSee(problemId: string, requester: Requester, access: ProblemAccess | null): asserts access is ProblemAccess {
  if (!access || !canSeeProblem(requester, access)) throw problemNotFound(problemId);
}

/**
 * Throws unless `requester` may change the problem: not found when it may not even see it (or the
 * problem does not exist), forbidden when it may only read it (shared with it, owned by another).
 */
export function assertCanChange(problemId: string, requester: Requester, access: ProblemAccess | null): asserts access is ProblemAccess {
  assertCanSee(problemId, requester, access);
  if (!canChangeProblem(requester, access)) {
    throw new ProblemForbiddenError(`problem "${problemId}" is shared read-only: only its owner or an admin may change it`);
  }
}
