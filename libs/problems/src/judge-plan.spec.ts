import { SubmissionScorer } from '@verdict/judging';
import { LanguageCatalog, applyLanguageLimits } from '@verdict/languages';
import { buildJudgePlan, problemLimitsFor } from './judge-plan';
import { ProblemRequestError } from './problem-errors';
import { ProblemSubtask, ProblemTest } from './problem-version';

const test = (name: string, pretest = false): ProblemTest => ({ name, input: { sha256: `${name}-in`, bytes: 1 }, answer: { sha256: `${name}-out`, bytes: 1 }, sample: false, pretest });
const subtask = (name: string, tests: string[], dependsOn: string[] = [], points = 10): ProblemSubtask => ({ name, points, aggregation: 'min', tests, dependsOn });

describe('buildJudgePlan', () => {
  const tests = ['s1', 'a1', 'a2', 'b1', 'c1'].map((name) => test(name, name === 's1' || name === 'b1'));

  it('runs every subtask after those it depends on, keeping the package order otherwise', () => {
    const plan = buildJudgePlan({
      tests,
      subtasks: [subtask('c', ['c1'], ['b']), subtask('samples', ['s1'], [], 0), subtask('b', ['b1'], ['a']), subtask('a', ['a1', 'a2'])],
      stopOnFirstFailure: false,
    });
    expect(plan.scoring.subtasks.map((s) => s.name)).toEqual(['samples', 'a', 'b', 'c']);
    expect(plan.tests.map((t) => [t.index, t.name])).toEqual([[0, 's1'], [1, 'a1'], [2, 'a2'], [3, 'b1'], [4, 'c1']]);
    expect(plan.scoring.subtasks.map((s) => s.tests)).toEqual([[0], [1, 2], [3], [4]]);
    expect(plan.tests[3]).toEqual({ index: 3, name: 'b1', input: { sha256: 'b1-in', bytes: 1 }, answer: { sha256: 'b1-out', bytes: 1 } });
  });

  it('runs a test that is in several subtasks once, where it first comes', () => {
    const plan = buildJudgePlan({ tests, subtasks: [subtask('x', ['s1', 'a1']), subtask('y', ['s1', 'a2', 'b1', 'c1'])], stopOnFirstFailure: true });
    expect(plan.tests.map((t) => t.name)).toEqual(['s1', 'a1', 'a2', 'b1', 'c1']);
    expect(plan.scoring).toEqual({
      subtasks: [
        { name: 'x', points: 10, aggregation: 'min', tests: [0, 1], dependsOn: [] },
        { name: 'y', points: 10, aggregation: 'min', tests: [0, 2, 3, 4], dependsOn: [] },
      ],
      stopOnFirstFailure: true,
    });
  });

  it('with pretestsOnly, keeps pretests and carries dependencies over subtasks left empty', () => {
    const plan = buildJudgePlan(
      { tests, subtasks: [subtask('samples', ['s1'], [], 0), subtask('a', ['a1', 'a2'], ['samples']), subtask('b', ['b1'], ['a']), subtask('c', ['c1'], ['b'])], stopOnFirstFailure: false },
      { pretestsOnly: true },
    );
    expect(plan.tests.map((t) => t.name)).toEqual(['s1', 'b1']);
    expect(plan.scoring.subtasks).toEqual([
      { name: 'samples', points: 0, aggregation: 'min', tests: [0], dependsOn: [] },
      { name: 'b', points: 10, aggregation: 'min', tests: [1], dependsOn: ['samples'] },
    ]);
  });

  it('says so when there are no pretests', () => {
    expect(() => buildJudgePlan({ tests: [test('1')], subtasks: [subtask('all', ['1'])], stopOnFirstFailure: false }, { pretestsOnly: true })).toThrow(ProblemRequestError);
  });

  it('builds plans the worker judges', () => {
    const problem = { tests, subtasks: [subtask('c', ['c1', 's1'], ['b']), subtask('b', ['b1', 's1'], ['a']), subtask('a', ['a1', 'a2', 's1'])], stopOnFirstFailure: false };
    for (const pretestsOnly of [false, true]) {
      const plan = buildJudgePlan(problem, { pretestsOnly });
      expect(() => new SubmissionScorer(plan.scoring, plan.tests.length)).not.toThrow();
    }
  });
});

describe('problemLimitsFor', () => {
  const catalog = LanguageCatalog.load();
  const limits = { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 256, outputKb: 64 };

  it("multiplies the language-adjusted limits by the problem's factors for that language", () => {
    const python = { ...catalog.get('python')!, limits: { cpuTimeFactor: 1.5, extraMemoryMb: 16 } };
    expect(problemLimitsFor({ limits, limitMultipliers: { python: { cpuTime: 3, memory: 2 } } }, python)).toEqual({
      limits: { cpuTimeMs: 4500, wallTimeMs: 13500, memoryMb: 544, outputKb: 64 },
      multiplier: { cpuTime: 3, memory: 2 },
    });
  });

  it('leaves the limits alone for a language without factors', () => {
    const cpp = catalog.get('cpp')!;
    expect(problemLimitsFor({ limits, limitMultipliers: { python: { cpuTime: 3, memory: 2 } } }, cpp)).toEqual({ limits: applyLanguageLimits(limits, cpp), multiplier: null });
  });
});
