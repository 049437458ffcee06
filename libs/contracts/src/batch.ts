import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, MaxLength, Min, Max, ValidateNested } from 'class-validator';
import { CreateSubmissionDto, MAX_CALLBACK_URL_LENGTH, PROBLEM_ID_PATTERN } from './submission.dto';
import { BATCH_LANES, BatchLane } from './lanes';
import { SUBMISSION_STATUSES, SubmissionStatus } from './submission-status';
import { ProblemVersionRef, SubmissionView } from './submission-view';
import { VERDICTS, Verdict } from './verdict';

/** Longest batch label accepted. */
export const MAX_BATCH_LABEL_LENGTH = 200;
/** Page size bounds of GET /v1/batches/:id/results and GET /v1/submissions. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

const CALLBACK_URL_RULE = { protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true };

/**
 * Body of POST /v1/batches: submissions judged together (a contest's final run, a course's
 * assignment), each like a POST /v1/submissions body; accepted or refused as a whole. The largest
 * count is a setting (MAX_BATCH_SIZE), checked by the batch's use case.
 */
export class CreateBatchDto {
  @ApiPropertyOptional({ maxLength: MAX_BATCH_LABEL_LENGTH, example: 'contest 42, final' })
  @IsOptional() @IsString() @MaxLength(MAX_BATCH_LABEL_LENGTH)
  label?: string;

  /** Where the judge POSTs a `batch.completed` event when every member is final. */
  @ApiPropertyOptional({ format: 'uri', maxLength: MAX_CALLBACK_URL_LENGTH, description: 'Where a batch.completed webhook goes when every member is final.' })
  @IsOptional()
  @IsUrl(CALLBACK_URL_RULE, { message: 'callbackUrl must be an http:// or https:// URL without credentials' })
  @MaxLength(MAX_CALLBACK_URL_LENGTH)
  callbackUrl?: string;

  /** The lane every member waits in (default `practice`); `contest` for a contest's judging. The API key must allow it. */
  @ApiPropertyOptional({ enum: BATCH_LANES, description: 'The lane every member waits in: contest, or practice (default). The API key must allow it.', example: 'contest' })
  @IsOptional() @IsIn(BATCH_LANES as unknown as string[], { message: `lane must be one of ${BATCH_LANES.join(', ')}` })
  lane?: BatchLane;

  @ApiProperty({ type: [CreateSubmissionDto], minItems: 1, description: 'The submissions, in batch order (at most MAX_BATCH_SIZE, default 10,000).' })
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => CreateSubmissionDto)
  submissions!: CreateSubmissionDto[];
}

/** Response of POST /v1/batches and POST /v1/problems/:id/rejudge. */
export class BatchAccepted {
  @ApiProperty({ format: 'uuid', example: '6d1f2c7e-2b0a-4a55-9b57-0f7f3b8f1e21' }) id!: string;
  @ApiProperty({ enum: ['queued'], example: 'queued' }) status!: 'queued';
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) total!: number;
  @ApiPropertyOptional({ description: 'W3C trace id of the request that created the batch.', example: '4bf92f3577b34da6a3ce929d0e0e4736' }) traceId?: string;
}

export const BATCH_KINDS = ['batch', 'rejudge'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

/** Response of GET /v1/batches/:id. */
export class BatchView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: BATCH_KINDS, description: 'batch (POST /v1/batches) or rejudge (POST /v1/problems/:id/rejudge).' }) kind!: BatchKind;
  @ApiProperty({ type: String, nullable: true, example: 'contest 42, final' }) label!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) total!: number;
  @ApiProperty({ description: 'Members by status (every status, zeros included).', example: { queued: 0, running: 1, completed: 2, failed: 0, cancelled: 0 } })
  statuses!: Record<SubmissionStatus, number>;
  @ApiProperty({ description: 'Final members by verdict (only verdicts that occur).', example: { AC: 1, WA: 1 } })
  verdicts!: Partial<Record<Verdict, number>>;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Members completed, failed or cancelled.', example: 2 }) finished!: number;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'finished / total.', example: 0.67 }) progress!: number;
  @ApiProperty({ type: String, nullable: true, description: 'rejudge: the problem rejudged.', example: null }) problemId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The tenant whose key made it; null for an admin key.', example: 'acme-contests' }) tenantId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the last member became final.' }) finishedAt!: string | null;
}

