import { Injectable } from '@nestjs/common';
import { ProblemNotFoundError } from './problem-errors';
import { ProblemVersionQuery } from './problem-queries';
import { ProblemStore } from './problem-store';
import { ProblemView, problemViewOf } from './problem-view';

/** A problem's public view: its latest version, or the one asked for. */
@Injectable()
export class GetProblem {
  constructor(private readonly store: ProblemStore) {}

  async execute(problemId: string, query: ProblemVersionQuery): Promise<ProblemView> {
    const summary = await this.store.summary(problemId);
    if (!summary) throw new ProblemNotFoundError(`problem "${problemId}" not found`);
    const version = await this.store.getVersion(problemId, query.version ?? summary.latestVersion);
    if (!version) throw new ProblemNotFoundError(`problem "${problemId}" has no version ${query.version} (latest: ${summary.latestVersion})`);
    return problemViewOf(version, summary);
  }
}
