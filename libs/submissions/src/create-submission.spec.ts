import { Logger } from '@nestjs/common';
import { JudgeQueueConfig, SubmissionPolicyConfig, TenantQuotasConfig, WebhookSigningConfig, loadConfig } from '@verdict/config';
import { CreateSubmissionDto, JudgeJobPayload, QuotaOverridesDto, Requester, SUBMISSION_ID_PATTERN, quotaOverridesView } from '@verdict/contracts';
import { BacklogBound, BacklogBoundError, FairBacklog, JUDGE_QUEUE, readPayload } from '@verdict/job-queues';
import { LanguageCatalog } from '@verdict/languages';
import { MetricsRegistry, SubmissionMetrics } from '@verdict/metrics';
import { ProblemAccess, ProblemStore, ProblemVersion } from '@verdict/problems';
import { TenantQuotas, TenantStore } from '@verdict/tenants';
import { Exposition } from '../../metrics/src/exposition.spec-support';
import { CreateSubmission, IdempotencyKeyReusedError } from './create-submission';
import { ProblemJobPlanner } from './problem-job-planner';
import { JudgeAdmission, JudgeBacklogFullError } from './judge-admission';
import { LaneNotAllowedError } from './lane-access';
import { SubmissionPlanner } from './submission-planner';
import { SubmissionPolicy, SubmissionRejectedError } from './submission-policy';
import { IdempotencyClaim, NewSubmission, SubmissionStatusSummary } from './submission-store';

/**
 * CreateSubmission with its store, queue and problem store in memory; the policy, the language
 * catalog and the problem planner are the real ones.
 */

type Deps = ConstructorParameters<typeof CreateSubmission>;

/** One log of what reached the store and the queue, in order. */
type Step = ['stored', string] | ['enqueued', string] | ['discarded', string];

/** Records by id, idempotency keys: what SubmissionStore keeps in Redis. */
class FakeStore {
  readonly records = new Map<string, NewSubmission>();
  readonly keys = new Map<string, { id: string; fingerprint: string }>();
  constructor(private readonly log: Step[]) {}

  async create(submission: NewSubmission, claim?: IdempotencyClaim): Promise<{ id: string; created: boolean; sameRequest: boolean }> {
    if (claim) {
      const existing = this.keys.get(claim.key);
      if (existing) return { id: existing.id, created: false, sameRequest: existing.fingerprint === claim.fingerprint };
      this.keys.set(claim.key, { id: submission.id, fingerprint: claim.fingerprint });
    }
    this.records.set(submission.id, submission);
    this.log.push(['stored', submission.id]);
    return { id: submission.id, created: true, sameRequest: true };
  }

  async discard({ id }: NewSubmission, idempotencyKey?: string): Promise<void> {
    this.records.delete(id);
    if (idempotencyKey) this.keys.delete(idempotencyKey);
    this.log.push(['discarded', id]);
  }

  async statusOf(id: string): Promise<SubmissionStatusSummary | null> {
    const record = this.records.get(id);
    return record ? { status: 'queued', attempt: null, verdict: null, traceId: record.traceId, judging: 1, batchId: null, tenantId: record.tenantId, language: record.language } : null;
  }
}

/** The judge queue; like the worker, it reads each job against the payload contract (JobQueue itself does not check). */
class FakeQueue {
  readonly jobs: JudgeJobPayload[] = [];
  failure: Error | null = null;
  /** What waits its turn, as the fair queue would count it. */
  waiting: FairBacklog = { group: 0, total: 0, drainedPerSecond: 0 };
  constructor(private readonly log: Step[]) {}

  async backlog(): Promise<FairBacklog> {
    return this.waiting;
  }

  /** Refuses past a bound as the fair queue's staging script does (fair-dispatcher.spec.ts checks that one against Redis). */
  async enqueue(payload: JudgeJobPayload, { bound }: { bound?: BacklogBound } = {}): Promise<void> {
    if (this.failure) throw this.failure;
    if (bound && this.waiting.group + 1 > bound.groupMost) throw new BacklogBoundError('group', this.waiting, 1);
    if (bound && this.waiting.total + 1 > bound.totalMost) throw new BacklogBoundError('total', this.waiting, 1);
    const read = readPayload(JUDGE_QUEUE, JSON.parse(JSON.stringify(payload)));
    if ('problems' in read) throw new Error(`CreateSubmission built a judge job the worker would refuse: ${read.problems.join('; ')}`);
    this.jobs.push(payload);
    this.log.push(['enqueued', payload.submissionId]);
  }
}

