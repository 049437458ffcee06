import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListSubmissionsQuery, SubmissionListPage } from '@verdict/contracts';
import { ListSubmissions } from '@verdict/submissions';
import { ApiProblemResponses } from './problem-responses';

@ApiTags('submissions')
@Controller('v1/submissions')
export class SubmissionListingController {
  constructor(private readonly listSubmissions: ListSubmissions) {}

  @Get()
  @ApiOperation({
    operationId: 'listSubmissions',
    summary: 'Submissions newest first, filtered by batch, problem, status and verdict, as summaries',
    description: 'Submissions within retention only. A page may hold fewer than limit items (even none) while nextCursor is not null: each page examines a bounded number of submissions.',
  })
  @ApiOkResponse({ type: SubmissionListPage })
  @ApiProblemResponses('/v1/submissions?limit=0', { type: 'invalid-request', detail: 'limit must not be less than 1', errors: [{ field: 'limit', message: 'limit must not be less than 1' }] })
  list(@Query() query: ListSubmissionsQuery): Promise<SubmissionListPage> {
    return this.listSubmissions.execute(query);
  }
}
