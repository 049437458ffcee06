import { Inject, Injectable } from '@nestjs/common';
import { ApiScope, SUBMISSION_LANES, SubmissionLane } from '@verdict/contracts';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { ApiKeyRecord } from './api-key-record';

export type CreateKeyOutcome = 'created' | 'no-tenant' | 'prefix-taken' | 'already-bootstrapped';

type RedisWithApiKeys = Redis & {
  createTenantApiKey(key: string, index: string, tenant: string, fields: string, score: number, prefix: string): Promise<CreateKeyOutcome>;
  createAdminApiKey(key: string, index: string, marker: string, fields: string, score: number, prefix: string, bootstrap: string): Promise<CreateKeyOutcome>;
  revokeApiKey(key: string, tenantId: string, revokedAt: string): Promise<string[] | null>;
  touchApiKey(key: string, lastUsedAt: string): Promise<number>;
};

/** A tenant's key, only while the tenant exists (DeleteTenant deletes its keys in one script: none outlives it). */
const CREATE_TENANT_KEY_LUA = `
if redis.call('EXISTS', KEYS[3]) == 0 then return 'no-tenant' end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'prefix-taken' end
for field, value in pairs(cjson.decode(ARGV[1])) do redis.call('HSET', KEYS[1], field, value) end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 'created'
`;

/**
 * An admin key. As the bootstrap (ARGV[4] = '1'): only if no bootstrap happened and no admin key
 * exists (revoked ones count), and the marker is set in the same step, so it happens once.
 */
const CREATE_ADMIN_KEY_LUA = `
if ARGV[4] == '1' and (redis.call('EXISTS', KEYS[3]) == 1 or redis.call('ZCARD', KEYS[2]) > 0) then return 'already-bootstrapped' end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'prefix-taken' end
for field, value in pairs(cjson.decode(ARGV[1])) do redis.call('HSET', KEYS[1], field, value) end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
if ARGV[4] == '1' then redis.call('SET', KEYS[3], ARGV[3]) end
return 'created'
`;

/** Revokes a key of the tenant named ('' for admin keys), once: the first revokedAt stays. Nil when it is not that tenant's. */
const REVOKE_KEY_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
local owner = redis.call('HGET', KEYS[1], 'tenantId') or ''
if owner ~= ARGV[1] then return nil end
redis.call('HSETNX', KEYS[1], 'revokedAt', ARGV[2])
return redis.call('HGETALL', KEYS[1])
`;

/** Records a use, without bringing back a key deleted meanwhile (HSET alone would create a stub). */
const TOUCH_KEY_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1])
return 1
`;

const PIPELINE_CHUNK = 500;

/**
 * API keys in Redis: one hash per key by its public prefix (`RedisKeys.apiKey`), holding the key's
 * SHA-256, never the key; each tenant's prefixes in a sorted set by creation time
 * (`RedisKeys.tenantApiKeys`), admin keys' in `RedisKeys.adminApiKeys`. Revoked keys stay, marked.
 */
