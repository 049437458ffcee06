import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { TestData, TestDataDto } from './test-data';

/**
 * How a test's output is judged.
 * - Text checkers compare the output with the expected output in the worker (any submission may
 *   name one).
 * - `json` compares function-problem results structurally (set by the problem).
 * - Program checkers are a problem's own special judge, compiled once and run sandboxed: `testlib`
 *   (exit 0 accepted, 1 wrong answer, 2 presentation error, 3 checker failure, 7 with a score) and
 *   `kattis` output validators (exit 42 accepted, 43 wrong answer).
 */
export const TEXT_CHECKER_TYPES = ['exact', 'tokens', 'float', 'lines-unordered', 'tokens-ci'] as const;
export const BUILTIN_CHECKER_TYPES = [...TEXT_CHECKER_TYPES, 'json'] as const;
export const PROGRAM_CHECKER_TYPES = ['testlib', 'kattis'] as const;
export const CHECKER_TYPES = [...BUILTIN_CHECKER_TYPES, ...PROGRAM_CHECKER_TYPES] as const;

export type TextCheckerType = (typeof TEXT_CHECKER_TYPES)[number];
export type BuiltinCheckerType = (typeof BUILTIN_CHECKER_TYPES)[number];
export type ProgramCheckerType = (typeof PROGRAM_CHECKER_TYPES)[number];
export type CheckerType = (typeof CHECKER_TYPES)[number];

/** A program that belongs to a problem (checker, interactor): its language and source. */
export interface ProgramRef {
  language: string;
  source: TestData;
}

export interface CheckerSpec {
  type: CheckerType;
  /** float and json: a number matches when |a-e| <= absError or |a-e| <= relError*|e|. */
  absError?: number;
  relError?: number;
  /** json: the order of the elements of a returned array does not matter. */
  anyOrder?: boolean;
  /** testlib and kattis: the checker program. */
  program?: ProgramRef;
}

export const DEFAULT_CHECKER: CheckerSpec = { type: 'tokens' };

export function isProgramChecker(spec: CheckerSpec): spec is CheckerSpec & { type: ProgramCheckerType; program: ProgramRef } {
  return (PROGRAM_CHECKER_TYPES as readonly string[]).includes(spec.type);
}

export class ProgramRefDto implements ProgramRef {
  @IsString() @IsNotEmpty()
  language!: string;

  @IsObject() @ValidateNested() @Type(() => TestDataDto)
  source!: TestData;
}

/** Tolerances shared by the checker of a submission body and of a job. */
class ToleranceDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 1e9, description: 'float: a number matches when |actual - expected| <= absError.', example: 1e-6 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e9)
  absError?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1e9, description: 'float: ... or when |actual - expected| <= relError × |expected|.', example: 1e-6 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e9)
  relError?: number;
}

/** The checker a submission body may name: the text checkers. */
export class CheckerSpecDto extends ToleranceDto implements CheckerSpec {
  @ApiProperty({ enum: TEXT_CHECKER_TYPES, description: 'exact, tokens (whitespace-insensitive), tokens-ci (and case-insensitive), float (tolerances), lines-unordered.', example: 'tokens' })
  @IsIn(TEXT_CHECKER_TYPES as unknown as string[], { message: `$property must be one of: ${TEXT_CHECKER_TYPES.join(', ')}` })
  type!: TextCheckerType;
}

/** The checker of a judge job: any type, a program where the type needs one. */
export class JobCheckerDto extends ToleranceDto implements CheckerSpec {
  @IsIn(CHECKER_TYPES as unknown as string[], { message: `$property must be one of: ${CHECKER_TYPES.join(', ')}` })
  type!: CheckerType;

  @IsOptional() @IsBoolean()
  anyOrder?: boolean;

  @ValidateIf((o: JobCheckerDto) => (PROGRAM_CHECKER_TYPES as readonly string[]).includes(o.type))
  @IsObject({ message: 'checker.program is required for testlib and kattis checkers' }) @ValidateNested() @Type(() => ProgramRefDto)
  program?: ProgramRef;
}
