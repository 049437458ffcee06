import { CreateSubmissionDto, DomainError, Requester } from '@verdict/contracts';
import { LanguageCatalog } from '@verdict/languages';
import { ProblemAccess, ProblemStore, ProblemVersion } from '@verdict/problems';
import { ProblemJobPlanner } from './problem-job-planner';

const ADMIN: Requester = { tenantId: null, isAdmin: true };
const ACME: Requester = { tenantId: 'acme', isAdmin: false };
const GLOBEX: Requester = { tenantId: 'globex', isAdmin: false };

/** Problems in memory: an owner and sharing each, and their versions. */
class FakeProblemStore {
  readonly problems = new Map<string, { access: ProblemAccess; versions: ProblemVersion[] }>();
  async access(id: string): Promise<ProblemAccess | null> {
    return this.problems.get(id)?.access ?? null;
  }
  async getVersion(id: string, version?: number): Promise<ProblemVersion | null> {
    const versions = this.problems.get(id)?.versions ?? [];
    return (version === undefined ? versions.at(-1) : versions.find((v) => v.version === version)) ?? null;
  }
}

function versionOf(id: string, version: number): ProblemVersion {
  const data = { sha256: 'a'.repeat(64), bytes: 4 };
  return {
    id,
    version,
    createdAt: '2026-12-01T00:00:00.000Z',
    title: id,
    statement: '',
    tags: [],
    difficulty: null,
    kind: 'stdio',
    limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 128, outputKb: 64 },
    limitMultipliers: {},
    checker: { type: 'tokens' },
    interactor: null,
    function: null,
    tests: [{ name: '1', input: data, answer: data, sample: false, pretest: false }],
    subtasks: [{ name: 'all', points: 100, aggregation: 'sum', tests: ['1'], dependsOn: [] }],
    stopOnFirstFailure: false,
    feedback: 'tests',
    samples: [],
  };
}

describe('ProblemJobPlanner: who may submit against a problem', () => {
  const python = LanguageCatalog.load().get('python')!;
  let planner: ProblemJobPlanner;

  beforeEach(() => {
    const store = new FakeProblemStore();
    store.problems.set('acme-secret', { access: { ownerTenantId: 'acme', shared: false }, versions: [versionOf('acme-secret', 1), versionOf('acme-secret', 2)] });
    store.problems.set('acme-open', { access: { ownerTenantId: 'acme', shared: true }, versions: [versionOf('acme-open', 1)] });
    store.problems.set('admins', { access: { ownerTenantId: null, shared: false }, versions: [versionOf('admins', 1)] });
    planner = new ProblemJobPlanner(store as unknown as ProblemStore);
  });

  const request = (problemId: string, problemVersion?: number) => ({ language: 'python', source: 'print(1)', problemId, ...(problemVersion ? { problemVersion } : {}) }) as CreateSubmissionDto & { problemId: string };

  async function refusal(promise: Promise<unknown>): Promise<unknown> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof DomainError) return { kind: error.kind, problems: error.problems };
      throw error;
    }
    throw new Error('expected a refusal');
  }

  const notFound = (id: string) => ({ kind: 'invalid', problems: [{ field: 'problemId', message: `problemId: problem "${id}" not found` }] });

  it("plans against the tenant's own problem, a shared one, and for an admin any", async () => {
    expect((await planner.plan(request('acme-secret'), python, ACME)).problem).toEqual({ id: 'acme-secret', version: 2 });
    expect((await planner.plan(request('acme-open'), python, GLOBEX)).problem).toEqual({ id: 'acme-open', version: 1 });
    expect((await planner.plan(request('acme-secret', 1), python, ADMIN)).problem).toEqual({ id: 'acme-secret', version: 1 });
    expect((await planner.plan(request('admins'), python, ADMIN)).problem).toEqual({ id: 'admins', version: 1 });
  });

  it("refuses another tenant's unshared problem exactly as a missing one", async () => {
    expect(await refusal(planner.plan(request('acme-secret'), python, GLOBEX))).toEqual(notFound('acme-secret'));
    expect(await refusal(planner.plan(request('admins'), python, ACME))).toEqual(notFound('admins'));
    expect(await refusal(planner.plan(request('no-such'), python, GLOBEX))).toEqual(notFound('no-such'));
  });

  it('names no version of a problem the requester may not see', async () => {
    // Its owner learns the latest version; another tenant only that there is no such problem.
    expect(await refusal(planner.plan(request('acme-secret', 9), python, ACME))).toEqual({
      kind: 'invalid',
      problems: [{ field: 'problemVersion', message: 'problemVersion: problem "acme-secret" has no version 9 (latest: 2)' }],
    });
    expect(await refusal(planner.plan(request('acme-secret', 9), python, GLOBEX))).toEqual(notFound('acme-secret'));
    expect(await refusal(planner.plan(request('acme-secret', 1), python, GLOBEX))).toEqual(notFound('acme-secret'));
  });
});
