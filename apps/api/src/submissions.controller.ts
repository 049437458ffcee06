import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CreateSubmissionDto, SubmissionAccepted, SubmissionView } from '@verdict/contracts';
import { SubmissionStore } from '@verdict/submissions';
import { CreateSubmission } from '@verdict/submissions';

@Controller('v1/submissions')
export class SubmissionsController {
  constructor(
    private readonly createSubmission: CreateSubmission,
    private readonly store: SubmissionStore,
  ) {}

  @Post()
  @HttpCode(202)
  create(@Body() body: CreateSubmissionDto, @Headers('idempotency-key') idempotencyKey?: string): Promise<SubmissionAccepted> {
    return this.createSubmission.execute(body, idempotencyKey?.slice(0, 200) || undefined);
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('submission not found') })) id: string): Promise<SubmissionView> {
    const submission = await this.store.publicView(id);
    if (!submission) throw new NotFoundException('submission not found');
    return submission;
  }
}
