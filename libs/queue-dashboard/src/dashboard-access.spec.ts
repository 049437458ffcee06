import { ApiKeysConfig, RedisConfig, loadConfig } from '@verdict/config';
import { RedisKeys } from '@verdict/redis';
import { ApiKeyAuthenticator, ApiKeyStore } from '@verdict/tenants';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { DashboardRefusal, admitToDashboard, readDashboardCredentials } from './dashboard-access';

const KEY = `vk_abcdefgh_${'k'.repeat(43)}`;
const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('readDashboardCredentials', () => {
  it('takes a Bearer token as it is, for the authenticator to judge', () => {
    expect(readDashboardCredentials(`Bearer ${KEY}`)).toEqual({ scheme: 'bearer', bearer: `Bearer ${KEY}`, problem: null });
    expect(readDashboardCredentials('bearer nonsense')).toEqual({ scheme: 'bearer', bearer: 'bearer nonsense', problem: null });
  });

  it("takes Basic auth's password as the key, whatever the user name (empty too), colons in it kept", () => {
    expect(readDashboardCredentials(basic(`ops:${KEY}`))).toEqual({ scheme: 'basic', bearer: `Bearer ${KEY}`, problem: null });
    expect(readDashboardCredentials(basic(`:${KEY}`))).toEqual({ scheme: 'basic', bearer: `Bearer ${KEY}`, problem: null });
    expect(readDashboardCredentials(basic('ops:a:b')).bearer).toBe('Bearer a:b');
  });

  it('names what is missing or unreadable, as a Basic challenge', () => {
    const cases: [string | undefined, RegExp][] = [
      [undefined, /^no credentials: the queue dashboard needs an admin API key/],
      ['  ', /^no credentials/],
      ['Basic', /^malformed HTTP Basic credentials \(not base64/],
      ['Basic !!!', /^malformed HTTP Basic credentials \(not base64/],
      [basic('no colon'), /^malformed HTTP Basic credentials \(no ":"/],
      [basic('ops:'), /^no password in the HTTP Basic credentials/],
      [`Token ${KEY}`, /^unsupported authorization scheme "Token"/],
    ];
    for (const [header, problem] of cases) {
      const credentials = readDashboardCredentials(header);
      expect({ header, scheme: credentials.scheme, bearer: credentials.bearer }).toEqual({ header, scheme: 'basic', bearer: null });
      expect(credentials.problem).toMatch(problem);
    }
  });
});

// A tenant's key, refused with 403, needs a tenant made through the admin API: test/queue-dashboard.e2e-spec.ts.
describe('admitToDashboard (the API\'s own authenticator, on real Redis)', () => {
  const env = { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', VERDICT_KEY_PREFIX: `unit-dashboard-${randomBytes(4).toString('hex')}`, ADMIN_API_KEY: KEY };
  const redis = new Redis(env.REDIS_URL);
  const keys = new RedisKeys(loadConfig(RedisConfig, env));
  const authenticator = new ApiKeyAuthenticator(new ApiKeyStore(redis, keys), loadConfig(ApiKeysConfig, env), () => new Date());
  const unknown = `vk_zyxwvuts_${'u'.repeat(43)}`;

  afterAll(async () => {
    const left = await redis.keys(`${keys.prefix}*`);
    if (left.length) await redis.del(...left);
    redis.disconnect();
  });

  async function refusal(promise: Promise<unknown>): Promise<DashboardRefusal> {
    const outcome = await promise.then(
      () => null,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(DashboardRefusal);
    return outcome as DashboardRefusal;
  }

  it('admits the admin key, by Bearer or by Basic', async () => {
    for (const authorization of [`Bearer ${KEY}`, basic(`x:${KEY}`)]) {
      expect(await admitToDashboard(authenticator, authorization, '/admin/queues/api/queues?page=1')).toMatchObject({ tenantId: null, isAdmin: true });
    }
  });

  it('refuses an unknown key, no key or a key in the URL with 401, challenged the way the key came', async () => {
    const wrongBearer = await refusal(admitToDashboard(authenticator, `Bearer ${unknown}`, '/admin/queues'));
    expect([wrongBearer.error.kind, wrongBearer.error.message, wrongBearer.challenge]).toEqual(['unauthenticated', 'invalid API key', 'Bearer realm="verdict", error="invalid_token"']);
    const wrongBasic = await refusal(admitToDashboard(authenticator, basic(`x:${unknown}`), '/admin/queues'));
    expect([wrongBasic.error.kind, wrongBasic.challenge]).toEqual(['unauthenticated', 'Basic realm="verdict"']);
    const none = await refusal(admitToDashboard(authenticator, undefined, '/admin/queues'));
    expect([none.error.kind, none.challenge]).toEqual(['unauthenticated', 'Basic realm="verdict"']);
    const inUrl = await refusal(admitToDashboard(authenticator, `Bearer ${KEY}`, `/admin/queues/api/queues?x=${encodeURIComponent(KEY)}`));
    expect(inUrl.error.message).toMatch(/sent in the URL/);
  });

  it('lets other failures (Redis unreachable) through as they are', async () => {
    const gone = new Redis(env.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
    const offline = new ApiKeyAuthenticator(new ApiKeyStore(gone, keys), loadConfig(ApiKeysConfig, env), () => new Date());
    const outcome = await admitToDashboard(offline, `Bearer ${unknown}`, '/admin/queues').then(
      () => null,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome).not.toBeInstanceOf(DashboardRefusal);
    gone.disconnect();
  });
});
