import { Injectable } from '@nestjs/common';
import { DomainError, Requester, SubmissionView, canAccess } from '@verdict/contracts';
import { ProblemStore, maySeeFullFeedback } from '@verdict/problems';
import { SubmissionNotFoundError } from './follow-submission';
import { SubmissionStore } from './submission-store';

/** `feedback=full` asked for by someone who is neither the problem's owner nor an admin. */
export class FullFeedbackForbiddenError extends DomainError {
  readonly kind = 'forbidden';

  constructor(problemId: string) {
    super({ field: 'feedback', message: `feedback=full: hidden tests of problem "${problemId}" are shown in full only to its owner and to admins` });
  }
}

/**
 * GET /v1/submissions/:id: the submission as its submitter may see it (hidden tests cut to the
 * feedback level); another tenant's is not found. With `feedback: 'full'`, the problem's owner
 * and admins see hidden tests in full (a problem setter checking a solution); anyone else is refused.
 */
@Injectable()
export class GetSubmission {
  constructor(
    private readonly store: SubmissionStore,
    private readonly problems: ProblemStore,
  ) {}

  async execute(id: string, requester: Requester, feedback?: 'full'): Promise<SubmissionView> {
    const view = await this.store.publicView(id);
    if (!view || !canAccess(requester, view.tenantId)) throw new SubmissionNotFoundError();
    if (feedback !== 'full' || view.feedback === null || view.problem === null) return view;
    if (!maySeeFullFeedback(requester, await this.problems.access(view.problem.id))) throw new FullFeedbackForbiddenError(view.problem.id);
    return (await this.store.publicView(id, { fullFeedback: true })) ?? view;
  }
}
