import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** Query of POST /v1/submissions. */
export class CreateSubmissionQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: answer with the result (200) if it is ready within SUBMISSION_WAIT_MAX_MS (default 10 s), else 202 as usual.' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'wait must be true or false' })
  wait?: 'true' | 'false';
}

/** Query of POST /v1/batches. */
export class CreateBatchQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true, for a batch of one submission only: answer with its results page (200, as GET /v1/batches/:id/results) if it is judged within SUBMISSION_WAIT_MAX_MS (default 10 s), else 202 as usual.',
  })
  @IsOptional() @IsIn(['true', 'false'], { message: 'wait must be true or false' })
  wait?: 'true' | 'false';
}

/** Query of GET /v1/submissions/:id. */
export class GetSubmissionQuery {
  @ApiPropertyOptional({
    enum: ['full'],
    description: "full: hidden tests in full (outputs, checker messages), whatever the problem's feedback level; only for the problem's owner and admins (403 for anyone else).",
  })
  @IsOptional() @IsIn(['full'], { message: 'feedback must be full (or left out)' })
  feedback?: 'full';
}
