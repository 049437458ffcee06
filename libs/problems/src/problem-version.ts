import { CheckerSpec, FeedbackLevel, FunctionSignature, JudgeKind, Limits, ProgramRef, StoredData, SubtaskAggregation } from '@verdict/contracts';

/** The manifest's file name in a package directory or zip. */
export const MANIFEST_FILE = 'problem.yaml';

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
/** A named level, or a rating (Codeforces style). */
export type Difficulty = (typeof DIFFICULTIES)[number] | number;

/** A problem's factors for one language; 1 when not given. */
export interface LimitMultiplier {
  cpuTime: number;
  memory: number;
}

export interface ProblemTest {
  name: string;
  input: StoredData;
  /** Expected output (the expected JSON value for function problems; may be empty for interactive ones). */
  answer: StoredData;
  /** Public: shown with the problem. */
  sample: boolean;
  pretest: boolean;
}

export interface ProblemSubtask {
  name: string;
  points: number;
  aggregation: SubtaskAggregation;
  /** Test names, in the order of `tests`. */
  tests: string[];
  dependsOn: string[];
}

export interface ProblemSample {
  name: string;
  input: string;
  output: string;
}

/** A validated package, before it gets its id and version number. */
export interface ProblemDraft {
  /** The id the package asks for (problem.yaml `id`), if any. */
  requestedId: string | null;
  title: string;
  statement: string;
  tags: string[];
  difficulty: Difficulty | null;
  kind: JudgeKind;
  /** Resolved: defaults filled in. */
  limits: Limits;
  limitMultipliers: Record<string, LimitMultiplier>;
  /** Program checkers refer to their source by hash. */
  checker: CheckerSpec;
  interactor: ProgramRef | null;
  function: FunctionSignature | null;
  /** In the package's order. */
  tests: ProblemTest[];
  /** In the package's order (run order is decided when a job is built). */
  subtasks: ProblemSubtask[];
  stopOnFirstFailure: boolean;
  /** What a submission's public result shows of the hidden tests (samples are always shown in full). */
  feedback: FeedbackLevel;
  samples: ProblemSample[];
}

/** One immutable version of a problem, as stored. */
export interface ProblemVersion extends Omit<ProblemDraft, 'requestedId'> {
  id: string;
  version: number;
  createdAt: string;
}
