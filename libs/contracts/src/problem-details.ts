import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * One thing wrong with a request: the field at fault, as a path in the request (`tests[0].input`,
 * `limits.cpuTimeMs`, `subtasks[1].dependsOn[0]`; a package's file as `files["tests/3.in"]`), or
 * null when it is the request as a whole; and a sentence that names it, fit to show as it is.
 */
export class FieldError {
  @ApiProperty({ type: String, nullable: true, description: 'Path of the field at fault (`tests[0].input`), or null for the request as a whole.', example: 'tests[0].input' })
  field!: string | null;

  @ApiProperty({ description: 'What is wrong, as a sentence that names the field.', example: 'tests[0].input must be a string' })
  message!: string;
}

/**
 * Every error response of the API, as RFC 9457 `application/problem+json`: a stable `type` URI per
 * kind of problem, and for invalid requests every problem found in `errors`.
 */
export class ProblemDetails {
  @ApiProperty({ format: 'uri', description: 'Names the kind of problem; stable, one per kind (the README lists them).', example: 'https://verdict.dev/problems/invalid-request' })
  type!: string;

  @ApiProperty({ description: 'The kind of problem, for people; the same for every occurrence of the type.', example: 'Invalid request' })
  title!: string;

  @ApiProperty({ description: 'The HTTP status code of the response.', example: 400 })
  status!: number;

  @ApiProperty({ description: 'What went wrong this time, for people.', example: 'tests[0].input must be a string' })
  detail!: string;

  @ApiProperty({ description: 'The path of the request that met the problem.', example: '/v1/submissions' })
  instance!: string;

  @ApiPropertyOptional({ type: [FieldError], description: 'Invalid requests (400): every problem found, each naming its field.' })
  errors?: FieldError[];
}
