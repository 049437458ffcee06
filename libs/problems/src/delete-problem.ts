import { Injectable, Logger } from '@nestjs/common';
import { Requester } from '@verdict/contracts';
import { assertCanChange, problemNotFound } from './problem-access';
import { ProblemStore } from './problem-store';

/**
 * Deletes a problem with every version: it is no longer listed or judgeable. Its test data stays
 * for as long as other problems use it, and for PROBLEM_UNREFERENCED_DATA_TTL_SECONDS after that,
 * so submissions already queued are still judged. Its owner and admins only: another tenant's
 * problem is not found, one merely shared with the requester is forbidden.
 */
@Injectable()
export class DeleteProblem {
  private readonly logger = new Logger(DeleteProblem.name);

  constructor(private readonly store: ProblemStore) {}

  async execute(problemId: string, requester: Requester): Promise<void> {
    const access = await this.store.access(problemId);
    assertCanChange(problemId, requester, access);
    if (!(await this.store.delete(problemId, access.ownerTenantId))) throw problemNotFound(problemId);
    this.logger.log({ problemId }, 'problem deleted');
  }
}
