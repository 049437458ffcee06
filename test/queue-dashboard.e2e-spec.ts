import { JUDGE_QUEUE, WEBHOOK_DELIVERY_QUEUE } from '@verdict/job-queues';
import { Queue } from 'bullmq';
import { REDIS_URL, TENANT, VerdictStack } from './support/verdict-stack';

/**
 * The queue dashboard (bull-board at /admin/queues) on a real API: who gets in (an admin key, as a
 * Bearer token or as HTTP Basic auth's password) and who does not (no key, a tenant's key, a
 * revoked or unknown one) on every path of it, its page, assets and JSON API through the API's own
 * Fastify body parsers, real counts of both queues, and its read-only mode.
 */

const BASE = '/admin/queues';
const basic = (password: string, user = 'ops') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

describe('queue dashboard: bull-board at /admin/queues, admins only, read-only', () => {
  // Webhook jobs stay where this test puts them: no deliverer in the API process.
  const stack = new VerdictStack({ WEBHOOK_DELIVERY_MODE: 'separate' });
  let storedAdminKey: string;
  let revokedAdminKey: string;
  let assets: string[];
  let webhooks: Queue;
  let judge: Queue;

  beforeAll(async () => {
    await stack.start({ worker: false });
    const admin = { authorization: `Bearer ${stack.adminKey}` };
    storedAdminKey = (await stack.post('/v1/admin/keys', { scopes: ['admin'], name: 'dashboard e2e' }, admin)).body.key;
    const revoked = await stack.post('/v1/admin/keys', { scopes: ['admin'], name: 'dashboard e2e, revoked' }, admin);
    revokedAdminKey = revoked.body.key;
    expect((await stack.delete(`/v1/admin/keys/${revoked.body.apiKey.prefix}`, admin)).status).toBe(200);
    const page = await open(BASE, { authorization: `Bearer ${stack.adminKey}` });
    // Relative to the page's <base href="/admin/queues/">: scripts, styles, icons.
    expect(page.text).toContain(`<base href="${BASE}/" />`);
    assets = [...page.text.matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map((match) => `${BASE}/${match[1]}`);
    const { hostname, port } = new URL(REDIS_URL);
    webhooks = new Queue(WEBHOOK_DELIVERY_QUEUE.name, { connection: { host: hostname, port: Number(port || 6379) }, prefix: stack.prefix });
    judge = stack.queue();
  });

  afterAll(async () => {
    await webhooks?.close();
    await judge?.close();
    await stack.stop();
  });

  async function open(path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Answer> {
    const response = await fetch(`${stack.baseUrl}${path}`, { ...init, headers });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** Every kind of path under the dashboard: its pages, its JSON API, a static asset, an unknown path. */
  function everyPath(): string[] {
    return [BASE, `${BASE}/`, `${BASE}/queue/${JUDGE_QUEUE.name}`, `${BASE}/api/queues`, `${BASE}/api/redis/stats`, `${BASE}/api/queues/${JUDGE_QUEUE.name}/1`, assets[0], `${BASE}/no-such-page`];
  }

  it('the page links its scripts and styles under the dashboard path', () => {
    expect(assets).toEqual(expect.arrayContaining([expect.stringMatching(/^\/admin\/queues\/static\/js\/.+\.js$/), expect.stringMatching(/^\/admin\/queues\/static\/css\/.+\.css$/)]));
  });

  it('no key: 401 problem+json on every path, challenged with Basic so a browser asks for the key', async () => {
    for (const path of everyPath()) {
      const answer = await open(path);
      expect({ path, status: answer.status, challenge: answer.headers.get('www-authenticate'), type: answer.headers.get('content-type') }).toEqual({
        path,
        status: 401,
        challenge: 'Basic realm="verdict"',
        type: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(JSON.parse(answer.text)).toMatchObject({ type: 'https://verdict.dev/problems/unauthenticated', status: 401, instance: path.split('?')[0], detail: expect.stringContaining('admin API key') });
    }
  });

  it("a tenant's key, as Bearer or as Basic: 403 problem+json on every path", async () => {
    for (const path of everyPath()) {
      const bearer = await open(path, { authorization: `Bearer ${stack.apiKey}` });
      expect({ path, status: bearer.status, challenge: bearer.headers.get('www-authenticate') }).toEqual({
        path,
        status: 403,
        challenge: 'Bearer realm="verdict", error="insufficient_scope", scope="admin"',
      });
      expect(JSON.parse(bearer.text)).toMatchObject({ type: 'https://verdict.dev/problems/forbidden', detail: expect.stringContaining('needs an admin API key') });
      const viaBasic = await open(path, { authorization: basic(stack.apiKey) });
      expect({ path, status: viaBasic.status, type: viaBasic.headers.get('content-type') }).toEqual({ path, status: 403, type: expect.stringMatching(/^application\/problem\+json/) });
    }
  });

  it('a revoked admin key, an unknown key, or unreadable credentials: 401 on every path', async () => {
    const unknown = `vk_abcdefgh_${'A'.repeat(43)}`;
    const refused: [Record<string, string>, string | null, RegExp][] = [
      [{ authorization: `Bearer ${revokedAdminKey}` }, 'Bearer realm="verdict", error="invalid_token"', /was revoked/],
      [{ authorization: basic(revokedAdminKey) }, 'Basic realm="verdict"', /was revoked/],
      [{ authorization: basic(unknown) }, 'Basic realm="verdict"', /invalid API key/],
      [{ authorization: 'Basic !!!' }, 'Basic realm="verdict"', /malformed HTTP Basic/],
      [{ authorization: `Basic ${Buffer.from('no colon').toString('base64')}` }, 'Basic realm="verdict"', /no ":"/],
      [{ authorization: basic('') }, 'Basic realm="verdict"', /no password/],
      [{ authorization: `Digest ${stack.adminKey}` }, 'Basic realm="verdict"', /unsupported authorization scheme "Digest"/],
    ];
    for (const path of everyPath()) {
      for (const [headers, challenge, detail] of refused) {
        const answer = await open(path, headers);
        expect({ path, sent: headers.authorization.slice(0, 12), status: answer.status, challenge: answer.headers.get('www-authenticate') }).toEqual({ path, sent: headers.authorization.slice(0, 12), status: 401, challenge });
        expect(JSON.parse(answer.text).detail).toMatch(detail);
      }
    }
  });

  it('an API key in the URL: 401 even beside the admin key (URLs are logged)', async () => {
    const answer = await open(`${BASE}/api/queues?key=${encodeURIComponent(storedAdminKey)}`, { authorization: `Bearer ${stack.adminKey}` });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text).detail).toMatch(/sent in the URL/);
  });

  it('an admin key, as Bearer (ADMIN_API_KEY) or as Basic (a stored admin key, any user name): the page, its assets and its API', async () => {
    for (const authorization of [`Bearer ${stack.adminKey}`, basic(storedAdminKey), basic(stack.adminKey, '')]) {
      const page = await open(BASE, { authorization });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.text).toContain('Verdict queues');
      for (const asset of assets) expect({ asset, status: (await open(asset, { authorization })).status }).toEqual({ asset, status: 200 });
      expect((await open(`${BASE}/queue/${WEBHOOK_DELIVERY_QUEUE.name}`, { authorization })).status).toBe(200);
      const api = await open(`${BASE}/api/queues`, { authorization });
      expect(api.status).toBe(200);
      expect(api.headers.get('content-type')).toMatch(/^application\/json/);
    }
    // An unknown path is bull-board's 404 once past the gate.
    expect((await open(`${BASE}/no-such-page`, { authorization: `Bearer ${stack.adminKey}` })).status).toBe(404);
  });

  it("its JSON API lists both queues, read-only, with BullMQ's real counts once jobs are queued", async () => {
    const admin = { authorization: `Bearer ${stack.adminKey}` };
    const counts = async () => {
      const body = JSON.parse((await open(`${BASE}/api/queues`, admin)).text);
      return Object.fromEntries(body.queues.map((queue: { name: string; counts: Record<string, number>; readOnlyMode: boolean }) => [queue.name, { ...queue.counts, readOnlyMode: queue.readOnlyMode }]));
    };
    const before = await counts();
    expect(before).toEqual({
      [JUDGE_QUEUE.name]: expect.objectContaining({ waiting: 0, active: 0, delayed: 0, failed: 0, readOnlyMode: true }),
      [WEBHOOK_DELIVERY_QUEUE.name]: expect.objectContaining({ waiting: 0, delayed: 0, readOnlyMode: true }),
    });

    // A judge job reaches BullMQ when a worker slot is free: one slot, no worker to take it.
    await stack.workerSlots(1);
    await stack.submit({ language: 'python', source: 'print(1)\n', tests: [{ input: '', expectedOutput: '1\n' }] });
    await webhooks.add(WEBHOOK_DELIVERY_QUEUE.jobName, { eventId: 'msg_dashboard', run: 1 }, { jobId: 'msg_dashboard-1', delay: 3_600_000 });
    const after = await counts();
    expect(after[JUDGE_QUEUE.name]).toMatchObject({ waiting: 1, active: 0 });
    expect(after[WEBHOOK_DELIVERY_QUEUE.name]).toMatchObject({ waiting: 0, delayed: 1 });

    const judgeJobs = JSON.parse((await open(`${BASE}/api/queues?activeQueue=${JUDGE_QUEUE.name}&status=waiting&page=1&jobsPerPage=10`, admin)).text);
    const listed = judgeJobs.queues.find((queue: { name: string }) => queue.name === JUDGE_QUEUE.name);
    expect(listed.jobs).toEqual([expect.objectContaining({ name: JUDGE_QUEUE.jobName, data: expect.objectContaining({ tenantId: TENANT, language: 'python' }) })]);
  });

  it('read-only: write actions are refused (405) and change nothing, JSON body or none', async () => {
    const admin = { authorization: `Bearer ${stack.adminKey}` };
    const writes: [string, string, string | undefined][] = [
      ['PUT', `${BASE}/api/queues/${JUDGE_QUEUE.name}/pause`, undefined],
      ['PUT', `${BASE}/api/queues/${WEBHOOK_DELIVERY_QUEUE.name}/empty`, undefined],
      ['PUT', `${BASE}/api/queues/${WEBHOOK_DELIVERY_QUEUE.name}/promote`, '{}'],
      ['PUT', `${BASE}/api/queues/${WEBHOOK_DELIVERY_QUEUE.name}/clean/delayed`, '{}'],
      ['POST', `${BASE}/api/queues/${WEBHOOK_DELIVERY_QUEUE.name}/add`, JSON.stringify({ name: 'deliver', data: {} })],
    ];
    for (const [method, path, body] of writes) {
      const answer = await open(path, body === undefined ? admin : { ...admin, 'content-type': 'application/json' }, { method, body });
      expect({ method, path, status: answer.status, body: JSON.parse(answer.text) }).toEqual({ method, path, status: 405, body: expect.objectContaining({ error: { key: 'ERRORS.QUEUE_READ_ONLY' } }) });
    }
    // The board-wide pause skips read-only queues: answered, and nothing paused.
    expect((await open(`${BASE}/api/queues/pause`, admin, { method: 'PUT' })).status).toBe(200);
    expect(await judge.isPaused()).toBe(false);
    expect(await webhooks.getJobCounts('delayed', 'waiting')).toMatchObject({ delayed: 1, waiting: 0 });
  });
});
