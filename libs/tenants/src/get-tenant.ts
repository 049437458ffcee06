import { Inject, Injectable } from '@nestjs/common';
import { TENANT_ID_PATTERN } from '@verdict/contracts';
import { CLOCK, Clock } from './clock';
import { Tenant } from './tenant';
import { TenantNotFoundError } from './tenant-errors';
import { TenantQuotas } from './tenant-quotas';
import { TenantStore } from './tenant-store';
import { activeSecrets } from './webhook-secrets';

/** One tenant with the webhook secrets that sign now (newest first) and its quotas (effective and overrides); an unknown id is not found. */
@Injectable()
export class GetTenant {
  constructor(
    private readonly tenants: TenantStore,
    private readonly quotas: TenantQuotas,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(id: string): Promise<Tenant> {
    const tenant = TENANT_ID_PATTERN.test(id) ? await this.tenants.get(id) : null;
    if (!tenant) throw new TenantNotFoundError(id);
    return { ...tenant, webhookSecrets: activeSecrets(tenant.webhookSecrets, this.clock()), quotas: this.quotas.effective(tenant.quotaOverrides) };
  }
}
