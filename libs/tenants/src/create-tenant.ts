import { Inject, Injectable } from '@nestjs/common';
import { CreateTenantDto, quotaOverridesView } from '@verdict/contracts';
import { CLOCK, Clock } from './clock';
import { Tenant, TenantRecord } from './tenant';
import { TenantAlreadyExistsError } from './tenant-errors';
import { TenantQuotas } from './tenant-quotas';
import { TenantStore } from './tenant-store';
import { validatedCommand } from './validate-command';
import { generateWebhookSecret } from './webhook-secrets';

/** CreateTenant's command: what POST /v1/admin/tenants takes. */
export type CreateTenantCommand = CreateTenantDto;

/**
 * Creates a tenant with its first webhook secret and its quota overrides (`quotas`, each absent one
 * following the default); an id already taken is refused (conflict), nothing changed.
 */
@Injectable()
export class CreateTenant {
  constructor(
    private readonly tenants: TenantStore,
    private readonly quotas: TenantQuotas,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(input: CreateTenantCommand): Promise<Tenant> {
    const command = validatedCommand(CreateTenantDto, input);
    const createdAt = this.clock().toISOString();
    const tenant: TenantRecord = {
      id: command.id,
      name: command.name,
      createdAt,
      weight: command.weight ?? 1,
      webhookSecrets: [{ secret: generateWebhookSecret(), createdAt, expiresAt: null }],
      quotaOverrides: quotaOverridesView(command.quotas),
    };
    if (!(await this.tenants.create(tenant))) throw new TenantAlreadyExistsError(command.id);
    // A tenant of this id deleted moments ago may still have its quotas remembered here.
    this.quotas.forget(tenant.id);
    return { ...tenant, quotas: this.quotas.effective(tenant.quotaOverrides) };
  }
}
