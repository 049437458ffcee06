import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ProblemPackagePolicy, ProblemUpload } from './problem-package-policy';
import { ProblemStore } from './problem-store';
import { ProblemView, problemViewOf } from './problem-view';

/** A readable id from a title: `A + B` → `a-b-1f2e3d`. The suffix keeps two "A + B"s apart. */
export function generateProblemId(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 48)
    .replace(/^-+|-+$/g, '');
  return `${slug || 'problem'}-${randomBytes(3).toString('hex')}`;
}

/** Creates a problem from a package: version 1, under the package's id or a generated one. */
@Injectable()
export class CreateProblem {
  private readonly logger = new Logger(CreateProblem.name);

  constructor(
    private readonly policy: ProblemPackagePolicy,
    private readonly store: ProblemStore,
  ) {}

  async execute(upload: ProblemUpload): Promise<ProblemView> {
    const { draft, data } = this.policy.accept(await this.policy.read(upload));
    const version = await this.store.create(draft.requestedId ?? generateProblemId(draft.title), draft, data);
    this.logger.log({ problemId: version.id, version: 1, tests: version.tests.length }, 'problem created');
    return problemViewOf(version, { latestVersion: 1 });
  }
}
