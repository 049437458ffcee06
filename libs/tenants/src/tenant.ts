import { TenantWebhookSecret } from './webhook-secrets';

/** A tenant's id: a slug, 2 to 63 lowercase letters, digits and hyphens, not starting with a hyphen. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const TENANT_ID_RULE = 'must be 2 to 63 lowercase letters, digits or hyphens, starting with a letter or digit';

/** Largest scheduling weight a tenant may have (its share of the judges, once scheduling is fair). */
export const MAX_TENANT_WEIGHT = 1000;

/** A tenant, with the webhook secrets that sign its webhooks now (newest first). */
export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
  /** Its relative share of judging capacity when queues are scheduled fairly (a positive integer, default 1). */
  weight: number;
  webhookSecrets: TenantWebhookSecret[];
}

/** A tenant as listed: without its secrets. */
export type TenantSummary = Omit<Tenant, 'webhookSecrets'>;
