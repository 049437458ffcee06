import { ResultDisclosure, SubmissionView, TestResult } from '@verdict/contracts';

/** A submission's view before its feedback level is applied: every test in full. */
export type CompleteSubmissionView = Omit<SubmissionView, 'passedTests' | 'firstFailedTest' | 'feedback'>;

/**
 * What a public read of a submission shows: its hidden tests cut to the problem's feedback level
 * (the stored result keeps everything). Every read path that serves a submission's results to its
 * submitter goes through here, so a hidden test's input or answer, quoted by a checker or printed
 * back by the program, never leaves the judge.
 */
export function discloseResult(complete: CompleteSubmissionView, disclosure: ResultDisclosure | null): SubmissionView {
  if (!disclosure) return { ...complete, ...tally(complete.tests), feedback: null };
  const isPublic = new Set(disclosure.publicTests);
  const feedback = { level: disclosure.level, hiddenTests: Math.max(0, complete.testCount - isPublic.size) };
  switch (disclosure.level) {
    case 'full':
      return { ...complete, ...tally(complete.tests), feedback };
    case 'tests': {
      const tests = complete.tests.map((test) => (isPublic.has(test.index) ? test : withoutOutputs(test)));
      return { ...complete, tests, ...tally(tests), feedback };
    }
    case 'summary': {
      const tests = complete.tests.filter((test) => isPublic.has(test.index));
      // A subtask's verdict and points would tell hidden tests apart: only the total is shown.
      return { ...complete, tests, subtasks: [], ...tally(tests), feedback };
    }
  }
}

/** A hidden test as `tests` shows it: verdict, time, memory and score; nothing the program or a checker wrote, nor its exit status. */
function withoutOutputs(test: TestResult): TestResult {
  return { ...test, stdout: '', stdoutTruncated: false, stderr: '', stderrTruncated: false, message: '', exitCode: null, signal: null };
}

function tally(tests: TestResult[]): Pick<SubmissionView, 'passedTests' | 'firstFailedTest'> {
  const firstFailed = tests.find((test) => test.verdict !== 'AC');
  return {
    passedTests: tests.filter((test) => test.verdict === 'AC').length,
    firstFailedTest: firstFailed ? { index: firstFailed.index, name: firstFailed.name, verdict: firstFailed.verdict } : null,
  };
}
