import { QUOTA_CEILINGS, Quotas } from '@verdict/contracts';
import { IsInt, Max, Min } from 'class-validator';

/**
 * Per-tenant quotas (`@verdict/tenants` TenantQuotas): the defaults of every tenant without an
 * override of its own (an admin sets overrides: PUT /v1/admin/tenants/:id/quotas), and of admin
 * keys' own work. A quota never lifts a global bound (MAX_TESTS, PROBLEM_MAX_TESTS, MAX_BATCH_SIZE,
 * MAX_SOURCE_BYTES): those still apply to everyone. The defaults hold what every tenant could send
 * before quotas existed, so only overrides narrow a tenant (or widen its queue).
 */
export class TenantQuotasConfig {
  /** Most of one tenant's submissions queued (not yet started) at once: two full batches by default. */
  @IsInt() @Min(1) @Max(QUOTA_CEILINGS.maxQueued)
  TENANT_DEFAULT_MAX_QUEUED: number = 20000;

  /** Most tests one submission may run (its inline tests, or its problem version's); inline tests stay within MAX_TESTS too. */
  @IsInt() @Min(1) @Max(QUOTA_CEILINGS.maxTestsPerSubmission)
  TENANT_DEFAULT_MAX_TESTS_PER_SUBMISSION: number = 1000;

  /** Most submissions in one batch; MAX_BATCH_SIZE stays the bound of every batch. */
  @IsInt() @Min(1) @Max(QUOTA_CEILINGS.maxBatchSize)
  TENANT_DEFAULT_MAX_BATCH_SIZE: number = 10000;

  /** Largest source of one submission, in bytes (at most MAX_SOURCE_BYTES, 65536). */
  @IsInt() @Min(1) @Max(QUOTA_CEILINGS.maxSourceBytes)
  TENANT_DEFAULT_MAX_SOURCE_BYTES: number = QUOTA_CEILINGS.maxSourceBytes;

  /**
   * How long an API process keeps a tenant's quotas before reading them from Redis again (0: every
   * request reads them). A change of a tenant's quotas holds on every API replica within this many
   * seconds (at once on the replica that made it).
   */
  @IsInt() @Min(0) @Max(30)
  TENANT_QUOTA_CACHE_SECONDS: number = 5;

  /** The quotas of a tenant without overrides. */
  defaults(): Quotas {
    return {
      maxQueued: this.TENANT_DEFAULT_MAX_QUEUED,
      maxTestsPerSubmission: this.TENANT_DEFAULT_MAX_TESTS_PER_SUBMISSION,
      maxBatchSize: this.TENANT_DEFAULT_MAX_BATCH_SIZE,
      maxSourceBytes: this.TENANT_DEFAULT_MAX_SOURCE_BYTES,
    };
  }
}
