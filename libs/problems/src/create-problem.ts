import { Injectable, Logger } from '@nestjs/common';
import { Requester } from '@verdict/contracts';
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

/**
 * Creates a problem from a package: version 1, under the package's id or a generated one, owned by
 * the requester's tenant (an admin's problem has no owner) and not shared. Ids are one namespace
 * across tenants: an id taken by anyone is a conflict.
 */
@Injectable()
export class CreateProblem {
  private readonly logger = new Logger(CreateProblem.name);

  constructor(
    private readonly policy: ProblemPackagePolicy,
    private readonly store: ProblemStore,
  ) {}

  async execute(upload: ProblemUpload, requester: Requester): Promise<ProblemView> {
    const { draft, data } = this.policy.accept(await this.policy.read(upload));
    const ownerTenantId = requester.isAdmin ? null : requester.tenantId;
    const version = await this.store.create(draft.requestedId ?? generateProblemId(draft.title), draft, data, ownerTenantId);
    this.logger.log({ problemId: version.id, version: 1, tests: version.tests.length, ownerTenantId }, 'problem created');
    return problemViewOf(version, { latestVersion: 1, ownerTenantId, shared: false });
  }
}
