import { Inject, Injectable } from '@nestjs/common';
import { ApiKeysConfig } from '@verdict/config';
import { apiKeyPrefixOf } from '@verdict/contracts';
import { hashApiKey, hashMatches } from './api-key-material';
import { ApiKeyRecord } from './api-key-record';
import { ApiKeyStore } from './api-key-store';
import { CLOCK, Clock } from './clock';
import { Principal } from './principal';
import { ApiKeyRejectedError } from './tenant-errors';

/** A key found valid in Redis, trusted by this process until `until` (epoch ms). */
interface CachedKey {
  record: ApiKeyRecord;
  until: number;
}

/** Most keys one process remembers; the oldest is forgotten first beyond this. */
const CACHE_MAX_ENTRIES = 10_000;

const BEARER = /^Bearer +(\S+) *$/i;

export const INVALID_API_KEY = 'invalid API key';

/**
 * Turns an Authorization header into a Principal, or refuses it (`ApiKeyRejectedError`: missing,
 * not Bearer, malformed, unknown, wrong secret, revoked, expired).
 *
 * A key is looked up by its public prefix and its SHA-256 compared with crypto.timingSafeEqual.
 * ADMIN_API_KEY, when set, is an admin principal (no tenant) checked the same way, without Redis.
 *
 * Cache bound: a key found valid in Redis is remembered by this process for API_KEY_CACHE_SECONDS
 * (at most 30; 0 disables it), so a busy key costs no Redis round trip per request. Each request
 * still hashes its key and compares it with the remembered hash, and the key's own expiry is still
 * checked. A revocation, or the deletion of the key's tenant, therefore takes effect on every
 * process within API_KEY_CACHE_SECONDS (at once on the process that revoked: `forget`). Failed
 * lookups are not remembered. `lastUsedAt` is written once per cache period per process.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CachedKey>();
  private readonly adminKey: { prefix: string; sha256: string } | null;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly config: ApiKeysConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const admin = config.adminKey();
    this.adminKey = admin === null ? null : { prefix: apiKeyPrefixOf(admin)!, sha256: hashApiKey(admin).toString('hex') };
  }

  async authenticate(authorization: string | null | undefined): Promise<Principal> {
    const key = bearerToken(authorization);
    const prefix = apiKeyPrefixOf(key);
    if (prefix === null) throw new ApiKeyRejectedError('malformed API key: expected vk_, an 8-character prefix, _, and the secret');
    const presented = hashApiKey(key);
    if (this.adminKey?.prefix === prefix && hashMatches(presented, this.adminKey.sha256)) {
      return { tenantId: null, keyId: prefix, scopes: ['admin'], isAdmin: true };
    }

    const now = this.clock();
    const cached = this.cached(prefix, now);
    const record = cached ?? (await this.store.get(prefix));
    if (record === null || !hashMatches(presented, record.sha256)) throw new ApiKeyRejectedError(INVALID_API_KEY);
    // Said only to the holder of the right secret: a prefix alone learns nothing.
    if (record.revokedAt !== null) throw new ApiKeyRejectedError(`API key ${prefix} was revoked at ${record.revokedAt}`);
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime()) {
      this.cache.delete(prefix);
      throw new ApiKeyRejectedError(`API key ${prefix} expired at ${record.expiresAt}`);
    }
    if (cached === null) {
      await this.store.touch(prefix, now);
      this.remember(record, now);
    }
    const isAdmin = record.tenantId === null && record.scopes.includes('admin');
    // An admin may use every lane: no lanes carried.
    return { tenantId: record.tenantId, keyId: prefix, scopes: record.scopes, isAdmin, ...(!isAdmin && { lanes: record.lanes }) };
  }

  /** Stops trusting a remembered key at once in this process (a revocation, a tenant deleted). */
  forget(...prefixes: string[]): void {
    for (const prefix of prefixes) this.cache.delete(prefix);
  }

  private cached(prefix: string, now: Date): ApiKeyRecord | null {
    const entry = this.cache.get(prefix);
    if (!entry) return null;
    if (entry.until <= now.getTime()) {
      this.cache.delete(prefix);
      return null;
    }
    return entry.record;
  }

  private remember(record: ApiKeyRecord, now: Date): void {
    const ms = this.config.API_KEY_CACHE_SECONDS * 1000;
    if (ms === 0) return;
    this.cache.delete(record.prefix);
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(record.prefix, { record, until: now.getTime() + ms });
  }
}

function bearerToken(authorization: string | null | undefined): string {
  if (authorization === undefined || authorization === null || authorization.trim() === '') {
    throw new ApiKeyRejectedError('missing API key: send it as Authorization: Bearer vk_...');
  }
  const token = BEARER.exec(authorization)?.[1];
  if (token === undefined) throw new ApiKeyRejectedError('the Authorization header must be "Bearer <API key>"');
  return token;
}
