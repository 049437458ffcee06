import { DomainError } from '@verdict/contracts';
import { Exposition } from '../../metrics/src/exposition.spec-support';
import { Public } from '@verdict/tenants';
import { API_KEY_RATE_LIMIT_POLICY } from './api-key-rate-limiter';
import { RateLimitExceededError } from './rate-limit-exceeded.error';
import { FakeReply, RateLimitsFixture, Replica, adminPrincipal, httpContext, newKeyId, rejectionOf, tenantPrincipal } from './rate-limits.spec-support';

class SubmissionsController {
  create(): void {}

  @Public()
  health(): void {}
}

@Public()
class DocsController {
  openapi(): void {}
}

/** An hour: no window can roll over while a spec runs, so counts are exact. */
const WINDOW = 3600;
const LIMIT = 3;

/** The parameters of a `RateLimit` field, checking its syntax. */
function rateLimitOf(reply: FakeReply): { r: number; t: number } {
  const match = /^"default";r=(\d+);t=(\d+)$/.exec(reply.headers['RateLimit'] ?? '');
  if (!match) throw new Error(`not a RateLimit field: ${reply.headers['RateLimit']}`);
  return { r: Number(match[1]), t: Number(match[2]) };
}

/** One request of `keyId` through a replica's guard. */
async function request(replica: Replica, keyId: string, principal = tenantPrincipal(keyId)) {
  const { context, reply } = httpContext(SubmissionsController, 'create', principal);
  return { allowed: await replica.guard.canActivate(context), reply };
}

/** A request over the budget: its error and reply. */
async function refused(replica: Replica, keyId: string) {
  const { context, reply } = httpContext(SubmissionsController, 'create', tenantPrincipal(keyId));
  const error = await rejectionOf(replica.guard.canActivate(context));
  return { error, reply };
}

