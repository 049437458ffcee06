/**
 * The judge cannot judge this job at all (its language left the catalog, the problem's checker does
 * not build or fails): retrying will not help, the submission ends as IE with the reason.
 */
export class UnjudgeableSubmissionError extends Error {}
