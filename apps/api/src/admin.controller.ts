import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  ApiKeyView,
  CreateApiKeyDto,
  CreatedApiKeyView,
  CreateTenantDto,
  QuotaOverridesDto,
  RotateWebhookSecretDto,
  TenantDeletedView,
  TenantQuotasView,
  TenantSummaryView,
  TenantView,
  WebhookSecretsView,
} from '@verdict/contracts';
import { CreateApiKey, CreateTenant, DeleteTenant, GetTenant, ListApiKeys, ListTenants, RevokeApiKey, RotateTenantWebhookSecret, SetTenantQuotas } from '@verdict/tenants';
import { Scopes } from './access';
import { ApiProblemResponses, JSON_BODY_PROBLEMS } from './problem-responses';

const TENANT = 'acme-contests';
const KEY_ID = 'k3yPr3f1';
const SECRET = { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: '2026-12-06T10:00:00.000Z', expiresAt: null };
const QUOTAS = { maxQueued: 20000, maxTestsPerSubmission: 50, maxBatchSize: 100, maxSourceBytes: 65536 };
const QUOTA_OVERRIDES = { maxQueued: null, maxTestsPerSubmission: 50, maxBatchSize: 100, maxSourceBytes: null };
const TENANT_EXAMPLE = { id: TENANT, name: 'ACME Contests', createdAt: '2026-12-06T10:00:00.000Z', weight: 1, webhookSecrets: [SECRET], quotas: QUOTAS, quotaOverrides: QUOTA_OVERRIDES };
const KEY_EXAMPLE = { prefix: KEY_ID, tenantId: TENANT, name: 'contest site', scopes: ['submit', 'read'], lanes: ['contest', 'practice'], createdAt: '2026-12-06T10:00:00.000Z', expiresAt: null, revokedAt: null, lastUsedAt: null, status: 'active' };
const TENANT_NOT_FOUND = { type: 'not-found', detail: `tenant ${TENANT} not found` } as const;

/**
 * Tenants and their API keys, for admin keys only (ADMIN_API_KEY, the bootstrapped key, or one an
 * admin made): what a platform is given to use the judge. A new key is shown once, in the answer
 * that makes it.
 */
