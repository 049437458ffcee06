import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_SOURCE_BYTES } from './submission.dto';

/** The quotas every tenant has, by the name they have in the API and in the tenant's record. */
export const QUOTA_FIELDS = ['maxQueued', 'maxTestsPerSubmission', 'maxBatchSize', 'maxSourceBytes'] as const;
export type QuotaField = (typeof QUOTA_FIELDS)[number];

/**
 * The largest value each quota may be set to (a default in configuration or a tenant's override).
 * A quota never lifts a global bound: MAX_TESTS (inline tests), PROBLEM_MAX_TESTS, MAX_BATCH_SIZE and
 * MAX_SOURCE_BYTES still refuse what is beyond them, whatever the tenant's quota.
 */
export const QUOTA_CEILINGS: Readonly<Record<QuotaField, number>> = {
  maxQueued: 1_000_000,
  maxTestsPerSubmission: 10_000,
  maxBatchSize: 100_000,
  maxSourceBytes: MAX_SOURCE_BYTES,
};

/**
 * A tenant's effective quotas: its override where an admin set one, else the configured default.
 * `TenantQuotas.for(tenantId)` (libs/tenants) reads them.
 */
export class Quotas {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: QUOTA_CEILINGS.maxQueued, description: "Most of the tenant's submissions queued (not yet started) at once.", example: 20000 })
  maxQueued!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: QUOTA_CEILINGS.maxTestsPerSubmission, description: "Most tests one submission may run: its inline tests, or the tests its problem version (or its pretests) has.", example: 1000 })
  maxTestsPerSubmission!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: QUOTA_CEILINGS.maxBatchSize, description: 'Most submissions in one batch (POST /v1/batches).', example: 10000 })
  maxBatchSize!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: QUOTA_CEILINGS.maxSourceBytes, description: "Largest source of one submission, in bytes of UTF-8.", example: 65536 })
  maxSourceBytes!: number;
}

const OVERRIDE = 'Null or absent: the configured default applies.';

/**
 * A tenant's own quotas, set by an admin (POST /v1/admin/tenants `quotas`, PUT
 * /v1/admin/tenants/:id/quotas). PUT replaces them all: a quota absent or null follows the default.
 */
export class QuotaOverridesDto {
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: QUOTA_CEILINGS.maxQueued, description: `Most submissions queued at once. ${OVERRIDE}`, example: 500 })
  @IsOptional() @IsInt() @Min(1) @Max(QUOTA_CEILINGS.maxQueued)
  maxQueued?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: QUOTA_CEILINGS.maxTestsPerSubmission, description: `Most tests per submission. ${OVERRIDE}`, example: 50 })
  @IsOptional() @IsInt() @Min(1) @Max(QUOTA_CEILINGS.maxTestsPerSubmission)
  maxTestsPerSubmission?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: QUOTA_CEILINGS.maxBatchSize, description: `Most submissions per batch. ${OVERRIDE}`, example: 100 })
  @IsOptional() @IsInt() @Min(1) @Max(QUOTA_CEILINGS.maxBatchSize)
  maxBatchSize?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: QUOTA_CEILINGS.maxSourceBytes, description: `Largest source in bytes. ${OVERRIDE}`, example: 16384 })
  @IsOptional() @IsInt() @Min(1) @Max(QUOTA_CEILINGS.maxSourceBytes)
  maxSourceBytes?: number | null;
}

/** The overrides a tenant has: each quota's own value, or null where the default applies. */
export class QuotaOverridesView {
  @ApiProperty({ type: 'integer', nullable: true, example: null }) maxQueued!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 50 }) maxTestsPerSubmission!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 100 }) maxBatchSize!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null }) maxSourceBytes!: number | null;
}

/** Answer of PUT /v1/admin/tenants/:id/quotas. */
export class TenantQuotasView {
  @ApiProperty({ example: 'acme-contests' }) tenantId!: string;
  @ApiProperty({ type: Quotas, description: 'What applies now: each override, else the default.' }) quotas!: Quotas;
  @ApiProperty({ type: QuotaOverridesView }) quotaOverrides!: QuotaOverridesView;
}

/** The overrides as shown: every quota named, null where none is set. */
export function quotaOverridesView(overrides: QuotaOverridesDto | null | undefined): QuotaOverridesView {
  return Object.fromEntries(QUOTA_FIELDS.map((field) => [field, overrides?.[field] ?? null])) as unknown as QuotaOverridesView;
}

/** Each override where set, else the default. */
export function effectiveQuotas(defaults: Quotas, overrides: QuotaOverridesDto | null | undefined): Quotas {
  return Object.fromEntries(QUOTA_FIELDS.map((field) => [field, overrides?.[field] ?? defaults[field]])) as unknown as Quotas;
}
