import { Test } from '@nestjs/testing';
import { ApiKeysConfig, ConfigModule, RedisConfig, TenantQuotasConfig, TenantsConfig } from '@verdict/config';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { BootstrapAdminKey } from './bootstrap-admin-key';
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
import { TenantWebhookSecrets } from './tenant-webhook-secrets';
import { TenantsModule } from './tenants.module';
import { REDIS_URL } from './tenants.spec-support';

describe('TenantsModule', () => {
  const env = { REDIS_URL, VERDICT_KEY_PREFIX: `unit-${randomBytes(4).toString('hex')}` };
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    const left = await redis.keys(`{${env.VERDICT_KEY_PREFIX}}*`);
    if (left.length) await redis.del(...left);
    redis.disconnect();
  });

  it('provides every use case, the authenticator and the guard, wired to Redis', async () => {
    const app = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ load: [RedisConfig, TenantsConfig, TenantQuotasConfig, ApiKeysConfig], env }), TenantsModule],
    }).compile();
    try {
      for (const provider of [CreateTenant, ListTenants, GetTenant, DeleteTenant, RotateTenantWebhookSecret, SetTenantQuotas, TenantQuotas, TenantWebhookSecrets, CreateApiKey, ListApiKeys, RevokeApiKey, BootstrapAdminKey, ApiKeyAuthenticator, ProgressTokens, ApiKeyGuard]) {
        expect(app.get(provider)).toBeInstanceOf(provider);
      }
      await app.get(CreateTenant).execute({ id: 'acme', name: 'Acme' });
      const { key } = await app.get(CreateApiKey).execute({ tenantId: 'acme', scopes: ['read'] });
      expect((await app.get(ApiKeyAuthenticator).authenticate(`Bearer ${key}`)).tenantId).toBe('acme');
      expect(await redis.exists(`{${env.VERDICT_KEY_PREFIX}}:tenant:acme`)).toBe(1);
    } finally {
      await app.close();
    }
  });
});
