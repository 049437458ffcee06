import { Injectable } from '@nestjs/common';
import { Requester } from '@verdict/contracts';
import { assertCanSee } from './problem-access';
import { ProblemNotFoundError } from './problem-errors';
import { ProblemVersionQuery } from './problem-queries';
import { ProblemStore } from './problem-store';
import { ProblemView, problemViewOf } from './problem-view';

/** A problem's public view: its latest version, or the one asked for. Another tenant's problem, unless shared, is not found. */
@Injectable()
export class GetProblem {
  constructor(private readonly store: ProblemStore) {}

  async execute(problemId: string, query: ProblemVersionQuery, requester: Requester): Promise<ProblemView> {
    const summary = await this.store.summary(problemId);
    assertCanSee(problemId, requester, summary);
    const version = await this.store.getVersion(problemId, query.version ?? summary.latestVersion);
    if (!version) throw new ProblemNotFoundError(`problem "${problemId}" has no version ${query.version} (latest: ${summary.latestVersion})`);
    return problemViewOf(version, summary);
  }
}
