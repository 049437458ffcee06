import { TenantSummaryView, TenantView } from '@verdict/contracts';

/** A tenant, with the webhook secrets that sign its webhooks now (newest first). */
export type Tenant = TenantView;

/** A tenant as listed: without its secrets. */
export type TenantSummary = TenantSummaryView;
