import { Injectable } from '@nestjs/common';
import { TenantSummary } from './tenant';
import { TenantStore } from './tenant-store';

/** Every tenant, oldest first, without webhook secrets (GetTenant shows those). */
@Injectable()
export class ListTenants {
  constructor(private readonly tenants: TenantStore) {}

  execute(): Promise<TenantSummary[]> {
    return this.tenants.list();
  }
}
