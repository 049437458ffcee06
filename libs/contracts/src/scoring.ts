import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { VERDICTS, Verdict } from './verdict';

/**
 * How tests add up to a score. A subtask is worth `points`: `min` gives all of them only when every
 * test passes (IOI's all-or-nothing), `sum` gives each test an equal share (a test with a partial
 * checker score gets that fraction of its share). A subtask whose dependency did not get full points
 * is not run and scores 0. Pretests are what a contest judges first; `pretestsOnly` judges only them.
 */
export const SUBTASK_AGGREGATIONS = ['min', 'sum'] as const;
export type SubtaskAggregation = (typeof SUBTASK_AGGREGATIONS)[number];

export interface SubtaskPlan {
  name: string;
  points: number;
  aggregation: SubtaskAggregation;
  /** Indices into the job's tests, in the order they run. */
  tests: number[];
  /** Names of subtasks that must get full points before this one runs. */
  dependsOn: string[];
}

export interface ScoringPlan {
  subtasks: SubtaskPlan[];
  /** Lazy judging: stop at the first test that fails (the rest are skipped); else run all. */
  stopOnFirstFailure: boolean;
}

/** How one subtask scored (validated when it arrives on the result stream). */
export class SubtaskResult {
  @ApiProperty({ example: 'small' })
  @IsString() name!: string;
  @ApiProperty({ minimum: 0, example: 30 })
  @IsNumber() @Min(0) points!: number;
  @ApiProperty({ minimum: 0, example: 30 })
  @IsNumber() @Min(0) maxPoints!: number;
  /** The first failing test's verdict, or AC; null when the subtask was skipped. */
  @ApiProperty({ enum: VERDICTS, nullable: true, description: "The first failing test's verdict, or AC; null when the subtask was skipped.", example: 'AC' })
  @IsOptional() @IsIn(VERDICTS as unknown as string[]) verdict!: Verdict | null;
  /** Why it did not run: a failed dependency, or an earlier failure in lazy mode. */
  @ApiProperty({ type: String, nullable: true, description: 'Why it did not run: a failed dependency, or an earlier failure in lazy mode.', example: null })
  @IsOptional() @IsString() skipped!: string | null;
  @ApiProperty({ type: 'integer', isArray: true, description: 'Indices of its tests in run order.', example: [1, 2] })
  @IsArray() @IsInt({ each: true }) tests!: number[];
}

export class SubtaskPlanDto implements SubtaskPlan {
  @IsString() @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'name must be 1-64 letters, digits, _ . -' })
  name!: string;

  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0)
  points!: number;

  @IsIn(SUBTASK_AGGREGATIONS as unknown as string[])
  aggregation!: SubtaskAggregation;

  @IsArray() @ArrayMinSize(1) @IsInt({ each: true }) @Min(0, { each: true })
  tests!: number[];

  @IsArray() @IsString({ each: true })
  dependsOn!: string[];
}

export class ScoringPlanDto implements ScoringPlan {
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => SubtaskPlanDto)
  subtasks!: SubtaskPlanDto[];

  @IsBoolean()
  stopOnFirstFailure!: boolean;
}

/** Inline tests: one subtask of every test, 100 points shared equally, all tests run. */
export function defaultScoringPlan(testCount: number): ScoringPlan {
  return {
    subtasks: [{ name: 'all', points: 100, aggregation: 'sum', tests: Array.from({ length: testCount }, (_, i) => i), dependsOn: [] }],
    stopOnFirstFailure: false,
  };
}
