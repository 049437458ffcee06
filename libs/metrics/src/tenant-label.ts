/** The label value of every tenant past the cap. */
export const OTHER_TENANTS = 'other';

/** The label value of work no tenant owns (an admin key's): never a tenant id, which starts with a letter or digit. */
export const NO_TENANT = '_admin';

/**
 * A tenant as a metric label, with the number of distinct values bounded: the first `most` tenants
 * a process sees keep their id, every later one is "other" (a tenant literally named "other" shares
 * that series). Each process decides on its own, so two API replicas may name different tenants:
 * queries sum by tenant across instances, and the "other" series holds the rest. One Set lookup per
 * call: cheap enough for a refusal path.
 */
export class TenantLabel {
  private readonly named = new Set<string>();

  constructor(private readonly most: number) {}

  of(tenantId: string | null): string {
    if (tenantId === null) return NO_TENANT;
    if (this.named.has(tenantId)) return tenantId;
    if (this.named.size >= this.most) return OTHER_TENANTS;
    this.named.add(tenantId);
    return tenantId;
  }
}
