import { Exposition } from './exposition.spec-support';
import { MetricsRegistry } from './metrics-registry';
import { RateLimitMetrics, SubmissionMetrics } from './submission-metrics';
import { NO_TENANT, OTHER_TENANTS, TenantLabel } from './tenant-label';

describe('TenantLabel', () => {
  it('names the first `most` distinct tenants seen, and every later one "other", for good', () => {
    const tenants = new TenantLabel(2);
    expect(['acme', 'course', 'acme', 'late', 'course', 'later', 'acme'].map((id) => tenants.of(id))).toEqual(['acme', 'course', 'acme', OTHER_TENANTS, 'course', OTHER_TENANTS, 'acme']);
  });

  it("labels admins' work apart, without using up a place", () => {
    const tenants = new TenantLabel(1);
    expect(tenants.of(null)).toBe(NO_TENANT);
    expect(tenants.of('acme')).toBe('acme');
    expect(tenants.of(null)).toBe(NO_TENANT);
    expect(tenants.of('course')).toBe(OTHER_TENANTS);
  });

  it('with no place at all (METRICS_TENANT_LABELS=0), every tenant is "other"', () => {
    const tenants = new TenantLabel(0);
    expect(tenants.of('acme')).toBe(OTHER_TENANTS);
  });

  it('bounds the tenant series of the exported refusals: the cap plus "other", shared by both tenant-labelled metrics', async () => {
    const registry = new MetricsRegistry('api', { tenantLabels: 3 });
    const submissions = registry.group(SubmissionMetrics);
    const rateLimits = registry.group(RateLimitMetrics);
    for (let i = 0; i < 50; i++) submissions.admissionRefused(`tenant-${i}`, i % 2 === 0 ? 'group' : 'total');
    for (let i = 49; i >= 0; i--) rateLimits.rateLimited(`tenant-${i}`);
    const exposition = new Exposition((await registry.exposition()).text);
    const refusals = exposition.matching('verdict_admission_refusals_total');
    expect(new Set(refusals.map((s) => s.labels.tenant))).toEqual(new Set(['tenant-0', 'tenant-1', 'tenant-2', OTHER_TENANTS]));
    expect(exposition.value('verdict_admission_refusals_total')).toBe(50);
    expect(exposition.value('verdict_admission_refusals_total', { tenant: OTHER_TENANTS, bound: 'group' })).toBe(23);
    // The rate limit saw tenant-49 first, but the three places went to what the process saw first.
    const limited = exposition.matching('verdict_rate_limited_total');
    expect(new Set(limited.map((s) => s.labels.tenant))).toEqual(new Set(['tenant-0', 'tenant-1', 'tenant-2', OTHER_TENANTS]));
    expect(exposition.value('verdict_rate_limited_total', { tenant: OTHER_TENANTS })).toBe(47);
  });
});
