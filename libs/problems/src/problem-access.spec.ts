import { Logger } from '@nestjs/common';
import { DomainError, Requester } from '@verdict/contracts';
import { LanguageCatalog } from '@verdict/languages';
import { CreateProblem } from './create-problem';
import { CreateProblemVersion } from './create-problem-version';
import { DeleteProblem } from './delete-problem';
import { GetProblem } from './get-problem';
import { GetProblemTemplate } from './get-problem-template';
import { ListProblems } from './list-problems';
import { ProblemAccess, canChangeProblem, canSeeProblem, maySeeFullFeedback } from './problem-access';
import { ProblemPackagePolicy } from './problem-package-policy';
import { ProblemListScope, ProblemStore, ProblemSummary } from './problem-store';
import { ProblemDraft, ProblemVersion } from './problem-version';
import { SetProblemSharing } from './set-problem-sharing';

const ADMIN: Requester = { tenantId: null, isAdmin: true };
const ACME: Requester = { tenantId: 'acme', isAdmin: false };
const GLOBEX: Requester = { tenantId: 'globex', isAdmin: false };

const acmes: ProblemAccess = { ownerTenantId: 'acme', shared: false };
const acmesShared: ProblemAccess = { ownerTenantId: 'acme', shared: true };
const adminsOwn: ProblemAccess = { ownerTenantId: null, shared: false };

describe('problem access rules', () => {
  it.each([
    ['its owner', ACME, acmes, true, true, true],
    ['another tenant', GLOBEX, acmes, false, false, false],
    ['another tenant, the problem shared', GLOBEX, acmesShared, true, false, false],
    ['its owner, the problem shared', ACME, acmesShared, true, true, true],
    ['an admin', ADMIN, acmes, true, true, true],
    ["a tenant, an admin's problem", ACME, adminsOwn, false, false, false],
    ["a tenant, an admin's problem shared", ACME, { ownerTenantId: null, shared: true }, true, false, false],
    ["an admin, an admin's problem", ADMIN, adminsOwn, true, true, true],
  ])('%s', (_who, requester, access, sees, changes, full) => {
    expect({ sees: canSeeProblem(requester, access), changes: canChangeProblem(requester, access), full: maySeeFullFeedback(requester, access) }).toEqual({ sees, changes, full });
  });

  it('gives full feedback on a problem that no longer exists to admins only', () => {
    expect(maySeeFullFeedback(ADMIN, null)).toBe(true);
    expect(maySeeFullFeedback(ACME, null)).toBe(false);
  });

  it('never lets a tenant-less requester that is not an admin own anything', () => {
    expect(canChangeProblem({ tenantId: null, isAdmin: false }, adminsOwn)).toBe(false);
  });
});

/** ProblemStore in memory: what its scripts do, without Redis. */
class FakeProblemStore {
  readonly problems = new Map<string, { summary: ProblemSummary; versions: ProblemVersion[] }>();
  listedWith: ProblemListScope | null = null;

  add(id: string, access: ProblemAccess, kind: ProblemVersion['kind'] = 'stdio'): void {
    const version = versionOf(id, 1, kind);
    this.problems.set(id, { summary: { id, title: id, tags: [], difficulty: null, latestVersion: 1, createdAt: version.createdAt, updatedAt: version.createdAt, ...access }, versions: [version] });
  }

  async access(id: string): Promise<ProblemAccess | null> {
    const problem = this.problems.get(id);
    return problem ? { ownerTenantId: problem.summary.ownerTenantId, shared: problem.summary.shared } : null;
  }
  async summary(id: string): Promise<ProblemSummary | null> {
    return this.problems.get(id)?.summary ?? null;
  }
  async getVersion(id: string, n?: number): Promise<ProblemVersion | null> {
    const problem = this.problems.get(id);
    return problem?.versions.find((v) => v.version === (n ?? problem.summary.latestVersion)) ?? null;
  }
  async list(offset: number, limit: number, scope: ProblemListScope) {
    this.listedWith = scope;
    const all = [...this.problems.values()].map((p) => p.summary);
    const visible = scope === 'all' ? all : all.filter((s) => s.shared || (scope.tenantId !== null && s.ownerTenantId === scope.tenantId));
    return { total: visible.length, problems: visible.slice(offset, offset + limit) };
  }
  async create(id: string, draft: ProblemDraft, _data: unknown, ownerTenantId: string | null): Promise<ProblemVersion> {
    this.add(id, { ownerTenantId, shared: false });
    return versionOf(id, 1, draft.kind);
  }
  async addVersion(id: string, draft: ProblemDraft, _data: unknown, ownerTenantId: string | null): Promise<ProblemVersion> {
    const problem = this.problems.get(id);
    if (!problem || problem.summary.ownerTenantId !== ownerTenantId) throw new Error(`addVersion(${id}) of a problem not checked`);
    const version = versionOf(id, ++problem.summary.latestVersion, draft.kind);
    problem.versions.push(version);
    return version;
  }
  async delete(id: string, ownerTenantId: string | null): Promise<boolean> {
    if (this.problems.get(id)?.summary.ownerTenantId !== ownerTenantId) return false;
    return this.problems.delete(id);
  }
  async setShared(id: string, shared: boolean): Promise<boolean> {
    const problem = this.problems.get(id);
    if (problem) problem.summary.shared = shared;
    return !!problem;
  }
}

