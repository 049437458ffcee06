import { CallbackAddressPolicy } from './callback-address-policy';

describe('CallbackAddressPolicy', () => {
  const strict = new CallbackAddressPolicy([]);

  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e'])('lets %s (public unicast) be called', (address) => {
    expect(strict.refusalOf(address)).toBeNull();
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['fc00::1', 'unique-local IPv6'],
    ['fd12:3456::1', 'unique-local IPv6'],
    ['::ffff:127.0.0.1', 'IPv4-mapped IPv6'],
    ['::ffff:8.8.8.8', 'IPv4-mapped IPv6'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['64:ff9b::a00:1', 'special-purpose'],
    ['2002:a00:1::1', 'special-purpose'],
    ['192.0.2.1', 'reserved'],
  ])('refuses %s (%s), naming why', (address, what) => {
    expect(strict.refusalOf(address)).toContain(`${address} is a ${what}`);
  });

  it.each(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200', '192.0.0.192'])('refuses the cloud metadata address %s', (address) => {
    expect(strict.refusalOf(address)).toMatch(/is a cloud metadata address/);
  });

  it('lets an allowed CIDR open an internal range, and nothing else', () => {
    const policy = new CallbackAddressPolicy(['127.0.0.1/32', '10.0.0.0/8', 'fd00:1::/32']);
    expect(policy.refusalOf('127.0.0.1')).toBeNull();
    expect(policy.refusalOf('10.200.0.7')).toBeNull();
    expect(policy.refusalOf('fd00:1::5')).toBeNull();
    expect(policy.refusalOf('127.0.0.2')).toMatch(/loopback/);
    expect(policy.refusalOf('::1')).toMatch(/loopback/);
    expect(policy.refusalOf('192.168.0.1')).toMatch(/private/);
    // An IPv4-mapped address is not the IPv4 address allowed: it is refused as what it is.
    expect(policy.refusalOf('::ffff:127.0.0.1')).toMatch(/IPv4-mapped/);
  });

  it('opens a metadata address only to a CIDR that names exactly it', () => {
    expect(new CallbackAddressPolicy(['169.254.0.0/16']).refusalOf('169.254.169.254')).toMatch(/cloud metadata/);
    expect(new CallbackAddressPolicy(['169.254.0.0/16']).refusalOf('169.254.1.1')).toBeNull();
    expect(new CallbackAddressPolicy(['169.254.169.254/32']).refusalOf('169.254.169.254')).toBeNull();
  });

  it('refuses what is not an address', () => {
    expect(strict.refusalOf('example.com')).toMatch(/not an IP address/);
  });
});
