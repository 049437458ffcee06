import { Injectable } from '@nestjs/common';
import { Requester, SubmissionView, canAccess } from '@verdict/contracts';
import { SubmissionNotFoundError } from './follow-submission';
import { SubmissionStore } from './submission-store';

/** GET /v1/submissions/:id: the submission as its submitter may see it (hidden tests cut to the feedback level); another tenant's is not found. */
@Injectable()
export class GetSubmission {
  constructor(private readonly store: SubmissionStore) {}

  async execute(id: string, requester: Requester): Promise<SubmissionView> {
    const view = await this.store.publicView(id);
    if (!view || !canAccess(requester, view.tenantId)) throw new SubmissionNotFoundError();
    return view;
  }
}
