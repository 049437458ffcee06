import { Injectable, Logger } from '@nestjs/common';
import { Requester } from '@verdict/contracts';
import { assertCanChange } from './problem-access';
import { InvalidProblemPackageError } from './problem-errors';
import { ProblemPackagePolicy, ProblemUpload } from './problem-package-policy';
import { ProblemStore } from './problem-store';
import { ProblemView, problemViewOf } from './problem-view';
import { MANIFEST_FILE } from './problem-version';

/**
 * Adds a new immutable version to a problem; earlier versions stay judgeable as they were. Its owner
 * and admins only: another tenant's problem is not found, one merely shared with the requester is
 * forbidden. Checked before the package is read.
 */
@Injectable()
export class CreateProblemVersion {
  private readonly logger = new Logger(CreateProblemVersion.name);

  constructor(
    private readonly policy: ProblemPackagePolicy,
    private readonly store: ProblemStore,
  ) {}

  async execute(problemId: string, upload: ProblemUpload, requester: Requester): Promise<ProblemView> {
    const access = await this.store.access(problemId);
    assertCanChange(problemId, requester, access);
    const { draft, data } = this.policy.accept(await this.policy.read(upload));
    if (draft.requestedId !== null && draft.requestedId !== problemId) {
      throw new InvalidProblemPackageError({ field: 'id', message: `${MANIFEST_FILE}: id: "${draft.requestedId}" is not the problem this version is for ("${problemId}")` });
    }
    const version = await this.store.addVersion(problemId, draft, data, access.ownerTenantId);
    this.logger.log({ problemId, version: version.version, tests: version.tests.length }, 'problem version created');
    return problemViewOf(version, { latestVersion: version.version, ...access });
  }
}
