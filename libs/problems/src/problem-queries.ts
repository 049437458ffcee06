import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

/** `?version=N` of GET /v1/problems/:id. */
export class ProblemVersionQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  version?: number;
}

/** `?offset&limit` of GET /v1/problems. */
export class ListProblemsQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}

/** `?language=go[&version=N]` of GET /v1/problems/:id/template. */
export class ProblemTemplateQuery extends ProblemVersionQuery {
  @IsString() @IsNotEmpty()
  language!: string;
}
