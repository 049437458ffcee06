import { SubtaskResult, TestResult } from '@verdict/contracts';

/**
 * Where a judge reports progress as it goes (the worker publishes it on the result stream, tests in
 * batches). Both return quickly: the judge awaits them between tests.
 */
export interface JudgeProgress {
  compiled(compileOutput: string): Promise<void>;
  testJudged(test: TestResult): Promise<void>;
}

/** The end of judging one submission. */
export interface JudgeOutcome {
  verdict: TestResult['verdict'];
  tests: TestResult[];
  compileOutput: string | null;
  message: string | null;
  score: number;
  maxScore: number;
  subtasks: SubtaskResult[];
}
