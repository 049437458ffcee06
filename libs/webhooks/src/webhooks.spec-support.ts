import { TenantNotFoundError, TenantWebhookSecrets } from '@verdict/tenants';

/** Tenants' webhook secrets for specs: `secrets` by tenant id; any other tenant is not found (deleted). */
export function tenantSecretsOf(secrets: Record<string, string[]>): TenantWebhookSecrets {
  return {
    activeWebhookSecrets: async (tenantId: string) => {
      const found = secrets[tenantId];
      if (!found) throw new TenantNotFoundError(tenantId);
      return found;
    },
  } as unknown as TenantWebhookSecrets;
}

/** No tenant at all: specs whose events are an admin's (signed with WEBHOOK_SECRET). */
export const NO_TENANTS = tenantSecretsOf({});
