import { Webhook } from 'standardwebhooks';
import { TenantNotFoundError } from './tenant-errors';
import { TenantsFixture } from './tenants.spec-support';

/** What libs/webhooks' WebhookSigner does with several secrets: one `v1,` signature each, space-separated. */
function signatureHeaders(secrets: string[], id: string, body: string, at: Date): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
  };
}

describe('TenantWebhookSecrets', () => {
  const f = new TenantsFixture();
  afterAll(() => f.close());
  const body = JSON.stringify({ type: 'submission.completed', data: { id: 's1' } });

  it('signs so that receivers with the new secret, or the previous one during its grace, verify; after it, only the new', async () => {
    const tenant = await f.createTenant.execute({ id: 'acme', name: 'Acme' });
    const old = tenant.webhookSecrets[0].secret;
    expect(await f.webhookSecrets.activeWebhookSecrets('acme', f.clock.now())).toEqual([old]);

    const rotated = (await f.rotateWebhookSecret.execute({ tenantId: 'acme' })).webhookSecrets[0].secret;
    const during = await f.webhookSecrets.activeWebhookSecrets('acme', f.clock.now());
    expect(during).toEqual([rotated, old]);
    // The receivers' clocks: standardwebhooks refuses timestamps 5 minutes off, so sign at the real time.
    const headers = signatureHeaders(during, 'msg_1', body, new Date());
    expect(new Webhook(rotated).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(old).verify(body, headers)).toEqual(JSON.parse(body));

    // One second before the end of the grace period, then at its end.
    f.clock.advance(86399);
    expect(await f.webhookSecrets.activeWebhookSecrets('acme', f.clock.now())).toEqual([rotated, old]);
    f.clock.advance(1);
    const after = await f.webhookSecrets.activeWebhookSecrets('acme', f.clock.now());
    expect(after).toEqual([rotated]);
    const later = signatureHeaders(after, 'msg_2', body, new Date());
    expect(new Webhook(rotated).verify(body, later)).toBeTruthy();
    expect(() => new Webhook(old).verify(body, later)).toThrow('No matching signature found');
  });

  it('does not find an unknown tenant', async () => {
    await expect(f.webhookSecrets.activeWebhookSecrets('nobody', f.clock.now())).rejects.toBeInstanceOf(TenantNotFoundError);
    await expect(f.webhookSecrets.activeWebhookSecrets('{x}', f.clock.now())).rejects.toBeInstanceOf(TenantNotFoundError);
  });
});
