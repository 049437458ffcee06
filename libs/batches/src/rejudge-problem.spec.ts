import { Logger } from '@nestjs/common';
import { DomainError, JudgeJobPayload, Requester, SubmissionSummary } from '@verdict/contracts';
import { JobQueue } from '@verdict/job-queues';
import { LanguageCatalog } from '@verdict/languages';
import { ProblemAccess, ProblemStore } from '@verdict/problems';
import { ProblemJob, ProblemJobPlanner, SubmissionStore } from '@verdict/submissions';
import { BatchStore } from './batch-store';
import { RejudgeProblem } from './rejudge-problem';

const ADMIN: Requester = { tenantId: null, isAdmin: true };
const ACME: Requester = { tenantId: 'acme', isAdmin: false };
const GLOBEX: Requester = { tenantId: 'globex', isAdmin: false };

const summary = (id: string, tenantId: string | null, overrides: Partial<SubmissionSummary> = {}): SubmissionSummary => ({
  id,
  status: 'completed',
  verdict: 'WA',
  score: 0,
  maxScore: 100,
  language: 'python',
  problem: { id: 'p', version: 1 },
  batchId: null,
  tenantId,
  judging: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  finishedAt: '2026-12-01T00:00:01.000Z',
  ...overrides,
});

const PLAN: ProblemJob = {
  job: { kind: 'stdio', tests: [], limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 128, outputKb: 64 }, checker: { type: 'tokens' }, scoring: { subtasks: [] } as never, problem: { id: 'p', version: 2 } },
  limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 128, outputKb: 64 },
  limitMultipliers: null,
  problem: { id: 'p', version: 2 },
  disclosure: { level: 'tests', publicTests: [] },
};

describe('RejudgeProblem: whose problem, whose submissions', () => {
  let access: ProblemAccess | null;
  let summaries: SubmissionSummary[];
  let rejudged: string[];
  let plannedFor: Requester[];
  let enqueued: JudgeJobPayload[];
  let batchTenants: (string | null)[];
  let rejudge: RejudgeProblem;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    access = { ownerTenantId: 'acme', shared: false };
    summaries = [
      summary('acme-1', 'acme'),
      summary('globex-1', 'globex'),
      summary('admin-1', null),
      summary('acme-2', 'acme', { verdict: 'AC' }),
      summary('acme-queued', 'acme', { status: 'queued', verdict: null }),
    ];
    rejudged = [];
    plannedFor = [];
    enqueued = [];
    batchTenants = [];
    const problems = {
      access: async () => access,
      getVersion: async () => (access ? { id: 'p', version: 2 } : null),
    };
    const planner = {
      plan: async (_dto: unknown, _language: unknown, requester: Requester) => {
        plannedFor.push(requester);
        return PLAN;
      },
    };
    const submissions = {
      idsOfProblem: async () => summaries.map((s) => s.id),
      summaries: async (ids: string[]) => ids.map((id) => summaries.find((s) => s.id === id) ?? null),
      requestOf: async () => ({ language: 'python', source: 'print(1)', pretestsOnly: false }),
      startRejudging: async (id: string) => {
        rejudged.push(id);
        return 2;
      },
      statusOf: async () => ({ traceId: '0af7651916cd43dd8448eb211c80319c' }),
    };
    const batches = { create: async (batch: { tenantId: string | null }) => void batchTenants.push(batch.tenantId) };
    const queue = {
      removeUnstarted: async () => undefined,
      enqueueMany: async (jobs: JudgeJobPayload[]) => void enqueued.push(...jobs),
    };
    rejudge = new RejudgeProblem(
      problems as unknown as ProblemStore,
      planner as unknown as ProblemJobPlanner,
      LanguageCatalog.load(),
      submissions as unknown as SubmissionStore,
      batches as unknown as BatchStore,
      queue as unknown as JobQueue<JudgeJobPayload>,
    );
  });

  async function refusal(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof DomainError) return { kind: error.kind, message: error.message };
      throw error;
    }
    throw new Error('expected a refusal');
  }

  it("takes only the owner tenant's own final submissions", async () => {
    expect(await rejudge.execute('p', {}, ACME)).toMatchObject({ status: 'queued', total: 2 });
    expect(rejudged).toEqual(['acme-1', 'acme-2']);
    expect(enqueued.map((job) => job.submissionId)).toEqual(['acme-1', 'acme-2']);
    expect(plannedFor).toEqual([ACME, ACME]);
    // The rejudge's batch is the tenant's, to follow with GET /v1/batches/:id.
    expect(batchTenants).toEqual(['acme']);
  });

  it("takes everyone's for an admin", async () => {
    expect(await rejudge.execute('p', { verdicts: ['WA'] }, ADMIN)).toMatchObject({ total: 3 });
    expect(rejudged).toEqual(['acme-1', 'globex-1', 'admin-1']);
    expect(batchTenants).toEqual([null]);
  });

  it("answers another tenant's unshared problem as a missing one, and rejudges nothing", async () => {
    expect(await refusal(rejudge.execute('p', {}, GLOBEX))).toEqual({ kind: 'not-found', message: 'problem "p" not found' });
    access = null;
    expect(await refusal(rejudge.execute('p', {}, GLOBEX))).toEqual({ kind: 'not-found', message: 'problem "p" not found' });
    expect(rejudged).toEqual([]);
  });

  it('forbids a tenant a problem merely shared with it', async () => {
    access = { ownerTenantId: 'acme', shared: true };
    expect(await refusal(rejudge.execute('p', {}, GLOBEX))).toEqual({ kind: 'forbidden', message: 'problem "p" is shared read-only: only its owner or an admin may change it' });
    expect(rejudged).toEqual([]);
  });

  it("lets no tenant rejudge an admin's problem, and lets an admin", async () => {
    access = { ownerTenantId: null, shared: true };
    expect((await refusal(rejudge.execute('p', {}, ACME))).kind).toBe('forbidden');
    expect(await rejudge.execute('p', {}, ADMIN)).toMatchObject({ total: 4 });
  });
});
