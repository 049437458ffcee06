import { RequestValidationError } from '@verdict/contracts';
import { TenantNotFoundError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';

const DEFAULTS = { maxQueued: 20000, maxTestsPerSubmission: 1000, maxBatchSize: 10000, maxSourceBytes: 65536 };
const NONE = { maxQueued: null, maxTestsPerSubmission: null, maxBatchSize: null, maxSourceBytes: null };

describe('SetTenantQuotas', () => {
  const f = new TenantsFixture();
  afterAll(() => f.close());

  it('creates a tenant with its overrides and shows them beside the quotas that apply', async () => {
    const created = await f.createTenant.execute({ id: 'acme', name: 'Acme', quotas: { maxTestsPerSubmission: 20, maxQueued: null } });
    expect(created).toMatchObject({ quotas: { ...DEFAULTS, maxTestsPerSubmission: 20 }, quotaOverrides: { ...NONE, maxTestsPerSubmission: 20 } });
    expect(await f.getTenant.execute('acme')).toEqual(created);
    const plain = await f.createTenant.execute({ id: 'plain', name: 'Plain' });
    expect(plain).toMatchObject({ quotas: DEFAULTS, quotaOverrides: NONE });
  });

  it('replaces every override: one absent or null follows the default again', async () => {
    expect(await f.setTenantQuotas.execute({ tenantId: 'acme', maxBatchSize: 50, maxSourceBytes: 2048 })).toEqual({
      tenantId: 'acme',
      quotas: { ...DEFAULTS, maxBatchSize: 50, maxSourceBytes: 2048 },
      quotaOverrides: { ...NONE, maxBatchSize: 50, maxSourceBytes: 2048 },
    });
    expect(await f.getTenant.execute('acme')).toMatchObject({ quotaOverrides: { ...NONE, maxBatchSize: 50, maxSourceBytes: 2048 } });
    expect((await f.setTenantQuotas.execute({ tenantId: 'acme', maxBatchSize: null })).quotas).toEqual(DEFAULTS);
    expect(await f.redis.hget(f.keys.tenant('acme'), 'quotas')).toBe('{}');
  });

  it('refuses values out of bounds or of the wrong type, naming each field, and changes nothing', async () => {
    await f.setTenantQuotas.execute({ tenantId: 'acme', maxQueued: 9 });
    const error = await rejectionOf(f.setTenantQuotas.execute({ tenantId: 'acme', maxQueued: 0, maxTestsPerSubmission: 1.5, maxBatchSize: 100001, maxSourceBytes: 65537, maxPizzas: 1 } as never));
    expect(error).toBeInstanceOf(RequestValidationError);
    const fields = (error as RequestValidationError).problems.map((p) => p.field);
    expect(new Set(fields)).toEqual(new Set(['maxQueued', 'maxTestsPerSubmission', 'maxBatchSize', 'maxSourceBytes', 'maxPizzas']));
    expect(error.message).toMatch(/maxSourceBytes must not be greater than 65536/);
    expect((await f.getTenant.execute('acme')).quotaOverrides).toEqual({ ...NONE, maxQueued: 9 });
  });

  it('refuses quotas of a tenant at creation the same way, under quotas.', async () => {
    const error = await rejectionOf(f.createTenant.execute({ id: 'bad', name: 'Bad', quotas: { maxBatchSize: 0 } }));
    expect((error as RequestValidationError).problems).toEqual([{ field: 'quotas.maxBatchSize', message: 'quotas.maxBatchSize must not be less than 1' }]);
    expect(await f.tenantStore.exists('bad')).toBe(false);
  });

  it('does not find an unknown tenant, and creates nothing', async () => {
    const error = await rejectionOf(f.setTenantQuotas.execute({ tenantId: 'nobody', maxQueued: 1 }));
    expect(error).toBeInstanceOf(TenantNotFoundError);
    expect(await f.redis.exists(f.keys.tenant('nobody'))).toBe(0);
  });
});
