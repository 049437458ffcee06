import { Inject, Injectable } from '@nestjs/common';
import { TenantsConfig } from '@verdict/config';
import { RotateWebhookSecretDto, TENANT_ID_PATTERN, TENANT_ID_RULE } from '@verdict/contracts';
import { Matches } from 'class-validator';
import { CLOCK, Clock } from './clock';
import { TenantNotFoundError } from './tenant-errors';
import { TenantStore } from './tenant-store';
import { validatedCommand } from './validate-command';
import { TenantWebhookSecret, activeSecrets, generateWebhookSecret } from './webhook-secrets';

/** RotateTenantWebhookSecret's command: the body of POST /v1/admin/tenants/:id/webhook-secrets, and the tenant. */
export class RotateTenantWebhookSecretCommand extends RotateWebhookSecretDto {
  @Matches(TENANT_ID_PATTERN, { message: `tenantId ${TENANT_ID_RULE}` })
  tenantId!: string;
}

/**
 * Gives a tenant a new webhook secret. The one it replaces keeps signing beside it until
 * TENANT_WEBHOOK_SECRET_GRACE_SECONDS have passed, so receivers can move to the new one without
 * missing a webhook; with `dropPrevious`, it stops at once. At most MAX_WEBHOOK_SECRETS sign at
 * once: rotating faster than the grace period drops the oldest.
 */
@Injectable()
export class RotateTenantWebhookSecret {
  constructor(
    private readonly tenants: TenantStore,
    private readonly config: TenantsConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The tenant's secrets after the rotation, newest (the new one) first. */
  async execute(input: RotateTenantWebhookSecretCommand): Promise<{ tenantId: string; webhookSecrets: TenantWebhookSecret[] }> {
    const command = validatedCommand(RotateTenantWebhookSecretCommand, input);
    const now = this.clock();
    const previousUntil = new Date(now.getTime() + this.config.TENANT_WEBHOOK_SECRET_GRACE_SECONDS * 1000);
    const secrets = await this.tenants.rotateWebhookSecret(command.tenantId, generateWebhookSecret(), now, previousUntil, command.dropPrevious ?? false);
    if (secrets === null) throw new TenantNotFoundError(command.tenantId);
    return { tenantId: command.tenantId, webhookSecrets: activeSecrets(secrets, now) };
  }
}
