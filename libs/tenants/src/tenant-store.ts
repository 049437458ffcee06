import { Inject, Injectable } from '@nestjs/common';
import { REDIS, RedisKeys } from '@verdict/redis';
import { QUOTA_FIELDS, QuotaOverridesDto, QuotaOverridesView, quotaOverridesView } from '@verdict/contracts';
import Redis from 'ioredis';
import { TenantRecord, TenantSummary } from './tenant';
import { MAX_WEBHOOK_SECRETS, TenantWebhookSecret } from './webhook-secrets';

/** A webhook secret as stored in the tenant's hash (times in epoch milliseconds, so the rotation script can compare them). */
interface StoredSecret {
  secret: string;
  createdAt: number;
  expiresAt: number | null;
}

type RedisWithTenants = Redis & {
  createTenant(tenant: string, index: string, fields: string, score: number, id: string): Promise<number>;
  rotateTenantWebhookSecret(tenant: string, secret: string, nowMs: number, previousUntilMs: number, dropPrevious: string, max: number): Promise<string | null>;
  deleteTenant(...keysAndArgs: (string | number)[]): Promise<number>;
  setTenantQuotas(tenant: string, quotas: string): Promise<number>;
};

/** Creates a tenant unless its id is taken: the hash and its place in the index together. */
const CREATE_TENANT_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for field, value in pairs(cjson.decode(ARGV[1])) do redis.call('HSET', KEYS[1], field, value) end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
`;

/** Replaces a tenant's quota overrides (JSON), only while the tenant exists: 1, else 0. */
const SET_TENANT_QUOTAS_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'quotas', ARGV[1])
return 1
`;

/**
 * A new current secret: the one it replaces signs until ARGV[3] (or not at all with ARGV[4] = '1',
 * dropping every earlier secret), secrets whose grace has ended are dropped, and at most ARGV[5]
 * are kept (newest first). Returns the secrets as stored (JSON), or nil for an unknown tenant.
 */
const ROTATE_WEBHOOK_SECRET_LUA = `
local raw = redis.call('HGET', KEYS[1], 'webhookSecrets')
if not raw then return nil end
local now = tonumber(ARGV[2])
local kept = { { secret = ARGV[1], createdAt = now, expiresAt = cjson.null } }
if ARGV[4] ~= '1' then
  for _, s in ipairs(cjson.decode(raw)) do
    local expiresAt = s.expiresAt
    if expiresAt == cjson.null then expiresAt = tonumber(ARGV[3]) end
    if expiresAt > now and #kept < tonumber(ARGV[5]) then
      table.insert(kept, { secret = s.secret, createdAt = s.createdAt, expiresAt = expiresAt })
    end
  end
end
local encoded = cjson.encode(kept)
redis.call('HSET', KEYS[1], 'webhookSecrets', encoded)
return encoded
`;

/**
 * Deletes a tenant with every API key of it, in one step: KEYS are the tenant, the tenant index, the
 * tenant's key index and each key read from it beforehand. -1: no such tenant; -2: the tenant's keys
 * changed since they were read (read them again); else the number of keys deleted.
 */
const DELETE_TENANT_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local expected = #KEYS - 3
if redis.call('ZCARD', KEYS[3]) ~= expected then return -2 end
for i = 1, expected do
  if not redis.call('ZSCORE', KEYS[3], ARGV[i + 1]) then return -2 end
