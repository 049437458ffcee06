import { Module } from '@nestjs/common';
import { RedisModule } from '@verdict/redis';
import { CLOCK, systemClock } from './clock';
import { TenantQuotas } from './tenant-quotas';
import { TenantStore } from './tenant-store';

/**
 * The reader of tenants' quotas alone (`TenantQuotas`), for the libraries that accept work
 * (submissions, batches) without the rest of the tenants library. Needs RedisConfig and
 * TenantQuotasConfig. TenantsModule imports it too, so one process has one TenantQuotas (one cache,
 * which a change of quotas clears).
 */
@Module({
  imports: [RedisModule],
  providers: [{ provide: CLOCK, useValue: systemClock }, TenantStore, TenantQuotas],
  exports: [TenantQuotas],
})
export class TenantQuotasModule {}
