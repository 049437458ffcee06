import { Injectable, Logger } from '@nestjs/common';
import { InvalidProblemPackageError } from './problem-errors';
import { ProblemPackagePolicy, ProblemUpload } from './problem-package-policy';
import { ProblemStore } from './problem-store';
import { ProblemView, problemViewOf } from './problem-view';
import { MANIFEST_FILE } from './problem-version';

/** Adds a new immutable version to a problem; earlier versions stay judgeable as they were. */
@Injectable()
export class CreateProblemVersion {
  private readonly logger = new Logger(CreateProblemVersion.name);

  constructor(
    private readonly policy: ProblemPackagePolicy,
    private readonly store: ProblemStore,
  ) {}

  async execute(problemId: string, upload: ProblemUpload): Promise<ProblemView> {
    const { draft, data } = this.policy.accept(await this.policy.read(upload));
    if (draft.requestedId !== null && draft.requestedId !== problemId) {
      throw new InvalidProblemPackageError({ field: 'id', message: `${MANIFEST_FILE}: id: "${draft.requestedId}" is not the problem this version is for ("${problemId}")` });
    }
    const version = await this.store.addVersion(problemId, draft, data);
    this.logger.log({ problemId, version: version.version, tests: version.tests.length }, 'problem version created');
    return problemViewOf(version, { latestVersion: version.version });
  }
}
