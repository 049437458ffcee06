import { WebhookSigningConfig, loadConfig } from '@verdict/config';
import { Webhook } from 'standardwebhooks';
import { TenantNotFoundError } from '@verdict/tenants';
import { WebhookSigner } from './webhook-signer';
import { NO_TENANTS, tenantSecretsOf } from './webhooks.spec-support';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.alloc(32, 4).toString('base64')}`;
const TENANT_SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
const BODY = JSON.stringify({ type: 'submission.completed', timestamp: '2026-12-01T00:00:00.000Z', data: { id: 'x', verdict: 'AC' } });

describe('WebhookSigner', () => {
  it('matches the Standard Webhooks reference signature', async () => {
    // The test vector of the Standard Webhooks specification's reference libraries.
    const signer = new WebhookSigner(loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }), NO_TENANTS);
    const headers = await signer.sign('msg_p5jXN8AQM9LWM0D4loKWxJek', '{"test": 2432232314}', new Date(1614265330 * 1000), null);
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('signs so that a receiver verifies with the standardwebhooks library, and a changed body does not verify', async () => {
    const headers = await new WebhookSigner(loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: SECRET }), NO_TENANTS).sign('msg_a_1', BODY, new Date(), null);
    expect(new Webhook(SECRET).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
    expect(() => new Webhook(SECRET).verify(BODY.replace('AC', 'WA'), { ...headers })).toThrow('No matching signature found');
  });

  it('during a rotation, receivers holding either secret verify', async () => {
    const config = loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: SECRET, WEBHOOK_PREVIOUS_SECRET: OLD_SECRET });
    const headers = await new WebhookSigner(config, NO_TENANTS).sign('msg_a_1', BODY, new Date(), null);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(SECRET).verify(BODY, { ...headers })).toBeTruthy();
    expect(new Webhook(OLD_SECRET).verify(BODY, { ...headers })).toBeTruthy();
  });

  it('refuses to sign without a secret', async () => {
    await expect(new WebhookSigner(loadConfig(WebhookSigningConfig, {}), NO_TENANTS).sign('msg_a_1', BODY, new Date(), null)).rejects.toThrow(/WEBHOOK_SECRET is not set/);
  });

  it("signs a tenant's event with that tenant's secrets only (both during its rotation's grace), never WEBHOOK_SECRET", async () => {
    const signer = new WebhookSigner(loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: SECRET }), tenantSecretsOf({ acme: [TENANT_SECRET, OLD_SECRET] }));
    const headers = await signer.sign('msg_a_1', BODY, new Date(), 'acme');
    expect(new Webhook(TENANT_SECRET).verify(BODY, { ...headers })).toBeTruthy();
    expect(new Webhook(OLD_SECRET).verify(BODY, { ...headers })).toBeTruthy();
    expect(() => new Webhook(SECRET).verify(BODY, { ...headers })).toThrow('No matching signature found');
    await expect(signer.sign('msg_a_1', BODY, new Date(), 'gone')).rejects.toThrow(TenantNotFoundError);
  });
});
