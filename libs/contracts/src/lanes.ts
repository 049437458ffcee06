/**
 * Which line a judge job waits in, highest first: every waiting job of a lane goes before any of
 * the next. `live`: single submissions someone is waiting for (a contestant, a student); `contest`:
 * contest batches; `practice`: practice and course batches; `rejudge`: judging again what was
 * judged before, and other background work. Within a lane tenants take turns (the judge queue's
 * fair sharing, libs/job-queues).
 */
export const JUDGE_LANES = ['live', 'contest', 'practice', 'rejudge'] as const;
export type JudgeLane = (typeof JUDGE_LANES)[number];

/** The lanes a submission request may name (rejudges have theirs). */
export const SUBMISSION_LANES = ['live', 'contest', 'practice'] as const satisfies readonly JudgeLane[];
export type SubmissionLane = (typeof SUBMISSION_LANES)[number];
/** The lanes a batch may name: a batch is never `live`. */
export const BATCH_LANES = ['contest', 'practice'] as const satisfies readonly JudgeLane[];
export type BatchLane = (typeof BATCH_LANES)[number];
