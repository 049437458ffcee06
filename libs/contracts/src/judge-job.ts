import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { JobCheckerDto, ProgramRefDto } from './checker-spec';
import { FunctionSignatureDto } from './function-signature';
import { Limits } from './limits';
import { MaxBytes } from './max-bytes.validator';
import { JUDGE_LANES, JudgeLane } from './lanes';
import { TENANT_ID_PATTERN } from './tenant';
import { ScoringPlanDto } from './scoring';
import { MAX_SOURCE_BYTES } from './submission.dto';
import { TestData, TestDataDto } from './test-data';

/** Submission ids are BullMQ job ids: no ':' and never all digits (BullMQ reserves both). */
export const SUBMISSION_ID_PATTERN = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

/**
 * What kind of program is judged: one that reads stdin and writes stdout; a function called by a
 * generated driver (LeetCode style); or a program talking to the problem's interactor.
 */
export const JUDGE_KINDS = ['stdio', 'function', 'interactive'] as const;
export type JudgeKind = (typeof JUDGE_KINDS)[number];

/** Limits with every default filled in and every adjustment applied: what a test runs under. */
export class ResolvedLimitsDto implements Limits {
  @ApiProperty({ type: 'integer', minimum: 1, example: 2000 }) @IsInt() @Min(1) cpuTimeMs!: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 5000 }) @IsInt() @Min(1) wallTimeMs!: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 256 }) @IsInt() @Min(1) memoryMb!: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1024 }) @IsInt() @Min(1) outputKb!: number;
}

/** One test of a job: what the program reads (or the interactor gets) and what it should answer. */
export class JudgeTestDto {
  @IsInt() @Min(0)
  index!: number;

  /** The problem's name for the test (`1`, `sample-2`, `big/07`), or its 1-based number. */
  @IsString() @IsNotEmpty()
  name!: string;

  @IsObject() @ValidateNested() @Type(() => TestDataDto)
  input!: TestData;

  @IsObject() @ValidateNested() @Type(() => TestDataDto)
  answer!: TestData;
}

export class ProblemVersionRefDto {
  @IsString() @IsNotEmpty()
  id!: string;

  @IsInt() @Min(1)
  version!: number;
}

/**
 * Payload of a judge job: everything the worker needs, so judging never waits on a lookup other
 * than fetching stored test data. The worker validates it before doing anything: a corrupt payload
 * fails the job permanently with the reason, it is never retried and never crashes the worker.
 */
export class JudgeJobPayload {
  @Matches(SUBMISSION_ID_PATTERN, { message: 'submissionId must be a submission id (uuid)' })
  submissionId!: string;

  /** W3C traceparent of the submission's trace, so the worker's spans and stream entries join it. */
  @Matches(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, { message: 'traceparent must be a W3C traceparent' })
  traceparent!: string;

  @IsString() @IsNotEmpty()
  language!: string;

  @IsString() @IsNotEmpty() @MaxBytes(MAX_SOURCE_BYTES)
  source!: string;

  @IsIn(JUDGE_KINDS as unknown as string[])
  kind!: JudgeKind;

  @IsIn(JUDGE_LANES as unknown as string[], { message: `lane must be one of ${JUDGE_LANES.join(', ')}` })
  lane!: JudgeLane;

  /** Whose submission it is (absent: an admin's): the judge queue shares workers between tenants by it. */
  @IsOptional() @Matches(TENANT_ID_PATTERN, { message: 'tenantId must be a tenant id' })
  tenantId?: string;

  /** In the order they run; `index` is the position. */
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => JudgeTestDto)
  tests!: JudgeTestDto[];

  /** Per-test limits, after the language's and the problem's adjustments. */
  @IsObject() @ValidateNested() @Type(() => ResolvedLimitsDto)
  limits!: ResolvedLimitsDto;

  @IsObject() @ValidateNested() @Type(() => JobCheckerDto)
  checker!: JobCheckerDto;

  @IsObject() @ValidateNested() @Type(() => ScoringPlanDto)
  scoring!: ScoringPlanDto;

  /** The problem version judged against; absent for inline tests. */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ProblemVersionRefDto)
  problem?: ProblemVersionRefDto;

  @ValidateIf((o: JudgeJobPayload) => o.kind === 'function')
  @IsObject({ message: 'function is required for kind function' }) @ValidateNested() @Type(() => FunctionSignatureDto)
  function?: FunctionSignatureDto;

  @ValidateIf((o: JudgeJobPayload) => o.kind === 'interactive')
  @IsObject({ message: 'interactor is required for kind interactive' }) @ValidateNested() @Type(() => ProgramRefDto)
  interactor?: ProgramRefDto;
}