@Injectable()
export class ApiKeyStore {
  private readonly redis: RedisWithApiKeys;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    if (!('createTenantApiKey' in redis)) redis.defineCommand('createTenantApiKey', { numberOfKeys: 3, lua: CREATE_TENANT_KEY_LUA });
    if (!('createAdminApiKey' in redis)) redis.defineCommand('createAdminApiKey', { numberOfKeys: 3, lua: CREATE_ADMIN_KEY_LUA });
    if (!('revokeApiKey' in redis)) redis.defineCommand('revokeApiKey', { numberOfKeys: 1, lua: REVOKE_KEY_LUA });
    if (!('touchApiKey' in redis)) redis.defineCommand('touchApiKey', { numberOfKeys: 1, lua: TOUCH_KEY_LUA });
    this.redis = redis as RedisWithApiKeys;
  }

  /**
   * Stores a new key: a tenant's only while the tenant exists, an admin key (tenantId null) always
   * or, as `bootstrap`, only if no admin key was ever made. Nothing is written unless 'created'.
   */
  async create(record: ApiKeyRecord, options: { bootstrap?: boolean } = {}): Promise<CreateKeyOutcome> {
    const fields = JSON.stringify(fieldsOf(record));
    const score = Date.parse(record.createdAt);
    const key = this.keys.apiKey(record.prefix);
    if (record.tenantId === null) {
      return this.redis.createAdminApiKey(key, this.keys.adminApiKeys, this.keys.adminKeyBootstrapped, fields, score, record.prefix, options.bootstrap ? '1' : '0');
    }
    if (options.bootstrap) throw new Error('only an admin key (no tenant) can be the bootstrap key');
    return this.redis.createTenantApiKey(key, this.keys.tenantApiKeys(record.tenantId), this.keys.tenant(record.tenantId), fields, score, record.prefix);
  }

  /** A key by its prefix; null when unknown (or deleted with its tenant). */
  async get(prefix: string): Promise<ApiKeyRecord | null> {
    return recordOf(await this.redis.hgetall(this.keys.apiKey(prefix)));
  }

  /** A tenant's keys (admin keys for null), oldest first, revoked and expired ones included. */
  async list(tenantId: string | null): Promise<ApiKeyRecord[]> {
    const prefixes = await this.redis.zrange(tenantId === null ? this.keys.adminApiKeys : this.keys.tenantApiKeys(tenantId), 0, -1);
    const records: ApiKeyRecord[] = [];
    for (let start = 0; start < prefixes.length; start += PIPELINE_CHUNK) {
      const pipeline = this.redis.pipeline();
      for (const prefix of prefixes.slice(start, start + PIPELINE_CHUNK)) pipeline.hgetall(this.keys.apiKey(prefix));
      for (const [error, hash] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        const record = recordOf(hash as Record<string, string>);
        if (record) records.push(record);
      }
    }
    return records;
  }

  /** Marks a key of the tenant named (null: an admin key) revoked, once; null when it has no such key. */
  async revoke(tenantId: string | null, prefix: string, now: Date): Promise<ApiKeyRecord | null> {
    const flat = await this.redis.revokeApiKey(this.keys.apiKey(prefix), tenantId ?? '', now.toISOString());
    if (flat === null) return null;
    const hash: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) hash[flat[i]] = flat[i + 1];
    return recordOf(hash);
  }

  /** Records that a key authenticated at `now` (a key deleted meanwhile stays deleted). */
  async touch(prefix: string, now: Date): Promise<void> {
    await this.redis.touchApiKey(this.keys.apiKey(prefix), now.toISOString());
  }
}

function fieldsOf(record: ApiKeyRecord): Record<string, string> {
  return {
    prefix: record.prefix,
    tenantId: record.tenantId ?? '',
    scopes: JSON.stringify(record.scopes),
    lanes: JSON.stringify(record.lanes),
    sha256: record.sha256,
    createdAt: record.createdAt,
    ...(record.name !== null && { name: record.name }),
    ...(record.expiresAt !== null && { expiresAt: record.expiresAt }),
  };
}

function recordOf(hash: Record<string, string>): ApiKeyRecord | null {
  if (!hash.prefix || !hash.sha256) return null;
  return {
    prefix: hash.prefix,
    tenantId: hash.tenantId ? hash.tenantId : null,
    name: hash.name ?? null,
    scopes: JSON.parse(hash.scopes ?? '[]') as ApiScope[],
    // Keys stored before keys had lanes may use every lane.
    lanes: hash.lanes ? (JSON.parse(hash.lanes) as SubmissionLane[]) : [...SUBMISSION_LANES],
    sha256: hash.sha256,
    createdAt: hash.createdAt,
    expiresAt: hash.expiresAt ?? null,
    revokedAt: hash.revokedAt ?? null,
    lastUsedAt: hash.lastUsedAt ?? null,
  };
}
