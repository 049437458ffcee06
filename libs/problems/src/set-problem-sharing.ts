import { Injectable, Logger } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Requester } from '@verdict/contracts';
import { IsBoolean } from 'class-validator';
import { problemNotFound } from './problem-access';
import { ProblemForbiddenError } from './problem-errors';
import { ProblemStore } from './problem-store';
import { ProblemView, problemViewOf } from './problem-view';

/** Body of PUT /v1/problems/:id/sharing. */
export class ProblemSharingDto {
  @ApiProperty({ description: 'true: every tenant may read the problem and submit against it (only its owner and admins change it); false: its owner only.', example: true })
  @IsBoolean()
  shared!: boolean;
}

/**
 * Shares a problem read-only with every tenant, or stops sharing it (PUT /v1/problems/:id/sharing):
 * admins only. Answers the problem's view (its latest version). Unsharing hides the problem again
 * from the tenants that do not own it; their submissions already made stay theirs.
 */
@Injectable()
export class SetProblemSharing {
  private readonly logger = new Logger(SetProblemSharing.name);

  constructor(private readonly store: ProblemStore) {}

  async execute(problemId: string, request: ProblemSharingDto, requester: Requester): Promise<ProblemView> {
    if (!requester.isAdmin) throw new ProblemForbiddenError(`only an admin may share problem "${problemId}" or stop sharing it`);
    if (!(await this.store.setShared(problemId, request.shared))) throw problemNotFound(problemId);
    const summary = await this.store.summary(problemId);
    const version = summary && (await this.store.getVersion(problemId, summary.latestVersion));
    if (!summary || !version) throw problemNotFound(problemId);
    this.logger.log({ problemId, shared: request.shared }, request.shared ? 'problem shared' : 'problem unshared');
    return problemViewOf(version, summary);
  }
}
