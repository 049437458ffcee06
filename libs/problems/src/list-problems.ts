import { Injectable } from '@nestjs/common';
import { ListProblemsQuery } from './problem-queries';
import { ProblemStore, ProblemSummary } from './problem-store';

@Injectable()
export class ListProblems {
  constructor(private readonly store: ProblemStore) {}

  async execute(query: ListProblemsQuery): Promise<{ total: number; offset: number; problems: ProblemSummary[] }> {
    const offset = query.offset ?? 0;
    const { total, problems } = await this.store.list(offset, query.limit ?? 100);
    return { total, offset, problems };
  }
}
