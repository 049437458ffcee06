import { problemsOf } from './config.spec-support';
import { loadConfig } from './load-config';
import { WebhookDeliveryConfig, WebhookSigningConfig, parseDurations } from './webhook.config';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.alloc(24, 2).toString('base64')}`;

describe('WebhookSigningConfig', () => {
  it('has no webhooks until WEBHOOK_SECRET is set', () => {
    expect(loadConfig(WebhookSigningConfig, {}).webhooksEnabled()).toBe(false);
    expect(loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: SECRET }).webhooksEnabled()).toBe(true);
  });

  it.each([
    ['no whsec_ prefix', Buffer.alloc(32).toString('base64')],
    ['not base64', 'whsec_not*base64!'],
    ['too short (16 bytes)', `whsec_${Buffer.alloc(16).toString('base64')}`],
    ['too long (65 bytes)', `whsec_${Buffer.alloc(65).toString('base64')}`],
  ])('refuses a secret with %s, naming the variable and how to make one', (_what, value) => {
    const message = problemsOf(() => loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: value }));
    expect(message).toMatch(/WEBHOOK_SECRET must be "whsec_" followed by the base64 of 24 to 64 random bytes/);
    expect(message).toContain('openssl rand -base64 32');
  });

  it('signs with the previous secret too during its grace period, and only then', () => {
    const config = loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: SECRET, WEBHOOK_PREVIOUS_SECRET: OLD_SECRET, WEBHOOK_PREVIOUS_SECRET_UNTIL: '2026-12-31T00:00:00Z' });
    expect(config.signingSecrets(new Date('2026-12-30T23:59:59Z'))).toEqual([SECRET, OLD_SECRET]);
    expect(config.signingSecrets(new Date('2026-12-31T00:00:00Z'))).toEqual([SECRET]);
    const open = loadConfig(WebhookSigningConfig, { WEBHOOK_SECRET: SECRET, WEBHOOK_PREVIOUS_SECRET: OLD_SECRET });
    expect(open.signingSecrets(new Date('2099-01-01T00:00:00Z'))).toEqual([SECRET, OLD_SECRET]);
  });

  it('refuses a grace period that is not a time', () => {
    expect(problemsOf(() => loadConfig(WebhookSigningConfig, { WEBHOOK_PREVIOUS_SECRET_UNTIL: 'next week' }))).toMatch(/WEBHOOK_PREVIOUS_SECRET_UNTIL must be an ISO 8601 time/);
  });
});

describe('WebhookDeliveryConfig', () => {
  it('defaults to delivering from the API on a schedule of about a day, calling public addresses only', () => {
    const config = loadConfig(WebhookDeliveryConfig, {});
    expect(config.WEBHOOK_DELIVERY_MODE).toBe('api');
    expect(config.retryScheduleMs()).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    const total = config.retryScheduleMs().reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeCloseTo(27.6, 1);
    expect(config.allowedCidrs()).toEqual([]);
  });

  it('reads a schedule in any of ms, s, m and h, and a list of CIDRs', () => {
    const config = loadConfig(WebhookDeliveryConfig, { WEBHOOK_RETRY_SCHEDULE: '250ms, 1s,2m,1h', WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32, ::1/128,10.0.0.0/8' });
    expect(config.retryScheduleMs()).toEqual([250, 1000, 120_000, 3_600_000]);
    expect(config.allowedCidrs()).toEqual(['127.0.0.1/32', '::1/128', '10.0.0.0/8']);
  });

  it('names a bad schedule, CIDR or mode', () => {
    expect(problemsOf(() => loadConfig(WebhookDeliveryConfig, { WEBHOOK_RETRY_SCHEDULE: '5s,soon' }))).toMatch(/WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations/);
    expect(problemsOf(() => loadConfig(WebhookDeliveryConfig, { WEBHOOK_ALLOWED_CIDRS: '127.0.0.1' }))).toMatch(/WEBHOOK_ALLOWED_CIDRS must be a comma-separated list of CIDRs/);
    expect(problemsOf(() => loadConfig(WebhookDeliveryConfig, { WEBHOOK_DELIVERY_MODE: 'worker' }))).toMatch(/WEBHOOK_DELIVERY_MODE must be api or separate/);
  });

  it('parseDurations refuses items without a unit', () => {
    expect(parseDurations('5')).toBeNull();
    expect(parseDurations('1.5s')).toBeNull();
  });
});
