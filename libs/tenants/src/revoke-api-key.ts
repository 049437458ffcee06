import { Inject, Injectable } from '@nestjs/common';
import { API_KEY_PREFIX_LENGTH, ApiKeyView } from '@verdict/contracts';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { viewOf } from './api-key-record';
import { ApiKeyStore } from './api-key-store';
import { CLOCK, Clock } from './clock';
import { ApiKeyNotFoundError } from './tenant-errors';

const KEY_ID = new RegExp(`^[A-Za-z0-9]{${API_KEY_PREFIX_LENGTH}}$`);

/**
 * Revokes a tenant's key (null: an admin key) by its id, the prefix. The record stays, marked
 * `revokedAt` (a second revocation keeps the first time). It stops authenticating at once in this
 * process and within API_KEY_CACHE_SECONDS in the others. Another tenant's key is not found.
 */
@Injectable()
export class RevokeApiKey {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly authenticator: ApiKeyAuthenticator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(tenantId: string | null, keyId: string): Promise<ApiKeyView> {
    const now = this.clock();
    const record = KEY_ID.test(keyId) ? await this.keys.revoke(tenantId, keyId, now) : null;
    if (record === null) throw new ApiKeyNotFoundError(keyId);
    this.authenticator.forget(keyId);
    return viewOf(record, now);
  }
}
