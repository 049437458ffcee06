import { ScoringPlan, SubtaskResult, TestResult, Verdict, overallVerdict } from '@verdict/contracts';

/** The plan cannot be judged as given (a fault of whoever built the job, not of the code). */
export class InvalidScoringPlanError extends Error {}

/**
 * Scoring and skipping for one submission. Tests run in index order, which the producer of the job
 * chose so that every subtask comes after the subtasks it depends on. Before each test the judge
 * asks `skipReason`; after it, it records the result; at the end `summary` adds up the points.
 */
export class SubmissionScorer {
  private readonly results = new Map<number, TestResult>();
  private stoppedBy: TestResult | null = null;

  constructor(
    private readonly plan: ScoringPlan,
    testCount: number,
  ) {
    const names = new Set<string>();
    const covered = new Set<number>();
    for (const subtask of plan.subtasks) {
      if (names.has(subtask.name)) throw new InvalidScoringPlanError(`subtask "${subtask.name}" appears twice`);
      for (const dependency of subtask.dependsOn) {
        if (!names.has(dependency)) throw new InvalidScoringPlanError(`subtask "${subtask.name}" depends on "${dependency}", which is not an earlier subtask`);
      }
      for (const test of subtask.tests) {
        if (test >= testCount) throw new InvalidScoringPlanError(`subtask "${subtask.name}" names test ${test}, but there are ${testCount} tests`);
        covered.add(test);
      }
      names.add(subtask.name);
    }
    if (covered.size !== testCount) throw new InvalidScoringPlanError(`${testCount - covered.size} tests belong to no subtask`);
  }

  /** Why test `index` is not worth running, or null when it must run. */
  skipReason(index: number): string | null {
    if (this.stoppedBy) return `judging stopped at the first failure (test ${this.stoppedBy.name}: ${this.stoppedBy.verdict})`;
    const containing = this.plan.subtasks.filter((s) => s.tests.includes(index));
    const reasons = containing.map((s) => this.blockedBy(s.name));
    return reasons.every((reason) => reason !== null) ? reasons[0] : null;
  }

  record(result: TestResult): void {
    this.results.set(result.index, result);
    if (this.plan.stopOnFirstFailure && result.verdict !== 'AC' && !this.stoppedBy) this.stoppedBy = result;
  }

  /** The results recorded so far, in test order. */
  recorded(): TestResult[] {
    return [...this.results.values()].sort((a, b) => a.index - b.index);
  }

  summary(): { verdict: Verdict; score: number; maxScore: number; subtasks: SubtaskResult[] } {
    const subtasks = this.plan.subtasks.map((s): SubtaskResult => {
      const blocked = this.blockedBy(s.name);
      const ran = s.tests.map((t) => this.results.get(t)).filter((r): r is TestResult => r !== undefined);
      // Blocked means no points, even where its tests ran for the sake of another subtask.
      if (blocked || ran.length === 0) {
        return { name: s.name, points: 0, maxPoints: s.points, verdict: null, skipped: blocked ?? this.skipReason(s.tests[0]) ?? 'not run', tests: s.tests };
      }
      // A test that did not run earns nothing: a lazily stopped subtask cannot be worth more than what ran.
      const scores = s.tests.map((t) => this.results.get(t)?.score ?? 0);
      const fraction = s.aggregation === 'min' ? Math.min(...scores) : scores.reduce((a, b) => a + b, 0) / scores.length;
      return { name: s.name, points: round(s.points * fraction), maxPoints: s.points, verdict: overallVerdict(ran.map((r) => r.verdict)), skipped: null, tests: s.tests };
    });
    return {
      verdict: overallVerdict(this.recorded().map((r) => r.verdict)),
      score: round(subtasks.reduce((sum, s) => sum + s.points, 0)),
      maxScore: round(this.plan.subtasks.reduce((sum, s) => sum + s.points, 0)),
      subtasks,
    };
  }

  /** Why a subtask cannot score: a dependency without full points. Null while it still can. */
  private blockedBy(name: string): string | null {
    const subtask = this.plan.subtasks.find((s) => s.name === name)!;
    for (const dependency of subtask.dependsOn) {
      const required = this.plan.subtasks.find((s) => s.name === dependency)!;
      const failed = required.tests.map((t) => this.results.get(t)).find((r) => r && r.score < 1);
      if (failed) return `subtask "${dependency}" it depends on failed (test ${failed.name}: ${failed.verdict})`;
      const upstream = this.blockedBy(dependency);
      if (upstream) return upstream;
    }
    return null;
  }
}

/** Points are kept to 6 decimals: sums of thirds should print as 33.333333, not 33.33333333333333. */
function round(points: number): number {
  return Math.round(points * 1e6) / 1e6;
}
