import { Injectable } from '@nestjs/common';
import { WebhookSigningConfig } from '@verdict/config';
import { TenantWebhookSecrets } from '@verdict/tenants';
import { Webhook } from 'standardwebhooks';

/** The Standard Webhooks headers of one try of an event. */
export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs each try of an event the Standard Webhooks way (`standardwebhooks`): HMAC-SHA256 over
 * `id.timestamp.body`, as `v1,<base64>`, one signature per secret in use (during a rotation the
 * previous secret's too, space-separated), so any receiver's `standardwebhooks` library verifies it.
 * A tenant's events are signed with that tenant's secrets (each tenant verifies with its own); an
 * admin's (no tenant) with WEBHOOK_SECRET. A deleted tenant's: TenantNotFoundError.
 */
@Injectable()
export class WebhookSigner {
  constructor(
    private readonly config: WebhookSigningConfig,
    private readonly tenantSecrets: TenantWebhookSecrets,
  ) {}

  async sign(eventId: string, body: string, now: Date, tenantId: string | null): Promise<WebhookSignatureHeaders> {
    const secrets = tenantId === null ? this.config.signingSecrets(now) : await this.tenantSecrets.activeWebhookSecrets(tenantId, now);
    if (secrets.length === 0) throw new Error('webhooks cannot be signed: WEBHOOK_SECRET is not set');
    return {
      'webhook-id': eventId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(eventId, now, body)).join(' '),
    };
  }
}
