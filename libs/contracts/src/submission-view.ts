import { ApiProperty } from '@nestjs/swagger';
import { FEEDBACK_LEVELS, FeedbackLevel } from './feedback';
import { ResolvedLimitsDto } from './judge-job';
import { Limits } from './limits';
import { SubtaskResult } from './scoring';
import { SUBMISSION_STATUSES, SubmissionStatus } from './submission-status';
import { TestResult } from './test-result';
import { VERDICTS, Verdict } from './verdict';

/** The first test that was not accepted. */
export class FailedTestRef {
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 }) index!: number;
  @ApiProperty({ example: '1' }) name!: string;
  @ApiProperty({ enum: VERDICTS, example: 'WA' }) verdict!: Verdict;
}

/** A problem version a submission was judged against. */
export class ProblemVersionRef {
  @ApiProperty({ example: 'a-plus-b' }) id!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 2 }) version!: number;
}

/** A problem's factors for one language, as applied to the limits. */
export class AppliedLimitMultipliers {
  @ApiProperty({ description: 'Scales the CPU and wall time limits.', example: 3 }) cpuTime!: number;
  @ApiProperty({ description: 'Scales the memory limit.', example: 2 }) memory!: number;
}

/** How much of the hidden tests' results a read shows. */
export class FeedbackShown {
  @ApiProperty({ enum: FEEDBACK_LEVELS, example: 'tests' }) level!: FeedbackLevel;
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) hiddenTests!: number;
}

/**
 * An earlier judging of a submission, replaced by a rejudge: its outcome only (no tests), so it
 * shows nothing a feedback level would hide.
 */
export class PreviousJudging {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) judging!: number;
  @ApiProperty({ enum: SUBMISSION_STATUSES, example: 'completed' }) status!: SubmissionStatus;
  @ApiProperty({ enum: VERDICTS, nullable: true, example: 'WA' }) verdict!: Verdict | null;
  @ApiProperty({ type: Number, nullable: true, example: 40 }) score!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 100 }) maxScore!: number | null;
  @ApiProperty({ type: ProblemVersionRef, nullable: true }) problem!: ProblemVersionRef | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
}

