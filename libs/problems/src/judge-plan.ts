import { JudgeTestDto, Limits, ScoringPlan } from '@verdict/contracts';
import { LanguageDefinition, applyLanguageLimits } from '@verdict/languages';
import { InvalidProblemPackageError, ProblemRequestError } from './problem-errors';
import { LimitMultiplier, ProblemDraft, ProblemSubtask } from './problem-version';

/** The tests of a judge job, in run order, and how they score. */
export interface JudgePlan {
  tests: JudgeTestDto[];
  scoring: ScoringPlan;
}

type PlannedProblem = Pick<ProblemDraft, 'tests' | 'subtasks' | 'stopOnFirstFailure'>;

/**
 * Run order of a problem's tests: subtasks in the package's order, except that each comes after the
 * subtasks it depends on (so the judge knows whether a dependency failed before it starts a
 * subtask); tests in the order of the first subtask that has them, each once. With `pretestsOnly`,
 * only pretests, in the subtasks that have some; a dependency on a subtask left without tests
 * becomes a dependency on what that one depended on.
 */
export function buildJudgePlan(problem: PlannedProblem, { pretestsOnly = false }: { pretestsOnly?: boolean } = {}): JudgePlan {
  const byName = new Map(problem.tests.map((test) => [test.name, test]));
  const subtasks = pretestsOnly ? pretestSubtasks(problem) : problem.subtasks;
  if (subtasks.length === 0) throw new ProblemRequestError('has no pretests (no test is marked pretest: true)');

  const ordered: ProblemSubtask[] = [];
  const placed = new Set<string>();
  while (ordered.length < subtasks.length) {
    const next = subtasks.find((s) => !placed.has(s.name) && s.dependsOn.every((d) => placed.has(d)));
    if (!next) throw new InvalidProblemPackageError({ field: 'subtasks', message: 'problem.yaml: subtasks: dependencies cannot be ordered (a cycle or an unknown subtask)' });
    ordered.push(next);
    placed.add(next.name);
  }

  const indexOf = new Map<string, number>();
  const tests: JudgeTestDto[] = [];
  for (const subtask of ordered) {
    for (const name of subtask.tests) {
      if (indexOf.has(name)) continue;
      const test = byName.get(name);
      if (!test) throw new InvalidProblemPackageError({ field: 'subtasks', message: `problem.yaml: subtasks: "${subtask.name}" names test "${name}", which does not exist` });
      indexOf.set(name, tests.length);
      tests.push({ index: tests.length, name, input: test.input, answer: test.answer });
    }
  }
  return {
    tests,
    scoring: {
      subtasks: ordered.map((s) => ({ name: s.name, points: s.points, aggregation: s.aggregation, tests: s.tests.map((name) => indexOf.get(name)!), dependsOn: s.dependsOn })),
      stopOnFirstFailure: problem.stopOnFirstFailure,
    },
  };
}

function pretestSubtasks(problem: PlannedProblem): ProblemSubtask[] {
  const pretests = new Set(problem.tests.filter((t) => t.pretest).map((t) => t.name));
  const kept = new Map<string, ProblemSubtask>();
  for (const subtask of problem.subtasks) {
    const tests = subtask.tests.filter((name) => pretests.has(name));
    if (tests.length > 0) kept.set(subtask.name, { ...subtask, tests });
  }
  const declared = new Map(problem.subtasks.map((s) => [s.name, s]));
  // Dependencies of a dropped subtask carry over to whoever depended on it.
  const keptDependencies = (names: string[], seen = new Set<string>()): string[] =>
    names.flatMap((name) => {
      if (seen.has(name)) return [];
      seen.add(name);
      return kept.has(name) ? [name] : keptDependencies(declared.get(name)?.dependsOn ?? [], seen);
    });
  return [...kept.values()].map((s) => ({ ...s, dependsOn: [...new Set(keptDependencies(s.dependsOn))] }));
}

/**
 * The limits a submission in `language` runs under: the problem's, adjusted for the language's
 * runtime first, then multiplied by the problem's factors for that language (if it has any).
 */
export function problemLimitsFor(
  problem: Pick<ProblemDraft, 'limits' | 'limitMultipliers'>,
  language: LanguageDefinition,
): { limits: Limits; multiplier: LimitMultiplier | null } {
  const adjusted = applyLanguageLimits(problem.limits, language);
  const multiplier = problem.limitMultipliers[language.id] ?? null;
  if (!multiplier) return { limits: adjusted, multiplier: null };
  return {
    limits: {
      cpuTimeMs: Math.ceil(adjusted.cpuTimeMs * multiplier.cpuTime),
      wallTimeMs: Math.ceil(adjusted.wallTimeMs * multiplier.cpuTime),
      memoryMb: Math.ceil(adjusted.memoryMb * multiplier.memory),
      outputKb: adjusted.outputKb,
    },
    multiplier,
  };
}