function versionOf(id: string, version: number, kind: ProblemVersion['kind'] = 'stdio'): ProblemVersion {
  return {
    id,
    version,
    createdAt: '2026-12-01T00:00:00.000Z',
    title: id,
    statement: '',
    tags: [],
    difficulty: null,
    kind,
    limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 128, outputKb: 64 },
    limitMultipliers: {},
    checker: { type: 'tokens' },
    interactor: null,
    function: kind === 'function' ? { functionName: 'twice', parameters: [{ name: 'n', type: 'int' }], returnType: 'int' } : null,
    tests: [],
    subtasks: [],
    stopOnFirstFailure: false,
    feedback: 'tests',
    samples: [],
  };
}

/** Reads any upload as a draft asking for `requestedId`. */
function policyGiving(requestedId: string | null): ProblemPackagePolicy {
  const { id: _id, version: _version, createdAt: _createdAt, ...rest } = versionOf('x', 1);
  const draft: ProblemDraft = { requestedId, ...rest };
  return { read: async () => ({}), accept: () => ({ draft, data: new Map() }) } as unknown as ProblemPackagePolicy;
}

/** The refusal a promise ends in, as kind and message. */
async function refusal(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

const NOT_FOUND = (id: string) => ({ kind: 'not-found', message: `problem "${id}" not found` });
const READ_ONLY = (id: string) => ({ kind: 'forbidden', message: `problem "${id}" is shared read-only: only its owner or an admin may change it` });

describe('problem use cases, for tenants and admins', () => {
  let store: FakeProblemStore;
  const upload = { json: {} };

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    store = new FakeProblemStore();
    store.add('acme-secret', acmes);
    store.add('acme-open', acmesShared);
    store.add('globex-own', { ownerTenantId: 'globex', shared: false });
    store.add('admins', adminsOwn);
    store.add('fn', acmes, 'function');
  });
  const asStore = () => store as unknown as ProblemStore;

  describe('CreateProblem', () => {
    it("makes the problem the requester's tenant's, not shared; an admin's has no owner", async () => {
      const create = new CreateProblem(policyGiving('new-one'), asStore());
      expect(await create.execute(upload, ACME)).toMatchObject({ id: 'new-one', ownerTenantId: 'acme', shared: false });
      expect(await store.access('new-one')).toEqual({ ownerTenantId: 'acme', shared: false });
      const admins = new CreateProblem(policyGiving('by-admin'), asStore());
      expect(await admins.execute(upload, ADMIN)).toMatchObject({ id: 'by-admin', ownerTenantId: null, shared: false });
    });
  });

  describe('GetProblem', () => {
    const get = () => new GetProblem(asStore());

    it("shows a tenant its own problems and shared ones, with owner and sharing", async () => {
      expect(await get().execute('acme-secret', {}, ACME)).toMatchObject({ id: 'acme-secret', ownerTenantId: 'acme', shared: false });
      expect(await get().execute('acme-open', {}, GLOBEX)).toMatchObject({ id: 'acme-open', ownerTenantId: 'acme', shared: true });
    });

    it("answers another tenant's unshared problem exactly as a missing one, whatever version is asked", async () => {
      expect(await refusal(get().execute('acme-secret', {}, GLOBEX))).toEqual(NOT_FOUND('acme-secret'));
      expect(await refusal(get().execute('acme-secret', { version: 7 }, GLOBEX))).toEqual(NOT_FOUND('acme-secret'));
      expect(await refusal(get().execute('admins', {}, ACME))).toEqual(NOT_FOUND('admins'));
      expect(await refusal(get().execute('no-such', {}, GLOBEX))).toEqual(NOT_FOUND('no-such'));
    });

    it('shows an admin every problem', async () => {
      for (const id of ['acme-secret', 'globex-own', 'admins']) expect(await get().execute(id, {}, ADMIN)).toMatchObject({ id });
    });

    it("tells a requester who may see the problem which versions it has", async () => {
      expect(await refusal(get().execute('acme-secret', { version: 7 }, ACME))).toEqual({ kind: 'not-found', message: 'problem "acme-secret" has no version 7 (latest: 1)' });
    });
  });

  describe('GetProblemTemplate', () => {
    const template = () => new GetProblemTemplate(asStore(), LanguageCatalog.load());

    it("is served to who may see the problem, and another tenant's problem is not found", async () => {
      expect(await template().execute('fn', { language: 'python' }, ACME)).toMatchObject({ problemId: 'fn', language: 'python' });
      expect(await refusal(template().execute('fn', { language: 'python' }, GLOBEX))).toEqual(NOT_FOUND('fn'));
      // Not even whether it is a function problem leaks.
      expect(await refusal(template().execute('acme-secret', { language: 'python' }, GLOBEX))).toEqual(NOT_FOUND('acme-secret'));
    });
  });

  describe('ListProblems', () => {
    const list = () => new ListProblems(asStore());

    it("lists a tenant's own problems and the shared ones", async () => {
      expect((await list().execute({}, GLOBEX)).problems.map((p) => p.id)).toEqual(['acme-open', 'globex-own']);
      expect(store.listedWith).toEqual({ tenantId: 'globex' });
      expect((await list().execute({}, ACME)).problems.map((p) => p.id)).toEqual(['acme-secret', 'acme-open', 'fn']);
    });

    it('lists every problem for an admin', async () => {
      expect(await list().execute({}, ADMIN)).toMatchObject({ total: 5, offset: 0 });
      expect(store.listedWith).toBe('all');
    });
  });

  describe('changes: CreateProblemVersion and DeleteProblem', () => {
    const addVersion = (requestedId: string | null = null) => new CreateProblemVersion(policyGiving(requestedId), asStore());
    const remove = () => new DeleteProblem(asStore());

    it('are for the owner', async () => {
      expect(await addVersion().execute('acme-open', upload, ACME)).toMatchObject({ version: 2, latestVersion: 2, ownerTenantId: 'acme', shared: true });
      await remove().execute('acme-secret', ACME);
      expect(await store.access('acme-secret')).toBeNull();
    });

    it("are for admins, on anyone's problem; the owner stays", async () => {
      expect(await addVersion().execute('acme-secret', upload, ADMIN)).toMatchObject({ version: 2, ownerTenantId: 'acme', shared: false });
      await remove().execute('globex-own', ADMIN);
      expect(await store.access('globex-own')).toBeNull();
    });

    it("answer another tenant's unshared problem as a missing one", async () => {
      expect(await refusal(addVersion().execute('acme-secret', upload, GLOBEX))).toEqual(NOT_FOUND('acme-secret'));
      expect(await refusal(remove().execute('acme-secret', GLOBEX))).toEqual(NOT_FOUND('acme-secret'));
      expect(await refusal(remove().execute('admins', ACME))).toEqual(NOT_FOUND('admins'));
      expect(await refusal(remove().execute('no-such', ACME))).toEqual(NOT_FOUND('no-such'));
      expect(store.problems.get('acme-secret')!.summary.latestVersion).toBe(1);
    });

    it('forbid a tenant to change a problem shared with it that it does not own', async () => {
      expect(await refusal(addVersion().execute('acme-open', upload, GLOBEX))).toEqual(READ_ONLY('acme-open'));
      expect(await refusal(remove().execute('acme-open', GLOBEX))).toEqual(READ_ONLY('acme-open'));
      expect(await store.access('acme-open')).toEqual(acmesShared);
      expect(store.problems.get('acme-open')!.summary.latestVersion).toBe(1);
    });

    it('check access before the package: a refused requester learns nothing of what it sent', async () => {
      const policy = policyGiving('another-id');
      const read = jest.spyOn(policy, 'read');
      expect(await refusal(new CreateProblemVersion(policy, asStore()).execute('acme-secret', upload, GLOBEX))).toEqual(NOT_FOUND('acme-secret'));
      expect(read).not.toHaveBeenCalled();
    });
  });

  describe('SetProblemSharing', () => {
    const sharing = () => new SetProblemSharing(asStore());

    it('shares and unshares for an admin, answering the view', async () => {
      expect(await sharing().execute('acme-secret', { shared: true }, ADMIN)).toMatchObject({ id: 'acme-secret', ownerTenantId: 'acme', shared: true });
      expect(await new GetProblem(asStore()).execute('acme-secret', {}, GLOBEX)).toMatchObject({ shared: true });
      expect(await sharing().execute('acme-secret', { shared: false }, ADMIN)).toMatchObject({ shared: false });
      expect(await refusal(new GetProblem(asStore()).execute('acme-secret', {}, GLOBEX))).toEqual(NOT_FOUND('acme-secret'));
    });

    it('is for admins only, even for the owner', async () => {
      expect(await refusal(sharing().execute('acme-secret', { shared: true }, ACME))).toEqual({ kind: 'forbidden', message: 'only an admin may share problem "acme-secret" or stop sharing it' });
      expect(await store.access('acme-secret')).toEqual(acmes);
    });

    it('answers a missing problem as not found', async () => {
      expect(await refusal(sharing().execute('no-such', { shared: true }, ADMIN))).toEqual(NOT_FOUND('no-such'));
    });
  });
});
