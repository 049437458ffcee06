import { ApiKeysConfig, RedisConfig, SubmissionPolicyConfig, loadConfig } from '@verdict/config';
import { RedisKeys } from '@verdict/redis';
import { Principal, ProgressTokens } from '@verdict/tenants';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { SubmissionNotFoundError } from './follow-submission';
import { IssueProgressToken } from './issue-progress-token';
import { NewSubmission, SubmissionStore } from './submission-store';

/** Minting live-progress tokens against real Redis, under a key prefix of its own (deleted after). */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const ACME: Principal = { tenantId: 'acme', keyId: 'AcmeKey1', scopes: ['read'], isAdmin: false };
const GLOBEX: Principal = { tenantId: 'globex', keyId: 'Gl0bexK1', scopes: ['read', 'submit'], isAdmin: false };
const ADMIN: Principal = { tenantId: null, keyId: '0pera7or', scopes: ['admin'], isAdmin: true };

describe('IssueProgressToken', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `unit-${randomBytes(4).toString('hex')}`;
  const keys = new RedisKeys(loadConfig(RedisConfig, { REDIS_URL, VERDICT_KEY_PREFIX: prefix }));
  const store = new SubmissionStore(redis, keys, loadConfig(SubmissionPolicyConfig, {}));
  const tokens = new ProgressTokens(loadConfig(ApiKeysConfig, { PROGRESS_TOKEN_TTL_SECONDS: '120' }), redis, keys, () => new Date());
  const issue = new IssueProgressToken(store, tokens);
  const id = randomUUID();

  beforeAll(async () => {
    const submission: NewSubmission = {
      id, language: 'python', traceId: '0af7651916cd43dd8448eb211c80319c', createdAt: new Date().toISOString(),
      limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 128, outputKb: 64 }, limitMultipliers: null, problem: null,
      testCount: 1, disclosure: null, request: { language: 'python', source: 'print(1)' }, callbackUrl: null, batchId: null, tenantId: 'acme',
    };
    await store.create(submission);
  });
  afterAll(async () => {
    const left = await redis.keys(`{${prefix}}*`);
    if (left.length) await redis.del(...left);
    redis.disconnect();
  });

  it("mints a token of the submission's own tenant that opens it, read only, for the configured lifetime", async () => {
    const before = Date.now();
    const { token, expiresAt } = await issue.execute(id, ACME);
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 120_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(await tokens.verify(token, id)).toEqual({ tenantId: 'acme', keyId: 'AcmeKey1', scopes: ['read'], isAdmin: false });
  });

  it('mints one for an admin too', async () => {
    const { token } = await issue.execute(id, ADMIN);
    expect(await tokens.verify(token, id)).toMatchObject({ tenantId: null, isAdmin: true, scopes: ['read'] });
  });

  it("answers another tenant's submission as not found, exactly as a missing one", async () => {
    for (const [submissionId, principal] of [[id, GLOBEX], [randomUUID(), ACME]] as const) {
      await expect(issue.execute(submissionId, principal)).rejects.toThrow(SubmissionNotFoundError);
    }
  });
});
