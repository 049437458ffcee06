import { CheckerSpec, FeedbackLevel, FunctionSignature, JudgeKind, Limits, SubtaskAggregation } from '@verdict/contracts';
import { ProblemSummary } from './problem-store';
import { Difficulty, LimitMultiplier, ProblemSample, ProblemVersion } from './problem-version';

/**
 * Response of GET /v1/problems/:id: what anyone may see. Hidden tests (not even their hashes, which
 * would give small answers away), checker and interactor sources never leave the store.
 */
export interface ProblemView {
  id: string;
  version: number;
  latestVersion: number;
  title: string;
  statement: string;
  tags: string[];
  difficulty: Difficulty | null;
  kind: JudgeKind;
  limits: Limits;
  limitMultipliers: Record<string, LimitMultiplier>;
  checker: Omit<CheckerSpec, 'program'> & { language?: string };
  function: FunctionSignature | null;
  testCount: number;
  pretestCount: number;
  subtasks: { name: string; points: number; aggregation: SubtaskAggregation; dependsOn: string[]; testCount: number }[];
  samples: ProblemSample[];
  stopOnFirstFailure: boolean;
  feedback: FeedbackLevel;
  createdAt: string;
}

export function problemViewOf(version: ProblemVersion, summary: Pick<ProblemSummary, 'latestVersion'>): ProblemView {
  const { program, ...checker } = version.checker;
  return {
    id: version.id,
    version: version.version,
    latestVersion: summary.latestVersion,
    title: version.title,
    statement: version.statement,
    tags: version.tags,
    difficulty: version.difficulty,
    kind: version.kind,
    limits: version.limits,
    limitMultipliers: version.limitMultipliers,
    checker: program ? { ...checker, language: program.language } : checker,
    function: version.function,
    testCount: version.tests.length,
    pretestCount: version.tests.filter((t) => t.pretest).length,
    subtasks: version.subtasks.map((s) => ({ name: s.name, points: s.points, aggregation: s.aggregation, dependsOn: s.dependsOn, testCount: s.tests.length })),
    samples: version.samples,
    stopOnFirstFailure: version.stopOnFirstFailure,
    feedback: version.feedback,
    createdAt: version.createdAt,
  };
}
