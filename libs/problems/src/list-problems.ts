import { Injectable } from '@nestjs/common';
import { Requester } from '@verdict/contracts';
import { ListProblemsQuery } from './problem-queries';
import { ProblemStore } from './problem-store';
import { ProblemList } from './problem-view';

/** Problems in creation order: for a tenant its own and the shared ones, for an admin all. */
@Injectable()
export class ListProblems {
  constructor(private readonly store: ProblemStore) {}

  async execute(query: ListProblemsQuery, requester: Requester): Promise<ProblemList> {
    const offset = query.offset ?? 0;
    const { total, problems } = await this.store.list(offset, query.limit ?? 100, requester.isAdmin ? 'all' : { tenantId: requester.tenantId });
    return { total, offset, problems };
  }
}