@ApiTags('admin')
@Scopes('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly createTenant: CreateTenant,
    private readonly listTenants: ListTenants,
    private readonly getTenant: GetTenant,
    private readonly deleteTenant: DeleteTenant,
    private readonly rotateSecret: RotateTenantWebhookSecret,
    private readonly setQuotas: SetTenantQuotas,
    private readonly createApiKey: CreateApiKey,
    private readonly listApiKeys: ListApiKeys,
    private readonly revokeApiKey: RevokeApiKey,
  ) {}

  @Post('tenants')
  @ApiOperation({ operationId: 'createTenant', summary: 'Create a tenant (a platform that uses the judge), with its first webhook secret' })
  @ApiCreatedResponse({ type: TenantView, example: TENANT_EXAMPLE })
  @ApiProblemResponses('/v1/admin/tenants', { type: 'conflict', detail: `id: a tenant ${TENANT} already exists` }, ...JSON_BODY_PROBLEMS)
  create(@Body() body: CreateTenantDto): Promise<TenantView> {
    return this.createTenant.execute(body);
  }

  @Get('tenants')
  @ApiOperation({ operationId: 'listTenants', summary: 'Every tenant, oldest first (without secrets)' })
  @ApiOkResponse({ type: [TenantSummaryView], example: [{ id: TENANT, name: 'ACME Contests', createdAt: '2026-12-06T10:00:00.000Z', weight: 1 }] })
  @ApiProblemResponses('/v1/admin/tenants')
  list(): Promise<TenantSummaryView[]> {
    return this.listTenants.execute();
  }

  @Get('tenants/:tenantId')
  @ApiOperation({ operationId: 'getTenant', summary: 'A tenant, with the webhook secrets that sign its webhooks now' })
  @ApiParam({ name: 'tenantId', example: TENANT })
  @ApiOkResponse({ type: TenantView, example: TENANT_EXAMPLE })
  @ApiProblemResponses(`/v1/admin/tenants/${TENANT}`, TENANT_NOT_FOUND)
  get(@Param('tenantId') tenantId: string): Promise<TenantView> {
    return this.getTenant.execute(tenantId);
  }

  @Delete('tenants/:tenantId')
  @ApiOperation({ operationId: 'deleteTenant', summary: 'Delete a tenant and every key it has (its submissions expire with their retention)' })
  @ApiParam({ name: 'tenantId', example: TENANT })
  @ApiOkResponse({ type: TenantDeletedView, example: { id: TENANT, apiKeysDeleted: 2 } })
  @ApiProblemResponses(`/v1/admin/tenants/${TENANT}`, TENANT_NOT_FOUND)
  remove(@Param('tenantId') tenantId: string): Promise<TenantDeletedView> {
    return this.deleteTenant.execute(tenantId);
  }

  @Post('tenants/:tenantId/webhook-secrets')
  @HttpCode(200)
  @ApiOperation({ operationId: 'rotateWebhookSecret', summary: "Rotate a tenant's webhook secret: the previous one keeps signing beside it for TENANT_WEBHOOK_SECRET_GRACE_SECONDS" })
  @ApiParam({ name: 'tenantId', example: TENANT })
  @ApiOkResponse({ type: WebhookSecretsView, example: { tenantId: TENANT, webhookSecrets: [SECRET] } })
  @ApiProblemResponses(`/v1/admin/tenants/${TENANT}/webhook-secrets`, TENANT_NOT_FOUND, ...JSON_BODY_PROBLEMS)
  rotate(@Param('tenantId') tenantId: string, @Body() body: RotateWebhookSecretDto): Promise<WebhookSecretsView> {
    return this.rotateSecret.execute({ ...body, tenantId });
  }

  @Put('tenants/:tenantId/quotas')
  @ApiOperation({
    operationId: 'setTenantQuotas',
    summary: "Replace a tenant's quotas: each one given is the tenant's own, each absent or null follows the default (TENANT_DEFAULT_*); every API replica applies them within TENANT_QUOTA_CACHE_SECONDS",
  })
  @ApiParam({ name: 'tenantId', example: TENANT })
  @ApiOkResponse({ type: TenantQuotasView, example: { tenantId: TENANT, quotas: QUOTAS, quotaOverrides: QUOTA_OVERRIDES } })
  @ApiProblemResponses(`/v1/admin/tenants/${TENANT}/quotas`, TENANT_NOT_FOUND, ...JSON_BODY_PROBLEMS)
  putQuotas(@Param('tenantId') tenantId: string, @Body() body: QuotaOverridesDto): Promise<TenantQuotasView> {
    return this.setQuotas.execute({ ...body, tenantId });
  }

  @Post('tenants/:tenantId/keys')
  @ApiOperation({ operationId: 'createTenantKey', summary: 'Make an API key for a tenant: the key is in this answer only' })
  @ApiParam({ name: 'tenantId', example: TENANT })
  @ApiCreatedResponse({ type: CreatedApiKeyView, example: { key: `vk_${KEY_ID}_Zq3uW3m3Yx9cQ1b7Vd2fGh5Jk8Ln0Pr4St6Uw8Xy1Az`, apiKey: KEY_EXAMPLE } })
  @ApiProblemResponses(
    `/v1/admin/tenants/${TENANT}/keys`,
    TENANT_NOT_FOUND,
    { type: 'invalid-request', name: 'lanes', detail: 'lanes must each be one of live, contest, practice', errors: [{ field: 'lanes', message: 'lanes must each be one of live, contest, practice' }] },
    ...JSON_BODY_PROBLEMS,
  )
  createKey(@Param('tenantId') tenantId: string, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    return this.createApiKey.execute({ ...body, tenantId });
  }

  @Get('tenants/:tenantId/keys')
  @ApiOperation({ operationId: 'listTenantKeys', summary: "A tenant's API keys (never the keys themselves)" })
  @ApiParam({ name: 'tenantId', example: TENANT })
  @ApiOkResponse({ type: [ApiKeyView], example: [KEY_EXAMPLE] })
  @ApiProblemResponses(`/v1/admin/tenants/${TENANT}/keys`, TENANT_NOT_FOUND)
  keys(@Param('tenantId') tenantId: string): Promise<ApiKeyView[]> {
    return this.listApiKeys.execute(tenantId);
  }

  @Delete('tenants/:tenantId/keys/:keyId')
  @ApiOperation({ operationId: 'revokeTenantKey', summary: "Revoke a tenant's API key (every API replica refuses it within API_KEY_CACHE_SECONDS)" })
  @ApiParam({ name: 'tenantId', example: TENANT })
  @ApiParam({ name: 'keyId', example: KEY_ID })
  @ApiOkResponse({ type: ApiKeyView, example: { ...KEY_EXAMPLE, revokedAt: '2026-12-07T10:00:00.000Z', status: 'revoked' } })
  @ApiProblemResponses(`/v1/admin/tenants/${TENANT}/keys/${KEY_ID}`, { type: 'not-found', detail: `API key ${KEY_ID} not found` })
  revokeKey(@Param('tenantId') tenantId: string, @Param('keyId') keyId: string): Promise<ApiKeyView> {
    return this.revokeApiKey.execute(tenantId, keyId);
  }

  @Post('keys')
  @ApiOperation({ operationId: 'createAdminKey', summary: 'Make another admin API key (scopes ["admin"]): the key is in this answer only' })
  @ApiCreatedResponse({ type: CreatedApiKeyView, example: { key: `vk_${KEY_ID}_Zq3uW3m3Yx9cQ1b7Vd2fGh5Jk8Ln0Pr4St6Uw8Xy1Az`, apiKey: { ...KEY_EXAMPLE, tenantId: null, scopes: ['admin'], lanes: ['live', 'contest', 'practice'] } } })
  @ApiProblemResponses('/v1/admin/keys', ...JSON_BODY_PROBLEMS)
  createAdminKey(@Body() body: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    return this.createApiKey.execute({ ...body, tenantId: null });
  }

  @Get('keys')
  @ApiOperation({ operationId: 'listAdminKeys', summary: 'The admin API keys stored (ADMIN_API_KEY, from configuration, is not among them)' })
  @ApiOkResponse({ type: [ApiKeyView], example: [{ ...KEY_EXAMPLE, tenantId: null, scopes: ['admin'] }] })
  @ApiProblemResponses('/v1/admin/keys')
  adminKeys(): Promise<ApiKeyView[]> {
    return this.listApiKeys.execute(null);
  }

  @Delete('keys/:keyId')
  @ApiOperation({ operationId: 'revokeAdminKey', summary: 'Revoke an admin API key' })
  @ApiParam({ name: 'keyId', example: KEY_ID })
  @ApiOkResponse({ type: ApiKeyView, example: { ...KEY_EXAMPLE, tenantId: null, scopes: ['admin'], revokedAt: '2026-12-07T10:00:00.000Z', status: 'revoked' } })
  @ApiProblemResponses(`/v1/admin/keys/${KEY_ID}`, { type: 'not-found', detail: `API key ${KEY_ID} not found` })
  revokeAdminKey(@Param('keyId') keyId: string): Promise<ApiKeyView> {
    return this.revokeApiKey.execute(null, keyId);
  }
}
