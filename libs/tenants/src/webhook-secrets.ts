import { WebhookSecretView } from '@verdict/contracts';
import { randomBytes } from 'node:crypto';

/**
 * One of a tenant's webhook signing secrets. The current one has no end; a rotated-out one signs
 * beside it until `expiresAt` (its grace period), then is dropped.
 */
export type TenantWebhookSecret = WebhookSecretView;

/** Most secrets a tenant signs with at once (the current one and up to four in grace): each adds a signature to every webhook. */
export const MAX_WEBHOOK_SECRETS = 5;

/** A new Standard Webhooks secret (`whsec_` + base64 of 32 random bytes), as `WebhookSigningConfig` accepts too. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The secrets that sign at `now`, newest first: the current one, then those still in their grace period. */
export function activeSecrets(secrets: readonly TenantWebhookSecret[], now: Date): TenantWebhookSecret[] {
  return secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime());
}
