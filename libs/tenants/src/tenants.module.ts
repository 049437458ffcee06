import { Module } from '@nestjs/common';
import { RedisModule } from '@verdict/redis';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyIssuer } from './api-key-issuer';
import { ApiKeyStore } from './api-key-store';
import { ApiKeyGuard } from './api-key.guard';
import { BootstrapAdminKey } from './bootstrap-admin-key';
import { CLOCK, systemClock } from './clock';
import { CreateApiKey } from './create-api-key';
import { CreateTenant } from './create-tenant';
import { DeleteTenant } from './delete-tenant';
import { GetTenant } from './get-tenant';
import { ListApiKeys } from './list-api-keys';
import { ListTenants } from './list-tenants';
import { ProgressTokensModule } from './progress-tokens';
import { RevokeApiKey } from './revoke-api-key';
import { RotateTenantWebhookSecret } from './rotate-tenant-webhook-secret';
import { SetTenantQuotas } from './set-tenant-quotas';
import { TenantQuotasModule } from './tenant-quotas.module';
import { TenantStore } from './tenant-store';
import { TenantWebhookSecrets } from './tenant-webhook-secrets';

const EXPORTED = [
  TenantStore,
  ApiKeyStore,
  CreateTenant,
  ListTenants,
  GetTenant,
  DeleteTenant,
  RotateTenantWebhookSecret,
  SetTenantQuotas,
  TenantWebhookSecrets,
  CreateApiKey,
  ListApiKeys,
  RevokeApiKey,
  BootstrapAdminKey,
  ApiKeyAuthenticator,
  ApiKeyGuard,
];

/**
 * Tenants, their webhook secrets and API keys, authentication (keys, and progress tokens through
 * ProgressTokensModule) and the guard. Needs RedisConfig, TenantsConfig, TenantQuotasConfig and ApiKeysConfig
 * (ConfigModule.forRoot). One ApiKeyAuthenticator (and its cache)
 * per process: import this module once, or the caches multiply (each still bounded).
 */
@Module({
  imports: [RedisModule, TenantQuotasModule, ProgressTokensModule],
  providers: [{ provide: CLOCK, useValue: systemClock }, ApiKeyIssuer, ...EXPORTED],
  exports: [...EXPORTED, TenantQuotasModule, ProgressTokensModule],
})
export class TenantsModule {}
