import { ApiKeyRejectedError, TenantNotFoundError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';

describe('DeleteTenant', () => {
  const f = new TenantsFixture();
  afterAll(() => f.close());

  it('deletes the tenant and every API key of it at once; the keys stop authenticating', async () => {
    await f.createTenant.execute({ id: 'acme', name: 'Acme' });
    await f.createTenant.execute({ id: 'other', name: 'Other' });
    const one = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['submit'] });
    const two = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['read'] });
    const kept = await f.createApiKey.execute({ tenantId: 'other', scopes: ['read'] });
    await f.authenticator.authenticate(`Bearer ${one.key}`); // remembered by this process

    expect(await f.deleteTenant.execute('acme')).toEqual({ id: 'acme', apiKeysDeleted: 2 });

    for (const { key } of [one, two]) {
      const error = await rejectionOf(f.authenticator.authenticate(`Bearer ${key}`));
      expect(error).toBeInstanceOf(ApiKeyRejectedError);
      expect(error.message).toBe('invalid API key');
    }
    expect(await f.redis.exists(f.keys.tenant('acme'), f.keys.tenantApiKeys('acme'), f.keys.apiKey(one.apiKey.prefix), f.keys.apiKey(two.apiKey.prefix))).toBe(0);
    expect(await f.redis.zscore(f.keys.tenantIndex, 'acme')).toBeNull();
    await expect(f.getTenant.execute('acme')).rejects.toBeInstanceOf(TenantNotFoundError);
    // Other tenants are untouched.
    expect((await f.authenticator.authenticate(`Bearer ${kept.key}`)).tenantId).toBe('other');
  });

  it('lets the id be used again, with none of the earlier keys', async () => {
    await f.createTenant.execute({ id: 'acme', name: 'Acme again' });
    expect(await f.listApiKeys.execute('acme')).toEqual([]);
  });

  it('deletes a key created after its keys were first read (the deletion reads them again)', async () => {
    await f.createTenant.execute({ id: 'racy', name: 'Racy' });
    const late = await f.createApiKey.execute({ tenantId: 'racy', scopes: ['read'] });
    // The first read misses the key, as if it was created between the read and the deletion.
    const zrange = jest.spyOn(f.redis, 'zrange').mockResolvedValueOnce([]);
    try {
      expect(await f.deleteTenant.execute('racy')).toEqual({ id: 'racy', apiKeysDeleted: 1 });
    } finally {
      zrange.mockRestore();
    }
    expect(await f.redis.exists(f.keys.apiKey(late.apiKey.prefix))).toBe(0);
  });

  it('does not find an unknown tenant, and makes no key for a deleted one', async () => {
    await expect(f.deleteTenant.execute('nobody')).rejects.toBeInstanceOf(TenantNotFoundError);
    await expect(f.deleteTenant.execute('Bad Id')).rejects.toBeInstanceOf(TenantNotFoundError);
    await expect(f.createApiKey.execute({ tenantId: 'racy', scopes: ['read'] })).rejects.toBeInstanceOf(TenantNotFoundError);
    expect(await f.redis.exists(f.keys.tenantApiKeys('racy'))).toBe(0);
  });
});
