import { Injectable } from '@nestjs/common';
import { DEFAULT_PAGE_LIMIT, ListSubmissionsQuery, Requester, SubmissionListPage } from '@verdict/contracts';
import { SubmissionStore } from './submission-store';

/**
 * GET /v1/submissions: submissions newest first, filtered by batch, problem, status and verdict (as
 * they stand now), as summaries (no tests: GET /v1/submissions/:id has them, cut to the feedback
 * level). Reads the index of the requester's tenant (an admin's: of all submissions), or of the
 * problem's when one is named.
 */
@Injectable()
export class ListSubmissions {
  constructor(private readonly store: SubmissionStore) {}

  async execute(query: ListSubmissionsQuery, requester: Requester): Promise<SubmissionListPage> {
    const { cursor, limit, ...filter } = query;
    // A tenant lists its own (its own index); an admin, everyone's.
    const tenant = requester.isAdmin ? {} : { tenant: requester.tenantId ?? '' };
    return this.store.list({ ...filter, ...tenant }, cursor, limit ?? DEFAULT_PAGE_LIMIT);
  }
}
