import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListSubmissionsQuery, SubmissionListPage } from '@verdict/contracts';
import { ListSubmissions } from '@verdict/submissions';
import { CurrentPrincipal, Principal } from '@verdict/tenants';
import { Scopes } from './access';
import { ApiProblemResponses } from './problem-responses';

@ApiTags('submissions')
@Controller('v1/submissions')
export class SubmissionListingController {
  constructor(private readonly listSubmissions: ListSubmissions) {}

  @Get()
  @Scopes('read')
  @ApiOperation({
    operationId: 'listSubmissions',
    summary: 'Submissions newest first, filtered by batch, problem, status and verdict, as summaries',
    description: 'Submissions within retention only. A page may hold fewer than limit items (even none) while nextCursor is not null: each page examines a bounded number of submissions.',
  })
  @ApiOkResponse({
    type: SubmissionListPage,
    example: {
      items: [
        {
          id: '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11', status: 'completed', verdict: 'WA', score: 40, maxScore: 100, language: 'cpp', problem: { id: 'a-plus-b', version: 2 },
          batchId: '6d1f2c7e-2b0a-4a55-9b57-0f7f3b8f1e21', tenantId: 'acme-contests', judging: 1, createdAt: '2026-12-03T10:00:00.000Z', finishedAt: '2026-12-03T10:00:00.410Z',
        },
      ],
      nextCursor: '1796292000000:1',
    },
  })
  @ApiProblemResponses('/v1/submissions', { type: 'invalid-request', detail: 'limit must not be less than 1', errors: [{ field: 'limit', message: 'limit must not be less than 1' }] })
  list(@Query() query: ListSubmissionsQuery, @CurrentPrincipal() principal: Principal): Promise<SubmissionListPage> {
    return this.listSubmissions.execute(query, principal);
  }
}
