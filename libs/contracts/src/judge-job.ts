import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { Limits } from './limits';
import { CheckerSpecDto, TestCaseDto } from './submission.dto';
import { MaxBytes } from './max-bytes.validator';
import { MAX_SOURCE_BYTES } from './submission.dto';

/** The BullMQ queue that carries submissions from the API to the workers. */
export const SUBMISSION_QUEUE = 'submissions';
/** The one job name on that queue. */
export const JUDGE_JOB = 'judge';

/** Submission ids are BullMQ job ids: no ':' and never all digits (BullMQ reserves both). */
export const SUBMISSION_ID_PATTERN = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

export class ResolvedLimitsDto implements Limits {
  @IsInt() @Min(1) cpuTimeMs!: number;
  @IsInt() @Min(1) wallTimeMs!: number;
  @IsInt() @Min(1) memoryMb!: number;
  @IsInt() @Min(1) outputKb!: number;
}

/**
 * Payload of a judge job. The worker validates it before doing anything: a corrupt payload fails the
 * job permanently with the reason, it is never retried and never crashes the worker.
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

  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => TestCaseDto)
  tests!: TestCaseDto[];

  @IsObject() @ValidateNested() @Type(() => ResolvedLimitsDto)
  limits!: ResolvedLimitsDto;

  @IsObject() @ValidateNested() @Type(() => CheckerSpecDto)
  checker!: CheckerSpecDto;
}
