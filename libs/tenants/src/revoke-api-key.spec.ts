import { ApiKeyNotFoundError, ApiKeyRejectedError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';

describe('RevokeApiKey', () => {
  const f = new TenantsFixture(); // API_KEY_CACHE_SECONDS: the default, 5
  beforeAll(async () => {
    await f.createTenant.execute({ id: 'acme', name: 'Acme' });
    await f.createTenant.execute({ id: 'other', name: 'Other' });
  });
  afterAll(() => f.close());

  it('marks the key revoked, keeping its record; it stops authenticating at once in this process', async () => {
    const { key, apiKey } = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['submit'] });
    await f.authenticator.authenticate(`Bearer ${key}`);
    f.clock.advance(10);

    const revoked = await f.revokeApiKey.execute('acme', apiKey.prefix);
    expect(revoked).toEqual({ ...apiKey, revokedAt: '2026-06-01T12:00:10.000Z', lastUsedAt: '2026-06-01T12:00:00.000Z', status: 'revoked' });
    const error = await rejectionOf(f.authenticator.authenticate(`Bearer ${key}`));
    expect(error).toBeInstanceOf(ApiKeyRejectedError);
    expect(error.message).toBe(`API key ${apiKey.prefix} was revoked at 2026-06-01T12:00:10.000Z`);
  });

  it('stops it in other processes within API_KEY_CACHE_SECONDS', async () => {
    const { key, apiKey } = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['read'] });
    const elsewhere = f.newAuthenticator();
    await elsewhere.authenticate(`Bearer ${key}`); // remembered there for 5 s
    await f.revokeApiKey.execute('acme', apiKey.prefix);

    f.clock.advance(4);
    expect((await elsewhere.authenticate(`Bearer ${key}`)).keyId).toBe(apiKey.prefix);
    f.clock.advance(1);
    await expect(elsewhere.authenticate(`Bearer ${key}`)).rejects.toThrow(`API key ${apiKey.prefix} was revoked`);
  });

  it('keeps the first revocation time when revoked again', async () => {
    const { apiKey } = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['read'] });
    const first = await f.revokeApiKey.execute('acme', apiKey.prefix);
    f.clock.advance(60);
    expect((await f.revokeApiKey.execute('acme', apiKey.prefix)).revokedAt).toBe(first.revokedAt);
  });

  it('does not find another tenant\'s key, an admin key by a tenant, or an unknown one, changing nothing', async () => {
    const theirs = await f.createApiKey.execute({ tenantId: 'other', scopes: ['read'] });
    const admin = await f.createApiKey.execute({ tenantId: null, scopes: ['admin'] });
    for (const [tenantId, keyId] of [['acme', theirs.apiKey.prefix], ['acme', admin.apiKey.prefix], [null, theirs.apiKey.prefix], ['acme', 'Unknown1'], ['acme', 'bad:id']] as const) {
      const error = await rejectionOf(f.revokeApiKey.execute(tenantId, keyId));
      expect(error).toBeInstanceOf(ApiKeyNotFoundError);
      expect(error.message).toBe(`API key ${keyId} not found`);
    }
    expect(await f.redis.exists(f.keys.apiKey('Unknown1'))).toBe(0);
    expect((await f.authenticator.authenticate(`Bearer ${theirs.key}`)).tenantId).toBe('other');
    expect((await f.authenticator.authenticate(`Bearer ${admin.key}`)).isAdmin).toBe(true);
  });

  it('revokes an admin key for a null tenant', async () => {
    const admin = await f.createApiKey.execute({ tenantId: null, scopes: ['admin'] });
    expect((await f.revokeApiKey.execute(null, admin.apiKey.prefix)).status).toBe('revoked');
    await expect(f.authenticator.authenticate(`Bearer ${admin.key}`)).rejects.toThrow('was revoked');
  });
});
