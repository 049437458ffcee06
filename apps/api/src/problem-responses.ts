import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { FieldError, ProblemDetails } from '@verdict/contracts';
import { PROBLEM_TYPES, ProblemType, REDIS_UNAVAILABLE, problemDetails } from './http-errors.filter';

/** A problem an operation may answer with, as its example shows it; `name` tells apart examples of one type. */
export interface ProblemExample {
  type: ProblemType;
  detail: string;
  errors?: FieldError[];
  name?: string;
}

/** What any endpoint that takes a JSON body may meet before its own rules are checked. */
export const JSON_BODY_PROBLEMS: ProblemExample[] = [
  { type: 'malformed-json', detail: "malformed JSON body: Expected ',' or '}' after property value in JSON at position 31" },
  { type: 'invalid-request', name: 'nested-too-deep', detail: 'request body is nested deeper than 64 levels (API_MAX_JSON_DEPTH)' },
  { type: 'too-large', detail: 'the request body is larger than the 1048576 bytes this endpoint takes' },
  { type: 'unsupported-media-type', detail: 'send the request body as application/json (got text/plain)' },
];

/**
 * Documents the application/problem+json responses of an operation on `path` (the `instance` of its
 * examples): one response per status, with an example of each problem given. Every operation may
 * find Redis down (503).
 */
export function ApiProblemResponses(path: string, ...problems: ProblemExample[]): MethodDecorator {
  const all: ProblemExample[] = [...problems, { type: 'unavailable', detail: REDIS_UNAVAILABLE }];
  const statuses = [...new Set(all.map((p) => PROBLEM_TYPES[p.type].status))];
  return applyDecorators(
    ...statuses.map((status) => {
      const here = all.filter((p) => PROBLEM_TYPES[p.type].status === status);
      return ApiResponse({
        status,
        description: [...new Set(here.map((p) => PROBLEM_TYPES[p.type].title))].join('; '),
        content: {
          'application/problem+json': {
            schema: { $ref: getSchemaPath(ProblemDetails) },
            examples: Object.fromEntries(here.map((p) => [p.name ?? p.type, { summary: PROBLEM_TYPES[p.type].title, value: problemDetails(p, path) }])),
          },
        },
      });
    }),
  );
}