/** Response of GET /v1/submissions/:id. */
export class SubmissionView {
  @ApiProperty({ format: 'uuid', example: '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11' }) id!: string;
  @ApiProperty({ enum: SUBMISSION_STATUSES, example: 'completed' }) status!: SubmissionStatus;
  @ApiProperty({ example: 'python' }) language!: string;
  /** Null until the submission is completed or failed. */
  @ApiProperty({ enum: VERDICTS, nullable: true, description: 'Null until the submission is completed or failed.', example: 'AC' })
  verdict!: Verdict | null;
  /**
   * Tests judged so far (once terminal: every test that ran), in order. Hidden tests show what the
   * problem's feedback level allows (see `feedback`).
   */
  @ApiProperty({ type: [TestResult], description: "Tests judged so far (once terminal: every test that ran), in order; hidden tests as the problem's feedback level allows." })
  tests!: TestResult[];
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 }) testCount!: number;
  /** Of the tests shown, how many were accepted; and the first that was not. */
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Of the tests shown, how many were accepted.', example: 1 }) passedTests!: number;
  @ApiProperty({ type: FailedTestRef, nullable: true, description: 'Of the tests shown, the first that was not accepted.' })
  firstFailedTest!: FailedTestRef | null;
  /** Points earned and available; null until terminal (and when the judge failed). */
  @ApiProperty({ type: Number, nullable: true, description: 'Points earned; null until terminal (and when the judge failed).', example: 100 })
  score!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 100 }) maxScore!: number | null;
  @ApiProperty({ type: [SubtaskResult] }) subtasks!: SubtaskResult[];
  /** The problem version judged against, or null for inline tests. */
  @ApiProperty({ type: ProblemVersionRef, nullable: true, description: 'The problem version judged against, or null for inline tests.' })
  problem!: ProblemVersionRef | null;
  @ApiProperty({ type: String, nullable: true, example: null }) compileOutput!: string | null;
  /** Why the judge failed (status failed), or a note on the verdict. */
  @ApiProperty({ type: String, nullable: true, description: 'Why the judge failed (status failed), or a note on the verdict.', example: null })
  message!: string | null;
  /** The limits each test ran under, after defaults and language and problem adjustments. */
  @ApiProperty({ type: ResolvedLimitsDto, description: 'The limits each test ran under, after defaults and language and problem adjustments.' })
  limits!: Limits;
  /** The problem's multipliers for this language, as applied to `limits`; null when none apply. */
  @ApiProperty({ type: AppliedLimitMultipliers, nullable: true, description: "The problem's multipliers for this language, as applied to limits; null when none apply." })
  limitMultipliers!: AppliedLimitMultipliers | null;
  /** How much of the hidden tests' results is shown; null when every test is shown in full (inline tests). */
  @ApiProperty({ type: FeedbackShown, nullable: true, description: 'How much of the hidden tests is shown; null when every test is shown in full (inline tests).' })
  feedback!: FeedbackShown | null;
  @ApiProperty({ description: 'W3C trace id of the submission.', example: '4bf92f3577b34da6a3ce929d0e0e4736' }) traceId!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-03T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-03T10:00:00.120Z' }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-03T10:00:00.410Z' }) finishedAt!: string | null;
  /** Which judging this result is: 1, then one more per rejudge. */
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Which judging the result is: 1, then one more per rejudge.', example: 1 }) judging!: number;
  @ApiProperty({ type: [PreviousJudging], description: 'The judgings a rejudge replaced, oldest first (their outcome only).' })
  previousJudgings!: PreviousJudging[];
  /** The batch of the current judging (a batch, or a rejudge); null for a single submission. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The batch of the current judging (POST /v1/batches, or a rejudge); null for a single submission.', example: null })
  batchId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The tenant whose key submitted it; null for an admin key.', example: 'acme-contests' })
  tenantId!: string | null;
}

/** Response of POST /v1/submissions. */
export class SubmissionAccepted {
  @ApiProperty({ format: 'uuid', example: '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11' }) id!: string;
  @ApiProperty({ enum: ['queued'], example: 'queued' }) status!: 'queued';
  @ApiProperty({ description: 'W3C trace id of the submission.', example: '4bf92f3577b34da6a3ce929d0e0e4736' }) traceId!: string;
}

/** Response of POST /v1/submissions/:id/events-token: what opens one submission's live progress from a URL. */
export class SubmissionEventsToken {
  @ApiProperty({ description: 'A read-only token for this submission\'s live progress only, to send as ?access_token= (never an API key in a URL).', example: 'vpt_eyJzdWJtaXNzaW9uSWQiOiIwYjljNGY1ZS02ZjQzLTRkOGUtOWE1MS0zYzJmMGYwZDdhMTEiLCJ0ZW5hbnRJZCI6ImFjbWUtY29udGVzdHMiLCJrZXlJZCI6ImszeVByM2YxIiwiZXhwIjoxNzk2NTg5ODUyfQ.Yd3v1bq0oXq0y6l2m5n8h1QpZ8kq3cW9xT7sR4uVb0E' })
  token!: string;
  @ApiProperty({ description: 'When the token stops opening the stream (PROGRESS_TOKEN_TTL_SECONDS after minting). A stream opened before then runs to its end.', format: 'date-time', example: '2026-12-03T10:05:00.000Z' })
  expiresAt!: string;
  @ApiProperty({ description: 'The stream\'s URL with the token, relative to the API: for new EventSource(url).', example: '/v1/submissions/0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11/events?access_token=vpt_eyJzdWJtaXNzaW9uSWQiOi...' })
  eventsUrl!: string;
}

/** Response of DELETE /v1/submissions/:id. */
export class SubmissionCancelled {
  @ApiProperty({ format: 'uuid', example: '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11' }) id!: string;
  @ApiProperty({ enum: ['cancelled'], example: 'cancelled' }) status!: 'cancelled';
}
