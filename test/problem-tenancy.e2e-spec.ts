import { SubmissionView } from '@verdict/contracts';
import { join } from 'node:path';
import { EXAMPLE_PROBLEMS, filesOf, jsonPackageOf, zipOf } from './support/problem-packages';
import { TENANT, VerdictStack } from './support/verdict-stack';

const A_PLUS_B = 'a, b = map(int, input().split())\nprint(a + b)\n';
const A_MINUS_B = 'a, b = map(int, input().split())\nprint(a - b)\n';

/**
 * Problems belong to tenants, through the HTTP API: tenant A (the stack's own key) owns a problem,
 * tenant B does not see it until an admin shares it, then reads it and submits against it but may
 * not change it; unsharing hides it again; a rejudge by its owner takes the owner's submissions only.
 */
describe('problem tenancy', () => {
  let stack: VerdictStack;
  let b: Record<string, string>;
  let admin: Record<string, string>;
  const A = () => stack.authHeaders();

  const PROBLEM = 'tenancy-sum';
  const problemPackage = (id = PROBLEM) => jsonPackageOf(join(EXAMPLE_PROBLEMS, 'a-plus-b'), { id });

  beforeAll(async () => {
    stack = await new VerdictStack().start();
    b = { authorization: `Bearer ${await stack.createTenantKey('tenant-b', ['submit', 'read', 'problems:write'])}` };
    admin = { authorization: `Bearer ${stack.adminKey}` };
    const created = await stack.post('/v1/problems', await problemPackage());
    if (created.status !== 201) throw new Error(`creating ${PROBLEM}: ${created.status} ${JSON.stringify(created.body)}`);
  });
  afterAll(() => stack?.stop());

  async function send(method: 'PUT' | 'DELETE', path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any }> {
    const response = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
  const share = (shared: boolean, headers = admin) => send('PUT', `/v1/problems/${PROBLEM}/sharing`, { shared }, headers);

  /** Polls a submission with `headers` until it is final. */
  async function waitFor(id: string, headers: Record<string, string>, judging = 1): Promise<SubmissionView> {
    const deadline = Date.now() + 120000;
    for (;;) {
      const { status, body } = await stack.get(`/v1/submissions/${id}`, headers);
      if (status !== 200) throw new Error(`GET ${id}: ${status} ${JSON.stringify(body)}`);
      if ((body.status === 'completed' || body.status === 'failed') && body.judging >= judging) return body;
      if (Date.now() > deadline) throw new Error(`submission ${id} still ${body.status} (judging ${body.judging})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const listed = async (headers: Record<string, string>) => ((await stack.get('/v1/problems?limit=1000', headers)).body.problems as { id: string }[]).map((p) => p.id);

  /** What tenant B is told about A's problem, next to what anyone is told about a problem that does not exist. */
  async function expectHiddenFromB(): Promise<void> {
    const missing = await stack.get('/v1/problems/no-such-problem', b);
    const hidden = await stack.get(`/v1/problems/${PROBLEM}`, b);
    expect(hidden.status).toBe(404);
    expect(hidden.body.detail).toBe(missing.body.detail.replace('no-such-problem', PROBLEM));
    expect(hidden.body.detail).toBe(`problem "${PROBLEM}" not found`);
    expect((await stack.get(`/v1/problems/${PROBLEM}?version=1`, b)).status).toBe(404);
    expect(await stack.get(`/v1/problems/${PROBLEM}/template?language=python`, b)).toMatchObject({ status: 404, body: { detail: `problem "${PROBLEM}" not found` } });

    const missingSubmission = await stack.post('/v1/submissions', { language: 'python', source: A_PLUS_B, problemId: 'no-such-problem' }, b);
    const hiddenSubmission = await stack.post('/v1/submissions', { language: 'python', source: A_PLUS_B, problemId: PROBLEM, problemVersion: 1 }, b);
    expect(hiddenSubmission.status).toBe(missingSubmission.status);
    expect(hiddenSubmission.body.errors).toEqual([{ field: 'problemId', message: `problemId: problem "${PROBLEM}" not found` }]);
    expect(await listed(b)).not.toContain(PROBLEM);
  }

  it('gives another tenant 404 on a problem it does not own, in every path, as if it did not exist', async () => {
    await expectHiddenFromB();
    expect(await stack.post(`/v1/problems/${PROBLEM}/versions`, await problemPackage(), b)).toMatchObject({ status: 404, body: { detail: `problem "${PROBLEM}" not found` } });
    // A zip is refused before it is read.
    const zip = await zipOf(await filesOf(join(EXAMPLE_PROBLEMS, 'a-plus-b')));
    const zipped = await fetch(`${stack.baseUrl}/v1/problems/${PROBLEM}/versions`, { method: 'POST', headers: { 'content-type': 'application/zip', ...b }, body: zip });
    expect({ status: zipped.status, detail: ((await zipped.json()) as { detail: string }).detail }).toEqual({ status: 404, detail: `problem "${PROBLEM}" not found` });
    expect(await stack.post(`/v1/problems/${PROBLEM}/rejudge`, {}, b)).toMatchObject({ status: 404, body: { detail: `problem "${PROBLEM}" not found` } });
    expect(await send('DELETE', `/v1/problems/${PROBLEM}`, undefined, b)).toMatchObject({ status: 404, body: { detail: `problem "${PROBLEM}" not found` } });
    // Still there, unchanged, for its owner.
    expect(await stack.get(`/v1/problems/${PROBLEM}`, A())).toMatchObject({ status: 200, body: { id: PROBLEM, latestVersion: 1, ownerTenantId: TENANT, shared: false } });
  });

  it('keeps problem ids global: an id another tenant took is a conflict', async () => {
    const taken = await stack.post('/v1/problems', await problemPackage(), b);
    expect(taken.status).toBe(409);
    const own = await stack.post('/v1/problems', await problemPackage('tenancy-b-own'), b);
    expect(own).toMatchObject({ status: 201, body: { id: 'tenancy-b-own', ownerTenantId: 'tenant-b', shared: false } });
  });

  it("lists a tenant's own problems (and shared ones), an admin's all", async () => {
    expect(await listed(b)).toEqual(['tenancy-b-own']);
    expect(await listed(A())).toEqual([PROBLEM]);
    expect(await listed(admin)).toEqual([PROBLEM, 'tenancy-b-own']);
    const page = await stack.get('/v1/problems?limit=1', admin);
    expect(page.body).toMatchObject({ total: 2, offset: 0, problems: [{ id: PROBLEM, ownerTenantId: TENANT, shared: false }] });
  });

  it('lets only an admin share', async () => {
    expect((await share(true, A())).status).toBe(403);
    expect((await share(true, b)).status).toBe(403);
    expect((await send('PUT', '/v1/problems/no-such-problem/sharing', { shared: true }, admin)).status).toBe(404);
    expect((await send('PUT', `/v1/problems/${PROBLEM}/sharing`, { shared: 'yes' }, admin)).status).toBe(400);
    await expectHiddenFromB();
  });

  describe('shared by an admin', () => {
    let bSubmission: string;

    beforeAll(async () => {
      expect(await share(true)).toMatchObject({ status: 200, body: { id: PROBLEM, ownerTenantId: TENANT, shared: true, latestVersion: 1 } });
    });

    it('is read, listed and judged for another tenant', async () => {
      expect(await stack.get(`/v1/problems/${PROBLEM}`, b)).toMatchObject({ status: 200, body: { id: PROBLEM, ownerTenantId: TENANT, shared: true } });
      expect(await listed(b)).toEqual([PROBLEM, 'tenancy-b-own']);
      const submitted = await stack.post('/v1/submissions', { language: 'python', source: A_PLUS_B, problemId: PROBLEM }, b);
      expect(submitted.status).toBe(202);
      bSubmission = submitted.body.id;
      expect(await waitFor(bSubmission, b)).toMatchObject({ status: 'completed', verdict: 'AC', problem: { id: PROBLEM, version: 1 } });
    });

    it('may not be changed by another tenant: 403', async () => {
      const version = await stack.post(`/v1/problems/${PROBLEM}/versions`, await problemPackage(), b);
      expect(version).toMatchObject({ status: 403, body: { detail: `problem "${PROBLEM}" is shared read-only: only its owner or an admin may change it` } });
      expect((await stack.post(`/v1/problems/${PROBLEM}/rejudge`, {}, b)).status).toBe(403);
      expect((await send('DELETE', `/v1/problems/${PROBLEM}`, undefined, b)).status).toBe(403);
      expect(await stack.get(`/v1/problems/${PROBLEM}`, b)).toMatchObject({ status: 200, body: { latestVersion: 1 } });
    });

    it("is rejudged by its owner on the owner's submissions only", async () => {
      const mine = await stack.post('/v1/submissions', { language: 'python', source: A_MINUS_B, problemId: PROBLEM }, A());
      expect(mine.status).toBe(202);
      expect(await waitFor(mine.body.id, A())).toMatchObject({ verdict: 'WA', judging: 1 });

      // A new version by the owner keeps owner and sharing; the rejudge judges on it.
      expect(await stack.post(`/v1/problems/${PROBLEM}/versions`, await problemPackage(), A())).toMatchObject({ status: 201, body: { version: 2, ownerTenantId: TENANT, shared: true } });
      const rejudge = await stack.post(`/v1/problems/${PROBLEM}/rejudge`, {}, A());
      expect(rejudge).toMatchObject({ status: 202, body: { total: 1 } });
      // The rejudge is the owner's batch: followed by the owner, unknown to the other tenant.
      expect(await stack.get(`/v1/batches/${rejudge.body.id}`, A())).toMatchObject({ status: 200, body: { kind: 'rejudge', problemId: PROBLEM, total: 1 } });
      expect((await stack.get(`/v1/batches/${rejudge.body.id}`, b)).status).toBe(404);
      expect(await waitFor(mine.body.id, A(), 2)).toMatchObject({ verdict: 'WA', judging: 2, problem: { id: PROBLEM, version: 2 } });
      expect(await waitFor(bSubmission, b)).toMatchObject({ judging: 1, problem: { id: PROBLEM, version: 1 } });
    });
  });

  describe('unshared again', () => {
    beforeAll(async () => {
      expect(await share(false)).toMatchObject({ status: 200, body: { id: PROBLEM, shared: false } });
    });

    it('is hidden from the other tenant again', async () => {
      await expectHiddenFromB();
      expect(await listed(b)).toEqual(['tenancy-b-own']);
      expect(await stack.get(`/v1/problems/${PROBLEM}`, A())).toMatchObject({ status: 200, body: { shared: false } });
    });

    it("is deleted by its owner, and another tenant's own problem by an admin", async () => {
      expect((await send('DELETE', `/v1/problems/${PROBLEM}`, undefined, A())).status).toBe(204);
      expect((await send('DELETE', '/v1/problems/tenancy-b-own', undefined, admin)).status).toBe(204);
      expect(await listed(admin)).toEqual([]);
      expect(await listed(b)).toEqual([]);
    });
  });
});
