import { TenantSummaryView, TenantView } from '@verdict/contracts';

/** A tenant, with the webhook secrets that sign its webhooks now (newest first). */
export type Tenant = TenantView;

/** A tenant as stored: its own quota overrides, not yet the defaults they stand beside (TenantQuotas.effective). */
export type TenantRecord = Omit<Tenant, 'quotas'>;

/** A tenant as listed: without its secrets. */
export type TenantSummary = TenantSummaryView;
