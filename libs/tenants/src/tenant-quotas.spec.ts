import { TenantQuotasConfig, loadConfig } from '@verdict/config';
import { TenantQuotas } from './tenant-quotas';
import { TenantStore } from './tenant-store';
import { TenantsFixture } from './tenants.spec-support';

const DEFAULTS = { maxQueued: 20000, maxTestsPerSubmission: 1000, maxBatchSize: 10000, maxSourceBytes: 65536 };

describe('TenantQuotas', () => {
  const f = new TenantsFixture();
  afterAll(() => f.close());

  beforeAll(async () => {
    await f.createTenant.execute({ id: 'narrow', name: 'Narrow', quotas: { maxBatchSize: 5, maxSourceBytes: 100 } });
    await f.createTenant.execute({ id: 'plain', name: 'Plain' });
  });

  it("gives a tenant's overrides, each quota not overridden its default", async () => {
    expect(await f.quotas.for('narrow')).toEqual({ ...DEFAULTS, maxBatchSize: 5, maxSourceBytes: 100 });
    expect(await f.quotas.for('plain')).toEqual(DEFAULTS);
  });

  it("gives an admin key's work (no tenant) and an unknown tenant the defaults", async () => {
    expect(await f.quotas.for(null)).toEqual(DEFAULTS);
    expect(await f.quotas.for('nobody')).toEqual(DEFAULTS);
  });

  it('takes the defaults from configuration', async () => {
    const quotas = new TenantQuotas(f.tenantStore, loadConfig(TenantQuotasConfig, { TENANT_DEFAULT_MAX_QUEUED: '7' }), f.clock.now);
    expect(await quotas.for(null)).toEqual({ ...DEFAULTS, maxQueued: 7 });
    expect(await quotas.for('narrow')).toEqual({ ...DEFAULTS, maxQueued: 7, maxBatchSize: 5, maxSourceBytes: 100 });
  });

  it('reads Redis once per tenant per cache period, however many ask at once; a change holds at once here and within the period elsewhere', async () => {
    const elsewhere = f.newTenantQuotas();
    const read = jest.spyOn(TenantStore.prototype, 'quotaOverridesOf');
    try {
      const all = await Promise.all(Array.from({ length: 100 }, () => elsewhere.for('plain')));
      expect(new Set(all.map((q) => q.maxBatchSize))).toEqual(new Set([10000]));
      expect(read).toHaveBeenCalledTimes(1);

      await f.setTenantQuotas.execute({ tenantId: 'plain', maxBatchSize: 3 });
      expect((await f.quotas.for('plain')).maxBatchSize).toBe(3);
      expect((await elsewhere.for('plain')).maxBatchSize).toBe(10000);
      f.clock.advance(5);
      expect((await elsewhere.for('plain')).maxBatchSize).toBe(3);
    } finally {
      read.mockRestore();
    }
  });

  it('keeps nothing with TENANT_QUOTA_CACHE_SECONDS=0, and no failed read', async () => {
    const uncached = new TenantQuotas(f.tenantStore, loadConfig(TenantQuotasConfig, { TENANT_QUOTA_CACHE_SECONDS: '0' }), f.clock.now);
    await f.setTenantQuotas.execute({ tenantId: 'plain', maxBatchSize: 4 });
    expect((await uncached.for('plain')).maxBatchSize).toBe(4);
    await f.tenantStore.setQuotaOverrides('plain', { maxBatchSize: 6 });
    expect((await uncached.for('plain')).maxBatchSize).toBe(6);

    const cached = f.newTenantQuotas();
    const read = jest.spyOn(TenantStore.prototype, 'quotaOverridesOf').mockRejectedValueOnce(new Error('Connection is closed.'));
    try {
      await expect(cached.for('plain')).rejects.toThrow('Connection is closed.');
      expect((await cached.for('plain')).maxBatchSize).toBe(6);
    } finally {
      read.mockRestore();
    }
  });
});
