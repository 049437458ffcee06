import ipaddr from 'ipaddr.js';

/**
 * Cloud instance-metadata endpoints (AWS, GCP, Azure, DigitalOcean: 169.254.169.254; AWS ECS task
 * metadata; AWS over IPv6; Alibaba; Oracle): credentials live behind them. Their ranges are refused
 * anyway; these stay refused even inside an allowed CIDR unless a CIDR names exactly the address.
 */
const METADATA_ADDRESSES = ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200', '192.0.0.192'].map((address) =>
  ipaddr.parse(address).toNormalizedString(),
);

/** What each range ipaddr.js names is, for the reason given when an address is refused. */
const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT (100.64.0.0/10)',
  multicast: 'multicast',
  uniqueLocal: 'unique-local IPv6',
  ipv4Mapped: 'IPv4-mapped IPv6',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  reserved: 'reserved',
};

/**
 * Which addresses the judge may send webhooks to: public unicast addresses only, since a callback
 * URL is chosen by whoever submits. Loopback, private, link-local, CGNAT, multicast, unique-local,
 * IPv4-mapped and every other special-purpose range (NAT64, 6to4, Teredo, documentation, ...) are
 * refused, unless an allowed CIDR (WEBHOOK_ALLOWED_CIDRS) contains the address.
 */
export class CallbackAddressPolicy {
  private readonly allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(allowedCidrs: string[]) {
    this.allowed = allowedCidrs.map((cidr) => ipaddr.parseCIDR(cidr));
  }

  /** Why the judge may not connect to this address, or null when it may. */
  refusalOf(address: string): string | null {
    if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
    const parsed = ipaddr.parse(address);
    const normalized = parsed.toNormalizedString();
    const fullPrefix = parsed.kind() === 'ipv4' ? 32 : 128;
    const allowedBy = this.allowed.filter(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
    if (METADATA_ADDRESSES.includes(normalized)) {
      return allowedBy.some(([, bits]) => bits === fullPrefix) ? null : `${address} is a cloud metadata address; the judge never calls it unless WEBHOOK_ALLOWED_CIDRS names it exactly`;
    }
    const range = parsed.range();
    if (range === 'unicast' || allowedBy.length > 0) return null;
    return `${address} is a ${RANGE_NAMES[range] ?? `special-purpose (${range})`} address; the judge calls public addresses only (WEBHOOK_ALLOWED_CIDRS lists exceptions)`;
  }
}
