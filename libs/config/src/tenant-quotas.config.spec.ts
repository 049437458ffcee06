import { problemsOf } from './config.spec-support';
import { loadConfig } from './load-config';
import { TenantQuotasConfig } from './tenant-quotas.config';

describe('TenantQuotasConfig', () => {
  it('defaults to what every tenant could send before quotas: 20,000 queued, 1000 tests, batches of 10,000, 64 KiB sources', () => {
    const config = loadConfig(TenantQuotasConfig, {});
    expect(config.defaults()).toEqual({ maxQueued: 20000, maxTestsPerSubmission: 1000, maxBatchSize: 10000, maxSourceBytes: 65536 });
    expect(config.TENANT_QUOTA_CACHE_SECONDS).toBe(5);
  });

  it('takes each default from its variable', () => {
    const config = loadConfig(TenantQuotasConfig, {
      TENANT_DEFAULT_MAX_QUEUED: '100',
      TENANT_DEFAULT_MAX_TESTS_PER_SUBMISSION: '20',
      TENANT_DEFAULT_MAX_BATCH_SIZE: '50',
      TENANT_DEFAULT_MAX_SOURCE_BYTES: '4096',
      TENANT_QUOTA_CACHE_SECONDS: '0',
    });
    expect(config.defaults()).toEqual({ maxQueued: 100, maxTestsPerSubmission: 20, maxBatchSize: 50, maxSourceBytes: 4096 });
    expect(config.TENANT_QUOTA_CACHE_SECONDS).toBe(0);
  });

  it.each([
    ['TENANT_DEFAULT_MAX_QUEUED', '0', /TENANT_DEFAULT_MAX_QUEUED must not be less than 1/],
    ['TENANT_DEFAULT_MAX_QUEUED', '1000001', /TENANT_DEFAULT_MAX_QUEUED must not be greater than 1000000/],
    ['TENANT_DEFAULT_MAX_TESTS_PER_SUBMISSION', '10001', /TENANT_DEFAULT_MAX_TESTS_PER_SUBMISSION must not be greater than 10000/],
    ['TENANT_DEFAULT_MAX_BATCH_SIZE', '1.5', /TENANT_DEFAULT_MAX_BATCH_SIZE must be an integer/],
    ['TENANT_DEFAULT_MAX_SOURCE_BYTES', '65537', /TENANT_DEFAULT_MAX_SOURCE_BYTES must not be greater than 65536/],
    ['TENANT_QUOTA_CACHE_SECONDS', '31', /TENANT_QUOTA_CACHE_SECONDS must not be greater than 30/],
  ])('refuses %s=%s, naming it', (name, value, message) => {
    expect(problemsOf(() => loadConfig(TenantQuotasConfig, { [name]: value }))).toMatch(message);
  });
});
