import { ApiKeysConfig, RedisConfig, TenantQuotasConfig, TenantsConfig, loadConfig } from '@verdict/config';
import { RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyIssuer } from './api-key-issuer';
import { ApiKeyStore } from './api-key-store';
import { BootstrapAdminKey } from './bootstrap-admin-key';
import { Clock } from './clock';
import { CreateApiKey } from './create-api-key';
import { CreateTenant } from './create-tenant';
import { DeleteTenant } from './delete-tenant';
import { GetTenant } from './get-tenant';
import { ListApiKeys } from './list-api-keys';
import { ListTenants } from './list-tenants';
import { ProgressTokens } from './progress-tokens';
import { RevokeApiKey } from './revoke-api-key';
import { RotateTenantWebhookSecret } from './rotate-tenant-webhook-secret';
import { SetTenantQuotas } from './set-tenant-quotas';
import { TenantQuotas } from './tenant-quotas';
import { TenantStore } from './tenant-store';
import { TenantWebhookSecrets } from './tenant-webhook-secrets';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Time that moves only when a spec moves it. */
export class ManualClock {
  private ms: number;

  constructor(start = '2026-06-01T12:00:00.000Z') {
    this.ms = Date.parse(start);
  }

  readonly now: Clock = () => new Date(this.ms);

  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/**
 * The whole library wired by hand against real Redis, under a key prefix of its own
 * (`unit-<random>`), with a manual clock. `close()` deletes every key under the prefix.
 */
export class TenantsFixture {
  readonly env: NodeJS.ProcessEnv;
  readonly redis = new Redis(REDIS_URL);
  readonly keys: RedisKeys;
  readonly clock = new ManualClock();
  readonly apiKeysConfig: ApiKeysConfig;
  readonly tenantStore: TenantStore;
  readonly apiKeyStore: ApiKeyStore;
  readonly authenticator: ApiKeyAuthenticator;
  readonly createTenant: CreateTenant;
  readonly listTenants: ListTenants;
  readonly getTenant: GetTenant;
  readonly deleteTenant: DeleteTenant;
  readonly rotateWebhookSecret: RotateTenantWebhookSecret;
  readonly webhookSecrets: TenantWebhookSecrets;
  readonly createApiKey: CreateApiKey;
  readonly listApiKeys: ListApiKeys;
  readonly revokeApiKey: RevokeApiKey;
  readonly bootstrapAdminKey: BootstrapAdminKey;
  readonly quotas: TenantQuotas;
  readonly setTenantQuotas: SetTenantQuotas;
  readonly progressTokens: ProgressTokens;

  constructor(env: NodeJS.ProcessEnv = {}) {
    this.env = { REDIS_URL, VERDICT_KEY_PREFIX: `unit-${randomBytes(4).toString('hex')}`, ...env };
    this.keys = new RedisKeys(loadConfig(RedisConfig, this.env));
    this.apiKeysConfig = loadConfig(ApiKeysConfig, this.env);
    const tenantsConfig = loadConfig(TenantsConfig, this.env);
    const now = this.clock.now;
    this.tenantStore = new TenantStore(this.redis, this.keys);
    this.apiKeyStore = new ApiKeyStore(this.redis, this.keys);
    this.authenticator = this.newAuthenticator();
    this.quotas = this.newTenantQuotas();
    this.setTenantQuotas = new SetTenantQuotas(this.tenantStore, this.quotas);
    const issuer = new ApiKeyIssuer(this.apiKeyStore, this.apiKeysConfig, now);
    this.createTenant = new CreateTenant(this.tenantStore, this.quotas, now);
    this.listTenants = new ListTenants(this.tenantStore);
    this.getTenant = new GetTenant(this.tenantStore, this.quotas, now);
    this.deleteTenant = new DeleteTenant(this.tenantStore, this.authenticator);
    this.rotateWebhookSecret = new RotateTenantWebhookSecret(this.tenantStore, tenantsConfig, now);
    this.webhookSecrets = new TenantWebhookSecrets(this.tenantStore);
    this.createApiKey = new CreateApiKey(issuer, now);
    this.listApiKeys = new ListApiKeys(this.tenantStore, this.apiKeyStore, now);
    this.revokeApiKey = new RevokeApiKey(this.apiKeyStore, this.authenticator, now);
    this.bootstrapAdminKey = new BootstrapAdminKey(issuer);
    this.progressTokens = this.newProgressTokens();
  }

  /** Another process's progress tokens: same Redis and configuration. */
  newProgressTokens(): ProgressTokens {
    return new ProgressTokens(this.apiKeysConfig, this.redis, this.keys, this.clock.now);
  }

  /** Another process's reader of quotas: same Redis and configuration, a cache of its own. */
  newTenantQuotas(): TenantQuotas {
    return new TenantQuotas(this.tenantStore, loadConfig(TenantQuotasConfig, this.env), this.clock.now);
  }

  /** Another process's authenticator: same Redis, a cache of its own. */
  newAuthenticator(): ApiKeyAuthenticator {
    return new ApiKeyAuthenticator(this.apiKeyStore, this.apiKeysConfig, this.clock.now);
  }

  /** Every key under this fixture's prefix. */
  async storedKeys(): Promise<string[]> {
    return this.redis.keys(`${this.keys.prefix}*`);
  }

  async close(): Promise<void> {
    const left = await this.storedKeys();
    if (left.length) await this.redis.del(...left);
    this.redis.disconnect();
  }
}

/** The error a promise rejects with (failing the spec when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