/** Query of GET /v1/batches/:id/results. */
/** Response of DELETE /v1/batches/:id. */
export class BatchCancelled {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Members that had not started and now end cancelled.', example: 2 }) cancelled!: number;
}

export class BatchResultsQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page; absent for the first.' })
  @IsOptional() @Matches(/^\d{1,6}$/, { message: 'cursor must be a nextCursor of an earlier page' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_LIMIT)
  limit?: number;
}

/** Response of GET /v1/batches/:id/results (JSON; with Accept: application/x-ndjson, one SubmissionView a line instead). */
export class BatchResultsPage {
  @ApiProperty({ type: [SubmissionView], description: 'Members in batch order, each as GET /v1/submissions/:id shows it.' }) items!: SubmissionView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null after the last.' }) nextCursor!: string | null;
}

/** Body of POST /v1/problems/:id/rejudge: which of the problem's submissions to judge again (default: all). */
export class RejudgeProblemDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Only submissions judged on this version.', example: 1 })
  @IsOptional() @IsInt() @Min(1)
  version?: number;

  @ApiPropertyOptional({ enum: VERDICTS, isArray: true, description: 'Only submissions with one of these verdicts.', example: ['WA', 'TLE'] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(VERDICTS as unknown as string[], { each: true })
  verdicts?: Verdict[];

  @ApiPropertyOptional({ maxLength: MAX_BATCH_LABEL_LENGTH, example: 'new tests after appeal' })
  @IsOptional() @IsString() @MaxLength(MAX_BATCH_LABEL_LENGTH)
  label?: string;
}

/** Query of GET /v1/submissions. */
export class ListSubmissionsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only members of this batch (of their current judging).' })
  @IsOptional() @Matches(/^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/, { message: 'batch must be a batch id (uuid)' })
  batch?: string;

  @ApiPropertyOptional({ description: 'Only submissions against this problem.', example: 'a-plus-b' })
  @IsOptional() @Matches(PROBLEM_ID_PATTERN, { message: 'problem must be a problem id' })
  problem?: string;

  @ApiPropertyOptional({ enum: SUBMISSION_STATUSES })
  @IsOptional() @IsIn(SUBMISSION_STATUSES as unknown as string[])
  status?: SubmissionStatus;

  @ApiPropertyOptional({ enum: VERDICTS })
  @IsOptional() @IsIn(VERDICTS as unknown as string[])
  verdict?: Verdict;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page; absent for the first.' })
  @IsOptional() @Matches(/^\d{1,20}:\d{1,9}$/, { message: 'cursor must be a nextCursor of an earlier page' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_LIMIT)
  limit?: number;
}

/** One submission in a listing: where it stands, not its tests (GET /v1/submissions/:id has those). */
export class SubmissionSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SUBMISSION_STATUSES }) status!: SubmissionStatus;
  @ApiProperty({ enum: VERDICTS, nullable: true }) verdict!: Verdict | null;
  @ApiProperty({ type: Number, nullable: true }) score!: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxScore!: number | null;
  @ApiProperty({ example: 'python' }) language!: string;
  @ApiProperty({ type: ProblemVersionRef, nullable: true }) problem!: ProblemVersionRef | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) batchId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The tenant whose key submitted it; null for an admin key.' }) tenantId!: string | null;
  @ApiProperty({ type: 'integer', minimum: 1 }) judging!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
}

/** Response of GET /v1/submissions. */
export class SubmissionListPage {
  @ApiProperty({ type: [SubmissionSummary], description: 'Newest first; a page may hold fewer than limit items (even none) while nextCursor is not null.' })
  items!: SubmissionSummary[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null when no more.' }) nextCursor!: string | null;
}
