export const SUBMISSION_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/**
 * Statuses only move forward. `completed` (a verdict was reached), `failed` (the judge could not
 * reach one, verdict IE) and `cancelled` (withdrawn before judging started, no verdict) are all
 * terminal and share the top rank, so nothing moves a submission out of any of them.
 */
export const STATUS_RANK: Record<SubmissionStatus, number> = { queued: 0, running: 1, completed: 2, failed: 2, cancelled: 2 };

export function isTerminalStatus(status: SubmissionStatus): boolean {
  return STATUS_RANK[status] === 2;
}
