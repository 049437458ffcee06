import { ScoringPlan, TestResult, Verdict } from '@verdict/contracts';
import { InvalidScoringPlanError, SubmissionScorer } from './submission-scorer';

const result = (index: number, verdict: Verdict, score = verdict === 'AC' ? 1 : 0): TestResult => ({
  index,
  name: String(index + 1),
  verdict,
  score,
  cpuTimeMs: 1,
  cpuTimeMsRuns: [1],
  wallTimeMs: 1,
  memoryKb: 1,
  exitCode: 0,
  signal: null,
  stdout: '',
  stdoutTruncated: false,
  stderr: '',
  stderrTruncated: false,
  message: '',
});

/** Runs the tests in order as the judge does, giving each the verdict listed. */
function judge(plan: ScoringPlan, verdicts: (Verdict | [Verdict, number])[]) {
  const scorer = new SubmissionScorer(plan, verdicts.length);
  const skipped: number[] = [];
  verdicts.forEach((v, index) => {
    if (scorer.skipReason(index)) return skipped.push(index);
    const [verdict, score] = Array.isArray(v) ? v : [v, undefined];
    scorer.record(result(index, verdict, score));
  });
  return { ...scorer.summary(), skipped };
}

const IOI: ScoringPlan = {
  stopOnFirstFailure: false,
  subtasks: [
    { name: 'samples', points: 0, aggregation: 'min', tests: [0], dependsOn: [] },
    { name: 'small', points: 30, aggregation: 'min', tests: [1, 2], dependsOn: [] },
    { name: 'large', points: 70, aggregation: 'min', tests: [3, 4], dependsOn: ['small'] },
  ],
};

describe('SubmissionScorer', () => {
  it('gives every point for all tests accepted', () => {
    expect(judge(IOI, ['AC', 'AC', 'AC', 'AC', 'AC'])).toMatchObject({ verdict: 'AC', score: 100, maxScore: 100, skipped: [] });
  });

  it('gives a min subtask nothing for one failure, and skips the subtasks that depend on it', () => {
    const judged = judge(IOI, ['AC', 'AC', 'WA', 'AC', 'AC']);
    expect(judged).toMatchObject({ verdict: 'WA', score: 0, skipped: [3, 4] });
    expect(judged.subtasks[2]).toEqual({
      name: 'large',
      points: 0,
      maxPoints: 70,
      verdict: null,
      skipped: 'subtask "small" it depends on failed (test 3: WA)',
      tests: [3, 4],
    });
  });

  it('keeps the points of subtasks that passed', () => {
    expect(judge(IOI, ['AC', 'AC', 'AC', 'TLE', 'AC'])).toMatchObject({ verdict: 'TLE', score: 30 });
  });

  it('shares a sum subtask equally, with partial checker scores', () => {
    const plan: ScoringPlan = { stopOnFirstFailure: false, subtasks: [{ name: 'all', points: 100, aggregation: 'sum', tests: [0, 1, 2], dependsOn: [] }] };
    expect(judge(plan, ['AC', 'WA', ['PA', 0.5]])).toMatchObject({ verdict: 'WA', score: 50 });
    expect(judge(plan, ['AC', 'WA', 'AC'])).toMatchObject({ score: 66.666667 });
  });

  it('stops at the first failure in lazy mode, and skipped tests earn nothing', () => {
    const lazy = { ...IOI, stopOnFirstFailure: true };
    const judged = judge(lazy, ['AC', 'RE', 'AC', 'AC', 'AC']);
    expect(judged.skipped).toEqual([2, 3, 4]);
    expect(judged).toMatchObject({ verdict: 'RE', score: 0 });
    expect(judged.subtasks[1]).toMatchObject({ verdict: 'RE', points: 0, skipped: null });
    expect(judged.subtasks[2].skipped).toBe('subtask "small" it depends on failed (test 2: RE)');
  });

  it('runs a test shared with a runnable subtask even when another of its subtasks is blocked', () => {
    const plan: ScoringPlan = {
      stopOnFirstFailure: false,
      subtasks: [
        { name: 'a', points: 50, aggregation: 'min', tests: [0], dependsOn: [] },
        { name: 'b', points: 25, aggregation: 'min', tests: [1], dependsOn: ['a'] },
        { name: 'c', points: 25, aggregation: 'min', tests: [1], dependsOn: [] },
      ],
    };
    const judged = judge(plan, ['WA', 'AC']);
    expect(judged).toMatchObject({ skipped: [], score: 25 });
    expect(judged.subtasks.map((s) => s.points)).toEqual([0, 0, 25]);
  });

  it('refuses a plan with unknown or later dependencies, tests out of range or uncovered', () => {
    const sub = (name: string, tests: number[], dependsOn: string[] = []) => ({ name, points: 1, aggregation: 'min' as const, tests, dependsOn });
    const plan = (...subtasks: ReturnType<typeof sub>[]): ScoringPlan => ({ stopOnFirstFailure: false, subtasks });
    expect(() => new SubmissionScorer(plan(sub('a', [0], ['b']), sub('b', [1])), 2)).toThrow(InvalidScoringPlanError);
    expect(() => new SubmissionScorer(plan(sub('a', [0, 5])), 2)).toThrow(/names test 5, but there are 2 tests/);
    expect(() => new SubmissionScorer(plan(sub('a', [0])), 2)).toThrow(/1 tests belong to no subtask/);
    expect(() => new SubmissionScorer(plan(sub('a', [0]), sub('a', [1])), 2)).toThrow(/appears twice/);
  });
});
