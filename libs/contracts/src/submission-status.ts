export const SUBMISSION_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/**
 * Statuses only move forward. `completed` (a verdict was reached) and `failed` (the judge could not
 * reach one, verdict IE) are both terminal and share the top rank.
 */
export const STATUS_RANK: Record<SubmissionStatus, number> = { queued: 0, running: 1, completed: 2, failed: 2 };

export function isTerminalStatus(status: SubmissionStatus): boolean {
  return STATUS_RANK[status] === 2;
}
