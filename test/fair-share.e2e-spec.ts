import { SubmissionView } from '@verdict/contracts';
import { VerdictStack } from './support/verdict-stack';

const ECHO = { language: 'python', source: 'print(input())\n', tests: [{ input: 'x\n', expectedOutput: 'x\n' }] };
/** Two worker processes of one slot each: the slots every worker registers are shared as one pool. */
const SLOTS = 2;

/**
 * Fair sharing through the public API, with real workers, SLOTS slots in all: tenants take turns
 * within a lane, so one tenant's backlog does not hold another's submissions back beyond a round;
 * and admission control refuses work past a tenant's maxQueued quota or the global backlog bound
 * (429 with Retry-After). Order is read from each submission's startedAt, never from timing.
 */
describe('fair sharing between tenants', () => {
  const stack = new VerdictStack({ WORKER_CONCURRENCY: '1' });
  const queue = stack.queue();
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    await stack.start();
    await stack.startWorker({ WORKER_ID: `${stack.env.WORKER_ID}-2` });
    keys.a = await stack.createTenantKey('fair-a', ['submit', 'read']);
    keys.b = await stack.createTenantKey('fair-b', ['submit', 'read']);
  });
  afterAll(async () => {
    await queue.resume();
    await queue.close();
    await stack.stop();
  });

  const as = (tenant: string) => ({ authorization: `Bearer ${keys[tenant]}` });

  async function finished(id: string, tenant: string): Promise<SubmissionView> {
    for (;;) {
      const { body } = await stack.get(`/v1/submissions/${id}`, as(tenant));
      if (body.status === 'completed' || body.status === 'failed' || body.status === 'cancelled') return body;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("with the workers paused, 1,000 of tenant A then 5 of tenant B: B's first starts in the first round, all five within five turns", async () => {
    await queue.pause();
    const batch = await stack.post('/v1/batches', { lane: 'practice', submissions: Array.from({ length: 1000 }, () => ECHO) }, as('a'));
    expect(batch.status).toBe(202);
    const bIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const accepted = await stack.post('/v1/submissions', { ...ECHO, lane: 'practice' }, as('b'));
      expect(accepted.status).toBe(202);
      bIds.push(accepted.body.id);
    }
    await queue.resume();
    const bViews = [];
    for (const id of bIds) bViews.push(await finished(id, 'b'));
    expect(bViews.every((view) => view.status === 'completed' && view.verdict === 'AC')).toBe(true);
    await stack.delete(`/v1/batches/${batch.body.id}`, as('a'));

    const aStarts: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: SubmissionView[]; nextCursor: string | null } } = await stack.get(`/v1/batches/${batch.body.id}/results?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, as('a'));
      for (const view of page.body.items) if (view.startedAt) aStarts.push(Date.parse(view.startedAt));
      cursor = page.body.nextCursor;
    } while (cursor);
    const aStartedBefore = (view: SubmissionView) => aStarts.filter((at) => at < Date.parse(view.startedAt!)).length;
    // B's first job was handed out with A's first, in the first round of SLOTS.
    expect(aStartedBefore(bViews[0])).toBeLessThan(SLOTS);
    // Turns alternate A, B: B's fifth starts after at most five of A's, give or take a round started together.
    expect(aStartedBefore(bViews[4])).toBeLessThanOrEqual(5 + SLOTS);
  });

  it('a live submission goes before every waiting practice batch', async () => {
    await queue.pause();
    const batch = await stack.post('/v1/batches', { submissions: Array.from({ length: 50 }, () => ECHO) }, as('a'));
    expect(batch.status).toBe(202);
    const live = await stack.post('/v1/submissions', ECHO, as('b'));
    await queue.resume();
    const view = await finished(live.body.id, 'b');
    await stack.delete(`/v1/batches/${batch.body.id}`, as('a'));
    const results = await stack.get(`/v1/batches/${batch.body.id}/results?limit=1000`, as('a'));
    const started = (results.body.items as SubmissionView[]).filter((v) => v.startedAt && Date.parse(v.startedAt) < Date.parse(view.startedAt!));
    expect(started.length).toBeLessThan(SLOTS);
  });

  it("names the lane's problems: a batch's item may not set one, a batch may not be live", async () => {
    const item = await stack.post('/v1/batches', { submissions: [{ ...ECHO, lane: 'contest' }] }, as('a'));
    expect(item.status).toBe(400);
    expect(item.body.errors).toEqual([expect.objectContaining({ field: 'submissions[0].lane', message: expect.stringMatching(/batch's lane/) })]);
    const live = await stack.post('/v1/batches', { lane: 'live', submissions: [ECHO] }, as('a'));
    expect(live.status).toBe(400);
    expect(live.body.errors).toEqual([expect.objectContaining({ field: 'lane', message: 'lane must be one of contest, practice' })]);
    const rejudge = await stack.post('/v1/submissions', { ...ECHO, lane: 'rejudge' }, as('a'));
    expect(rejudge.status).toBe(400);
    expect(rejudge.body.errors).toEqual([expect.objectContaining({ field: 'lane' })]);
  });
});

describe('admission control', () => {
  // No worker: nothing drains, so Retry-After is the configured maximum.
  const stack = new VerdictStack({ JUDGE_BACKLOG_LIMIT: '6', ADMISSION_RETRY_AFTER_MAX_SECONDS: '42' });
  const keys: Record<string, string> = {};
  const admin = () => ({ authorization: `Bearer ${stack.adminKey}` });

  beforeAll(async () => {
    await stack.start({ worker: false });
    keys.small = await stack.createTenantKey('admit-small', ['submit', 'read']);
    keys.other = await stack.createTenantKey('admit-other', ['submit', 'read']);
    const quotas = await stack.put('/v1/admin/tenants/admit-small/quotas', { maxQueued: 3 }, admin());
    expect(quotas.status).toBe(200);
  });
  afterAll(() => stack.stop());

  const as = (tenant: string) => ({ authorization: `Bearer ${keys[tenant]}` });

  it("refuses a tenant's work past its maxQueued quota with 429 and Retry-After, storing nothing; other tenants still submit", async () => {
    for (let i = 0; i < 3; i++) expect((await stack.post('/v1/submissions', ECHO, as('small'))).status).toBe(202);
    const refused = await stack.post('/v1/submissions', ECHO, as('small'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('42');
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/rate-limited$/), detail: expect.stringMatching(/tenant admit-small has 3 submissions waiting and may have at most 3 \(its maxQueued quota\)/) });
    const batch = await stack.post('/v1/batches', { submissions: [ECHO] }, as('small'));
    expect(batch.status).toBe(429);
    const listed = await stack.get('/v1/submissions?limit=100', as('small'));
    expect(listed.body.items).toHaveLength(3);
    expect((await stack.post('/v1/submissions', ECHO, as('other'))).status).toBe(202);
  });

  it('refuses everyone past the global backlog bound, a batch as a whole', async () => {
    // Waiting now: 3 of admit-small and 1 of admit-other; the bound is 6.
    const batch = await stack.post('/v1/batches', { submissions: [ECHO, ECHO, ECHO] }, as('other'));
    expect(batch.status).toBe(429);
    expect(batch.body.detail).toMatch(/the judge has 4 submissions waiting and takes at most 6 \(JUDGE_BACKLOG_LIMIT\)/);
    expect((await stack.post('/v1/batches', { submissions: [ECHO, ECHO] }, as('other'))).status).toBe(202);
    expect((await stack.post('/v1/submissions', ECHO, as('other'))).status).toBe(429);
  });
});
