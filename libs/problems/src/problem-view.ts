import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CHECKER_TYPES,
  CheckerSpec,
  FEEDBACK_LEVELS,
  FeedbackLevel,
  FunctionSignature,
  FunctionSignatureDto,
  JUDGE_KINDS,
  JudgeKind,
  Limits,
  ResolvedLimitsDto,
  SUBTASK_AGGREGATIONS,
  SubtaskAggregation,
} from '@verdict/contracts';
import { ProblemSummary } from './problem-store';
import { DIFFICULTIES, Difficulty, LimitMultiplier, ProblemSample, ProblemVersion } from './problem-version';

/** A named level or a rating, as the API documents it. */
const DIFFICULTY_SCHEMA = { oneOf: [{ type: 'string' as const, enum: [...DIFFICULTIES] }, { type: 'integer' as const, minimum: 0, maximum: 10000 }] };

/** A problem's checker as anyone may see it: its type and tolerances, and a program checker's language (never its source). */
export class ProblemCheckerView {
  @ApiProperty({ enum: CHECKER_TYPES, example: 'tokens' }) type!: CheckerSpec['type'];
  @ApiPropertyOptional({ example: 1e-6 }) absError?: number;
  @ApiPropertyOptional({ example: 1e-6 }) relError?: number;
  @ApiPropertyOptional({ description: 'json: the order of a returned array does not matter.' }) anyOrder?: boolean;
  @ApiPropertyOptional({ description: 'testlib and kattis: the language of the checker program.', example: 'cpp' }) language?: string;
}

export class ProblemSubtaskView {
  @ApiProperty({ example: 'small' }) name!: string;
  @ApiProperty({ minimum: 0, example: 30 }) points!: number;
  @ApiProperty({ enum: SUBTASK_AGGREGATIONS, example: 'min' }) aggregation!: SubtaskAggregation;
  @ApiProperty({ type: [String], example: ['samples'] }) dependsOn!: string[];
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) testCount!: number;
}

/** A public test: shown with the problem. */
export class ProblemSampleView implements ProblemSample {
  @ApiProperty({ example: 'sample-1' }) name!: string;
  @ApiProperty({ example: '1 2\n' }) input!: string;
  @ApiProperty({ example: '3\n' }) output!: string;
}

const LIMIT_MULTIPLIERS_SCHEMA = {
  type: 'object' as const,
  description: "Per language id, the factors applied to the limits (cpuTime scales CPU and wall time).",
  additionalProperties: { type: 'object', required: ['cpuTime', 'memory'], properties: { cpuTime: { type: 'number' }, memory: { type: 'number' } } },
  example: { python: { cpuTime: 3, memory: 2 } },
};

/**
 * Response of GET /v1/problems/:id: what anyone may see. Hidden tests (not even their hashes, which
 * would give small answers away), checker and interactor sources never leave the store.
 */
export class ProblemView {
  @ApiProperty({ example: 'a-plus-b' }) id!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version!: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) latestVersion!: number;
  @ApiProperty({ example: 'A + B' }) title!: string;
  @ApiProperty({ description: 'Markdown.', example: 'Print the sum of two integers.' }) statement!: string;
  @ApiProperty({ type: [String], example: ['math'] }) tags!: string[];
  @ApiProperty({ ...DIFFICULTY_SCHEMA, nullable: true, example: 'easy' }) difficulty!: Difficulty | null;
  @ApiProperty({ enum: JUDGE_KINDS, example: 'stdio' }) kind!: JudgeKind;
  @ApiProperty({ type: ResolvedLimitsDto }) limits!: Limits;
  @ApiProperty(LIMIT_MULTIPLIERS_SCHEMA) limitMultipliers!: Record<string, LimitMultiplier>;
  @ApiProperty({ type: ProblemCheckerView }) checker!: Omit<CheckerSpec, 'program'> & { language?: string };
  @ApiProperty({ type: FunctionSignatureDto, nullable: true, description: 'Function problems: the function to write.' }) function!: FunctionSignature | null;
  @ApiProperty({ type: 'integer', minimum: 0, example: 4 }) testCount!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 }) pretestCount!: number;
  @ApiProperty({ type: [ProblemSubtaskView] }) subtasks!: ProblemSubtaskView[];
  @ApiProperty({ type: [ProblemSampleView] }) samples!: ProblemSample[];
  @ApiProperty({ example: false }) stopOnFirstFailure!: boolean;
  @ApiProperty({ enum: FEEDBACK_LEVELS, example: 'tests' }) feedback!: FeedbackLevel;
  @ApiProperty({ format: 'date-time', example: '2026-12-03T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The tenant that owns the problem (whose key created it); null for a problem an admin created.', example: 'acme-contests' })
  ownerTenantId!: string | null;
  @ApiProperty({ description: 'Shared read-only with every tenant by an admin (PUT /v1/problems/:id/sharing).', example: false })
  shared!: boolean;
}

/** One problem of GET /v1/problems. */
export class ProblemSummaryView implements ProblemSummary {
  @ApiProperty({ example: 'a-plus-b' }) id!: string;
  @ApiProperty({ example: 'A + B' }) title!: string;
  @ApiProperty({ type: [String], example: ['math'] }) tags!: string[];
  @ApiProperty({ ...DIFFICULTY_SCHEMA, nullable: true, example: 'easy' }) difficulty!: Difficulty | null;
  @ApiProperty({ type: 'integer', minimum: 1, example: 2 }) latestVersion!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-03T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-04T09:30:00.000Z' }) updatedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The tenant that owns the problem (whose key created it); null for a problem an admin created.', example: 'acme-contests' })
  ownerTenantId!: string | null;
  @ApiProperty({ description: 'Shared read-only with every tenant by an admin (PUT /v1/problems/:id/sharing).', example: false })
  shared!: boolean;
}

/** Response of GET /v1/problems: a page of problems, in the order they were created. */
export class ProblemList {
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 }) total!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 0 }) offset!: number;
  @ApiProperty({ type: [ProblemSummaryView] }) problems!: ProblemSummary[];
}

/** A version as the API shows it, with what the problem's record says (latest version, owner, sharing). */
export function problemViewOf(version: ProblemVersion, summary: Pick<ProblemSummary, 'latestVersion' | 'ownerTenantId' | 'shared'>): ProblemView {
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
    ownerTenantId: summary.ownerTenantId,
    shared: summary.shared,
  };
}
