import { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { startApi } from '../apps/api/src/api.bootstrap';
import { VerdictStack } from './support/verdict-stack';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Tenants and their API keys through the public API (issue: tenants and fair sharing): what a
 * missing, malformed, revoked, expired or misplaced key gets, what a key without the scope gets,
 * that one tenant never sees another's submissions, batches or deliveries (404, as if they did not
 * exist), Idempotency-Key scoped per tenant, cancelling, and one rate limit shared by two API
 * replicas. No worker: nothing here needs judging.
 */

const PROBLEM = 'https://verdict.dev/problems/';
const SUBMISSION = { language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '1 2\n', expectedOutput: '3\n' }] };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function raw(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe('tenants and API keys', () => {
  const stack = new VerdictStack({ WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' });
  // Stopped after the stack: the API's delivery client keeps its connection to it open until then.
  const receiver = new WebhookReceiver('');
  let otherKey: string;

  beforeAll(async () => {
    await stack.start({ worker: false });
    otherKey = await stack.createTenantKey('other', ['submit', 'read']);
  });
  afterAll(async () => {
    await stack.stop();
    await receiver.stop();
  });

  describe('refused keys', () => {
    it('no key: 401 naming how to send one, with a Bearer challenge', async () => {
      const response = await raw(`${stack.baseUrl}/v1/submissions`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="verdict"');
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: `${PROBLEM}unauthenticated`, status: 401, detail: 'missing API key: send it as Authorization: Bearer vk_...' });
    });

    it('a malformed or unknown key: 401, the key never echoed', async () => {
      const unknown = `vk_Unkn0wn1_${'s3cr3t'.repeat(8)}`;
      for (const [authorization, detail] of [
        ['Basic dXNlcjpwYXNz', 'the Authorization header must be "Bearer <API key>"'],
        [`Bearer ${unknown}`, 'invalid API key'],
      ]) {
        const response = await stack.get('/v1/submissions', { authorization });
        expect(response.status).toBe(401);
        expect(response.body.detail).toBe(detail);
        expect(JSON.stringify(response.body)).not.toContain('s3cr3t');
      }
    });

    it('a revoked key: 401 from the moment it is revoked', async () => {
      const key = await stack.createTenantKey('other', ['read']);
      expect((await stack.get('/v1/submissions', bearer(key))).status).toBe(200);
      const prefix = key.split('_')[1];
      expect((await raw(`${stack.baseUrl}/v1/admin/tenants/other/keys/${prefix}`, { method: 'DELETE', headers: bearer(stack.adminKey) })).status).toBe(200);
      const response = await stack.get('/v1/submissions', bearer(key));
      expect(response.status).toBe(401);
      expect(response.body.detail).toMatch(new RegExp(`^API key ${prefix} was revoked at `));
    });

    it('an expired key: 401 once its expiry passes', async () => {
      const expiresAt = new Date(Date.now() + 5000).toISOString();
      const made = await stack.post('/v1/admin/tenants/other/keys', { scopes: ['read'], expiresAt }, bearer(stack.adminKey));
      expect(made.status).toBe(201);
      const deadline = Date.now() + 30000;
      let response = await stack.get('/v1/submissions', bearer(made.body.key));
      while (response.status === 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        response = await stack.get('/v1/submissions', bearer(made.body.key));
      }
      expect(response.status).toBe(401);
      expect(response.body.detail).toMatch(/ expired at /);
    });

    it('a key in the URL: refused, even with a good Authorization header', async () => {
      const response = await stack.get(`/v1/submissions?api_key=${stack.apiKey}`);
      expect(response.status).toBe(401);
      expect(response.body.detail).toMatch(/^an API key was sent in the URL/);
      expect(JSON.stringify(response.body)).not.toContain(stack.apiKey.split('_')[2]);
    });
  });

  describe('scopes', () => {
    it('a key without the scope: 403 naming it', async () => {
      const reader = await stack.createTenantKey('other', ['read']);
      const response = await stack.post('/v1/submissions', SUBMISSION, bearer(reader));
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ type: `${PROBLEM}forbidden`, detail: expect.stringMatching(/lacks the scope "submit" this operation needs$/) });
    });

    it("a tenant's key on an admin route: 403; an admin key on a tenant's route: allowed (admin holds every scope)", async () => {
      const tenantOnAdmin = await stack.get('/v1/admin/tenants');
      expect(tenantOnAdmin.status).toBe(403);
      expect(tenantOnAdmin.body.detail).toMatch(/lacks the scope "admin"/);
      const adminOnTenant = await stack.get('/v1/submissions', bearer(stack.adminKey));
      expect(adminOnTenant.status).toBe(200);
    });

    it('health needs no key', async () => {
      expect((await raw(`${stack.baseUrl}/v1/health`)).status).toBe(200);
    });
  });

  describe('isolation', () => {
    let mine: string;
    let myBatch: string;

    beforeAll(async () => {
      mine = await stack.submit(SUBMISSION);
      myBatch = (await stack.post('/v1/batches', { submissions: [SUBMISSION] })).body.id;
    });

    it("another tenant's submission is not found, on every path", async () => {
      const other = bearer(otherKey);
      for (const path of [`/v1/submissions/${mine}`, `/v1/submissions/${mine}/deliveries`]) {
        const response = await stack.get(path, other);
        expect(response.status).toBe(404);
        expect(response.body.type).toBe(`${PROBLEM}not-found`);
      }
      expect((await raw(`${stack.baseUrl}/v1/submissions/${mine}/events`, { headers: { ...other, accept: 'text/event-stream' } })).status).toBe(404);
      expect((await stack.post(`/v1/submissions/${mine}/deliveries/redeliver`, {}, other)).status).toBe(404);
      expect((await raw(`${stack.baseUrl}/v1/submissions/${mine}`, { method: 'DELETE', headers: other })).status).toBe(404);
      // Still there, and still queued, for its own tenant.
      expect((await stack.get(`/v1/submissions/${mine}`)).body).toMatchObject({ id: mine, status: 'queued', tenantId: 'e2e' });
    });

    it("another tenant's batch is not found", async () => {
      const other = bearer(otherKey);
      for (const path of [`/v1/batches/${myBatch}`, `/v1/batches/${myBatch}/results`]) expect((await stack.get(path, other)).status).toBe(404);
      expect((await raw(`${stack.baseUrl}/v1/batches/${myBatch}`, { method: 'DELETE', headers: other })).status).toBe(404);
      expect((await stack.get(`/v1/batches/${myBatch}`)).status).toBe(200);
    });

    it('a listing holds only the tenant its key is for; an admin lists everyone', async () => {
      const theirs = (await stack.post('/v1/submissions', SUBMISSION, bearer(otherKey))).body.id;
      const ownIds = (await stack.get('/v1/submissions?limit=100')).body.items.map((s: { id: string }) => s.id);
      const otherIds = (await stack.get('/v1/submissions?limit=100', bearer(otherKey))).body.items.map((s: { id: string }) => s.id);
      expect(ownIds).toContain(mine);
      expect(ownIds).not.toContain(theirs);
      expect(otherIds).toEqual([theirs]);
      const all = (await stack.get('/v1/submissions?limit=100', bearer(stack.adminKey))).body.items.map((s: { id: string }) => s.id);
      expect(all).toEqual(expect.arrayContaining([mine, theirs]));
    });
  });

  describe('Idempotency-Key', () => {
    it("is scoped to the tenant: another tenant's same key makes its own submission", async () => {
      const key = { 'idempotency-key': 'retry-1' };
      const first = await stack.post('/v1/submissions', SUBMISSION, key);
      const retry = await stack.post('/v1/submissions', SUBMISSION, key);
      const theirs = await stack.post('/v1/submissions', SUBMISSION, { ...key, ...bearer(otherKey) });
      expect(retry.body.id).toBe(first.body.id);
      expect(theirs.status).toBe(202);
      expect(theirs.body.id).not.toBe(first.body.id);
    });

    it('the same key with a different request: 422, nothing new accepted', async () => {
      const key = { 'idempotency-key': 'retry-2' };
      expect((await stack.post('/v1/submissions', SUBMISSION, key)).status).toBe(202);
      const reuse = await stack.post('/v1/submissions', { ...SUBMISSION, source: 'print(3)\n' }, key);
      expect(reuse.status).toBe(422);
      expect(reuse.body).toMatchObject({ type: `${PROBLEM}unprocessable`, errors: [{ field: 'idempotency-key', message: expect.stringMatching(/^Idempotency-Key "retry-2" was already used for a different request/) }] });
    });
  });

  describe("webhooks signed with the tenant's own secret", () => {
    beforeAll(() => receiver.start());

    /** A submission with a callback, cancelled (final: its webhook fires; no worker needed); its webhook once received. */
    const cancelledWebhook = async () => {
      const id = await stack.submit({ ...SUBMISSION, callbackUrl: receiver.url('/t') });
      expect((await raw(`${stack.baseUrl}/v1/submissions/${id}`, { method: 'DELETE', headers: stack.authHeaders() })).status).toBe(200);
      const eventId = `msg_${id}_1`;
      await receiver.until(() => receiver.receivedFor(eventId).length > 0);
      return receiver.receivedFor(eventId)[0];
    };

    it('verifies with the secret the admin sees for the tenant; after a rotation both the new and the previous secret verify', async () => {
      const before = await stack.webhookSecret();
      receiver.secret = before;
      const first = await cancelledWebhook();
      expect(first.verificationError).toBeNull();
      expect(first.payload).toMatchObject({ type: 'submission.completed', data: { status: 'cancelled', tenantId: 'e2e' } });

      const rotated = await stack.post('/v1/admin/tenants/e2e/webhook-secrets', {}, bearer(stack.adminKey));
      expect(rotated.status).toBe(200);
      const after = rotated.body.webhookSecrets[0].secret;
      expect(rotated.body.webhookSecrets.map((s: { secret: string }) => s.secret)).toEqual([after, before]);
      receiver.secret = after;
      const second = await cancelledWebhook();
      expect(second.verificationError).toBeNull();
      expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(new Webhook(before).verify(second.body, second.headers as Record<string, string>)).toBeTruthy();
      // Another tenant's secret verifies none of it.
      const otherSecret = await stack.webhookSecret('other');
      expect(() => new Webhook(otherSecret).verify(second.body, second.headers as Record<string, string>)).toThrow('No matching signature found');
    });
  });

  describe('DELETE /v1/submissions/:id', () => {
    it('cancels a queued submission; a second time it is 409 (it is final)', async () => {
      const id = await stack.submit(SUBMISSION);
      const cancelled = await raw(`${stack.baseUrl}/v1/submissions/${id}`, { method: 'DELETE', headers: stack.authHeaders() });
      expect(cancelled).toMatchObject({ status: 200, body: { id, status: 'cancelled' } });
      expect((await stack.get(`/v1/submissions/${id}`)).body.status).toBe('cancelled');
      const again = await raw(`${stack.baseUrl}/v1/submissions/${id}`, { method: 'DELETE', headers: stack.authHeaders() });
      expect(again.status).toBe(409);
    });
  });
});

