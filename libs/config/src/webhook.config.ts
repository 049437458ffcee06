import { IsIn, IsInt, Max, Min, ValidateBy, ValidationArguments } from 'class-validator';
import ipaddr from 'ipaddr.js';

/** Standard Webhooks secrets: `whsec_` and the base64 of 24 to 64 random bytes. */
const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

function isWebhookSecret(value: string): boolean {
  const base64 = WHSEC.exec(value)?.[1];
  if (!base64 || base64.length % 4 !== 0) return false;
  const bytes = Buffer.from(base64, 'base64').length;
  return bytes >= 24 && bytes <= 64;
}

/** Empty (unset), or a `whsec_` secret. */
function WebhookSecret(): PropertyDecorator {
  return ValidateBy({
    name: 'webhookSecret',
    validator: {
      validate: (value: unknown) => value === '' || (typeof value === 'string' && isWebhookSecret(value)),
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property} must be "whsec_" followed by the base64 of 24 to 64 random bytes (e.g. echo "whsec_$(openssl rand -base64 32)")`,
    },
  });
}

const DURATION = /^(\d+)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "5s,5m,30m,2h" into milliseconds; null when any item is not a whole number with a unit (ms, s, m, h). */
export function parseDurations(list: string): number[] | null {
  const items = list.split(',').map((item) => item.trim());
  const parsed = items.map((item) => DURATION.exec(item));
  if (parsed.some((match) => match === null)) return null;
  return parsed.map((match) => Number(match![1]) * UNIT_MS[match![2]]);
}

function commaList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/**
 * How webhooks are signed (the Standard Webhooks scheme). Without WEBHOOK_SECRET there are no
 * webhooks: a submission asking for a `callbackUrl` is refused.
 */
export class WebhookSigningConfig {
  /** The signing secret receivers verify with. Generate one: `echo "whsec_$(openssl rand -base64 32)"`. */
  @WebhookSecret()
  WEBHOOK_SECRET: string = '';

  /**
   * The secret being rotated out: while set (and before WEBHOOK_PREVIOUS_SECRET_UNTIL), every
   * webhook carries a signature by it as well, so receivers can switch secrets at their own pace.
   */
  @WebhookSecret()
  WEBHOOK_PREVIOUS_SECRET: string = '';

  /** End of the rotation's grace period (ISO 8601); empty: the previous secret signs until it is unset. */
  @ValidateBy({
    name: 'isoTime',
    validator: {
      validate: (value: unknown) => value === '' || (typeof value === 'string' && !Number.isNaN(Date.parse(value))),
      defaultMessage: () => 'WEBHOOK_PREVIOUS_SECRET_UNTIL must be an ISO 8601 time, e.g. 2026-12-31T00:00:00Z',
    },
  })
  WEBHOOK_PREVIOUS_SECRET_UNTIL: string = '';

  webhooksEnabled(): boolean {
    return this.WEBHOOK_SECRET !== '';
  }

  /**
   * Whether a callback of work of `tenantId` can be signed: a tenant's always (with its own secrets),
   * an admin's (no tenant) only with WEBHOOK_SECRET. Null when it can; else why not, for the refusal.
   */
  cannotSignFor(tenantId: string | null): string | null {
    return tenantId !== null || this.webhooksEnabled() ? null : "callbackUrl: an admin key's work is signed with WEBHOOK_SECRET, which is not set: submit with a tenant's key, or set it";
  }

  /** The secrets that sign a webhook sent at `now`: the current one, then the previous one in its grace period. */
  signingSecrets(now: Date): string[] {
    const previousValid = this.WEBHOOK_PREVIOUS_SECRET !== '' && (this.WEBHOOK_PREVIOUS_SECRET_UNTIL === '' || now.getTime() < Date.parse(this.WEBHOOK_PREVIOUS_SECRET_UNTIL));
    return [this.WEBHOOK_SECRET, ...(previousValid ? [this.WEBHOOK_PREVIOUS_SECRET] : [])].filter((secret) => secret !== '');
  }
}

/** How webhooks are delivered: where, how often, how long each try may take, which addresses may be called. */
export class WebhookDeliveryConfig {
  /**
   * api: the API process delivers webhooks itself. separate: the API only queues them, and
   * `node dist/apps/api/main.js --webhook-deliverer` processes (as many as wanted) deliver them.
   */
  @IsIn(['api', 'separate'], { message: 'WEBHOOK_DELIVERY_MODE must be api or separate' })
  WEBHOOK_DELIVERY_MODE: 'api' | 'separate' = 'api';

  /** Deliveries in flight at once in one delivering process (they wait on the network, not the CPU). */
  @IsInt() @Min(1) @Max(1000)
  WEBHOOK_DELIVERY_CONCURRENCY: number = 16;

  /**
   * Waits between a failed try and the next (ms, s, m or h; each lengthened by up to 20% of
   * jitter, and never shorter than a 429's or 503's Retry-After): one try plus one per entry, then
   * the delivery is dead-lettered. The default spans about a day.
   */
  @ValidateBy({
    name: 'durationList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && (parseDurations(value)?.length ?? 0) > 0,
      defaultMessage: () => 'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations such as 5s,5m,2h (units: ms, s, m, h)',
    },
  })
  WEBHOOK_RETRY_SCHEDULE: string = '5s,5m,30m,2h,5h,10h,10h';

  /** Longest wait for the receiver's TCP (and TLS) connection to be established. */
  @IsInt() @Min(100)
  WEBHOOK_CONNECT_TIMEOUT_MS: number = 5000;

  /** Longest a try may take in all: connecting, sending, the receiver's answer. */
  @IsInt() @Min(100)
  WEBHOOK_TIMEOUT_MS: number = 15000;

  /** How much of the receiver's answer is kept with each try, for the deliveries listing. */
  @IsInt() @Min(0) @Max(65536)
  WEBHOOK_RESPONSE_BODY_MAX_BYTES: number = 2048;

  /**
   * Addresses that would be refused as internal (loopback, private, link-local, CGNAT, unique-local,
   * ...) but may be called: comma-separated CIDRs, e.g. 127.0.0.1/32 for a receiver on this machine.
   * A cloud-metadata address is opened only by a CIDR naming exactly that address.
   */
  @ValidateBy({
    name: 'cidrList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && commaList(value).every((cidr) => ipaddr.isValidCIDR(cidr)),
      defaultMessage: () => 'WEBHOOK_ALLOWED_CIDRS must be a comma-separated list of CIDRs such as 127.0.0.1/32,10.0.0.0/8',
    },
  })
  WEBHOOK_ALLOWED_CIDRS: string = '';

  /** How long the record of a delivery (its event and every try) is kept. */
  @IsInt() @Min(60)
  WEBHOOK_DELIVERY_RETENTION_SECONDS: number = 7 * 24 * 3600;

  /**
   * Interval of the API's sweep over pending deliveries, which puts back in the queue those whose
   * job BullMQ failed (its own tries used up, stalled too often), or that vanished (removed, cleaned,
   * drained, never queued). A failed job is handled on the first sweep that sees it, a vanished one
   * once two sweeps in a row saw it gone: within one or two intervals.
   */
  @IsInt() @Min(100)
  WEBHOOK_RECONCILE_INTERVAL_MS: number = 60000;

  retryScheduleMs(): number[] {
    return parseDurations(this.WEBHOOK_RETRY_SCHEDULE)!;
  }

  allowedCidrs(): string[] {
    return commaList(this.WEBHOOK_ALLOWED_CIDRS);
  }
}
