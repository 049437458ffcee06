import { Injectable } from '@nestjs/common';
import { TENANT_ID_PATTERN } from '@verdict/contracts';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { TenantNotFoundError } from './tenant-errors';
import { TenantStore } from './tenant-store';

/**
 * Deletes a tenant and, in the same step, every API key of it: the keys stop authenticating at once
 * in this process and within API_KEY_CACHE_SECONDS in the others. The id may then be used again; no
 * earlier key comes back with it.
 */
@Injectable()
export class DeleteTenant {
  constructor(
    private readonly tenants: TenantStore,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async execute(id: string): Promise<{ id: string; apiKeysDeleted: number }> {
    const prefixes = TENANT_ID_PATTERN.test(id) ? await this.tenants.delete(id) : null;
    if (prefixes === null) throw new TenantNotFoundError(id);
    this.authenticator.forget(...prefixes);
    return { id, apiKeysDeleted: prefixes.length };
  }
}
