import { Module } from '@nestjs/common';
import { RedisModule } from '@verdict/redis';
import { ApiKeyIssuer } from './api-key-issuer';
import { ApiKeyStore } from './api-key-store';
import { BootstrapAdminKey } from './bootstrap-admin-key';
import { CLOCK, systemClock } from './clock';

/**
 * BootstrapAdminKey alone, for the one-time command that makes the first admin key
 * (`main.js bootstrap-admin-key`): no guard, no authenticator, no tenants. Needs RedisConfig and
 * ApiKeysConfig.
 */
@Module({
  imports: [RedisModule],
  providers: [{ provide: CLOCK, useValue: systemClock }, ApiKeyStore, ApiKeyIssuer, BootstrapAdminKey],
  exports: [BootstrapAdminKey],
})
export class AdminKeyBootstrapModule {}
