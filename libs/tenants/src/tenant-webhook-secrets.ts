import { Injectable } from '@nestjs/common';
import { TENANT_ID_PATTERN } from '@verdict/contracts';
import { TenantNotFoundError } from './tenant-errors';
import { TenantStore } from './tenant-store';
import { activeSecrets } from './webhook-secrets';

/**
 * The secrets a tenant's webhooks are signed with, for the signer: sign with each (Standard
 * Webhooks: one `v1,<signature>` per secret in the space-separated `webhook-signature` header), so
 * receivers holding the new secret or, during its grace period, the previous one verify.
 */
@Injectable()
export class TenantWebhookSecrets {
  constructor(private readonly tenants: TenantStore) {}

  /** `whsec_` secrets, newest first: the current one, then those rotated out less than the grace period before `now`. */
  async activeWebhookSecrets(tenantId: string, now: Date): Promise<string[]> {
    const secrets = TENANT_ID_PATTERN.test(tenantId) ? await this.tenants.webhookSecretsOf(tenantId) : null;
    if (secrets === null) throw new TenantNotFoundError(tenantId);
    return activeSecrets(secrets, now).map((s) => s.secret);
  }
}
