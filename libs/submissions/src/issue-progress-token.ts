import { Injectable } from '@nestjs/common';
import { IssuedProgressToken, Principal, ProgressTokens } from '@verdict/tenants';
import { SubmissionNotFoundError } from './follow-submission';
import { SubmissionStore } from './submission-store';

/**
 * POST /v1/submissions/:id/events-token: a short-lived read-only token that opens this one
 * submission's live progress from a URL (browsers' EventSource sends no Authorization header),
 * minted only for a key that may see the submission: another tenant's is not found, as a missing one.
 */
@Injectable()
export class IssueProgressToken {
  constructor(
    private readonly store: SubmissionStore,
    private readonly tokens: ProgressTokens,
  ) {}

  async execute(submissionId: string, principal: Principal): Promise<IssuedProgressToken> {
    if (!(await this.store.statusFor(submissionId, principal))) throw new SubmissionNotFoundError();
    return this.tokens.issue(submissionId, principal);
  }
}