describe('RateLimitGuard', () => {
  const f = new RateLimitsFixture({ RATE_LIMIT_REQUESTS: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: String(WINDOW) });
  let a: Replica;
  let b: Replica;
  beforeAll(async () => {
    a = await f.replica();
    b = await f.replica();
  });
  afterAll(() => f.close());

  it('lets requests within the budget through with the RateLimit-Policy and RateLimit fields, counting down', async () => {
    const key = newKeyId();
    for (const remaining of [2, 1, 0]) {
      const { allowed, reply } = await request(a, key);
      expect(allowed).toBe(true);
      expect(reply.headers['RateLimit-Policy']).toBe(`"default";q=${LIMIT};w=${WINDOW}`);
      const { r, t } = rateLimitOf(reply);
      expect(r).toBe(remaining);
      expect(t).toBeGreaterThanOrEqual(1);
      expect(t).toBeLessThanOrEqual(WINDOW);
      expect(reply.headers['Retry-After']).toBeUndefined();
    }
  });

  it('refuses a request over the budget as rate-limited, naming the key, the limit and when to retry, with Retry-After', async () => {
    const key = newKeyId();
    for (let i = 0; i < LIMIT; i++) await request(a, key);

    const { error, reply } = await refused(a, key);
    expect(error).toBeInstanceOf(RateLimitExceededError);
    expect(error).toBeInstanceOf(DomainError);
    const exceeded = error as RateLimitExceededError;
    expect(exceeded.kind).toBe('rate-limited');
    const retryAfter = Number(reply.headers['Retry-After']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW);
    expect(exceeded.retryAfterSeconds).toBe(retryAfter);
    expect(exceeded.message).toBe(`API key ${key} has used its ${LIMIT} requests per ${WINDOW} s; retry in ${retryAfter} s`);
    expect(exceeded.problems).toEqual([{ field: null, message: exceeded.message }]);
    expect(reply.headers['RateLimit-Policy']).toBe(`"default";q=${LIMIT};w=${WINDOW}`);
    expect(rateLimitOf(reply)).toEqual({ r: 0, t: retryAfter });

    // Still refused: refusals do not give the budget back.
    expect((await refused(a, key)).error).toBeInstanceOf(RateLimitExceededError);
  });

  it("counts each refusal by the key's tenant (admins' apart), never a request let through", async () => {
    const before = new Exposition((await f.metrics.exposition()).text);
    const [key, admin] = [newKeyId(), newKeyId()];
    for (let i = 0; i < LIMIT; i++) await request(a, key);
    await refused(a, key);
    await refused(b, key);
    for (let i = 0; i < LIMIT; i++) await request(a, admin, adminPrincipal(admin));
    await rejectionOf(a.guard.canActivate(httpContext(SubmissionsController, 'create', adminPrincipal(admin)).context));
    const after = new Exposition((await f.metrics.exposition()).text);
    const counted = (tenant: string) => after.value('verdict_rate_limited_total', { tenant }) - before.value('verdict_rate_limited_total', { tenant });
    expect(counted('acme')).toBe(2);
    expect(counted('_admin')).toBe(1);
  });

  it('gives a key its whole budget back when its counter is reset', async () => {
    const key = newKeyId();
    for (let i = 0; i < LIMIT; i++) await request(a, key);
    expect((await refused(a, key)).error).toBeInstanceOf(RateLimitExceededError);

    await a.limiter.reset(key);
    expect(rateLimitOf((await request(a, key)).reply).r).toBe(LIMIT - 1);
  });

  it('shares one budget per key between replicas with Redis connections of their own', async () => {
    const key = newKeyId();
    expect(a.redis).not.toBe(b.redis);
    expect(rateLimitOf((await request(a, key)).reply).r).toBe(2);
    expect(rateLimitOf((await request(b, key)).reply).r).toBe(1);
    expect(rateLimitOf((await request(a, key)).reply).r).toBe(0);
    expect((await refused(b, key)).error).toBeInstanceOf(RateLimitExceededError);
    expect((await refused(a, key)).error).toBeInstanceOf(RateLimitExceededError);
    // One counter, under the deployment's hash tag.
    expect((await f.storedKeys()).filter((stored) => stored.endsWith(`:${key}`))).toEqual([`${f.keys.rateLimit(API_KEY_RATE_LIMIT_POLICY)}:${key}`]);
  });

  it('gives distinct keys distinct budgets, admins\' keys included', async () => {
    const spent = newKeyId();
    const other = newKeyId();
    const admin = newKeyId();
    for (let i = 0; i < LIMIT; i++) await request(a, spent);
    expect((await refused(a, spent)).error).toBeInstanceOf(RateLimitExceededError);

    expect(rateLimitOf((await request(b, other)).reply).r).toBe(LIMIT - 1);
    for (const remaining of [2, 1, 0]) expect(rateLimitOf((await request(a, admin, adminPrincipal(admin))).reply).r).toBe(remaining);
    const { context } = httpContext(SubmissionsController, 'create', adminPrincipal(admin));
    const error = await rejectionOf(a.guard.canActivate(context));
    expect(error).toBeInstanceOf(RateLimitExceededError);
    expect(error.message).toContain(`API key ${admin} `);
  });

  it('does not count @Public() routes (handler or controller) nor requests without a principal', async () => {
    const key = newKeyId();
    const uncounted = [
      httpContext(SubmissionsController, 'health', tenantPrincipal(key)),
      httpContext(DocsController, 'openapi', tenantPrincipal(key)),
      httpContext(SubmissionsController, 'create'),
    ];
    for (const { context, reply } of uncounted) {
      for (let i = 0; i < LIMIT + 2; i++) expect(await a.guard.canActivate(context)).toBe(true);
      expect(reply.headers).toEqual({});
    }
    expect((await f.storedKeys()).filter((stored) => stored.endsWith(`:${key}`))).toEqual([]);
    expect(rateLimitOf((await request(a, key)).reply).r).toBe(LIMIT - 1);
  });

  it('lets a Redis failure through as it is: the request is neither let through nor refused as rate-limited', async () => {
    const down = f.unreachableReplica();
    const { context, reply } = httpContext(SubmissionsController, 'create', tenantPrincipal(newKeyId()));
    const error = await rejectionOf(down.guard.canActivate(context));
    expect(error).not.toBeInstanceOf(DomainError);
    // What the API's error filter answers 503 for.
    expect(error.message).toMatch(/Connection is closed|enableOfflineQueue|ECONNREFUSED|Stream isn't writeable/i);
    expect(reply.headers).toEqual({});
  });
});

describe('RateLimitGuard, turned off', () => {
  const f = new RateLimitsFixture({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_REQUESTS: '1' });
  afterAll(() => f.close());

  it('counts nothing and sends no field', async () => {
    const replica = await f.replica();
    const key = newKeyId();
    for (let i = 0; i < 3; i++) {
      const { allowed, reply } = await request(replica, key);
      expect(allowed).toBe(true);
      expect(reply.headers).toEqual({});
    }
    expect(await f.storedKeys()).toEqual([]);
  });
});

describe('RateLimitGuard, a 1 s window', () => {
  const f = new RateLimitsFixture({ RATE_LIMIT_REQUESTS: '1', RATE_LIMIT_WINDOW_SECONDS: '1' });
  afterAll(() => f.close());

  it('has the whole budget again once the window has ended in Redis, however many requests were refused meanwhile', async () => {
    const replica = await f.replica();
    const key = newKeyId();
    expect((await request(replica, key)).allowed).toBe(true);
    const { error, reply } = await refused(replica, key);
    expect(error).toBeInstanceOf(RateLimitExceededError);
    expect(reply.headers['Retry-After']).toBe('1');

    // Poll (a refused request each time) until the counter has expired, within a generous deadline.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { context, reply: polled } = httpContext(SubmissionsController, 'create', tenantPrincipal(key));
      const outcome = await replica.guard.canActivate(context).catch((e: unknown) => e);
      if (outcome === true) {
        expect(rateLimitOf(polled).r).toBe(0);
        break;
      }
      expect(outcome).toBeInstanceOf(RateLimitExceededError);
      if (Date.now() > deadline) throw new Error('the budget did not come back within 15 s of a 1 s window');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });
});
