import { Limits } from './limits';
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
  /** Tests judged so far (all of them once terminal), in order. */
  tests: TestResult[];
  testCount: number;
  compileOutput: string | null;
  /** Why the judge failed (status failed), or a note on the verdict. */
  message: string | null;
  /** The limits each test ran under, after defaults and language adjustments. */
  limits: Limits;
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
