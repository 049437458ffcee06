import { VerdictStack } from './support/verdict-stack';

/**
 * Each API key's lanes through the public API (issue 12, "A submission or batch names its lane
 * within what its key allows"): a key limited to practice is refused (403, naming the field lane)
 * a single submission in the default lane (live) and a contest batch, and accepted in practice;
 * nothing refused is stored or queued. Bad `lanes` on key creation are 400 naming the field; the
 * listing shows each key's lanes. No worker: nothing here is judged (accepted jobs wait in BullMQ, counted).
 */

const FORBIDDEN = 'https://verdict.dev/problems/forbidden';
const INVALID = 'https://verdict.dev/problems/invalid-request';
const TENANT = 'lanes-practice';
const item = { language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '1 2\n', expectedOutput: '3\n' }] };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('API key lanes', () => {
  const stack = new VerdictStack();
  let admin: Record<string, string>;
  let practice: Record<string, string>;
  let practicePrefix: string;

  beforeAll(async () => {
    await stack.start({ worker: false });
    // Slots without a consumer: every accepted job is handed to BullMQ at once and waits there, to be counted.
    await stack.workerSlots(1000);
    admin = bearer(stack.adminKey);
    expect((await stack.post('/v1/admin/tenants', { id: TENANT, name: 'Practice only' }, admin)).status).toBe(201);
    const created = await stack.post(`/v1/admin/tenants/${TENANT}/keys`, { scopes: ['submit', 'read'], lanes: ['practice'], name: 'course site' }, admin);
    expect(created.status).toBe(201);
    expect(created.body.apiKey).toMatchObject({ tenantId: TENANT, scopes: ['submit', 'read'], lanes: ['practice'] });
    practice = bearer(created.body.key);
    practicePrefix = created.body.apiKey.prefix;
  });
  afterAll(() => stack.stop());

  /** The tenant's submissions listed, and the judge jobs waiting or queued. */
  async function counts(): Promise<[number, number]> {
    const queue = stack.queue();
    try {
      return [(await stack.get('/v1/submissions?limit=100', practice)).body.items.length, await queue.count()];
    } finally {
      await queue.close();
    }
  }

  it('refuses a single submission without lane (the default, live) to a practice-only key: 403 naming lane, the default and what the key may use; nothing stored or queued', async () => {
    const before = await counts();
    const refused = await stack.post('/v1/submissions', item, practice);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: FORBIDDEN, errors: [{ field: 'lane' }] });
    expect(refused.body.errors[0].message).toBe("this API key may not use lane live (a submission's default when lane is not set: set lane to one the key may use); it may use practice");
    expect(await counts()).toEqual(before);
  });

  it('refuses a lane named that the key does not allow, and accepts a single submission in practice', async () => {
    const before = await counts();
    const contest = await stack.post('/v1/submissions', { ...item, lane: 'contest' }, practice);
    expect(contest.status).toBe(403);
    expect(contest.body.errors).toEqual([{ field: 'lane', message: 'this API key may not use lane contest; it may use practice' }]);
    expect(await counts()).toEqual(before);
    const accepted = await stack.post('/v1/submissions', { ...item, lane: 'practice' }, practice);
    expect(accepted.status).toBe(202);
    expect(await counts()).toEqual([before[0] + 1, before[1] + 1]);
  });

  it('refuses a contest batch whole (403 naming lane, nothing stored or queued) and accepts a batch in its default lane, practice', async () => {
    const before = await counts();
    const refused = await stack.post('/v1/batches', { lane: 'contest', submissions: [item, item] }, practice);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: FORBIDDEN, errors: [{ field: 'lane', message: 'this API key may not use lane contest; it may use practice' }] });
    expect(await counts()).toEqual(before);
    const accepted = await stack.post('/v1/batches', { submissions: [item, item] }, practice);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'queued', total: 2 });
    expect(await counts()).toEqual([before[0] + 2, before[1] + 2]);
    // Every job of this key waits in practice: the single one named it, the batch took its default.
    const queue = stack.queue();
    try {
      expect(new Set((await queue.getJobs(['wait'])).map((job) => job.data.lane))).toEqual(new Set(['practice']));
    } finally {
      await queue.close();
    }
  });

  it('lets a key made without lanes use every lane, and the admin key too', async () => {
    const everyLane = bearer(await stack.createTenantKey(TENANT, ['submit']));
    for (const lane of ['live', 'contest', 'practice']) expect((await stack.post('/v1/submissions', { ...item, lane }, everyLane)).status).toBe(202);
    expect((await stack.post('/v1/batches', { lane: 'contest', submissions: [item] }, everyLane)).status).toBe(202);
    expect((await stack.post('/v1/submissions', item, admin)).status).toBe(202);
  });

  it.each([
    [[], /^lanes must name at least one lane$/],
    [['express'], /^lanes must each be one of live, contest, practice$/],
    [['rejudge'], /^lanes must each be one of live, contest, practice$/],
    [['practice', 'practice'], /^lanes must not name a lane twice$/],
    ['practice', /^lanes must be an array/],
  ])('refuses a key with lanes %j: 400 naming the field, no key made', async (lanes, message) => {
    const before = (await stack.get(`/v1/admin/tenants/${TENANT}/keys`, admin)).body.length;
    const refused = await stack.post(`/v1/admin/tenants/${TENANT}/keys`, { scopes: ['submit'], lanes }, admin);
    expect(refused.status).toBe(400);
    expect(refused.body.type).toBe(INVALID);
    expect(refused.body.errors).toContainEqual({ field: 'lanes', message: expect.stringMatching(message) });
    expect((await stack.get(`/v1/admin/tenants/${TENANT}/keys`, admin)).body).toHaveLength(before);
  });

  it("shows each key's lanes in the tenant's key listing: every lane for a key made without them", async () => {
    const listed = await stack.get(`/v1/admin/tenants/${TENANT}/keys`, admin);
    expect(listed.status).toBe(200);
    expect(listed.body.find((key: { prefix: string }) => key.prefix === practicePrefix)).toMatchObject({ name: 'course site', lanes: ['practice'] });
    expect(listed.body.filter((key: { prefix: string }) => key.prefix !== practicePrefix).map((key: { lanes: string[] }) => key.lanes)).toEqual([['live', 'contest', 'practice']]);
  });
});
