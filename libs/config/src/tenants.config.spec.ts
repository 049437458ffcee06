import { problemsOf } from './config.spec-support';
import { loadConfig } from './load-config';
import { ApiKeysConfig, TenantsConfig } from './tenants.config';

describe('TenantsConfig', () => {
  it('keeps a rotated-out webhook secret signing for a day by default, 0 to 30 days if set', () => {
    expect(loadConfig(TenantsConfig, {}).TENANT_WEBHOOK_SECRET_GRACE_SECONDS).toBe(86400);
    expect(loadConfig(TenantsConfig, { TENANT_WEBHOOK_SECRET_GRACE_SECONDS: '0' }).TENANT_WEBHOOK_SECRET_GRACE_SECONDS).toBe(0);
    expect(problemsOf(() => loadConfig(TenantsConfig, { TENANT_WEBHOOK_SECRET_GRACE_SECONDS: '-1' }))).toMatch(/TENANT_WEBHOOK_SECRET_GRACE_SECONDS must not be less than 0/);
    expect(problemsOf(() => loadConfig(TenantsConfig, { TENANT_WEBHOOK_SECRET_GRACE_SECONDS: String(31 * 86400) }))).toMatch(/must not be greater than 2592000/);
  });
});

describe('ApiKeysConfig', () => {
  const KEY = `vk_AbCd1234_${'Zz09-_'.repeat(6)}`;

  it('has no admin key and trusts a checked key for 5 s by default', () => {
    const config = loadConfig(ApiKeysConfig, {});
    expect(config.adminKey()).toBeNull();
    expect(config.API_KEY_CACHE_SECONDS).toBe(5);
  });

  it('takes an admin key of the key format', () => {
    expect(loadConfig(ApiKeysConfig, { ADMIN_API_KEY: KEY }).adminKey()).toBe(KEY);
  });

  it.each([
    ['no vk_', KEY.slice(3)],
    ['a short prefix', `vk_AbCd123_${'a'.repeat(40)}`],
    ['a short secret', `vk_AbCd1234_${'a'.repeat(31)}`],
    ['a character outside base64url', `vk_AbCd1234_${'a'.repeat(40)}+`],
    ['spaces around it', ` ${KEY} `],
  ])('refuses an admin key with %s, saying what a key is and how to make one, without showing it', (_what, value) => {
    const message = problemsOf(() => loadConfig(ApiKeysConfig, { ADMIN_API_KEY: value }));
    expect(message).toContain('ADMIN_API_KEY must be an API key: "vk_", 8 letters or digits, "_", then 32 to 128 letters, digits, "-" or "_"');
    expect(message).toContain('openssl rand');
    expect(message).toContain(`(got a secret of ${value.length} characters, not shown)`);
    expect(message).not.toContain(value.trim());
  });

  it('bounds the cache to 30 s', () => {
    expect(loadConfig(ApiKeysConfig, { API_KEY_CACHE_SECONDS: '0' }).API_KEY_CACHE_SECONDS).toBe(0);
    expect(problemsOf(() => loadConfig(ApiKeysConfig, { API_KEY_CACHE_SECONDS: '31' }))).toMatch(/API_KEY_CACHE_SECONDS must not be greater than 30 \(got "31"\)/);
  });

  it('has no progress-token secret (Redis keeps one) and tokens of 300 s by default', () => {
    const config = loadConfig(ApiKeysConfig, {});
    expect(config.progressTokenSecret()).toBeNull();
    expect(config.PROGRESS_TOKEN_TTL_SECONDS).toBe(300);
  });

  it('takes a progress-token secret of 32 to 512 characters, and refuses a shorter one without showing it', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig(ApiKeysConfig, { PROGRESS_TOKEN_SECRET: secret }).progressTokenSecret()).toBe(secret);
    const message = problemsOf(() => loadConfig(ApiKeysConfig, { PROGRESS_TOKEN_SECRET: 'short-secret' }));
    expect(message).toContain('PROGRESS_TOKEN_SECRET must be 32 to 512 characters (make one: openssl rand -base64 32)');
    expect(message).toContain('(got a secret of 12 characters, not shown)');
    expect(message).not.toContain('short-secret');
  });

  it('bounds a progress token to 1 s to an hour', () => {
    expect(loadConfig(ApiKeysConfig, { PROGRESS_TOKEN_TTL_SECONDS: '1' }).PROGRESS_TOKEN_TTL_SECONDS).toBe(1);
    expect(problemsOf(() => loadConfig(ApiKeysConfig, { PROGRESS_TOKEN_TTL_SECONDS: '0' }))).toMatch(/PROGRESS_TOKEN_TTL_SECONDS must not be less than 1/);
    expect(problemsOf(() => loadConfig(ApiKeysConfig, { PROGRESS_TOKEN_TTL_SECONDS: '3601' }))).toMatch(/PROGRESS_TOKEN_TTL_SECONDS must not be greater than 3600/);
  });
});
