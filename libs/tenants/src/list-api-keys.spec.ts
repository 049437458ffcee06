import { TenantNotFoundError } from './tenant-errors';
import { TenantsFixture } from './tenants.spec-support';

describe('ListApiKeys', () => {
  const f = new TenantsFixture();
  afterAll(() => f.close());

  it('lists a tenant\'s keys oldest first with their state, never a key or its hash', async () => {
    await f.createTenant.execute({ id: 'acme', name: 'Acme' });
    await f.createTenant.execute({ id: 'other', name: 'Other' });
    expect(await f.listApiKeys.execute('acme')).toEqual([]);

    const used = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['submit'], name: 'used' });
    f.clock.advance(1);
    const expiring = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['read'], expiresAt: '2026-06-01T13:00:00Z' });
    f.clock.advance(1);
    const revoked = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['problems:write'] });
    await f.createApiKey.execute({ tenantId: 'other', scopes: ['read'] });
    await f.authenticator.authenticate(`Bearer ${used.key}`);
    await f.revokeApiKey.execute('acme', revoked.apiKey.prefix);
    f.clock.advance(3600);

    const listed = await f.listApiKeys.execute('acme');
    expect(listed).toEqual([
      { ...used.apiKey, lastUsedAt: '2026-06-01T12:00:02.000Z', status: 'active' },
      { ...expiring.apiKey, status: 'expired' },
      { ...revoked.apiKey, revokedAt: '2026-06-01T12:00:02.000Z', status: 'revoked' },
    ]);
    const shown = JSON.stringify(listed);
    for (const { key } of [used, expiring, revoked]) expect(shown).not.toContain(key.slice(12));
    expect(shown).not.toContain('sha256');
  });

  it('lists the admin keys for a null tenant', async () => {
    const admin = await f.createApiKey.execute({ tenantId: null, scopes: ['admin'] });
    expect((await f.listApiKeys.execute(null)).map((k) => k.prefix)).toEqual([admin.apiKey.prefix]);
  });

  it('does not find an unknown tenant', async () => {
    await expect(f.listApiKeys.execute('nobody')).rejects.toBeInstanceOf(TenantNotFoundError);
    await expect(f.listApiKeys.execute('No Such')).rejects.toBeInstanceOf(TenantNotFoundError);
  });
});
