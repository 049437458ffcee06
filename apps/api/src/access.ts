import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiScope, ProblemDetails } from '@verdict/contracts';
import { RequireScopes } from '@verdict/tenants';
import { PROBLEM_TYPES, problemDetails } from './http-errors.filter';

const REFUSALS = [
  { type: 'unauthenticated', detail: 'missing API key: send it as Authorization: Bearer vk_...' },
  { type: 'forbidden', detail: 'API key k3yPr3f1 lacks the scope "submit" this operation needs' },
  { type: 'rate-limited', detail: 'API key k3yPr3f1 has used its 600 requests per 60 s; retry in 12 s' },
] as const;

const WHY: Record<(typeof REFUSALS)[number]['type'], (scopes: ApiScope[]) => string> = {
  unauthenticated: () => 'no usable API key',
  forbidden: (scopes) => `the key lacks ${scopes.map((s) => `"${s}"`).join(', ')}`,
  'rate-limited': (scopes) =>
    `the key used its RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_SECONDS${scopes.includes('submit') ? ", or new judge work would pass the tenant's maxQueued or JUDGE_BACKLOG_LIMIT" : ''} (Retry-After says when to retry)`,
};

/**
 * An operation for API keys holding every scope named (an admin key holds them all): the rule
 * ApiKeyGuard enforces and its OpenAPI description (bearer auth; the 401, 403 and the rate limit's
 * 429 it may answer), in one mark, so the docs cannot drift from the rule.
 */
export function Scopes(...scopes: ApiScope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    RequireScopes(...scopes),
    ApiBearerAuth(),
    ...REFUSALS.map((problem) =>
      ApiResponse({
        status: PROBLEM_TYPES[problem.type].status,
        description: `${PROBLEM_TYPES[problem.type].title}: ${WHY[problem.type](scopes)}`,
        content: {
          'application/problem+json': {
            schema: { $ref: getSchemaPath(ProblemDetails) },
            examples: { [problem.type]: { summary: PROBLEM_TYPES[problem.type].title, value: problemDetails(problem, '/v1/submissions') } },
          },
        },
      }),
    ),
  );
}
