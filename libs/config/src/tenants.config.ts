import { API_KEY_PATTERN, API_KEY_RECIPE } from '@verdict/contracts';
import { IsInt, Length, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { Redacted } from './load-config';

/** How to make a PROGRESS_TOKEN_SECRET: 32 random bytes. */
export const PROGRESS_TOKEN_SECRET_RECIPE = 'openssl rand -base64 32';

/** Tenants (`@verdict/tenants`): how their webhook secrets are rotated. */
export class TenantsConfig {
  /**
   * After a tenant's webhook secret is rotated, how long the previous one still signs webhooks
   * (beside the new one), so the tenant's receivers can switch at their own pace. 0: not at all.
   */
  @IsInt() @Min(0) @Max(30 * 86400)
  TENANT_WEBHOOK_SECRET_GRACE_SECONDS: number = 86400;
}

/**
 * API keys (`@verdict/tenants`): the operator's admin key and how long a checked key is trusted
 * in-process; and the live-progress tokens minted with a key (`ProgressTokens`).
 */
export class ApiKeysConfig {
  /**
   * An admin key not stored in Redis (no tenant; every scope), for operators and for recovery when
   * no admin key is left. Unset: none. There is never a default key. Make one: API_KEY_RECIPE.
   */
  @Redacted()
  @ValidateBy({
    name: 'apiKey',
    validator: {
      validate: (value: unknown) => value === '' || (typeof value === 'string' && API_KEY_PATTERN.test(value)),
      defaultMessage: () =>
        `ADMIN_API_KEY must be an API key: "vk_", 8 letters or digits, "_", then 32 to 128 letters, digits, "-" or "_" (make one: ${API_KEY_RECIPE})`,
    },
  })
  ADMIN_API_KEY: string = '';

  /**
   * How long a key found valid in Redis is trusted by the process that checked it without asking
   * Redis again (0: every request asks). A key revoked or its tenant deleted stops working on every
   * API replica within this many seconds.
   */
  @IsInt() @Min(0) @Max(30)
  API_KEY_CACHE_SECONDS: number = 5;

  /**
   * The HMAC key that signs live-progress tokens (POST /v1/submissions/:id/events-token): 32 to 512
   * characters, the same on every API replica, since a token minted by one is checked by another.
   * Unset: a random key is made once in Redis (`RedisKeys.progressTokenSecret`) and every replica
   * reads it there. Changing it (or deleting that Redis key) ends every token already minted.
   */
  @Redacted()
  @ValidateIf((config: ApiKeysConfig) => config.PROGRESS_TOKEN_SECRET !== '')
  @Length(32, 512, { message: `PROGRESS_TOKEN_SECRET must be 32 to 512 characters (make one: ${PROGRESS_TOKEN_SECRET_RECIPE})` })
  PROGRESS_TOKEN_SECRET: string = '';

  /**
   * How long a live-progress token opens its submission's events. Short: it rides in a URL, and it
   * is not revoked with the key that minted it.
   */
  @IsInt() @Min(1) @Max(3600)
  PROGRESS_TOKEN_TTL_SECONDS: number = 300;

  adminKey(): string | null {
    return this.ADMIN_API_KEY === '' ? null : this.ADMIN_API_KEY;
  }

  progressTokenSecret(): string | null {
    return this.PROGRESS_TOKEN_SECRET === '' ? null : this.PROGRESS_TOKEN_SECRET;
  }
}
