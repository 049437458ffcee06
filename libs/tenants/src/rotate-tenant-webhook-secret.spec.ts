import { RequestValidationError } from '@verdict/contracts';
import { TenantNotFoundError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';
import { MAX_WEBHOOK_SECRETS } from './webhook-secrets';

describe('RotateTenantWebhookSecret', () => {
  const f = new TenantsFixture(); // TENANT_WEBHOOK_SECRET_GRACE_SECONDS: the default, 86400
  afterAll(() => f.close());

  it('makes a new current secret; the previous one signs until the grace period ends', async () => {
    const tenant = await f.createTenant.execute({ id: 'acme', name: 'Acme' });
    const first = tenant.webhookSecrets[0].secret;
    f.clock.advance(60);

    const { tenantId, webhookSecrets } = await f.rotateWebhookSecret.execute({ tenantId: 'acme' });
    expect(tenantId).toBe('acme');
    expect(webhookSecrets).toEqual([
      { secret: expect.stringMatching(/^whsec_/), createdAt: '2026-06-01T12:01:00.000Z', expiresAt: null },
      { secret: first, createdAt: '2026-06-01T12:00:00.000Z', expiresAt: '2026-06-02T12:01:00.000Z' },
    ]);
    expect(webhookSecrets[0].secret).not.toBe(first);
    expect(await f.tenantStore.webhookSecretsOf('acme')).toEqual(webhookSecrets);
  });

  it('keeps each earlier secret to its own grace period across rotations, and drops the ended ones', async () => {
    const start = f.clock.now().getTime();
    const at = (seconds: number) => new Date(start + seconds * 1000).toISOString();
    await f.createTenant.execute({ id: 'busy', name: 'Busy' });
    const [a] = await f.webhookSecrets.activeWebhookSecrets('busy', f.clock.now());
    f.clock.advance(3600);
    const [b] = (await f.rotateWebhookSecret.execute({ tenantId: 'busy' })).webhookSecrets.map((s) => s.secret);
    f.clock.advance(3600);
    const second = await f.rotateWebhookSecret.execute({ tenantId: 'busy' });
    const c = second.webhookSecrets[0].secret;
    expect(second.webhookSecrets.map((s) => [s.secret, s.expiresAt])).toEqual([
      [c, null],
      [b, at(7200 + 86400)],
      [a, at(3600 + 86400)],
    ]);
    // a's grace ends first; the next rotation forgets it.
    f.clock.advance(86400 - 3600);
    const third = await f.rotateWebhookSecret.execute({ tenantId: 'busy' });
    expect(third.webhookSecrets.map((s) => s.secret)).toEqual([third.webhookSecrets[0].secret, c, b]);
    expect((await f.tenantStore.webhookSecretsOf('busy'))!.map((s) => s.secret)).not.toContain(a);
  });

  it('with dropPrevious, stops every earlier secret at once (a leaked secret)', async () => {
    await f.createTenant.execute({ id: 'leaky', name: 'Leaky' });
    await f.rotateWebhookSecret.execute({ tenantId: 'leaky' });
    const { webhookSecrets } = await f.rotateWebhookSecret.execute({ tenantId: 'leaky', dropPrevious: true });
    expect(webhookSecrets).toHaveLength(1);
    expect(await f.webhookSecrets.activeWebhookSecrets('leaky', f.clock.now())).toEqual([webhookSecrets[0].secret]);
  });

  it(`signs with at most ${MAX_WEBHOOK_SECRETS} secrets however fast it is rotated, dropping the oldest`, async () => {
    await f.createTenant.execute({ id: 'spinner', name: 'Spinner' });
    const made: string[] = [];
    for (let i = 0; i < MAX_WEBHOOK_SECRETS + 2; i++) made.unshift((await f.rotateWebhookSecret.execute({ tenantId: 'spinner' })).webhookSecrets[0].secret);
    expect(await f.webhookSecrets.activeWebhookSecrets('spinner', f.clock.now())).toEqual(made.slice(0, MAX_WEBHOOK_SECRETS));
  });

  it('with a grace period of 0, the previous secret stops at once', async () => {
    const g = new TenantsFixture({ TENANT_WEBHOOK_SECRET_GRACE_SECONDS: '0' });
    try {
      await g.createTenant.execute({ id: 'strict', name: 'Strict' });
      const { webhookSecrets } = await g.rotateWebhookSecret.execute({ tenantId: 'strict' });
      expect(webhookSecrets).toHaveLength(1);
    } finally {
      await g.close();
    }
  });

  it('does not find an unknown tenant, creating nothing, and refuses a bad command', async () => {
    await expect(f.rotateWebhookSecret.execute({ tenantId: 'nobody' })).rejects.toBeInstanceOf(TenantNotFoundError);
    expect(await f.redis.exists(f.keys.tenant('nobody'))).toBe(0);
    const error = await rejectionOf(f.rotateWebhookSecret.execute({ tenantId: 'acme', dropPrevious: 'yes' } as never));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.message).toBe('dropPrevious must be a boolean value');
  });
});
