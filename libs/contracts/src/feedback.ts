/**
 * How much of a hidden test's result a public read shows, as CMS, DOMjudge and Kattis have it:
 * - `full`: everything (output previews, exit status, checker message);
 * - `tests`: per test its verdict, time, memory and score, nothing a program or checker wrote;
 * - `summary`: the overall verdict and score only, hidden tests left out.
 * Samples (and every test of an inline-test submission, whose submitter wrote them) are always `full`.
 */
export const FEEDBACK_LEVELS = ['full', 'tests', 'summary'] as const;
export type FeedbackLevel = (typeof FEEDBACK_LEVELS)[number];
export const DEFAULT_FEEDBACK_LEVEL: FeedbackLevel = 'tests';

/** What a submission's public reads may show: its problem's level for hidden tests, and which tests are public. */
export interface ResultDisclosure {
  level: FeedbackLevel;
  /** Indices (run order) of the tests shown in full whatever the level: the problem's samples. */
  publicTests: number[];
}
