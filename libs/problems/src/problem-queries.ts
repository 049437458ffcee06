import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

/** `?version=N` of GET /v1/problems/:id. */
export class ProblemVersionQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'A version of the problem; default its latest.', example: 1 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  version?: number;
}

/** `?offset&limit` of GET /v1/problems. */
export class ListProblemsQuery {
  // Bounded so that Redis, which takes 64-bit offsets, is never sent a number it cannot read.
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'How many problems to skip (default 0).', example: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  offset?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, description: 'How many problems to return (default 100).', example: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}

/** `?language=go[&version=N]` of GET /v1/problems/:id/template. */
export class ProblemTemplateQuery extends ProblemVersionQuery {
  @ApiProperty({ minLength: 1, description: 'A language id of GET /v1/languages.', example: 'python' })
  @IsString() @IsNotEmpty()
  language!: string;
}
