import { INestApplication } from '@nestjs/common';
import { startApi } from '../apps/api/src/api.bootstrap';
import { openEventStream } from './support/server-sent-events';
import { VerdictStack } from './support/verdict-stack';

/**
 * Live progress for browsers: a short-lived read-only token of one submission, minted with an API
 * key (POST /v1/submissions/:id/events-token), opens GET /v1/submissions/:id/events from the URL
 * alone, as EventSource sends it (no Authorization header), and opens nothing else. Real API
 * replicas, a real worker, real Redis.
 */
const A_PLUS_B_PY = 'print(sum(map(int, input().split())))\n';
const TESTS = [
  { input: '1 2\n', expectedOutput: '3\n' },
  { input: '10 20\n', expectedOutput: '30\n' },
];

/** A request as a browser's EventSource makes it: no Authorization header, whatever the URL holds. */
async function browserGet(url: string): Promise<{ status: number; contentType: string | null; body: any }> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
}

describe('progress tokens: live progress from a URL', () => {
  const stack = new VerdictStack({ SSE_HEARTBEAT_MS: '200' });
  /** A second replica with 1-second tokens and no result consumer: tokens are checked by any replica. */
  let shortLived: INestApplication;
  let shortLivedUrl: string;

  beforeAll(async () => {
    await stack.start();
    shortLived = await startApi({ ...stack.env, API_PORT: '0', PROGRESS_TOKEN_TTL_SECONDS: '1', RESULT_STREAM_CONSUME: 'false', RESULT_STREAM_CONSUMER: `${stack.env.RESULT_STREAM_CONSUMER}-b` });
    shortLivedUrl = (await shortLived.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await shortLived?.close();
    await stack.stop();
  });

  const mint = (id: string, headers: Record<string, string> = {}, base = stack.baseUrl): Promise<{ status: number; body: any }> =>
    fetch(`${base}/v1/submissions/${id}/events-token`, { method: 'POST', headers: { ...stack.authHeaders(), ...headers } }).then(async (r) => ({ status: r.status, body: await r.json() }));

  it('a browser-style request with only the token in the query streams every event to completion', async () => {
    const id = await stack.submit({ language: 'python', source: A_PLUS_B_PY, tests: TESTS });
    const minted = await mint(id);
    expect(minted.status).toBe(201);
    expect(minted.body).toEqual({ token: expect.stringMatching(/^vpt_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String), eventsUrl: `/v1/submissions/${id}/events?access_token=${minted.body.token}` });
    const lifetime = Date.parse(minted.body.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(290_000);
    expect(lifetime).toBeLessThanOrEqual(300_000);

    const stream = await openEventStream(`${stack.baseUrl}${minted.body.eventsUrl}`);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await stream.ended;
    expect(stream.events.map((event) => event.type)).toEqual(['queued', 'compiling', 'compiled', 'test', 'test', 'completed']);
    expect(JSON.parse(stream.events.at(-1)!.data)).toEqual((await stack.get(`/v1/submissions/${id}`)).body);

    // Minted on one replica, taken by another: the signing secret is shared through Redis.
    const elsewhere = await openEventStream(`${shortLivedUrl}${minted.body.eventsUrl}`);
    expect(elsewhere.status).toBe(200);
    await elsewhere.ended;
    expect(elsewhere.events.at(-1)!.type).toBe('completed');
  });

  it("the token of submission X does not open Y, nor X's result (GET /v1/submissions/:id), nor any other route: 401", async () => {
    const x = await stack.submit({ language: 'python', source: A_PLUS_B_PY, tests: TESTS });
    const y = await stack.submit({ language: 'python', source: A_PLUS_B_PY, tests: TESTS });
    const { body } = await mint(x);
    const query = `access_token=${body.token}`;

    const refusals: [string, string][] = [
      [`/v1/submissions/${y}/events?${query}`, 'this progress token is for another submission'],
      [`/v1/submissions/${x}?${query}`, 'a progress token opens only the live progress of its submission (GET /v1/submissions/:id/events?access_token=...); everything else needs an API key as Authorization: Bearer vk_...'],
      [`/v1/submissions?${query}`, 'a progress token opens only the live progress of its submission (GET /v1/submissions/:id/events?access_token=...); everything else needs an API key as Authorization: Bearer vk_...'],
    ];
    for (const [path, detail] of refusals) {
      const refused = await browserGet(`${stack.baseUrl}${path}`);
      expect(refused.status).toBe(401);
      expect(refused.contentType).toMatch(/^application\/problem\+json/);
      expect(refused.body).toEqual({ type: 'https://verdict.dev/problems/unauthenticated', title: 'Unauthenticated', status: 401, detail, instance: path.split('?')[0] });
    }
    // Beside a good API key it is refused too (one credential per request), and as a Bearer header it is no API key.
    expect((await stack.get(`/v1/submissions/${x}?${query}`)).status).toBe(401);
    expect((await stack.get(`/v1/submissions/${x}/events?${query}`, { accept: 'text/event-stream' })).status).toBe(401);
    const tokenAsBearer = await fetch(`${stack.baseUrl}/v1/submissions/${x}`, { headers: { authorization: `Bearer ${body.token}` } });
    expect(tokenAsBearer.status).toBe(401);
  });

  it('a forged or expired token is 401 with a clear problem; a fresh one from the same key still works', async () => {
    const id = await stack.submit({ language: 'python', source: A_PLUS_B_PY, tests: TESTS });
    await stack.waitForResult(id);
    const { body } = await mint(id, {}, shortLivedUrl);
    const [claims, signature] = body.token.slice(4).split('.');

    const forged = await browserGet(`${shortLivedUrl}/v1/submissions/${id}/events?access_token=vpt_${claims}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`);
    expect(forged.status).toBe(401);
    expect(forged.body.detail).toBe('invalid progress token');

    await new Promise((resolve) => setTimeout(resolve, Date.parse(body.expiresAt) - Date.now() + 50));
    const expired = await browserGet(`${shortLivedUrl}${body.eventsUrl}`);
    expect(expired.status).toBe(401);
    expect(expired.contentType).toMatch(/^application\/problem\+json/);
    expect(expired.body.detail).toBe(`progress token expired at ${body.expiresAt}: mint another with POST /v1/submissions/${id}/events-token`);
    expect(expired.body.detail).not.toContain(claims);

    const fresh = await openEventStream(`${stack.baseUrl}${(await mint(id)).body.eventsUrl}`);
    expect(fresh.status).toBe(200);
    await fresh.ended;
  });

  it('an API key in the query string is still refused, on the events route too', async () => {
    const id = await stack.submit({ language: 'python', source: A_PLUS_B_PY, tests: TESTS });
    for (const query of [`access_token=${stack.apiKey}`, `api_key=${stack.apiKey}`]) {
      const refused = await browserGet(`${stack.baseUrl}/v1/submissions/${id}/events?${query}`);
      expect(refused.status).toBe(401);
      expect(refused.body.detail).toMatch(/^an API key was sent in the URL/);
      expect(JSON.stringify(refused.body)).not.toContain(stack.apiKey);
    }
  });

  it("minting needs the read scope, and another tenant's submission is 404, as a missing one", async () => {
    const id = await stack.submit({ language: 'python', source: A_PLUS_B_PY, tests: TESTS });
    const otherTenant = await stack.createTenantKey('e2e-other', ['read', 'submit']);
    const submitOnly = await stack.createTenantKey('e2e-other', ['submit']);

    const foreign = await mint(id, { authorization: `Bearer ${otherTenant}` });
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe('submission not found');
    expect((await mint('5a4c3f5e-6f43-4d8e-9a51-3c2f0f0d7a11')).status).toBe(404);
    expect((await mint(id, { authorization: `Bearer ${submitOnly}` })).status).toBe(403);
    // An admin may follow anyone's.
    expect((await mint(id, { authorization: `Bearer ${stack.adminKey}` })).status).toBe(201);
  });
});
