import { Injectable } from '@nestjs/common';
import { QuotaOverridesDto, TENANT_ID_PATTERN, TENANT_ID_RULE, TenantQuotasView, quotaOverridesView } from '@verdict/contracts';
import { Matches } from 'class-validator';
import { TenantNotFoundError } from './tenant-errors';
import { TenantQuotas } from './tenant-quotas';
import { TenantStore } from './tenant-store';
import { validatedCommand } from './validate-command';

/** SetTenantQuotas' command: the body of PUT /v1/admin/tenants/:id/quotas, and the tenant. */
export class SetTenantQuotasCommand extends QuotaOverridesDto {
  @Matches(TENANT_ID_PATTERN, { message: `tenantId ${TENANT_ID_RULE}` })
  tenantId!: string;
}

/**
 * Replaces a tenant's quota overrides: each quota given is the tenant's own, each absent or null
 * follows the configured default. Holds at once on this process and within
 * TENANT_QUOTA_CACHE_SECONDS on every other API replica. Work already accepted is left alone.
 */
@Injectable()
export class SetTenantQuotas {
  constructor(
    private readonly tenants: TenantStore,
    private readonly quotas: TenantQuotas,
  ) {}

  async execute(input: SetTenantQuotasCommand): Promise<TenantQuotasView> {
    const { tenantId, ...overrides } = validatedCommand(SetTenantQuotasCommand, input);
    if (!(await this.tenants.setQuotaOverrides(tenantId, overrides))) throw new TenantNotFoundError(tenantId);
    this.quotas.forget(tenantId);
    return { tenantId, quotas: this.quotas.effective(overrides), quotaOverrides: quotaOverridesView(overrides) };
  }
}
