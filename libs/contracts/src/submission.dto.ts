import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { CheckerSpecDto } from './checker-spec';
import { Limits } from './limits';
import { MaxBytes } from './max-bytes.validator';

/** Hard ceiling of a source file; the configurable policy cannot raise it. */
export const MAX_SOURCE_BYTES = 64 * 1024;

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

/** Body of POST /v1/submissions. Bounds that depend on configuration are checked by the submission policy. */
export class CreateSubmissionDto {
  @IsString() @IsNotEmpty()
  language!: string;

  @IsString() @IsNotEmpty({ message: 'source must not be empty' }) @MaxBytes(MAX_SOURCE_BYTES)
  source!: string;

  @IsDefined() @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => TestCaseDto)
  tests!: TestCaseDto[];

  @IsOptional() @IsObject() @ValidateNested() @Type(() => LimitsDto)
  limits?: LimitsDto;

  @IsOptional() @IsObject() @ValidateNested() @Type(() => CheckerSpecDto)
  checker?: CheckerSpecDto;
}
