import { FeedbackLevel } from './feedback';
import { Limits } from './limits';
import { SubtaskResult } from './scoring';
import { SubmissionStatus } from './submission-status';
import { TestResult } from './test-result';
import { Verdict } from './verdict';

/** Response of GET /v1/submissions/:id. */
export interface SubmissionView {
  id: string;
  status: SubmissionStatus;
  language: string;
  /** Null until the submission is completed or failed. */
  verdict: Verdict | null;
  /**
   * Tests judged so far (once terminal: every test that ran), in order. Hidden tests show what the
   * problem's feedback level allows (see `feedback`).
   */
  tests: TestResult[];
  testCount: number;
  /** Of the tests shown, how many were accepted; and the first that was not. */
  passedTests: number;
  firstFailedTest: { index: number; name: string; verdict: Verdict } | null;
  /** Points earned and available; null until terminal (and when the judge failed). */
  score: number | null;
  maxScore: number | null;
  subtasks: SubtaskResult[];
  /** The problem version judged against, or null for inline tests. */
  problem: { id: string; version: number } | null;
  compileOutput: string | null;
  /** Why the judge failed (status failed), or a note on the verdict. */
  message: string | null;
  /** The limits each test ran under, after defaults and language and problem adjustments. */
  limits: Limits;
  /** The problem's multipliers for this language, as applied to `limits`; null when none apply. */
  limitMultipliers: { cpuTime: number; memory: number } | null;
  /** How much of the hidden tests' results is shown; null when every test is shown in full (inline tests). */
  feedback: { level: FeedbackLevel; hiddenTests: number } | null;
  traceId: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Response of POST /v1/submissions. */
export interface SubmissionAccepted {
  id: string;
  status: 'queued';
  traceId: string;
}
