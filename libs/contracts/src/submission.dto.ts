import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
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

/** Hard ceiling of a source file; the configurable policy cannot raise it. */
export const MAX_SOURCE_BYTES = 64 * 1024;

/** Longest `callbackUrl` accepted. */
export const MAX_CALLBACK_URL_LENGTH = 2048;

/** Problem ids are slugs (`a-plus-b`): they appear in URLs and Redis keys, so no ':' or '/'. */
export const PROBLEM_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const PROBLEM_ID_RULE = 'a slug: 1-64 lowercase letters, digits and inner hyphens';

export class TestCaseDto {
  @IsString()
  input!: string;

  @IsString()
  expectedOutput!: string;
}

export class LimitsDto implements Partial<Limits> {
  @IsOptional() @IsInt() @Min(1)
  cpuTimeMs?: number;

  @IsOptional() @IsInt() @Min(1)
  wallTimeMs?: number;

  @IsOptional() @IsInt() @Min(1)
  memoryMb?: number;

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
  @IsString() @IsNotEmpty()
  language!: string;

  @IsString() @IsNotEmpty({ message: 'source must not be empty' }) @MaxBytes(MAX_SOURCE_BYTES)
  source!: string;

  @ValidateIf((o: CreateSubmissionDto) => o.tests !== undefined)
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => TestCaseDto)
  tests?: TestCaseDto[];

  @IsOptional() @IsObject() @ValidateNested() @Type(() => LimitsDto)
  @WithProblem(false, 'limits are set by the problem: leave out limits when you give problemId')
  limits?: LimitsDto;

  @IsOptional() @IsObject() @ValidateNested() @Type(() => CheckerSpecDto)
  @WithProblem(false, 'checker is set by the problem: leave out checker when you give problemId')
  checker?: CheckerSpecDto;

  /** The problem to judge against (its id, e.g. `a-plus-b`); exclusive with `tests`. */
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
  @IsOptional() @IsInt() @Min(1) @WithProblem(true, 'problemVersion needs problemId')
  problemVersion?: number;

  /** Judge only the problem's pretests (a contest's first pass). */
  @IsOptional() @IsBoolean() @WithProblem(true, 'pretestsOnly needs problemId')
  pretestsOnly?: boolean;

  /**
   * Where the judge POSTs the result once the submission is final: a `submission.completed` webhook,
   * signed the Standard Webhooks way. Credentials do not belong in it (receivers verify signatures).
   */
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true },
    { message: 'callbackUrl must be an http:// or https:// URL without credentials' },
  )
  @MaxLength(MAX_CALLBACK_URL_LENGTH)
  callbackUrl?: string;
}
