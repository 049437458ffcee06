import { WebhookSigningConfig, loadConfig } from '@verdict/config';
import { RequestValidationError } from '@verdict/contracts';
import { TenantAlreadyExistsError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';

describe('CreateTenant', () => {
  const f = new TenantsFixture();
  afterAll(() => f.close());

  it('stores a tenant with weight 1 and a fresh whsec_ secret of 32 random bytes, indexed by creation time', async () => {
    const tenant = await f.createTenant.execute({ id: 'acme', name: 'Acme Corp' });
    expect(tenant).toEqual({
      id: 'acme',
      name: 'Acme Corp',
      createdAt: '2026-06-01T12:00:00.000Z',
      weight: 1,
      webhookSecrets: [{ secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/), createdAt: '2026-06-01T12:00:00.000Z', expiresAt: null }],
      quotas: { maxQueued: 20000, maxTestsPerSubmission: 1000, maxBatchSize: 10000, maxSourceBytes: 65536 },
      quotaOverrides: { maxQueued: null, maxTestsPerSubmission: null, maxBatchSize: null, maxSourceBytes: null },
    });
    const secret = tenant.webhookSecrets[0].secret;
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    // The same format the deployment-wide webhook secret is held to.
    expect(() => loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: secret })).not.toThrow();
    const { quotas: _acmeQuotas, ...stored } = tenant;
    expect(await f.tenantStore.get('acme')).toEqual(stored);
    expect(await f.redis.zscore(f.keys.tenantIndex, 'acme')).toBe(String(Date.parse('2026-06-01T12:00:00.000Z')));
  });

  it('gives every tenant its own secret, and keeps the weight asked for', async () => {
    const a = await f.createTenant.execute({ id: 'tenant-a', name: 'A', weight: 3 });
    const b = await f.createTenant.execute({ id: 'tenant-b', name: 'B' });
    expect(a.weight).toBe(3);
    expect(a.webhookSecrets[0].secret).not.toBe(b.webhookSecrets[0].secret);
  });

  it('refuses an id already taken, changing nothing', async () => {
    const first = await f.createTenant.execute({ id: 'taken', name: 'First' });
    const error = await rejectionOf(f.createTenant.execute({ id: 'taken', name: 'Second', weight: 9 }));
    expect(error).toBeInstanceOf(TenantAlreadyExistsError);
    expect(error).toMatchObject({ kind: 'conflict', message: 'id: a tenant taken already exists' });
    const { quotas: _firstQuotas, ...stored } = first;
    expect(await f.tenantStore.get('taken')).toEqual(stored);
  });

  it('creates a tenant once when two ask for the same id at the same time', async () => {
    const outcomes = await Promise.allSettled([f.createTenant.execute({ id: 'race', name: 'One' }), f.createTenant.execute({ id: 'race', name: 'Two' })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(TenantAlreadyExistsError);
  });

  it.each([
    [{ id: 'A', name: 'x' }, 'id', /^id must be 2 to 63 lowercase letters/],
    [{ id: '-lead', name: 'x' }, 'id', /^id must be/],
    [{ id: 'has space', name: 'x' }, 'id', /^id must be/],
    [{ id: 'a'.repeat(64), name: 'x' }, 'id', /^id must be/],
    [{ id: 'ok-id', name: '' }, 'name', /^name must be longer than or equal to 1 characters/],
    [{ id: 'ok-id', name: '   ' }, 'name', /^name must not be blank/],
    [{ id: 'ok-id', name: 'x', weight: 0 }, 'weight', /^weight must not be less than 1/],
    [{ id: 'ok-id', name: 'x', weight: 1.5 }, 'weight', /^weight must be an integer number/],
    [{ id: 'ok-id', name: 'x', weight: 1001 }, 'weight', /^weight must not be greater than 1000/],
    [{ id: 'ok-id', name: 'x', owner: 'someone' }, 'owner', /^owner: property owner should not exist/],
  ])('refuses %j, naming %s', async (command, field, message) => {
    const error = await rejectionOf(f.createTenant.execute(command as never));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).problems).toContainEqual({ field, message: expect.stringMatching(message) });
    expect(await f.redis.exists(f.keys.tenant('ok-id'))).toBe(0);
  });

  it('accepts the shortest and longest ids', async () => {
    await f.createTenant.execute({ id: 'a1', name: 'short' });
    await f.createTenant.execute({ id: `z${'-'.repeat(61)}9`, name: 'long' });
    expect(await f.redis.zcard(f.keys.tenantIndex)).toBeGreaterThanOrEqual(2);
  });
});
