import { SUBMISSION_LANES, SubmissionLane } from './lanes';

/**
 * Who a request acts for, as every use case that reads or changes a tenant's data is told: a
 * tenant's API key (its tenant), or an admin key (no tenant, and every tenant's data). The API's
 * `Principal` (libs/tenants) is one.
 */
export interface Requester {
  tenantId: string | null;
  isAdmin: boolean;
  /**
   * The lanes its submissions and batches may name (its API key's `lanes`). Absent: every lane
   * (admins, the judge itself, keys made before keys had lanes).
   */
  lanes?: readonly SubmissionLane[];
}

/** The lanes `requester` may submit in: its key's, or every one (admins, no lanes carried). */
export function allowedLanes(requester: Requester): readonly SubmissionLane[] {
  return requester.isAdmin || requester.lanes === undefined ? SUBMISSION_LANES : requester.lanes;
}

/**
 * Whether `requester` may see what `ownerTenantId` owns (null: made by an admin). Another tenant's
 * things are answered as if they did not exist (404), never 403: their ids reveal nothing.
 */
export function canAccess(requester: Requester, ownerTenantId: string | null): boolean {
  return requester.isAdmin || (requester.tenantId !== null && requester.tenantId === ownerTenantId);
}

/** The judge itself, reading for its own follow-ups (a batch's webhook): every tenant's data. */
export const JUDGE_ITSELF: Requester = Object.freeze({ tenantId: null, isAdmin: true });
