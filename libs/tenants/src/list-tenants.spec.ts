import { TenantsFixture } from './tenants.spec-support';

describe('ListTenants', () => {
  const f = new TenantsFixture();
  afterAll(() => f.close());

  it('lists nothing before any tenant exists', async () => {
    expect(await f.listTenants.execute()).toEqual([]);
  });

  it('lists every tenant oldest first, without webhook secrets', async () => {
    await f.createTenant.execute({ id: 'zeta', name: 'Zeta', weight: 2 });
    f.clock.advance(1);
    await f.createTenant.execute({ id: 'alpha', name: 'Alpha' });
    expect(await f.listTenants.execute()).toEqual([
      { id: 'zeta', name: 'Zeta', createdAt: '2026-06-01T12:00:00.000Z', weight: 2 },
      { id: 'alpha', name: 'Alpha', createdAt: '2026-06-01T12:00:01.000Z', weight: 1 },
    ]);
  });

  it('leaves out deleted tenants', async () => {
    await f.deleteTenant.execute('zeta');
    expect((await f.listTenants.execute()).map((t) => t.id)).toEqual(['alpha']);
  });
});