describe('rate limits, shared by two API replicas', () => {
  const LIMIT = 6;
  const stack = new VerdictStack({ RATE_LIMIT_REQUESTS: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: '3600' });
  let second: INestApplication;
  let secondUrl: string;

  beforeAll(async () => {
    await stack.start({ worker: false });
    second = await startApi({ ...stack.env, API_PORT: '0', RESULT_STREAM_CONSUMER: `${stack.env.RESULT_STREAM_CONSUMER}-b` });
    secondUrl = (await second.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await second?.close();
    await stack.stop();
  });

  it('counts one budget across replicas: 429 with Retry-After and the RateLimit headers once it is spent', async () => {
    const key = await stack.createTenantKey('limited', ['read']);
    const answers: { status: number; headers: Headers; body: any }[] = [];
    for (let i = 0; i < LIMIT + 1; i++) {
      const base = i % 2 === 0 ? stack.baseUrl : secondUrl;
      answers.push(await raw(`${base}/v1/submissions`, { headers: bearer(key) }));
    }
    expect(answers.slice(0, LIMIT).map((a) => a.status)).toEqual(Array(LIMIT).fill(200));
    expect(answers[0].headers.get('ratelimit-policy')).toBe(`"default";q=${LIMIT};w=3600`);
    expect(answers[LIMIT - 1].headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);
    const refused = answers[LIMIT];
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toMatchObject({ type: `${PROBLEM}rate-limited`, status: 429, detail: expect.stringMatching(/^API key \w{8} has used its 6 requests per 3600 s; retry in \d+ s$/) });
    // Another key has its own budget.
    expect((await raw(`${secondUrl}/v1/submissions`, { headers: stack.authHeaders() })).status).toBe(200);
  });
});
