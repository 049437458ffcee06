import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsISO8601, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { API_SCOPES, ApiScope } from './api-key';
import { SUBMISSION_LANES, SubmissionLane } from './lanes';
import { QuotaOverridesDto, QuotaOverridesView, Quotas } from './tenant-quotas';

/** A tenant's id: a slug, 2 to 63 lowercase letters, digits and hyphens, not starting with a hyphen. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const TENANT_ID_RULE = 'must be 2 to 63 lowercase letters, digits or hyphens, starting with a letter or digit';

/** Largest scheduling weight a tenant may have (its share of the judges, once scheduling is fair). */
export const MAX_TENANT_WEIGHT = 1000;

/** Body of POST /v1/admin/tenants. */
export class CreateTenantDto {
  @ApiProperty({ pattern: TENANT_ID_PATTERN.source, description: 'The tenant for good (a slug): it names the tenant in paths and webhooks.', example: 'acme-contests' })
  @Matches(TENANT_ID_PATTERN, { message: `id ${TENANT_ID_RULE}` })
  id!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'ACME Contests' })
  @IsString() @Length(1, 200) @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_TENANT_WEIGHT, description: 'Its share of judging capacity under fair scheduling; default 1.', example: 1 })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_TENANT_WEIGHT)
  weight?: number;

  @ApiPropertyOptional({ type: QuotaOverridesDto, description: "The tenant's own quotas; each one absent follows the configured default (TENANT_DEFAULT_*)." })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => QuotaOverridesDto)
  quotas?: QuotaOverridesDto;
}

export class WebhookSecretView {
  @ApiProperty({ description: '`whsec_` and the base64 of 32 random bytes: what the Standard Webhooks libraries take.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret!: string;
  @ApiProperty({ example: '2026-12-06T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for the current secret; when one replaced by a rotation stops signing.', example: null })
  expiresAt!: string | null;
}

export class TenantSummaryView {
  @ApiProperty({ example: 'acme-contests' }) id!: string;
  @ApiProperty({ example: 'ACME Contests' }) name!: string;
  @ApiProperty({ example: '2026-12-06T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: 'integer', example: 1 }) weight!: number;
}

/** A tenant with the secrets that sign its webhooks now, newest first (the older ones only in their grace period). */
export class TenantView extends TenantSummaryView {
  @ApiProperty({ type: [WebhookSecretView] }) webhookSecrets!: WebhookSecretView[];
  @ApiProperty({ type: Quotas, description: 'The quotas that apply now: each override, else the configured default.' }) quotas!: Quotas;
  @ApiProperty({ type: QuotaOverridesView, description: "The tenant's own quotas (null: the default applies)." }) quotaOverrides!: QuotaOverridesView;
}

export class TenantDeletedView {
  @ApiProperty({ example: 'acme-contests' }) id!: string;
  @ApiProperty({ type: 'integer', example: 2 }) apiKeysDeleted!: number;
}

/** Body of POST /v1/admin/tenants/:id/webhook-secrets. */
export class RotateWebhookSecretDto {
  @ApiPropertyOptional({ description: 'The previous secrets stop signing at once (a leaked secret) instead of after the grace period.', example: false })
  @IsOptional() @IsBoolean()
  dropPrevious?: boolean;
}

export class WebhookSecretsView {
  @ApiProperty({ example: 'acme-contests' }) tenantId!: string;
  @ApiProperty({ type: [WebhookSecretView] }) webhookSecrets!: WebhookSecretView[];
}

export const API_KEY_STATUSES = ['active', 'revoked', 'expired'] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

/** Body of POST /v1/admin/tenants/:id/keys (and /v1/admin/keys for admin keys, scopes ["admin"]). */
export class CreateApiKeyDto {
  @ApiProperty({ enum: API_SCOPES, isArray: true, description: "A tenant's key: any of submit, read, problems:write; an admin key: exactly [\"admin\"].", example: ['submit', 'read'] })
  @IsArray() @ArrayNotEmpty()
  @ArrayUnique({ message: 'scopes must not name a scope twice' })
  @IsIn(API_SCOPES, { each: true, message: `scopes must each be one of ${API_SCOPES.join(', ')}` })
  scopes!: ApiScope[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'When the key stops working (ISO 8601 with a zone, in the future); none: until revoked.', example: '2027-06-30T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 time, e.g. 2026-12-31T00:00:00Z' })
  @Matches(/T.*(Z|[+-]\d{2}:\d{2})$/, { message: 'expiresAt must give a time and its zone, e.g. 2026-12-31T00:00:00Z' })
  expiresAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 100, description: 'What the key is for, as its holder will recognise it in listings.', example: 'contest site, production' })
  @IsOptional() @IsString() @Length(1, 100)
  name?: string | null;

  @ApiPropertyOptional({
    enum: SUBMISSION_LANES,
    isArray: true,
    minItems: 1,
    uniqueItems: true,
    description: "The lanes its submissions and batches may name (or default to): a non-empty subset of live, contest, practice; default all three. Not on an admin key: it may use every lane.",
    example: ['contest', 'practice'],
  })
  @IsOptional() @IsArray() @ArrayNotEmpty({ message: 'lanes must name at least one lane' })
  @ArrayUnique({ message: 'lanes must not name a lane twice' })
  @IsIn(SUBMISSION_LANES as unknown as string[], { each: true, message: `lanes must each be one of ${SUBMISSION_LANES.join(', ')}` })
  lanes?: SubmissionLane[];
}

/** An API key as shown: never the key or its hash. */
export class ApiKeyView {
  @ApiProperty({ description: "The key's public prefix: its id.", example: 'k3yPr3f1' }) prefix!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for an admin key.', example: 'acme-contests' }) tenantId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'contest site, production' }) name!: string | null;
  @ApiProperty({ enum: API_SCOPES, isArray: true, example: ['submit', 'read'] }) scopes!: ApiScope[];
  @ApiProperty({ enum: SUBMISSION_LANES, isArray: true, description: 'The lanes its submissions and batches may name (all three for admin keys and keys made before keys had lanes).', example: ['contest', 'practice'] })
  lanes!: SubmissionLane[];
  @ApiProperty({ example: '2026-12-06T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) expiresAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'When it last authenticated, to within API_KEY_CACHE_SECONDS.', example: null }) lastUsedAt!: string | null;
  @ApiProperty({ enum: API_KEY_STATUSES, example: 'active' }) status!: ApiKeyStatus;
}

/** A key just made: the whole key, shown this once (only its hash is kept). */
export class CreatedApiKeyView {
  @ApiProperty({ description: 'The API key, shown only now: send it as Authorization: Bearer <key>.', example: 'vk_k3yPr3f1_Zq3uW3m3Yx9cQ1b7Vd2fGh5Jk8Ln0Pr4St6Uw8Xy1Az' })
  key!: string;
  @ApiProperty({ type: ApiKeyView }) apiKey!: ApiKeyView;
}