class FakeProblemStore {
  readonly versions: ProblemVersion[] = [];

  /** Every problem here is ACME's, unshared. */
  async access(id: string): Promise<ProblemAccess | null> {
    return this.versions.some((v) => v.id === id) ? { ownerTenantId: 'acme', shared: false } : null;
  }

  async getVersion(id: string, version?: number): Promise<ProblemVersion | null> {
    const mine = this.versions.filter((v) => v.id === id);
    if (version === undefined) return mine.sort((a, b) => b.version - a.version)[0] ?? null;
    return mine.find((v) => v.version === version) ?? null;
  }
}

/** Tenants' quota overrides, as TenantStore keeps them; a tenant not here is on the defaults. */
class FakeTenantStore {
  readonly overrides = new Map<string, QuotaOverridesDto>();

  async quotaOverridesOf(id: string) {
    return quotaOverridesView(this.overrides.get(id));
  }
}

/** The tenant whose key submits, in most cases here. */
const ACME: Requester = { tenantId: 'acme', isAdmin: false };
const OTHER: Requester = { tenantId: 'other', isAdmin: false };

const stored = (n: number) => ({ sha256: String(n).repeat(64).slice(0, 64), bytes: 4 });

/** A problem: a sample (pretest) and two hidden tests; "large" depends on "small" but comes first in the package. */
function aPlusB(version = 1, overrides: Partial<ProblemVersion> = {}): ProblemVersion {
  return {
    id: 'a-plus-b',
    version,
    createdAt: '2026-12-01T00:00:00.000Z',
    title: 'A + B',
    statement: '',
    tags: [],
    difficulty: null,
    kind: 'stdio',
    limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 128, outputKb: 64 },
    limitMultipliers: { java: { cpuTime: 2, memory: 1.5 } },
    checker: { type: 'exact' },
    interactor: null,
    function: null,
    tests: [
      { name: 'big', input: stored(1), answer: stored(2), sample: false, pretest: false },
      { name: 'sample', input: stored(3), answer: stored(4), sample: true, pretest: true },
      { name: 'small', input: stored(5), answer: stored(6), sample: false, pretest: false },
    ],
    subtasks: [
      { name: 'large', points: 60, aggregation: 'min', tests: ['big'], dependsOn: ['small'] },
      { name: 'small', points: 40, aggregation: 'sum', tests: ['sample', 'small'], dependsOn: [] },
    ],
    stopOnFirstFailure: true,
    feedback: 'summary',
    samples: [],
    ...overrides,
  };
}

const inline = (overrides: Partial<CreateSubmissionDto> = {}): CreateSubmissionDto =>
  ({
    language: 'python',
    source: 'print(sum(map(int, input().split())))',
    tests: [
      { input: '1 2\n', expectedOutput: '3\n' },
      { input: '5 5\n', expectedOutput: '10\n' },
    ],
    ...overrides,
  }) as CreateSubmissionDto;

