import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { CheckerSpecDto } from './checker-spec';
import { Limits } from './limits';
import { MaxBytes } from './max-bytes.validator';
import { SUBMISSION_LANES, SubmissionLane } from './lanes';

/** Hard ceiling of a source file; the configurable policy cannot raise it. */
export const MAX_SOURCE_BYTES = 64 * 1024;

/** Longest `callbackUrl` accepted. */
export const MAX_CALLBACK_URL_LENGTH = 2048;

/** Problem ids are slugs (`a-plus-b`): they appear in URLs and Redis keys, so no ':' or '/'. */
export const PROBLEM_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const PROBLEM_ID_RULE = 'a slug: 1-64 lowercase letters, digits and inner hyphens';

export class TestCaseDto {
  @ApiProperty({ description: "The program's standard input.", example: '1 2\n' })
  @IsString()
  input!: string;

  @ApiProperty({ description: 'What the program should print, as the checker compares it.', example: '3\n' })
  @IsString()
  expectedOutput!: string;
}

/** Limits asked for; each left out takes the deployment's default, and each is held to its bounds (MAX_*). */
export class LimitsDto implements Partial<Limits> {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'CPU time of each test (user + sys, the program and its descendants).', example: 2000 })
  @IsOptional() @IsInt() @Min(1)
  cpuTimeMs?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Wall time of each test; at least cpuTimeMs.', example: 5000 })
  @IsOptional() @IsInt() @Min(1)
  wallTimeMs?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Peak resident memory of each test.', example: 256 })
  @IsOptional() @IsInt() @Min(1)
  memoryMb?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Output (stdout) each test may write.', example: 1024 })
  @IsOptional() @IsInt() @Min(1)
  outputKb?: number;
}

/** A field that only makes sense with (or without) `problemId`. */
function WithProblem(required: boolean, message: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: required ? 'needsProblem' : 'notWithProblem',
      validator: {
        validate: (_value, args) => ((args?.object as CreateSubmissionDto).problemId != null) === required,
        defaultMessage: () => message,
      },
    },
    options,
  );
}

/**
 * Body of POST /v1/submissions: code plus either inline `tests` or a `problemId` to judge against
 * (its stored tests, limits and checker). Bounds that depend on configuration are checked by the
 * submission policy.
 */
export class CreateSubmissionDto {
  @ApiProperty({ minLength: 1, description: 'A language id of GET /v1/languages.', example: 'python' })
  @IsString() @IsNotEmpty()
  language!: string;

  @ApiProperty({ minLength: 1, description: `The program's source code, at most ${MAX_SOURCE_BYTES} bytes of UTF-8.`, example: 'print(sum(map(int, input().split())))\n' })
  @IsString() @IsNotEmpty({ message: 'source must not be empty' }) @MaxBytes(MAX_SOURCE_BYTES)
  source!: string;

  @ApiPropertyOptional({ type: [TestCaseDto], minItems: 1, description: 'Inline tests, run in order (at most MAX_TESTS); exclusive with problemId.' })
  @ValidateIf((o: CreateSubmissionDto) => o.tests !== undefined)
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => TestCaseDto)
  tests?: TestCaseDto[];

  @ApiPropertyOptional({ type: LimitsDto, description: 'Inline tests only: the limits of each test.' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => LimitsDto)
  @WithProblem(false, 'limits are set by the problem: leave out limits when you give problemId')
  limits?: LimitsDto;

  @ApiPropertyOptional({ type: CheckerSpecDto, description: 'Inline tests only: how outputs are compared (default tokens).' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => CheckerSpecDto)
  @WithProblem(false, 'checker is set by the problem: leave out checker when you give problemId')
  checker?: CheckerSpecDto;

  /** The problem to judge against (its id, e.g. `a-plus-b`); exclusive with `tests`. */
  @ApiPropertyOptional({ pattern: PROBLEM_ID_PATTERN.source, description: 'The problem to judge against (POST /v1/problems); exclusive with tests.', example: 'a-plus-b' })
  @ValidateIf((o: CreateSubmissionDto) => o.problemId !== undefined || o.tests === undefined)
  @ValidateBy({
    name: 'problemOrTests',
    validator: {
      validate: (value, args) => typeof value === 'string' && PROBLEM_ID_PATTERN.test(value) && (args?.object as CreateSubmissionDto).tests === undefined,
      // One message for what is wrong, whichever it is.
      defaultMessage: (args) => {
        if (args?.value === undefined) return 'problemId or tests is required: name a problem to judge against, or give inline tests';
        if (typeof args.value !== 'string' || !PROBLEM_ID_PATTERN.test(args.value)) return `problemId must be ${PROBLEM_ID_RULE}`;
        return 'problemId and tests are exclusive: judge against a problem or inline tests, not both';
      },
    },
  })
  problemId?: string;

  /** The version of the problem (1, 2, ...); default: its latest version at submission time. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: "With problemId: the problem's version; default its latest.", example: 2 })
  @IsOptional() @IsInt() @Min(1) @WithProblem(true, 'problemVersion needs problemId')
  problemVersion?: number;

  /** Judge only the problem's pretests (a contest's first pass). */
  @ApiPropertyOptional({ description: "With problemId: judge only the problem's pretests.", example: false })
  @IsOptional() @IsBoolean() @WithProblem(true, 'pretestsOnly needs problemId')
  pretestsOnly?: boolean;

  /**
   * Where the judge POSTs the result once the submission is final: a `submission.completed` webhook,
   * signed the Standard Webhooks way. Credentials do not belong in it (receivers verify signatures).
   */
  @ApiPropertyOptional({
    format: 'uri',
    maxLength: MAX_CALLBACK_URL_LENGTH,
    description: 'Where the judge POSTs the result once final (a submission.completed webhook, signed with the tenant\'s webhook secret).',
    example: 'https://grader.example/verdicts',
  })
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true },
    { message: 'callbackUrl must be an http:// or https:// URL without credentials' },
  )
  @MaxLength(MAX_CALLBACK_URL_LENGTH)
  callbackUrl?: string;

  /**
   * Which lane the submission waits in (default `live`: someone is waiting for it); a batch's
   * submissions take the batch's lane. The API key must allow the lane.
   */
  @ApiPropertyOptional({ enum: SUBMISSION_LANES, description: "The lane it waits in, highest first: live (default; someone is waiting), contest, practice. Not on a batch's items: they take the batch's lane. The API key must allow it.", example: 'live' })
  @IsOptional() @IsIn(SUBMISSION_LANES as unknown as string[], { message: `lane must be one of ${SUBMISSION_LANES.join(', ')}` })
  lane?: SubmissionLane;
}
