import { Inject, Injectable } from '@nestjs/common';
import { TenantQuotasConfig } from '@verdict/config';
import { QuotaOverridesDto, Quotas, effectiveQuotas } from '@verdict/contracts';
import { CLOCK, Clock } from './clock';
import { TenantStore } from './tenant-store';

/** A tenant's quotas as read, trusted by this process until `until` (epoch ms). */
interface CachedQuotas {
  quotas: Promise<Quotas>;
  until: number;
}

/** Most tenants whose quotas one process remembers; the oldest is forgotten first beyond this. */
const CACHE_MAX_ENTRIES = 10_000;

/**
 * A tenant's effective quotas (`Quotas`: maxQueued, maxTestsPerSubmission, maxBatchSize,
 * maxSourceBytes): its overrides where an admin set them, else TenantQuotasConfig's defaults.
 * The use cases that accept work read them once per request (`for(requester.tenantId)`).
 *
 * - An admin key's work (`tenantId` null) gets the defaults: admins are no tenant and have no
 *   overrides, and their work is bounded like anyone's (no Redis read).
 * - A tenant unknown (deleted while its key was still trusted) gets the defaults too.
 * - Cache bound: what one process read is kept for TENANT_QUOTA_CACHE_SECONDS (default 5, at most
 *   30, 0: read every time), one read at a time per tenant (a 10,000-item batch or a burst of
 *   requests costs one Redis read); a change of a tenant's quotas holds at once on the process that
 *   made it (`forget`) and within TENANT_QUOTA_CACHE_SECONDS on every other. A failed read is not
 *   kept. At most 10,000 tenants are remembered per process.
 */
@Injectable()
export class TenantQuotas {
  private readonly cache = new Map<string, CachedQuotas>();

  constructor(
    private readonly store: TenantStore,
    private readonly config: TenantQuotasConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The quotas of a tenant with no overrides (and of admin keys' work). */
  defaults(): Quotas {
    return this.config.defaults();
  }

  /** Each override where set, else the default. */
  effective(overrides: QuotaOverridesDto | null | undefined): Quotas {
    return effectiveQuotas(this.defaults(), overrides);
  }

  /** The quotas that apply to `tenantId`'s requests now (null: an admin key's own work). */
  for(tenantId: string | null): Promise<Quotas> {
    if (tenantId === null) return Promise.resolve(this.defaults());
    const now = this.clock().getTime();
    const cached = this.cache.get(tenantId);
    if (cached && cached.until > now) return cached.quotas;
    this.cache.delete(tenantId);
    const quotas = this.store.quotaOverridesOf(tenantId).then((overrides) => this.effective(overrides));
    const ms = this.config.TENANT_QUOTA_CACHE_SECONDS * 1000;
    if (ms > 0) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      const entry = { quotas, until: now + ms };
      this.cache.set(tenantId, entry);
      // A failed read is not kept: the next request reads again.
      quotas.catch(() => this.cache.get(tenantId) === entry && this.cache.delete(tenantId));
    }
    return quotas;
  }

  /** Stops trusting what this process read of a tenant's quotas (they were changed, or the tenant deleted). */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }
}
