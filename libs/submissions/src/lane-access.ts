import { DomainError, JudgeLane, Requester, allowedLanes } from '@verdict/contracts';

/** A submission or batch in a lane its API key may not use (named, or the default): refused whole, 403. */
export class LaneNotAllowedError extends DomainError {
  readonly kind = 'forbidden';
}

/**
 * Refuses (LaneNotAllowedError, naming the field `lane`) a submission or batch whose lane its
 * requester's key does not allow: the lane it names or, when it names none, the default it would
 * take (`defaultOf` says whose default). Admins and keys without lanes may use every lane.
 */
export function checkLaneAllowed(requester: Requester, named: JudgeLane | null | undefined, fallback: { lane: JudgeLane; defaultOf: string }): void {
  const allowed = allowedLanes(requester);
  const lane = named ?? fallback.lane;
  if ((allowed as readonly string[]).includes(lane)) return;
  const what = named == null ? `lane ${lane} (${fallback.defaultOf}'s default when lane is not set: set lane to one the key may use)` : `lane ${lane}`;
  throw new LaneNotAllowedError({ field: 'lane', message: `this API key may not use ${what}; it may use ${allowed.join(', ')}` });
}
