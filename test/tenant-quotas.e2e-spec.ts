import { join } from 'node:path';
import { EXAMPLE_PROBLEMS, jsonPackageOf } from './support/problem-packages';
import { VerdictStack } from './support/verdict-stack';

/**
 * Per-tenant quotas through the public API (issue 12, "Limits that hold across API replicas"): a
 * tenant with overrides against a tenant on the defaults, for tests per submission (inline and a
 * problem's), batch size and source size; each refused request names the field and the tenant's
 * limit (400, as the global bounds are) and leaves nothing stored or queued; the admin's
 * PUT /v1/admin/tenants/:id/quotas and its refusals. No worker: nothing here is judged.
 */

const INVALID = 'https://verdict.dev/problems/invalid-request';
const NARROW = 'quota-narrow';
const QUOTAS = { maxTestsPerSubmission: 2, maxBatchSize: 2, maxSourceBytes: 100 };
const DEFAULTS = { maxQueued: 20000, maxTestsPerSubmission: 1000, maxBatchSize: 10000, maxSourceBytes: 65536 };
const test = (n: number) => ({ input: `${n} ${n}\n`, expectedOutput: `${2 * n}\n` });
const submission = (tests: number, source = 'print(sum(map(int, input().split())))\n') => ({ language: 'python', source, tests: Array.from({ length: tests }, (_, i) => test(i)) });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('tenant quotas', () => {
  const stack = new VerdictStack();
  let admin: Record<string, string>;
  let narrow: Record<string, string>;
  let plain: Record<string, string>;

  beforeAll(async () => {
    await stack.start({ worker: false });
    admin = bearer(stack.adminKey);
    const created = await stack.post('/v1/admin/tenants', { id: NARROW, name: 'Narrow', quotas: QUOTAS }, admin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ quotas: { ...DEFAULTS, ...QUOTAS }, quotaOverrides: { maxQueued: null, ...QUOTAS } });
    narrow = bearer(await stack.createTenantKey(NARROW, ['submit', 'read', 'problems:write']));
    plain = stack.authHeaders();
    for (const headers of [narrow, plain]) {
      const uploaded = await stack.post('/v1/problems', await jsonPackageOf(join(EXAMPLE_PROBLEMS, 'a-plus-b'), { id: headers === narrow ? 'quota-sum' : 'plain-sum' }), headers);
      expect(uploaded.status).toBe(201);
    }
  });
  afterAll(() => stack.stop());

  /** Nothing of the tenant's stored (its listing) and no judge job queued. */
  async function expectNothingAccepted(headers: Record<string, string>, listedBefore: number, jobsBefore: number): Promise<void> {
    const listed = await stack.get('/v1/submissions?limit=100', headers);
    expect(listed.body.items).toHaveLength(listedBefore);
    const queue = stack.queue();
    try {
      expect(await queue.count()).toBe(jobsBefore);
    } finally {
      await queue.close();
    }
  }

  async function counts(headers: Record<string, string>): Promise<[number, number]> {
    const queue = stack.queue();
    try {
      return [(await stack.get('/v1/submissions?limit=100', headers)).body.items.length, await queue.count()];
    } finally {
      await queue.close();
    }
  }

  it("shows a tenant's quotas and overrides to the admin, the defaults for a tenant without overrides", async () => {
    const tenant = await stack.get(`/v1/admin/tenants/${NARROW}`, admin);
    expect(tenant.body).toMatchObject({ id: NARROW, quotas: { ...DEFAULTS, ...QUOTAS }, quotaOverrides: { maxQueued: null, ...QUOTAS } });
    const defaults = await stack.get('/v1/admin/tenants/e2e', admin);
    expect(defaults.body).toMatchObject({ quotas: DEFAULTS, quotaOverrides: { maxQueued: null, maxTestsPerSubmission: null, maxBatchSize: null, maxSourceBytes: null } });
  });

  it('tests per submission: more inline tests than the quota are refused whole (400 naming tests and the limit); the default tenant is accepted', async () => {
    const before = await counts(narrow);
    const refused = await stack.post('/v1/submissions', submission(3), narrow);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: INVALID, errors: [{ field: 'tests', message: "tests must contain at most 2 tests, the tenant's maxTestsPerSubmission quota (got 3)" }] });
    await expectNothingAccepted(narrow, ...before);
    expect((await stack.post('/v1/submissions', submission(2), narrow)).status).toBe(202);
    expect((await stack.post('/v1/submissions', submission(3), plain)).status).toBe(202);
  });

  it("tests per submission: a problem whose tests exceed the quota is refused naming problemId; its pretests alone are within it", async () => {
    const before = await counts(narrow);
    const refused = await stack.post('/v1/submissions', { language: 'python', source: 'print(1)', problemId: 'quota-sum' }, narrow);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'problemId', message: "problemId names a problem whose judging runs 6 tests, more than the tenant's maxTestsPerSubmission quota of 2" }]);
    await expectNothingAccepted(narrow, ...before);
    expect((await stack.post('/v1/submissions', { language: 'python', source: 'print(1)', problemId: 'quota-sum', pretestsOnly: true }, narrow)).status).toBe(202);
    expect((await stack.post('/v1/submissions', { language: 'python', source: 'print(1)', problemId: 'plain-sum' }, plain)).status).toBe(202);
  });

  it('source size: a source over the quota is refused naming source and the limit; the default tenant is accepted', async () => {
    const before = await counts(narrow);
    const big = `# ${'x'.repeat(200)}\nprint(1)\n`;
    const refused = await stack.post('/v1/submissions', submission(1, big), narrow);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'source', message: `source must be at most 100 bytes, the tenant's maxSourceBytes quota (got ${Buffer.byteLength(big)})` }]);
    await expectNothingAccepted(narrow, ...before);
    expect((await stack.post('/v1/submissions', submission(1, big), plain)).status).toBe(202);
  });

  it('batch size: a batch over the quota is refused whole naming submissions and the limit; the default tenant is accepted', async () => {
    const before = await counts(narrow);
    const refused = await stack.post('/v1/batches', { submissions: [submission(1), submission(1), submission(1)] }, narrow);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'submissions', message: "submissions must contain at most 2 items (the tenant's maxBatchSize quota; got 3)" }]);
    await expectNothingAccepted(narrow, ...before);
    expect((await stack.post('/v1/batches', { submissions: [submission(1), submission(1), submission(1)] }, plain)).status).toBe(202);
  });

  it('batch items: every item over a quota is named by its index, and nothing of the batch is stored or queued', async () => {
    const before = await counts(narrow);
    const big = `# ${'x'.repeat(200)}\n`;
    const refused = await stack.post('/v1/batches', { submissions: [submission(3), submission(1, big)] }, narrow);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: 'submissions[0].tests', message: "submissions[0].tests must contain at most 2 tests, the tenant's maxTestsPerSubmission quota (got 3)" },
      { field: 'submissions[1].source', message: `submissions[1].source must be at most 100 bytes, the tenant's maxSourceBytes quota (got ${Buffer.byteLength(big)})` },
    ]);
    await expectNothingAccepted(narrow, ...before);
    expect((await stack.post('/v1/batches', { submissions: [submission(2), submission(1)] }, narrow)).status).toBe(202);
  });

  it('PUT /v1/admin/tenants/:id/quotas replaces the overrides (absent or null: the default) and holds at once', async () => {
    const put = await send(`/v1/admin/tenants/${NARROW}/quotas`, { maxBatchSize: 5, maxQueued: 300 }, admin);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      tenantId: NARROW,
      quotas: { ...DEFAULTS, maxBatchSize: 5, maxQueued: 300 },
      quotaOverrides: { maxQueued: 300, maxTestsPerSubmission: null, maxBatchSize: 5, maxSourceBytes: null },
    });
    expect((await stack.get(`/v1/admin/tenants/${NARROW}`, admin)).body.quotas).toEqual(put.body.quotas);
    expect((await stack.post('/v1/submissions', submission(3), narrow)).status).toBe(202);
    expect((await stack.post('/v1/batches', { submissions: Array.from({ length: 5 }, () => submission(1)) }, narrow)).status).toBe(202);
    expect((await stack.post('/v1/batches', { submissions: Array.from({ length: 6 }, () => submission(1)) }, narrow)).status).toBe(400);
  });

  it('PUT refuses bad quotas (400 naming each field), unknown tenants (404) and tenant keys (403), changing nothing', async () => {
    const path = `/v1/admin/tenants/${NARROW}/quotas`;
    const bad = await send(path, { maxBatchSize: 0, maxSourceBytes: 65537, maxTestsPerSubmission: 'ten', maxQueued: 1.5, maxCpus: 4 }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe(INVALID);
    expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['maxBatchSize', 'maxSourceBytes', 'maxTestsPerSubmission', 'maxQueued', 'maxCpus']));
    expect(bad.body.errors).toContainEqual({ field: 'maxSourceBytes', message: 'maxSourceBytes must not be greater than 65536' });
    expect((await send('/v1/admin/tenants/nobody/quotas', { maxBatchSize: 1 }, admin)).status).toBe(404);
    expect((await send(path, { maxBatchSize: 1000 }, narrow)).status).toBe(403);
    const atCreation = await stack.post('/v1/admin/tenants', { id: 'quota-bad', name: 'Bad', quotas: { maxBatchSize: -1 } }, admin);
    expect(atCreation.status).toBe(400);
    expect(atCreation.body.errors).toEqual([{ field: 'quotas.maxBatchSize', message: 'quotas.maxBatchSize must not be less than 1' }]);
    expect((await stack.get(`/v1/admin/tenants/${NARROW}`, admin)).body.quotaOverrides).toMatchObject({ maxBatchSize: 5, maxQueued: 300 });
    expect((await stack.get('/v1/admin/tenants/quota-bad', admin)).status).toBe(404);
  });

  async function send(path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any }> {
    const response = await fetch(`${stack.baseUrl}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }
});