describe('CreateSubmission', () => {
  let log: Step[];
  let store: FakeStore;
  let queue: FakeQueue;
  let problems: FakeProblemStore;
  let create: CreateSubmission;
  let tenants: FakeTenantStore;
  let metrics: MetricsRegistry;
  const scrape = async () => new Exposition((await metrics.exposition()).text);

  function setUp(env: Record<string, string> = {}): void {
    log = [];
    store = new FakeStore(log);
    queue = new FakeQueue(log);
    problems = new FakeProblemStore();
    tenants = new FakeTenantStore();
    const quotas = new TenantQuotas(tenants as unknown as TenantStore, loadConfig(TenantQuotasConfig, { TENANT_QUOTA_CACHE_SECONDS: '0', ...env }), () => new Date());
    const languages = LanguageCatalog.load();
    const policy = new SubmissionPolicy(loadConfig(SubmissionPolicyConfig, env), languages);
    const planner = new ProblemJobPlanner(problems as unknown as ProblemStore);
    const submissionPlanner = new SubmissionPlanner(policy, languages, planner, loadConfig(WebhookSigningConfig, env), quotas);
    metrics = new MetricsRegistry('api');
    const admission = new JudgeAdmission(queue as unknown as ConstructorParameters<typeof JudgeAdmission>[0], quotas, loadConfig(JudgeQueueConfig, env), metrics.group(SubmissionMetrics));
    create = new CreateSubmission(submissionPlanner, store as unknown as Deps[1], admission);
  }

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    setUp();
  });
  afterEach(() => jest.restoreAllMocks());

  describe('with inline tests', () => {
    it('stores the submission as queued, then enqueues its job: a new id, one trace id for both', async () => {
      const accepted = await create.execute(inline(), ACME);

      expect(accepted.status).toBe('queued');
      expect(accepted.id).toMatch(SUBMISSION_ID_PATTERN);
      expect(accepted.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(log).toEqual([['stored', accepted.id], ['enqueued', accepted.id]]);
      const [job] = queue.jobs;
      expect(job.submissionId).toBe(accepted.id);
      expect(job.traceparent.split('-')[1]).toBe(accepted.traceId);
      expect(store.records.get(accepted.id)).toMatchObject({ id: accepted.id, tenantId: 'acme', language: 'python', traceId: accepted.traceId, testCount: 2, problem: null, disclosure: null, limitMultipliers: null });
      expect((await scrape()).matching('verdict_submissions_accepted_total')).toEqual([{ name: 'verdict_submissions_accepted_total', labels: { lane: 'live' }, value: 1 }]);
    });

    it('puts everything the worker needs in the job: source, tests in order, default limits, checker and scoring', async () => {
      await create.execute(inline(), ACME);
      expect(queue.jobs[0]).toMatchObject({
        language: 'python',
        source: 'print(sum(map(int, input().split())))',
        kind: 'stdio',
        tests: [
          { index: 0, name: '1', input: { text: '1 2\n' }, answer: { text: '3\n' } },
          { index: 1, name: '2', input: { text: '5 5\n' }, answer: { text: '10\n' } },
        ],
        limits: { cpuTimeMs: 2000, wallTimeMs: 5000, memoryMb: 256, outputKb: 1024 },
        checker: { type: 'tokens' },
        scoring: { subtasks: [{ name: 'all', points: 100, aggregation: 'sum', tests: [0, 1], dependsOn: [] }], stopOnFirstFailure: false },
      });
      expect(queue.jobs[0].problem).toBeUndefined();
    });

    it("resolves the limits asked for, adjusted for the language's runtime, and stores the same limits it enqueues", async () => {
      const accepted = await create.execute(inline({ language: 'java', limits: { cpuTimeMs: 1500, memoryMb: 128 }, checker: { type: 'float', absError: 1e-6 } }), ACME);
      // Java's extra 64 MB for the JVM; the wall and output limits default.
      const limits = { cpuTimeMs: 1500, wallTimeMs: 5000, memoryMb: 128 + 64, outputKb: 1024 };
      expect(queue.jobs[0]).toMatchObject({ limits, checker: { type: 'float', absError: 1e-6 } });
      expect(store.records.get(accepted.id)).toMatchObject({ limits, request: expect.objectContaining({ language: 'java', limits, checker: { type: 'float', absError: 1e-6 } }) });
    });

    it.each<[string, Partial<CreateSubmissionDto>, RegExp[]]>([
      ['an unknown language', { language: 'cobol' }, [/^language "cobol" is not supported; supported: python, cpp, /]],
      ['limits out of bounds, every one named', { limits: { cpuTimeMs: 20000, wallTimeMs: 25000, memoryMb: 8 } }, [/^limits\.cpuTimeMs must be between 1 and 15000 \(got 20000\)$/, /^limits\.memoryMb must be between 16 and 2048 \(got 8\)$/]],
      ['a wall limit below the CPU limit', { limits: { cpuTimeMs: 3000, wallTimeMs: 2000 } }, [/^limits\.wallTimeMs \(2000\) must be at least limits\.cpuTimeMs \(3000\)$/]],
    ])('rejects %s: nothing stored, nothing enqueued', async (_what, overrides, expected) => {
      const rejection = create.execute(inline(overrides), ACME);
      await expect(rejection).rejects.toThrow(SubmissionRejectedError);
      const error = (await rejection.catch((e: SubmissionRejectedError) => e)) as SubmissionRejectedError;
      expect(error.kind).toBe('invalid');
      expect(error.problems).toHaveLength(expected.length);
      expected.forEach((pattern, i) => expect(error.problems[i].message).toMatch(pattern));
      expect(log).toEqual([]);
    });

    it('rejects more tests than MAX_TESTS allows', async () => {
      setUp({ MAX_TESTS: '1' });
      await expect(create.execute(inline(), ACME)).rejects.toThrow('tests must contain at most 1 tests (got 2)');
      expect(log).toEqual([]);
    });
  });

  describe('callbackUrl', () => {
    const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

    it('is stored with the submission, for the webhook of its result', async () => {
      setUp({ WEBHOOK_SECRET: SECRET });
      const accepted = await create.execute(inline({ callbackUrl: 'https://grader.example/verdicts' }), ACME);
      expect(store.records.get(accepted.id)).toMatchObject({ callbackUrl: 'https://grader.example/verdicts' });
      expect((await create.execute(inline(), ACME)).id).not.toBe(accepted.id);
      expect([...store.records.values()].map((r) => r.callbackUrl)).toEqual(['https://grader.example/verdicts', null]);
    });

    it("is accepted from a tenant's key without WEBHOOK_SECRET (its own secrets sign), refused from an admin's, nothing stored", async () => {
      await create.execute(inline({ callbackUrl: 'https://grader.example/verdicts' }), ACME);
      await expect(create.execute(inline({ callbackUrl: 'https://grader.example/verdicts' }), { tenantId: null, isAdmin: true })).rejects.toThrow(
        /^callbackUrl: an admin key's work is signed with WEBHOOK_SECRET, which is not set/,
      );
      expect(store.records.size).toBe(1);
    });
  });

  describe("the key's lanes", () => {
    const PRACTICE_ONLY: Requester = { tenantId: 'acme', isAdmin: false, lanes: ['practice'] };

    it('refuses the default lane (live) to a key without it, naming the field, the default and the lanes it may use; nothing stored or queued', async () => {
      const refusal = await create.execute(inline(), PRACTICE_ONLY).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(LaneNotAllowedError);
      expect(refusal).toMatchObject({ kind: 'forbidden', problems: [{ field: 'lane' }] });
      expect((refusal as LaneNotAllowedError).problems[0].message).toBe(
        "this API key may not use lane live (a submission's default when lane is not set: set lane to one the key may use); it may use practice",
      );
      expect(log).toEqual([]);
    });

    it('refuses a lane named that the key does not allow, and accepts one it does, in that lane', async () => {
      await expect(create.execute(inline({ lane: 'contest' }), { ...PRACTICE_ONLY, lanes: ['live', 'practice'] })).rejects.toThrow(
        'this API key may not use lane contest; it may use live, practice',
      );
      expect(log).toEqual([]);
      await create.execute(inline({ lane: 'practice' }), PRACTICE_ONLY);
      expect(queue.jobs.map((job) => job.lane)).toEqual(['practice']);
    });

    it('lets a requester without lanes (keys made before lanes) and an admin use every lane', async () => {
      await create.execute(inline(), ACME);
      await create.execute(inline({ lane: 'contest' }), { tenantId: null, isAdmin: true, lanes: ['practice'] });
      expect(queue.jobs.map((job) => job.lane)).toEqual(['live', 'contest']);
    });
  });

  describe('idempotency', () => {
    it('a retried request with the same key gets the first submission back: stored and judged once', async () => {
      const first = await create.execute(inline(), ACME, 'key-1');
      const retry = await create.execute(inline(), ACME, 'key-1');
      expect(retry).toEqual(first);
      expect(queue.jobs).toHaveLength(1);
      expect(store.records.size).toBe(1);
    });

    it("is scoped to the tenant: another tenant's same key is a submission of its own", async () => {
      const mine = await create.execute(inline(), ACME, 'key-1');
      const theirs = await create.execute(inline(), OTHER, 'key-1');
      expect(theirs.id).not.toBe(mine.id);
      expect([...store.records.values()].map((r) => r.tenantId)).toEqual(['acme', 'other']);
    });

    it('refuses the same key with a different request (422), storing nothing more', async () => {
      await create.execute(inline(), ACME, 'key-1');
      const reuse = create.execute(inline({ source: 'print(0)' }), ACME, 'key-1');
      await expect(reuse).rejects.toThrow(IdempotencyKeyReusedError);
      await expect(reuse).rejects.toMatchObject({ kind: 'unprocessable', problems: [{ field: 'idempotency-key', message: expect.stringMatching(/^Idempotency-Key "key-1" was already used for a different request/) }] });
      expect(store.records.size).toBe(1);
      expect(queue.jobs).toHaveLength(1);
    });

    it('different keys (or none) are different submissions', async () => {
      const a = await create.execute(inline(), ACME, 'key-1');
      const b = await create.execute(inline(), ACME, 'key-2');
      const c = await create.execute(inline(), ACME);
      expect(new Set([a.id, b.id, c.id]).size).toBe(3);
      expect(queue.jobs.map((j) => j.submissionId)).toEqual([a.id, b.id, c.id]);
    });
  });

  describe('when the backlog is full', () => {
    it("refuses past the tenant's maxQueued with a Retry-After from the drain rate, and keeps nothing", async () => {
      setUp({ TENANT_DEFAULT_MAX_QUEUED: '10' });
      queue.waiting = { group: 10, total: 10, drainedPerSecond: 0.5 };
      const refusal = await create.execute(inline(), ACME, 'key-1').catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(JudgeBacklogFullError);
      expect(refusal).toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 2 });
      expect((refusal as Error).message).toMatch(/tenant acme has 10 submissions waiting and may have at most 10 \(its maxQueued quota\)/);
      expect(store.records.size).toBe(0);
      expect(queue.jobs).toEqual([]);
      const exposition = await scrape();
      expect(exposition.value('verdict_admission_refusals_total', { tenant: 'acme', bound: 'group' })).toBe(1);
      expect(exposition.value('verdict_submissions_accepted_total')).toBe(0);
    });

    it('refuses past JUDGE_BACKLOG_LIMIT, all tenants together, with the configured maximum when nothing drains', async () => {
      setUp({ JUDGE_BACKLOG_LIMIT: '100', ADMISSION_RETRY_AFTER_MAX_SECONDS: '45' });
      queue.waiting = { group: 0, total: 100, drainedPerSecond: 0 };
      await expect(create.execute(inline(), OTHER)).rejects.toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 45, message: expect.stringMatching(/JUDGE_BACKLOG_LIMIT/) });
      queue.waiting = { group: 0, total: 99, drainedPerSecond: 0 };
      await expect(create.execute(inline(), OTHER)).resolves.toMatchObject({ status: 'queued' });
      const exposition = await scrape();
      expect(exposition.value('verdict_admission_refusals_total', { bound: 'total' })).toBe(1);
      expect(exposition.value('verdict_submissions_accepted_total', { lane: 'live' })).toBe(1);
    });

    it('answers a retry of an accepted request with its submission, full or not', async () => {
      const first = await create.execute(inline(), ACME, 'key-1');
      queue.waiting = { group: 1_000_000, total: 1_000_000, drainedPerSecond: 0 };
      await expect(create.execute(inline(), ACME, 'key-1')).resolves.toMatchObject({ id: first.id });
      // Accepted once, whatever number of times it was sent.
      expect((await scrape()).value('verdict_submissions_accepted_total')).toBe(1);
    });
  });

  describe('when the job cannot be enqueued', () => {
    it('surfaces the error and undoes the stored record, so a retry with the same key starts afresh', async () => {
      queue.failure = new Error('Connection is closed.');
      await expect(create.execute(inline(), ACME, 'key-1')).rejects.toThrow('Connection is closed.');
      const [[, id]] = log;
      expect(log).toEqual([['stored', id], ['discarded', id]]);
      expect(store.records.size).toBe(0);

      queue.failure = null;
      const retry = await create.execute(inline(), ACME, 'key-1');
      expect(retry.id).not.toBe(id);
      expect(queue.jobs.map((j) => j.submissionId)).toEqual([retry.id]);
    });

    it('surfaces the queue\'s error, not the clean-up\'s, when undoing fails too', async () => {
      queue.failure = new Error('Connection is closed.');
      store.discard = async () => Promise.reject(new Error('Redis is down'));
      await expect(create.execute(inline(), ACME)).rejects.toThrow('Connection is closed.');
    });
  });

  describe('against a problem', () => {
    beforeEach(() => problems.versions.push(aPlusB(1), aPlusB(2, { limits: { cpuTimeMs: 2000, wallTimeMs: 4000, memoryMb: 256, outputKb: 64 } })));

    it("judges the latest version by default: its tests as stored data in run order (dependencies first), its scoring, checker and limits", async () => {
      const accepted = await create.execute({ language: 'python', source: 'x', problemId: 'a-plus-b' } as CreateSubmissionDto, ACME);
      const [job] = queue.jobs;
      expect(job).toMatchObject({
        submissionId: accepted.id,
        kind: 'stdio',
        problem: { id: 'a-plus-b', version: 2 },
        checker: { type: 'exact' },
        limits: { cpuTimeMs: 2000, wallTimeMs: 4000, memoryMb: 256, outputKb: 64 },
      });
      expect(job.tests).toEqual([
        { index: 0, name: 'sample', input: stored(3), answer: stored(4) },
        { index: 1, name: 'small', input: stored(5), answer: stored(6) },
        { index: 2, name: 'big', input: stored(1), answer: stored(2) },
      ]);
      expect(job.scoring).toEqual({
        stopOnFirstFailure: true,
        subtasks: [
          { name: 'small', points: 40, aggregation: 'sum', tests: [0, 1], dependsOn: [] },
          { name: 'large', points: 60, aggregation: 'min', tests: [2], dependsOn: ['small'] },
        ],
      });
      expect(store.records.get(accepted.id)).toMatchObject({
        problem: { id: 'a-plus-b', version: 2 },
        testCount: 3,
        limitMultipliers: null,
        disclosure: { level: 'summary', publicTests: [0] },
        request: { language: 'python', source: 'x', problem: { id: 'a-plus-b', version: 2 }, pretestsOnly: false },
      });
    });

    it("applies the language's adjustment, then the problem's multipliers for that language, and records them", async () => {
      const accepted = await create.execute({ language: 'java', source: 'x', problemId: 'a-plus-b', problemVersion: 1 } as CreateSubmissionDto, ACME);
      // (128 + 64) MB × 1.5; 1000 ms × 2 (CPU and wall alike).
      const limits = { cpuTimeMs: 2000, wallTimeMs: 6000, memoryMb: 288, outputKb: 64 };
      expect(queue.jobs[0]).toMatchObject({ problem: { id: 'a-plus-b', version: 1 }, limits });
      expect(store.records.get(accepted.id)).toMatchObject({ limits, limitMultipliers: { cpuTime: 2, memory: 1.5 } });
    });

    it('judges only the pretests when asked', async () => {
      await create.execute({ language: 'python', source: 'x', problemId: 'a-plus-b', pretestsOnly: true } as CreateSubmissionDto, ACME);
      expect(queue.jobs[0].tests.map((t) => t.name)).toEqual(['sample']);
      expect(queue.jobs[0].scoring.subtasks).toEqual([{ name: 'small', points: 40, aggregation: 'sum', tests: [0], dependsOn: [] }]);
    });

    it.each<[string, Partial<CreateSubmissionDto>, string]>([
      ['an unknown problem', { problemId: 'nope' }, 'problemId: problem "nope" not found'],
      ['an unknown version, naming the latest', { problemVersion: 7 }, 'problemVersion: problem "a-plus-b" has no version 7 (latest: 2)'],
      ['an unknown language', { language: 'cobol' }, 'language "cobol" is not supported'],
    ])('rejects %s: nothing stored, nothing enqueued', async (_what, overrides, message) => {
      await expect(create.execute({ language: 'python', source: 'x', problemId: 'a-plus-b', ...overrides } as CreateSubmissionDto, ACME)).rejects.toThrow(
        expect.objectContaining({ kind: 'invalid', message: expect.stringContaining(message) }),
      );
      expect(log).toEqual([]);
    });

    it("refuses another tenant's problem exactly as a missing one, storing nothing", async () => {
      await expect(create.execute({ language: 'python', source: 'x', problemId: 'a-plus-b' } as CreateSubmissionDto, OTHER)).rejects.toThrow('problemId: problem "a-plus-b" not found');
      expect(log).toEqual([]);
    });

    it('rejects pretestsOnly for a problem without pretests', async () => {
      problems.versions.push(aPlusB(3, { tests: aPlusB().tests.map((t) => ({ ...t, pretest: false })) }));
      await expect(create.execute({ language: 'python', source: 'x', problemId: 'a-plus-b', pretestsOnly: true } as CreateSubmissionDto, ACME)).rejects.toThrow(
        'pretestsOnly: problem "a-plus-b" version 3 has no pretests (no test is marked pretest: true)',
      );
      expect(log).toEqual([]);
    });

    it('rejects a function problem in a language without a driver', async () => {
      problems.versions.push(aPlusB(3, { kind: 'function', checker: { type: 'json' } }));
      await expect(create.execute({ language: 'rust', source: 'x', problemId: 'a-plus-b' } as CreateSubmissionDto, ACME)).rejects.toThrow(
        /^language: function problems cannot be solved in "rust"/,
      );
      expect(log).toEqual([]);
    });
  });

  describe("the tenant's quotas", () => {
    beforeEach(() => {
      problems.versions.push(aPlusB(1));
      tenants.overrides.set('acme', { maxTestsPerSubmission: 1, maxSourceBytes: 10 });
    });

    it('refuses more inline tests or a larger source than the tenant may send, naming each field and the limit, storing and queueing nothing', async () => {
      const error = await create.execute(inline({ source: 'print(12345678)' }), ACME).catch((e: SubmissionRejectedError) => e);
      expect(error).toBeInstanceOf(SubmissionRejectedError);
      expect((error as SubmissionRejectedError).kind).toBe('invalid');
      expect((error as SubmissionRejectedError).problems).toEqual([
        { field: 'source', message: "source must be at most 10 bytes, the tenant's maxSourceBytes quota (got 15)" },
        { field: 'tests', message: "tests must contain at most 1 tests, the tenant's maxTestsPerSubmission quota (got 2)" },
      ]);
      expect(log).toEqual([]);
    });

    it("refuses a problem whose tests (or pretests) exceed the tenant's quota, naming problemId", async () => {
      tenants.overrides.set('acme', { maxTestsPerSubmission: 2 });
      await expect(create.execute({ language: 'python', source: 'x', problemId: 'a-plus-b' } as CreateSubmissionDto, ACME)).rejects.toThrow(
        "problemId names a problem whose judging runs 3 tests, more than the tenant's maxTestsPerSubmission quota of 2",
      );
      expect(log).toEqual([]);
      // Its one pretest is within the quota.
      await create.execute({ language: 'python', source: 'x', problemId: 'a-plus-b', pretestsOnly: true } as CreateSubmissionDto, ACME);
      expect(queue.jobs).toHaveLength(1);
    });

    it('accepts the same from a tenant on the defaults, and from an admin key', async () => {
      const admin: Requester = { tenantId: null, isAdmin: true };
      await create.execute(inline({ source: 'print(12345678)' }), OTHER);
      await create.execute({ language: 'python', source: 'x', problemId: 'a-plus-b' } as CreateSubmissionDto, admin);
      expect(queue.jobs).toHaveLength(2);
    });

    it('takes the defaults from configuration, and names MAX_TESTS rather than a larger quota', async () => {
      setUp({ TENANT_DEFAULT_MAX_SOURCE_BYTES: '5', MAX_TESTS: '1' });
      tenants.overrides.set('other', { maxTestsPerSubmission: 50 });
      const error = (await create.execute(inline(), OTHER).catch((e: SubmissionRejectedError) => e)) as SubmissionRejectedError;
      expect(error.problems.map((p) => p.message)).toEqual([
        expect.stringMatching(/^source must be at most 5 bytes, the tenant's maxSourceBytes quota/),
        'tests must contain at most 1 tests (got 2)',
      ]);
    });
  });
});
