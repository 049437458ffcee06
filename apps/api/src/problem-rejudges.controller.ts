import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RejudgeProblem } from '@verdict/batches';
import { BatchAccepted, RejudgeProblemDto } from '@verdict/contracts';
import { CurrentPrincipal, Principal } from '@verdict/tenants';
import { Scopes } from './access';
import { ApiProblemResponses, JSON_BODY_PROBLEMS } from './problem-responses';

@ApiTags('problems')
@Controller('v1/problems/:id/rejudge')
export class ProblemRejudgesController {
  constructor(private readonly rejudge: RejudgeProblem) {}

  @Post()
  // Above @Scopes: this 403 lists the missing scope and the shared problem's refusal (a later 403 would replace @Scopes' one).
  @ApiProblemResponses(
    '/v1/problems/a-plus-b/rejudge',
    { type: 'forbidden', name: 'missing-scope', detail: 'API key k3yPr3f1 lacks the scope "problems:write" this operation needs' },
    { type: 'forbidden', name: 'shared-read-only', detail: 'problem "a-plus-b" is shared read-only: only its owner or an admin may change it' },
    { type: 'not-found', detail: 'problem "a-plus-b" not found' },
    ...JSON_BODY_PROBLEMS,
  )
  @Scopes('problems:write')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'rejudgeProblem',
    summary: "Judge a problem's submissions again on its current version, as a batch below fresh submissions",
    description:
      'All final submissions of the problem, or those judged on `version`, or those with one of `verdicts`. Only submissions still within retention ' +
      '(SUBMISSION_RETENTION_SECONDS, default 7 days) are reached; queued, running and cancelled ones are left alone. Each keeps its earlier outcome in ' +
      '`previousJudgings`, and `judging` counts up. Follow it with GET /v1/batches/:id. The problem\'s owner and admins only: ' +
      "a tenant's rejudge takes that tenant's submissions only, an admin's everyone's.",
  })
  @ApiParam({ name: 'id', example: 'a-plus-b' })
  @ApiBody({ type: RejudgeProblemDto, examples: { wrong: { summary: 'Only WA and TLE of version 1', value: { version: 1, verdicts: ['WA', 'TLE'] } } } })
  @ApiAcceptedResponse({ type: BatchAccepted, example: { id: '6d1f2c7e-2b0a-4a55-9b57-0f7f3b8f1e21', status: 'queued', total: 12 } })
  create(@Param('id') problemId: string, @Body() body: RejudgeProblemDto, @CurrentPrincipal() principal: Principal): Promise<BatchAccepted> {
    return this.rejudge.execute(problemId, body, principal);
  }
}
