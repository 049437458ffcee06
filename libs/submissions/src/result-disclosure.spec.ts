import { TestResult } from '@verdict/contracts';
import { CompleteSubmissionView, discloseResult } from './result-disclosure';

const SECRET_INPUT = 'hidden-input-8f3a';
const SECRET_ANSWER = 'hidden-answer-51c2';

function test(index: number, verdict: TestResult['verdict']): TestResult {
  return {
    index,
    name: index === 0 ? 'sample' : String(index),
    verdict,
    cpuTimeMs: 12,
    cpuTimeMsRuns: [12],
    wallTimeMs: 15,
    memoryKb: 2048,
    exitCode: verdict === 'RE' ? 7 : 0,
    signal: null,
    stdout: `${SECRET_INPUT}\n`,
    stdoutTruncated: true,
    stderr: `read ${SECRET_INPUT}`,
    stderrTruncated: false,
    message: `token 1: expected "${SECRET_ANSWER}"`,
    score: verdict === 'AC' ? 1 : 0,
  };
}

const complete: CompleteSubmissionView = {
  id: 'id',
  status: 'completed',
  language: 'python',
  verdict: 'WA',
  tests: [test(0, 'AC'), test(1, 'AC'), test(2, 'WA'), test(3, 'RE')],
  testCount: 4,
  score: 50,
  maxScore: 100,
  subtasks: [{ name: 'all', points: 50, maxPoints: 100, verdict: 'WA', skipped: null, tests: [0, 1, 2, 3] }],
  problem: { id: 'p', version: 1 },
  compileOutput: '',
  message: null,
  limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 256, outputKb: 1024 },
  limitMultipliers: null,
  traceId: 't',
  createdAt: 'c',
  startedAt: 's',
  finishedAt: 'f',
  judging: 1,
  previousJudgings: [],
  batchId: null, tenantId: null,
};

const leaks = (value: unknown) => JSON.stringify(value).includes(SECRET_INPUT) || JSON.stringify(value).includes(SECRET_ANSWER);

describe('discloseResult', () => {
  it('shows everything of an inline-test submission: its submitter wrote the tests', () => {
    const view = discloseResult(complete, null);
    expect(view.tests).toEqual(complete.tests);
    expect(view).toMatchObject({ feedback: null, passedTests: 2, firstFailedTest: { index: 2, name: '2', verdict: 'WA' } });
  });

  it('full: everything, and says how many tests are hidden', () => {
    const view = discloseResult(complete, { level: 'full', publicTests: [0] });
    expect(view.tests).toEqual(complete.tests);
    expect(view.feedback).toEqual({ level: 'full', hiddenTests: 3 });
  });

  it('tests: hidden tests keep verdict, time, memory and score, and lose what the program and the checker wrote', () => {
    const view = discloseResult(complete, { level: 'tests', publicTests: [0] });
    expect(view.tests[0]).toEqual(complete.tests[0]);
    expect(view.tests[3]).toEqual({
      index: 3,
      name: '3',
      verdict: 'RE',
      cpuTimeMs: 12,
      cpuTimeMsRuns: [12],
      wallTimeMs: 15,
      memoryKb: 2048,
      score: 0,
      exitCode: null,
      signal: null,
      stdout: '',
      stdoutTruncated: false,
      stderr: '',
      stderrTruncated: false,
      message: '',
    });
    expect(leaks(view.tests.slice(1))).toBe(false);
    expect(view).toMatchObject({ passedTests: 2, firstFailedTest: { index: 2, verdict: 'WA' }, subtasks: complete.subtasks, feedback: { level: 'tests', hiddenTests: 3 } });
  });

  it('summary: only the overall verdict and score; hidden tests and subtasks are left out', () => {
    const view = discloseResult(complete, { level: 'summary', publicTests: [0] });
    expect(view.tests).toEqual([complete.tests[0]]);
    expect(view).toMatchObject({ verdict: 'WA', score: 50, maxScore: 100, subtasks: [], passedTests: 1, firstFailedTest: null, testCount: 4 });
    expect(view.feedback).toEqual({ level: 'summary', hiddenTests: 3 });
  });

  it('a submission with no public test at all shows nothing of any test below full', () => {
    expect(leaks(discloseResult(complete, { level: 'tests', publicTests: [] }))).toBe(false);
    expect(discloseResult(complete, { level: 'summary', publicTests: [] }).tests).toEqual([]);
  });
});
