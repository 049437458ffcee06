import { ApiKeyRejectedError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';

const ADMIN_API_KEY = `vk_adm1n0ps_${'A1b2-C3d4_'.repeat(4)}`;

async function rejection(f: TenantsFixture, header: string | undefined): Promise<string> {
  const error = await rejectionOf(f.authenticator.authenticate(header));
  expect(error).toBeInstanceOf(ApiKeyRejectedError);
  expect(error).toMatchObject({ kind: 'unauthenticated', problems: [{ field: null, message: error.message }] });
  return error.message;
}

describe('ApiKeyAuthenticator', () => {
  const f = new TenantsFixture({ ADMIN_API_KEY });
  let key: string;
  let prefix: string;
  beforeAll(async () => {
    await f.createTenant.execute({ id: 'acme', name: 'Acme' });
    ({ key, apiKey: { prefix } } = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['submit', 'read'] }));
  });
  afterAll(() => f.close());

  it("turns a tenant's key into its principal and records the use", async () => {
    expect(await f.authenticator.authenticate(`Bearer ${key}`)).toEqual({ tenantId: 'acme', keyId: prefix, scopes: ['submit', 'read'], isAdmin: false, lanes: ['live', 'contest', 'practice'] });
    expect(await f.redis.hget(f.keys.apiKey(prefix), 'lastUsedAt')).toBe('2026-06-01T12:00:00.000Z');
  });

  it('takes the scheme in any case and spaces around the key', async () => {
    expect((await f.authenticator.authenticate(`bearer  ${key} `)).keyId).toBe(prefix);
  });

  it('turns ADMIN_API_KEY into an admin principal with no tenant, without Redis', async () => {
    const get = jest.spyOn(f.apiKeyStore, 'get');
    try {
      expect(await f.authenticator.authenticate(`Bearer ${ADMIN_API_KEY}`)).toEqual({ tenantId: null, keyId: 'adm1n0ps', scopes: ['admin'], isAdmin: true });
      expect(get).not.toHaveBeenCalled();
    } finally {
      get.mockRestore();
    }
  });

  it.each([
    [undefined, 'missing API key: send it as Authorization: Bearer vk_...'],
    ['', 'missing API key: send it as Authorization: Bearer vk_...'],
    ['Basic dXNlcjpwYXNz', 'the Authorization header must be "Bearer <API key>"'],
    ['Bearer', 'the Authorization header must be "Bearer <API key>"'],
    ['Bearer a b', 'the Authorization header must be "Bearer <API key>"'],
    ['Bearer sk_live_123', 'malformed API key: expected vk_, an 8-character prefix, _, and the secret'],
    [`Bearer vk_short_${'x'.repeat(43)}`, 'malformed API key: expected vk_, an 8-character prefix, _, and the secret'],
    ['Bearer vk_abcdefgh_tooShort', 'malformed API key: expected vk_, an 8-character prefix, _, and the secret'],
  ])('refuses %j: %s', async (header, message) => {
    expect(await rejection(f, header)).toBe(message);
  });

  it('says only "invalid API key" for an unknown prefix and for a known prefix with the wrong secret', async () => {
    expect(await rejection(f, `Bearer vk_Unknown1_${'x'.repeat(43)}`)).toBe('invalid API key');
    expect(await rejection(f, `Bearer vk_${prefix}_${'x'.repeat(43)}`)).toBe('invalid API key');
    expect(await rejection(f, `Bearer vk_adm1n0ps_${'x'.repeat(43)}`)).toBe('invalid API key');
  });

  it('says a key expired, to its holder only', async () => {
    const expiring = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['read'], expiresAt: '2026-06-01T12:10:00Z' });
    const authenticator = f.newAuthenticator();
    f.clock.advance(599);
    expect((await authenticator.authenticate(`Bearer ${expiring.key}`)).keyId).toBe(expiring.apiKey.prefix);
    // Remembered, but its own expiry still holds.
    f.clock.advance(1);
    await expect(authenticator.authenticate(`Bearer ${expiring.key}`)).rejects.toThrow(`API key ${expiring.apiKey.prefix} expired at 2026-06-01T12:10:00.000Z`);
    expect(await rejection(f, `Bearer vk_${expiring.apiKey.prefix}_${'x'.repeat(43)}`)).toBe('invalid API key');
  });

  it('says a key was revoked, to its holder only', async () => {
    const revoked = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['read'] });
    await f.revokeApiKey.execute('acme', revoked.apiKey.prefix);
    expect(await rejection(f, `Bearer ${revoked.key}`)).toMatch(new RegExp(`^API key ${revoked.apiKey.prefix} was revoked at `));
    expect(await rejection(f, `Bearer vk_${revoked.apiKey.prefix}_${'x'.repeat(43)}`)).toBe('invalid API key');
  });

  it('asks Redis once per key per API_KEY_CACHE_SECONDS, still checking each presented secret', async () => {
    const authenticator = f.newAuthenticator();
    const get = jest.spyOn(f.apiKeyStore, 'get');
    const touch = jest.spyOn(f.apiKeyStore, 'touch');
    try {
      for (let i = 0; i < 10; i++) await authenticator.authenticate(`Bearer ${key}`);
      expect(get).toHaveBeenCalledTimes(1);
      expect(touch).toHaveBeenCalledTimes(1);
      // A wrong secret for a remembered prefix is refused without Redis.
      await expect(authenticator.authenticate(`Bearer vk_${prefix}_${'z'.repeat(43)}`)).rejects.toThrow('invalid API key');
      expect(get).toHaveBeenCalledTimes(1);

      f.clock.advance(4.999);
      await authenticator.authenticate(`Bearer ${key}`);
      expect(get).toHaveBeenCalledTimes(1);
      f.clock.advance(0.001);
      await authenticator.authenticate(`Bearer ${key}`);
      expect(get).toHaveBeenCalledTimes(2);
      expect(await f.redis.hget(f.keys.apiKey(prefix), 'lastUsedAt')).toBe(f.clock.now().toISOString());
    } finally {
      get.mockRestore();
      touch.mockRestore();
    }
  });

  it('does not remember keys that failed', async () => {
    const authenticator = f.newAuthenticator();
    const get = jest.spyOn(f.apiKeyStore, 'get');
    try {
      for (let i = 0; i < 3; i++) await expect(authenticator.authenticate(`Bearer vk_Unknown2_${'x'.repeat(43)}`)).rejects.toThrow('invalid API key');
      expect(get).toHaveBeenCalledTimes(3);
    } finally {
      get.mockRestore();
    }
  });

  it('with API_KEY_CACHE_SECONDS=0, asks Redis every time', async () => {
    const g = new TenantsFixture({ API_KEY_CACHE_SECONDS: '0' });
    try {
      await g.createTenant.execute({ id: 'acme', name: 'Acme' });
      const made = await g.createApiKey.execute({ tenantId: 'acme', scopes: ['read'] });
      const get = jest.spyOn(g.apiKeyStore, 'get');
      await g.authenticator.authenticate(`Bearer ${made.key}`);
      await g.authenticator.authenticate(`Bearer ${made.key}`);
      expect(get).toHaveBeenCalledTimes(2);
      await g.revokeApiKey.execute('acme', made.apiKey.prefix);
      await expect(g.newAuthenticator().authenticate(`Bearer ${made.key}`)).rejects.toThrow('was revoked');
    } finally {
      await g.close();
    }
  });

  it('does not bring back a key deleted while it was being checked', async () => {
    await f.createTenant.execute({ id: 'gone', name: 'Gone' });
    const made = await f.createApiKey.execute({ tenantId: 'gone', scopes: ['read'] });
    const record = await f.apiKeyStore.get(made.apiKey.prefix);
    await f.deleteTenant.execute('gone');
    await f.apiKeyStore.touch(made.apiKey.prefix, f.clock.now());
    expect(record).not.toBeNull();
    expect(await f.redis.exists(f.keys.apiKey(made.apiKey.prefix))).toBe(0);
  });
});