end
for i = 4, #KEYS do redis.call('DEL', KEYS[i]) end
redis.call('DEL', KEYS[3], KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return expected
`;

/** Tries of a deletion racing key creation before giving up (each try reads the keys again). */
const DELETE_TRIES = 5;
const PIPELINE_CHUNK = 500;

/**
 * Tenants in Redis: one hash per tenant (`RedisKeys.tenant`), every id in a sorted set by creation
 * time (`RedisKeys.tenantIndex`). Webhook secrets are stored as they are (they sign, so they
 * cannot be hashed), as JSON in the tenant's hash, rotated by one script.
 */
@Injectable()
export class TenantStore {
  private readonly redis: RedisWithTenants;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    if (!('createTenant' in redis)) redis.defineCommand('createTenant', { numberOfKeys: 2, lua: CREATE_TENANT_LUA });
    if (!('rotateTenantWebhookSecret' in redis)) redis.defineCommand('rotateTenantWebhookSecret', { numberOfKeys: 1, lua: ROTATE_WEBHOOK_SECRET_LUA });
    if (!('deleteTenant' in redis)) redis.defineCommand('deleteTenant', { lua: DELETE_TENANT_LUA });
    if (!('setTenantQuotas' in redis)) redis.defineCommand('setTenantQuotas', { numberOfKeys: 1, lua: SET_TENANT_QUOTAS_LUA });
    this.redis = redis as RedisWithTenants;
  }

  /** Stores a new tenant; false when the id is taken (nothing written). */
  async create(tenant: TenantRecord): Promise<boolean> {
    const fields = {
      id: tenant.id,
      name: tenant.name,
      createdAt: tenant.createdAt,
      weight: String(tenant.weight),
      webhookSecrets: JSON.stringify(tenant.webhookSecrets.map(storedSecret)),
      quotas: storedQuotas(tenant.quotaOverrides),
    };
    const created = await this.redis.createTenant(this.keys.tenant(tenant.id), this.keys.tenantIndex, JSON.stringify(fields), Date.parse(tenant.createdAt), tenant.id);
    return created === 1;
  }

  /** A tenant with every secret stored (some may have ended their grace: `activeSecrets` filters); null when unknown. */
  async get(id: string): Promise<TenantRecord | null> {
    const hash = await this.redis.hgetall(this.keys.tenant(id));
    if (!hash.id) return null;
    return { ...summaryOf(hash), webhookSecrets: secretsOf(hash.webhookSecrets), quotaOverrides: quotasOf(hash.quotas) };
  }

  /** A tenant's quota overrides (every quota named, null where the default applies); null when the tenant is unknown. */
  async quotaOverridesOf(id: string): Promise<QuotaOverridesView | null> {
    const [tenantId, raw] = await this.redis.hmget(this.keys.tenant(id), 'id', 'quotas');
    return tenantId === null ? null : quotasOf(raw ?? undefined);
  }

  /** Replaces a tenant's quota overrides (a quota absent or null follows the default); false when the tenant is unknown. */
  async setQuotaOverrides(id: string, overrides: QuotaOverridesDto): Promise<boolean> {
    return (await this.redis.setTenantQuotas(this.keys.tenant(id), storedQuotas(overrides))) === 1;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.tenant(id))) === 1;
  }

  /** The webhook secrets stored for a tenant (null when unknown), without the rest of its record. */
  async webhookSecretsOf(id: string): Promise<TenantWebhookSecret[] | null> {
    const raw = await this.redis.hget(this.keys.tenant(id), 'webhookSecrets');
    return raw === null ? null : secretsOf(raw);
  }

  /** Every tenant, oldest first, without secrets (pipelined reads). */
  async list(): Promise<TenantSummary[]> {
    const ids = await this.redis.zrange(this.keys.tenantIndex, 0, -1);
    const tenants: TenantSummary[] = [];
    for (let start = 0; start < ids.length; start += PIPELINE_CHUNK) {
      const pipeline = this.redis.pipeline();
      for (const id of ids.slice(start, start + PIPELINE_CHUNK)) pipeline.hmget(this.keys.tenant(id), 'id', 'name', 'createdAt', 'weight');
      for (const [error, values] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        const [id, name, createdAt, weight] = values as (string | null)[];
        if (id !== null) tenants.push(summaryOf({ id, name: name ?? '', createdAt: createdAt ?? '', weight: weight ?? '1' }));
      }
    }
    return tenants;
  }

  /**
   * Makes `secret` the tenant's current webhook secret. The one it replaces signs until
   * `previousUntil`; with `dropPrevious`, every earlier secret stops signing at once. Returns the
   * secrets now stored, newest first; null when the tenant is unknown.
   */
  async rotateWebhookSecret(id: string, secret: string, now: Date, previousUntil: Date, dropPrevious: boolean): Promise<TenantWebhookSecret[] | null> {
    const stored = await this.redis.rotateTenantWebhookSecret(this.keys.tenant(id), secret, now.getTime(), previousUntil.getTime(), dropPrevious ? '1' : '0', MAX_WEBHOOK_SECRETS);
    return stored === null ? null : secretsOf(stored);
  }

  /**
   * Deletes a tenant and every API key of it (records and index) at once, so no key outlives its
   * tenant. Returns the prefixes of the keys deleted; null when the tenant is unknown.
   */
  async delete(id: string): Promise<string[] | null> {
    const index = this.keys.tenantApiKeys(id);
    for (let attempt = 0; attempt < DELETE_TRIES; attempt++) {
      const prefixes = await this.redis.zrange(index, 0, -1);
      const keys = [this.keys.tenant(id), this.keys.tenantIndex, index, ...prefixes.map((prefix) => this.keys.apiKey(prefix))];
      const outcome = await this.redis.deleteTenant(keys.length, ...keys, id, ...prefixes);
      if (outcome === -1) return null;
      if (outcome >= 0) return prefixes;
    }
    throw new Error(`tenant ${id} could not be deleted: API keys kept being created for it during ${DELETE_TRIES} tries`);
  }
}

function storedSecret(secret: TenantWebhookSecret): StoredSecret {
  return { secret: secret.secret, createdAt: Date.parse(secret.createdAt), expiresAt: secret.expiresAt === null ? null : Date.parse(secret.expiresAt) };
}

function secretsOf(raw: string | undefined): TenantWebhookSecret[] {
  const stored = JSON.parse(raw ?? '[]') as StoredSecret[];
  return stored.map((s) => ({
    secret: s.secret,
    createdAt: new Date(s.createdAt).toISOString(),
    expiresAt: s.expiresAt === null ? null : new Date(s.expiresAt).toISOString(),
  }));
}

/** Only the quotas set, as JSON: `{}` when every default applies. */
function storedQuotas(overrides: QuotaOverridesDto | null | undefined): string {
  return JSON.stringify(Object.fromEntries(QUOTA_FIELDS.flatMap((field) => (overrides?.[field] == null ? [] : [[field, overrides[field]]]))));
}

/** Tenants stored before quotas have no field: every default applies. */
function quotasOf(raw: string | undefined): QuotaOverridesView {
  return quotaOverridesView(raw === undefined ? null : (JSON.parse(raw) as QuotaOverridesDto));
}

function summaryOf(hash: Record<string, string>): TenantSummary {
  return { id: hash.id, name: hash.name, createdAt: hash.createdAt, weight: Number(hash.weight) };
}
