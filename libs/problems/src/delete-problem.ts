import { Injectable, Logger } from '@nestjs/common';
import { ProblemNotFoundError } from './problem-errors';
import { ProblemStore } from './problem-store';

/**
 * Deletes a problem with every version: it is no longer listed or judgeable. Its test data stays
 * for as long as other problems use it, and for PROBLEM_UNREFERENCED_DATA_TTL_SECONDS after that,
 * so submissions already queued are still judged.
 */
@Injectable()
export class DeleteProblem {
  private readonly logger = new Logger(DeleteProblem.name);

  constructor(private readonly store: ProblemStore) {}

  async execute(problemId: string): Promise<void> {
    if (!(await this.store.delete(problemId))) throw new ProblemNotFoundError(`problem "${problemId}" not found`);
    this.logger.log({ problemId }, 'problem deleted');
  }
}
