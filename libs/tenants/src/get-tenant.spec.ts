import { TenantNotFoundError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';

describe('GetTenant', () => {
  const f = new TenantsFixture();
  afterAll(() => f.close());

  it('shows a tenant with its webhook secrets', async () => {
    const created = await f.createTenant.execute({ id: 'acme', name: 'Acme', weight: 4 });
    expect(await f.getTenant.execute('acme')).toEqual(created);
  });

  it('shows only the secrets that still sign, newest first', async () => {
    const { webhookSecrets } = await f.rotateWebhookSecret.execute({ tenantId: 'acme' });
    expect((await f.getTenant.execute('acme')).webhookSecrets).toEqual(webhookSecrets);
    f.clock.advance(86400);
    expect((await f.getTenant.execute('acme')).webhookSecrets).toEqual([webhookSecrets[0]]);
  });

  it.each(['nobody', 'NOT-A-SLUG', 'a:b', ''])('does not find %j', async (id) => {
    const error = await rejectionOf(f.getTenant.execute(id));
    expect(error).toBeInstanceOf(TenantNotFoundError);
    expect(error).toMatchObject({ kind: 'not-found', message: `tenant ${id} not found` });
  });
});
