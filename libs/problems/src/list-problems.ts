import { Injectable } from '@nestjs/common';
import { ListProblemsQuery } from './problem-queries';
import { ProblemStore } from './problem-store';
import { ProblemList } from './problem-view';

@Injectable()
export class ListProblems {
  constructor(private readonly store: ProblemStore) {}

  async execute(query: ListProblemsQuery): Promise<ProblemList> {
    const offset = query.offset ?? 0;
    const { total, problems } = await this.store.list(offset, query.limit ?? 100);
    return { total, offset, problems };
  }
}
