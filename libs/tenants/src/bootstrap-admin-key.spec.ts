import { AdminKeyAlreadyBootstrappedError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';

describe('BootstrapAdminKey', () => {
  it('makes the first admin key once, marking it; later runs are refused, even after it is revoked', async () => {
    const f = new TenantsFixture();
    try {
      const { key, apiKey } = await f.bootstrapAdminKey.execute();
      expect(apiKey).toMatchObject({ tenantId: null, scopes: ['admin'], name: 'bootstrap admin key', expiresAt: null, status: 'active' });
      expect(await f.redis.get(f.keys.adminKeyBootstrapped)).toBe(apiKey.prefix);
      expect(await f.authenticator.authenticate(`Bearer ${key}`)).toEqual({ tenantId: null, keyId: apiKey.prefix, scopes: ['admin'], isAdmin: true });

      const again = await rejectionOf(f.bootstrapAdminKey.execute());
      expect(again).toBeInstanceOf(AdminKeyAlreadyBootstrappedError);
      expect(again).toMatchObject({ kind: 'conflict' });

      await f.revokeApiKey.execute(null, apiKey.prefix);
      await expect(f.bootstrapAdminKey.execute()).rejects.toBeInstanceOf(AdminKeyAlreadyBootstrappedError);
      expect(await f.redis.zcard(f.keys.adminApiKeys)).toBe(1);
    } finally {
      await f.close();
    }
  });

  it('of concurrent runs, exactly one makes a key', async () => {
    const f = new TenantsFixture();
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => f.bootstrapAdminKey.execute({ name: `run ${i}` })));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes.filter((o) => o.status === 'rejected')) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(AdminKeyAlreadyBootstrappedError);
      expect(await f.redis.zcard(f.keys.adminApiKeys)).toBe(1);
    } finally {
      await f.close();
    }
  });

  it('is refused once an admin key exists, made otherwise', async () => {
    const f = new TenantsFixture();
    try {
      await f.createApiKey.execute({ tenantId: null, scopes: ['admin'] });
      await expect(f.bootstrapAdminKey.execute()).rejects.toBeInstanceOf(AdminKeyAlreadyBootstrappedError);
      expect(await f.redis.exists(f.keys.adminKeyBootstrapped)).toBe(0);
    } finally {
      await f.close();
    }
  });
});
