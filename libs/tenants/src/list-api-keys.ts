import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyView, TENANT_ID_PATTERN } from '@verdict/contracts';
import { viewOf } from './api-key-record';
import { ApiKeyStore } from './api-key-store';
import { CLOCK, Clock } from './clock';
import { TenantNotFoundError } from './tenant-errors';
import { TenantStore } from './tenant-store';

/** A tenant's API keys (null: the admin keys in Redis), oldest first, revoked and expired ones included; never a key or its hash. */
@Injectable()
export class ListApiKeys {
  constructor(
    private readonly tenants: TenantStore,
    private readonly keys: ApiKeyStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(tenantId: string | null): Promise<ApiKeyView[]> {
    if (tenantId !== null && !(TENANT_ID_PATTERN.test(tenantId) && (await this.tenants.exists(tenantId)))) throw new TenantNotFoundError(tenantId);
    const now = this.clock();
    return (await this.keys.list(tenantId)).map((record) => viewOf(record, now));
  }
}
